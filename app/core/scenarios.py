"""Subscription lifecycles: consistent sequences of RevenueCat events for one customer.

Same ids throughout, transaction ids chained to the first purchase, timestamps advancing
by the product's period, so a whole customer journey can be rendered, sent and shown.
Each lifecycle is a short script of `app.core.journey.Journey` steps; `ScenarioParams`,
`STORES` and `period_days_for` live there and are re-exported here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from app.core.errors import EventInputError
from app.core.journey import DAY_MS, HOUR_MS, Journey
from app.core.journey import STORES as STORES
from app.core.journey import ScenarioParams as ScenarioParams
from app.core.journey import period_days_for as period_days_for
from app.core.model import MAX_MS


def _trial_to_expiration(j: Journey) -> None:
    j.trial()
    j.renew(conversion=True)
    for _ in range(j.p.renewals):
        j.renew()
    j.advance(j.period_ms // 2)
    j.add("CANCELLATION", cancel_reason="UNSUBSCRIBE")
    j.to_expiry()
    j.add("EXPIRATION", expiration_reason="UNSUBSCRIBE")


def _trial_cancelled(j: Journey) -> None:
    j.trial()
    j.advance(2 * DAY_MS)
    j.add("CANCELLATION", cancel_reason="UNSUBSCRIBE")
    j.to_expiry()
    j.add("EXPIRATION", expiration_reason="UNSUBSCRIBE")


def _purchase_refund(j: Journey) -> None:
    j.purchase()
    j.advance(3 * DAY_MS)
    j.add("CANCELLATION", cancel_reason="CUSTOMER_SUPPORT", price=-j.price)
    j.expires_ms = j.now_ms + HOUR_MS
    j.to_expiry()
    j.add("EXPIRATION", expiration_reason="UNSUBSCRIBE")


def _billing_recovered(j: Journey) -> None:
    j.purchase()
    for _ in range(j.p.renewals):
        j.renew()
    j.to_expiry()
    grace = j.now_ms + 16 * DAY_MS
    j.add("BILLING_ISSUE", grace_period_expiration_at_ms=grace)
    j.advance(3 * DAY_MS)
    j.expires_ms = j.now_ms  # the recovered charge starts a new period from today
    j.renew()


def _billing_expired(j: Journey) -> None:
    j.purchase()
    for _ in range(j.p.renewals):
        j.renew()
    j.to_expiry()
    grace = j.now_ms + 16 * DAY_MS
    j.add("BILLING_ISSUE", grace_period_expiration_at_ms=grace)
    j.now_ms = grace
    j.add("EXPIRATION", expiration_reason="BILLING_ERROR")


def _upgrade(j: Journey) -> None:
    j.purchase()
    for _ in range(j.p.renewals):
        j.renew()
    j.advance(j.period_ms // 2)
    upgraded = j.product.replace("monthly", "yearly")
    if upgraded == j.product:
        upgraded = f"{j.product}.yearly"
    j.add("PRODUCT_CHANGE", new_product_id=upgraded)
    j.product, j.price = upgraded, round(j.price * 10, 2)
    j.renew()


def _play_pause(j: Journey) -> None:
    j.purchase()
    for _ in range(j.p.renewals):
        j.renew()
    j.advance(j.period_ms // 3)
    resume = j.expires_ms + 30 * DAY_MS
    j.add("SUBSCRIPTION_PAUSED", auto_resume_at_ms=resume)
    j.to_expiry()
    j.add("EXPIRATION", expiration_reason="SUBSCRIPTION_PAUSED")


def _one_off(j: Journey) -> None:
    j.product = j.p.product_id if "coins" in j.p.product_id else "com.example.coins.500"
    j.expires_ms = 0
    j.add(
        "NON_RENEWING_PURCHASE",
        new_transaction=True,
        price=j.price,
        expiration_at_ms=None,
        entitlement_ids=None,
    )


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    title: str
    description: str
    steps: Callable[[Journey], None]
    store: str | None = None  # forced store (a Play Store pause is Play Store only)


SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in [
        Scenario(
            "trial_to_expiration",
            "Trial → conversion → renewals → cancel → expire",
            "A free trial converts, renews, is cancelled mid-period and expires.",
            _trial_to_expiration,
        ),
        Scenario(
            "trial_cancelled",
            "Trial cancelled",
            "Renewals are turned off during the trial; access ends with the trial.",
            _trial_cancelled,
        ),
        Scenario(
            "purchase_refund",
            "Paid purchase → refund",
            "A paid purchase refunded by customer support: negative revenue, then expiry.",
            _purchase_refund,
        ),
        Scenario(
            "billing_recovered",
            "Billing issue → grace period → recovered",
            "A renewal charge fails; the customer fixes payment during the grace period.",
            _billing_recovered,
        ),
        Scenario(
            "billing_expired",
            "Billing issue → expiration",
            "A renewal charge fails and is never recovered; access ends after grace.",
            _billing_expired,
        ),
        Scenario(
            "upgrade",
            "Upgrade mid-period",
            "The subscriber switches to the yearly product mid-period; it renews on it.",
            _upgrade,
        ),
        Scenario(
            "play_pause",
            "Play Store pause → expiration",
            "A Play Store subscription is paused and expires at the end of its period.",
            _play_pause,
            store="PLAY_STORE",
        ),
        Scenario(
            "one_off",
            "One-off purchase",
            "A non-subscription purchase (consumable or lifetime).",
            _one_off,
        ),
    ]
}


def scenario_events(
    name: str, params: ScenarioParams | None = None, now: datetime | None = None
) -> list[dict[str, Any]]:
    """The bare RevenueCat events of a lifecycle, oldest first."""
    if name not in SCENARIOS:
        raise EventInputError(
            "scenario", f"unknown scenario {name!r}; expected one of {', '.join(SCENARIOS)}"
        )
    scenario = SCENARIOS[name]
    params = (params or ScenarioParams()).validated()
    if scenario.store:
        params = replace(params, store=scenario.store)
    journey = Journey(params)
    scenario.steps(journey)
    events = journey.events
    # Built from t=0, then shifted: to `start`, or to end a minute before now.
    if params.start is not None:
        offset = int(params.start.astimezone(UTC).timestamp() * 1000)
    else:
        now = now or datetime.now(UTC)
        offset = int((now - timedelta(minutes=1)).timestamp() * 1000) - journey.now_ms
    times = [
        value + offset
        for event in events
        for key, value in event.items()
        if key.endswith("_ms") and isinstance(value, int)
    ]
    if times and (min(times) < 0 or max(times) > MAX_MS):
        # Was clamped silently: a start before 1970 gave negative purchase times, one near
        # 9999 gave events `render` and `send` then refuse.
        raise EventInputError(
            "start",
            "the lifecycle would run outside 1970–9999 from there; pick a later or earlier start",
        )
    for number, event in enumerate(events, start=1):
        for key in list(event):
            if key.endswith("_ms") and isinstance(event[key], int):
                event[key] += offset
        event["subscriber_attributes"]["$email"]["updated_at_ms"] += offset
        event["id"] = f"SCN-{name}-{number:03d}"
    return events
