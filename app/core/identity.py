"""Will RevenueCat's events land on the user the app identifies in Segment?
(docs/revenuecat.md, "Identity")

RevenueCat sends `userId = app_user_id`. The app's own SDK calls `identify(userId)`.
The two join in Segment only when the ids are exactly equal; this module explains, in
words, why they are not and what to change on which side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from app.core.errors import EventInputError
from app.core.model import RevenueCatEvent

ANONYMOUS_PREFIX = "$RCAnonymousID:"

# str.strip() already removes Unicode spaces such as U+00A0 (no-break space); these
# zero-width characters are not "whitespace" to Python but are invisible all the same.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_EDGES = re.compile(rf"^[\s{_INVISIBLE}]+|[\s{_INVISIBLE}]+$")


class Verdict(StrEnum):
    EXACT = "exact"
    DIFFERS_BY_CASE = "differs_by_case"
    DIFFERS_BY_WHITESPACE = "differs_by_whitespace"
    ALIAS_ONLY = "alias_only"
    ORIGINAL_ONLY = "original_only"
    ANONYMOUS_REVENUECAT_ID = "anonymous_revenuecat_id"
    NO_MATCH = "no_match"


@dataclass(frozen=True, slots=True)
class IdentityCheck:
    """The verdict, the Segment userId RevenueCat will use, and what to change."""

    verdict: Verdict
    segment_user_id: str
    app_user_id: str
    message: str
    fix: str
    note: str | None = None

    @property
    def match(self) -> bool:
        return self.verdict is Verdict.EXACT

    def to_json(self) -> dict[str, object]:
        """The `identity` CLI's output object (a contract)."""
        out: dict[str, object] = {
            "verdict": self.verdict.value,
            "match": self.match,
            "segment_user_id": self.segment_user_id,
            "message": self.message,
            "fix": self.fix,
        }
        if self.note:
            out["note"] = self.note
        return out


def _trim(text: str) -> str:
    return _EDGES.sub("", text)


def _show(text: str) -> str:
    """Quote an id so that invisible differences become visible (`"a\\u00a0"`)."""
    shown = "".join(
        ch if (ch.isprintable() and not ch.isspace()) or ch == " " else f"\\u{ord(ch):04x}"
        for ch in text
    )
    return f'"{shown}"'


def check_identity(
    event: RevenueCatEvent, app_user_id: str, anonymous_id: str | None = None
) -> IdentityCheck:
    """Compare the app's Segment userId with the user RevenueCat's events will carry."""
    rc = event.app_user_id
    if rc is None:
        raise EventInputError(
            "event.app_user_id", f"a {event.type} event has no user, so it joins no one"
        )
    if not _trim(app_user_id):
        raise EventInputError("app-user-id", "is blank: enter the userId your app identifies")
    verdict, message, fix = _compare(event, rc, app_user_id)
    return IdentityCheck(verdict, rc, app_user_id, message, fix, _anonymous_note(anonymous_id))


def _compare(event: RevenueCatEvent, rc: str, app: str) -> tuple[Verdict, str, str]:
    they, we = _show(rc), _show(app)
    if rc == app:
        return (
            Verdict.EXACT,
            f"RevenueCat's events will land on Segment user {they}, the user your app identifies.",
            "Nothing to change.",
        )
    if rc.startswith(ANONYMOUS_PREFIX):
        return (
            Verdict.ANONYMOUS_REVENUECAT_ID,
            f"RevenueCat only knows this customer by the anonymous id {they}, which your "
            "app never sends to Segment.",
            f"App side: log the user in to RevenueCat with the same id you give Segment "
            f"(Purchases.logIn({we})) before purchases happen.",
        )
    trimmed_equal = _trim(rc) == _trim(app)
    if trimmed_equal or _trim(rc).casefold() == _trim(app).casefold():
        if trimmed_equal:
            verdict, how = Verdict.DIFFERS_BY_WHITESPACE, "surrounding whitespace"
        elif rc.casefold() == app.casefold():
            verdict, how = Verdict.DIFFERS_BY_CASE, "letter case"
        else:
            verdict, how = Verdict.DIFFERS_BY_WHITESPACE, "surrounding whitespace and case"
        return (
            verdict,
            f"The ids differ only by {how}: RevenueCat sends {they}, your app identifies "
            f"{we}. Segment compares userIds exactly, so they are two different users.",
            "App side: pass the identical, trimmed id to both Purchases.logIn() and "
            f"Segment's identify() (RevenueCat will keep sending {they}).",
        )
    if app == event.original_app_user_id:
        return (
            Verdict.ORIGINAL_ONLY,
            f"{we} is this customer's original_app_user_id, but RevenueCat sends "
            f"app_user_id {they} as the Segment userId.",
            f"App side: identify with {they} in Segment, or log in to RevenueCat with {we}.",
        )
    if app in (event.aliases or []):
        return (
            Verdict.ALIAS_ONLY,
            f"{we} is one of the customer's RevenueCat aliases, but RevenueCat sends "
            f"app_user_id {they} as the Segment userId.",
            f"App side: identify with {they} in Segment, or log in to RevenueCat with {we} "
            "so it becomes the app_user_id.",
        )
    return (
        Verdict.NO_MATCH,
        f"RevenueCat sends {they}; your app identifies {we}. Nothing links the two, so "
        "subscription events and app events land on different Segment users.",
        "App side: call Purchases.logIn() with the id you pass to Segment's identify().",
    )


def _anonymous_note(anonymous_id: str | None) -> str | None:
    if not anonymous_id:
        return None
    return (
        f"Segment links anonymousId {_show(anonymous_id)} to your userId when the app calls "
        "identify(); RevenueCat's server-side events carry only a userId, so the "
        "anonymousId does not help them join."
    )


#: The library name on identify calls this tool sends on the app's behalf, so nobody
#: mistakes them for the app's own SDK in Segment's debugger.
APP_IDENTIFY_LIBRARY = {"name": "rc-segment-tester (app identify stand-in)", "version": "1.0"}


def app_identify_message(
    user_id: str,
    *,
    timestamp: str,
    message_id: str,
    sent_at: str,
    traits: dict[str, object] | None = None,
    anonymous_id: str | None = None,
) -> dict[str, object]:
    """An identify as the app's own SDK would send it, so both sides show up under one
    user in Segment's debugger (the "send the app's identify too" action)."""
    if not user_id:
        raise EventInputError("app-user-id", "is empty: enter the userId your app identifies")
    message: dict[str, object] = {"type": "identify", "userId": user_id}
    if anonymous_id:
        message["anonymousId"] = anonymous_id
    message.update(
        {
            "traits": dict(traits or {}),
            "context": {"library": dict(APP_IDENTIFY_LIBRARY)},
            "timestamp": timestamp,
            "messageId": message_id,
            "sentAt": sent_at,
        }
    )
    return message
