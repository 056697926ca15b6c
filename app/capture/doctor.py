"""The identity doctor: for each RevenueCat user seen, do the app's own calls join it?

RevenueCat's Segment events carry `userId = app_user_id`; they land on the user the
app's SDK identifies only when the ids are equal. The doctor takes every RevenueCat user
the history knows (webhooks, bridged events, the tool's own sends, RevenueCat messages
captured on the wire) and every id pair the app's SDK sent through the receiver, and
gives each RevenueCat user the best verdict any captured app id reaches, using the
seven verdicts of `app.core.identity` (their words, their fixes). Pure: the reading is
`app.storage.capture`'s, and the window's reader off its thread is
`app.capture.doctor_reader`'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.core.errors import EventInputError
from app.core.identity import ANONYMOUS_PREFIX, IdentityCheck, Verdict, check_identity
from app.core.model import RevenueCatEvent, parse_event
from app.storage.capture import AppIds, SeenUser

#: Best first: the verdict shown is the closest any captured app id comes.
RANK = (
    Verdict.EXACT,
    Verdict.DIFFERS_BY_WHITESPACE,
    Verdict.DIFFERS_BY_CASE,
    Verdict.ALIAS_ONLY,
    Verdict.ORIGINAL_ONLY,
    Verdict.ANONYMOUS_REVENUECAT_ID,
    Verdict.NO_MATCH,
)

NO_APP_CALLS = (
    "No call from the app's own Segment SDK has been captured yet, so nothing can join "
    "this user: point the app's SDK at the receiver and use the app."
)


@dataclass(frozen=True, slots=True)
class Diagnosis:
    revenuecat_user_id: str
    verdict: Verdict
    app_ids: tuple[str, ...]  # the captured app ids behind the verdict
    message: str
    fix: str

    def to_json(self) -> dict[str, Any]:
        """One entry of `identity --report` (a contract)."""
        return {
            "revenuecat_user_id": self.revenuecat_user_id,
            "verdict": self.verdict.value,
            "app_ids": list(self.app_ids),
            "message": self.message,
            "fix": self.fix,
        }


def _event(user: SeenUser) -> RevenueCatEvent:
    """The user's latest RevenueCat event, or one rebuilt from what was captured."""
    if user.input is not None:
        try:
            event = parse_event(user.input)
        except EventInputError:
            pass
        else:
            if event.app_user_id == user.user_id:
                return event
    return RevenueCatEvent(
        type="CAPTURED",
        event_timestamp_ms=0,
        app_user_id=user.user_id,
        aliases=list(user.aliases) or None,
        original_app_user_id=user.original_app_user_id,
    )


def diagnose(users: list[SeenUser], app: list[AppIds]) -> list[Diagnosis]:
    """One diagnosis per RevenueCat user, in the order given."""
    user_ids = list(dict.fromkeys(a.user_id for a in app if a.user_id))
    anonymous = {a.user_id: a.anonymous_id for a in app if a.anonymous_id}
    return [_one(user, user_ids, anonymous, app) for user in users]


def _one(
    user: SeenUser, user_ids: list[str], anonymous: dict[str, str], app: list[AppIds]
) -> Diagnosis:
    event = _event(user)
    rc = user.user_id
    if not user_ids:
        if rc.startswith(ANONYMOUS_PREFIX):
            check = check_identity(event, "YOUR_USER_ID")  # no app id yet: a placeholder
            ids = tuple(dict.fromkeys(a.anonymous_id for a in app if a.anonymous_id))
            return Diagnosis(rc, Verdict.ANONYMOUS_REVENUECAT_ID, ids, check.message, check.fix)
        ids = tuple(dict.fromkeys(a.anonymous_id for a in app if a.anonymous_id))
        fix = (
            "App side: call Segment's identify() with the user's id once they log in, and "
            "pass the same id to Purchases.logIn()."
            if ids
            else "Point the app's Segment SDK at the receiver (its Segment API address) "
            "and use the app, then run the report again."
        )
        message = (
            NO_APP_CALLS
            if not ids
            else (
                "The app's calls captured so far are anonymous (anonymousId only): RevenueCat's "
                f'events for "{rc}" carry a userId, which no app call has used.'
            )
        )
        return Diagnosis(rc, Verdict.NO_MATCH, ids, message, fix)
    checks: list[IdentityCheck] = [
        check_identity(event, app_id, anonymous.get(app_id)) for app_id in user_ids
    ]
    best = min(checks, key=lambda c: RANK.index(c.verdict))
    ids = tuple(c.app_user_id for c in checks if c.verdict is best.verdict)
    if best.verdict in (Verdict.NO_MATCH, Verdict.ANONYMOUS_REVENUECAT_ID):
        ids = tuple(user_ids)  # none is closer: show what the app did send
    message = best.message
    if best.verdict is Verdict.NO_MATCH and len(user_ids) > 1:
        message = (
            f'RevenueCat sends "{rc}"; none of the {len(user_ids)} userIds the app sent '
            "matches it. Nothing links them, so subscription events and app events land "
            "on different Segment users."
        )
    return Diagnosis(rc, best.verdict, ids, message, best.fix)
