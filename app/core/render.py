"""The renderer: RevenueCat event + integration settings → Segment track + identify.

Every field follows docs/revenuecat.md ("The track call", "The identify call",
"Revenue", "Sandbox"). The clock and the id factory are injected so that output
can be made deterministic (sample files, tests); the app passes the real ones.
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from app.core.catalogue import CATALOGUE, STORE_ALIASES, EventSpec, Store
from app.core.identity import ANONYMOUS_PREFIX
from app.core.mapping import not_sent_reason, segment_type_for, subscription_status
from app.core.model import RevenueCatEvent
from app.core.revenue import carries_revenue, missing_percentages, revenue
from app.core.settings import IntegrationSettings
from app.core.size_bound import track_size_bound
from app.core.wire import MESSAGE_LIMIT, MESSAGE_WARN, epoch_ms, human_size, iso_ms, size_of

LIBRARY = {"name": "RevenueCat Segment events", "version": "1.0"}

#: Event timestamps this far ahead of the clock are reported as "in the future".
FUTURE_SLACK_MS = 60_000

# Extra property per Segment event type (docs/revenuecat.md, "The track call"): property
# name, source field.
_EXTRA = {
    "cancellation": ("cancellation_reason", "cancel_reason"),
    "trial_cancelled": ("cancellation_reason", "cancel_reason"),
    "expiration": ("expiration_reason", "expiration_reason"),
    "billing_issue": ("grace_period_expires_at", "grace_period_expiration_at_ms"),
    "subscription_paused": ("auto_resumes_at", "auto_resume_at_ms"),
    "product_change": ("new_product_id", "new_product_id"),
}

_STORE_LABELS = {
    Store.APP_STORE: "the App Store",
    Store.PLAY_STORE: "the Play Store",
    Store.AMAZON: "Amazon",
    Store.STRIPE: "Stripe",
    Store.PROMOTIONAL: "promotional grants",
}


def _never_produced(spec: EventSpec) -> frozenset[str]:
    """The store names `spec.produced_by` answers False for. Any other name it answers True
    or None (a store it does not know), so "never produces" is one set lookup per event."""
    names = {*STORE_ALIASES, *(store.value for store in Store)}
    return frozenset(name for name in names if spec.produced_by(name) is False)


_NEVER_PRODUCED = {key: _never_produced(spec) for key, spec in CATALOGUE.items()}


@dataclass(frozen=True, slots=True)
class Notice:
    """A non-fatal warning: a stable `code` for programs, a `message` for people."""

    code: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True, slots=True)
class RenderResult:
    """What RevenueCat would send for one event: messages, or why nothing is sent."""

    segment_event: str | None
    event_name: str | None
    messages: tuple[dict[str, Any], ...] = ()
    skipped: str | None = None
    skip_code: str | None = None
    warnings: tuple[Notice, ...] = field(default=())

    @property
    def track(self) -> dict[str, Any] | None:
        return self.messages[0] if self.messages else None

    @property
    def identify(self) -> dict[str, Any] | None:
        return self.messages[1] if len(self.messages) > 1 else None

    def to_json(self) -> dict[str, Any]:
        """The CLI's `render` output object (a contract other tools rely on)."""
        return {
            "segment_event": self.segment_event,
            "skipped": self.skipped,
            "warnings": [w.to_json() for w in self.warnings] if self.warnings else [],
            "messages": list(self.messages),
        }


def _seconds(ms: int | None) -> int | None:
    return None if ms is None else ms // 1000


def _wall_ms() -> int:
    """Now, in whole ms since the epoch: what `epoch_ms(_utc_now())` reads (floored)."""
    return time.time_ns() // 1_000_000


def _utc_now() -> datetime:
    return datetime.now(UTC)


def uuid_factory() -> Callable[[], str]:
    """messageIds in UUID form: a random 80-bit prefix per factory, then a counter.

    Unique across processes (the prefix) and within one (the counter), well under
    Segment's 100-character limit, and five times cheaper than uuid.uuid4() per id —
    which matters at tens of thousands of messages a second. Ids from one session share
    a prefix, which also makes them easy to find in Segment's debugger.
    """
    h = os.urandom(10).hex()
    prefix = f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-"
    counter = itertools.count(1)
    return lambda: f"{prefix}{next(counter):012x}"


class Renderer:
    """Turns RevenueCat events into Segment messages.

    `clock` gives the current time (for `sentAt` and the "future timestamp" check);
    `new_id` gives a fresh messageId (unique, < 100 characters).
    """

    def __init__(
        self,
        clock: Callable[[], datetime] = _utc_now,
        new_id: Callable[[], str] | None = None,
    ) -> None:
        self._clock = clock
        self._new_id = new_id or uuid_factory()
        # (ms, its sentAt text): events rendered within one millisecond share the text.
        self._stamp: tuple[int | None, str] = (None, "")

    def render(
        self,
        event: RevenueCatEvent,
        settings: IntegrationSettings,
        *,
        override_sandbox: bool = False,
        text_chars: int | None = None,
    ) -> RenderResult:
        """Render one event. `override_sandbox` sends a sandbox event although the
        integration's toggle is off (the user asked on purpose; it is warned about).
        `text_chars`: the length of the JSON text the event was validated from, if known
        (an NDJSON line): the size warnings are decided by a cheaper bound."""
        key = segment_type_for(event)
        if key is None:
            return RenderResult(
                None, None, skipped=not_sent_reason(event.type), skip_code="not_sent_type"
            )
        name = settings.name_for(key)
        if not name:
            return RenderResult(
                key,
                None,
                skip_code="blank_name",
                skipped=f"RevenueCat would not send this: the {CATALOGUE[key].label} event "
                "name is blank, so this optional event is switched off",
            )
        notices: list[Notice] = []
        if event.environment == "SANDBOX" and not settings.send_sandbox:
            if not override_sandbox:
                return RenderResult(
                    key,
                    name,
                    skip_code="sandbox_off",
                    skipped="RevenueCat would not send this: sandbox events are off "
                    '(turn on "send sandbox events", or override to send it anyway)',
                )
            notices.append(
                Notice(
                    "sandbox_override",
                    "Sandbox events are off: RevenueCat would not send this; sending it anyway "
                    "because you overrode the setting",
                )
            )

        # The default clock read in ms, without a datetime per event (~1 µs of ~25).
        now_ms = _wall_ms() if self._clock is _utc_now else epoch_ms(self._clock())
        stamp = self._stamp
        if stamp[0] != now_ms:
            stamp = self._stamp = (now_ms, iso_ms(now_ms))
        track, identify = self._messages(key, name, event, settings, stamp[1])
        notices.extend(self._notices(key, event, settings, now_ms))
        if track_size_bound(event, name, text_chars) >= MESSAGE_WARN:
            notices.extend(_size_notices(track))
            # The identify repeats a subset of the track's values with less structure, so
            # it can only approach the limit when the track is over the warning line.
            if any(n.code.startswith("message_") for n in notices):
                notices.extend(_size_notices(identify))
        return RenderResult(key, name, (track, identify), warnings=tuple(notices))

    def _messages(
        self,
        key: str,
        name: str,
        event: RevenueCatEvent,
        settings: IntegrationSettings,
        sent_at: str,
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        user_id = event.app_user_id
        timestamp = iso_ms(event.event_timestamp_ms)
        properties: dict[str, Any] = {
            "revenue": revenue(key, event, settings.revenue_mode),
            "currency": "USD",
            "store": event.store,
            "purchased_at": _seconds(event.purchased_at_ms),
            "expires_at": _seconds(event.expiration_at_ms),
            "entitlement": event.entitlement_id,
            "entitlements": event.entitlement_ids,
            "product_id": event.product_id,
            "app_user_id": user_id,
            "original_app_user_id": event.original_app_user_id,
            "subscriber_attributes": event.flat_attributes(),
            "period_type": event.period_type,
            "environment": event.environment,
            "presented_offering_id": event.presented_offering_id,
            "transaction_id": event.transaction_id,
            "original_transaction_id": event.original_transaction_id,
            "aliases": event.aliases,
        }
        if event.app_id is not None:
            properties["app_id"] = event.app_id
        if key in _EXTRA:
            prop, source = _EXTRA[key]
            value = getattr(event, source)
            properties[prop] = _seconds(value) if source.endswith("_ms") else value

        context = {
            "environment": (event.environment or "PRODUCTION").lower(),
            "library": dict(LIBRARY),
        }
        track = {
            "type": "track",
            "userId": user_id,
            "event": name,
            "properties": properties,
            "context": context,
            "timestamp": timestamp,
            "messageId": self._new_id(),
            "sentAt": sent_at,
        }
        traits: dict[str, Any] = {"last_seen_app_user_id": user_id, "aliases": event.aliases}
        status = subscription_status(key, event)
        if status is not None:
            traits["rc_subscription_status"] = status
        identify = {
            "type": "identify",
            "userId": user_id,
            "traits": traits,
            "context": {"environment": context["environment"], "library": dict(LIBRARY)},
            "timestamp": timestamp,
            "messageId": self._new_id(),
            "sentAt": sent_at,
        }
        return track, identify

    def _notices(
        self, key: str, event: RevenueCatEvent, settings: IntegrationSettings, now_ms: int
    ) -> list[Notice]:
        notices = []
        if event.store in _NEVER_PRODUCED[key]:
            spec = CATALOGUE[key]
            stores = ", ".join(sorted(_STORE_LABELS[s] for s in spec.stores))
            notices.append(
                Notice(
                    "store_never_produces",
                    f"{event.store} never produces {spec.label} events (only {stores} do)",
                )
            )
        if carries_revenue(key, event):
            if event.price is None:
                notices.append(Notice("price_missing", "event.price is null, so revenue is null"))
            missing = missing_percentages(event, settings.revenue_mode)
            if missing and event.price:
                notices.append(
                    Notice(
                        "percentage_missing",
                        f"{' and '.join('event.' + m for m in missing)} is null and counted as 0: "
                        f"revenue ({settings.revenue_mode.label.lower()}) is an upper bound",
                    )
                )
        user_id = event.app_user_id
        if user_id and user_id.startswith(ANONYMOUS_PREFIX):
            notices.append(
                Notice(
                    "anonymous_user",
                    "app_user_id is an anonymous RevenueCat id ($RCAnonymousID:…): these events "
                    "will not join the user your app identifies in Segment unless the app logs "
                    "in to RevenueCat with the same id",
                )
            )
        if event.event_timestamp_ms > now_ms + FUTURE_SLACK_MS:
            notices.append(
                Notice(
                    "future_timestamp",
                    f"event_timestamp_ms ({iso_ms(event.event_timestamp_ms)}) is in the future",
                )
            )
        return notices


def _size_notices(message: dict[str, Any]) -> list[Notice]:
    size = size_of(message)
    kind = message["type"]
    if size > MESSAGE_LIMIT:
        return [
            Notice(
                "message_over_limit",
                f"the {kind} message is {human_size(size)}, over Segment's 32 KB per-message "
                "limit: it would be rejected",
            )
        ]
    if size > MESSAGE_WARN:
        return [
            Notice(
                "message_near_limit",
                f"the {kind} message is {human_size(size)}, close to Segment's 32 KB limit",
            )
        ]
    return []
