"""Subscription lifecycles: consistent sequences of RevenueCat events for one customer.

Same ids throughout, transaction ids chained to the first purchase, timestamps advancing
by the product's period, so a whole customer journey can be rendered, sent and shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from app.core.errors import EventInputError
from app.core.model import MAX_MS

DAY_MS = 86_400_000
HOUR_MS = 3_600_000
STORES = ("APP_STORE", "MAC_APP_STORE", "PLAY_STORE", "AMAZON", "STRIPE")


def period_days_for(product_id: str) -> int:
    """A product's billing period from its id, the way store product ids are named."""
    lowered = product_id.lower()
    for words, days in (
        (("week",), 7),
        (("year", "annual", "12m"), 365),
        (("quarter", "3m"), 91),
        (("6m", "semiannual"), 182),
    ):
        if any(word in lowered for word in words):
            return days
    return 30


@dataclass(frozen=True, slots=True)
class ScenarioParams:
    """What the user can change about a lifecycle (CLI flags, GUI form)."""

    start: datetime | None = None  # None: end the lifecycle a minute before "now"
    store: str = "APP_STORE"
    environment: str = "PRODUCTION"
    product_id: str = "com.example.pro.monthly"
    price: float = 9.99
    tax_percentage: float = 0.0833
    commission_percentage: float = 0.3
    renewals: int = 2
    trial_days: int = 7
    app_user_id: str = "user_4821"

    def validated(self) -> ScenarioParams:
        if self.store not in STORES:
            raise EventInputError(
                "store", f"expected one of {', '.join(STORES)}, got {self.store!r}"
            )
        if self.environment not in ("PRODUCTION", "SANDBOX"):
            raise EventInputError("environment", "expected PRODUCTION or SANDBOX")
        if not 0 <= self.renewals <= 120:
            raise EventInputError("renewals", f"expected 0 to 120, got {self.renewals}")
        if not 0 <= self.price <= 100_000:
            raise EventInputError("price", f"expected 0 to 100000 USD, got {self.price}")
        for name in ("tax_percentage", "commission_percentage"):
            if not 0 <= getattr(self, name) <= 1:
                raise EventInputError(name, "expected a number between 0 and 1")
        if self.tax_percentage + self.commission_percentage > 1:  # take-home below 0
            raise EventInputError(
                "tax_percentage",
                f"tax ({self.tax_percentage:g}) plus commission "
                f"({self.commission_percentage:g}) cannot exceed 1",
            )
        if not self.app_user_id:
            raise EventInputError("app_user_id", "cannot be blank: it becomes the userId")
        if not self.product_id.strip():
            raise EventInputError("product", "cannot be blank")
        return self


@dataclass
class _Journey:
    """Builds the events of one customer, keeping ids and the clock consistent."""

    p: ScenarioParams
    now_ms: int = 0
    product: str = ""
    price: float = 0.0
    events: list[dict[str, Any]] = field(default_factory=list)
    period_type: str = "NORMAL"
    expires_ms: int = 0
    _tx: int = 0

    def __post_init__(self) -> None:
        self.product, self.price = self.p.product_id, self.p.price

    @property
    def period_ms(self) -> int:
        return period_days_for(self.product) * DAY_MS

    def _transaction(self, new: bool) -> str:
        if new:
            self._tx += 1
        return f"{7000000000000000 + self._tx}"

    def add(
        self, kind: str, *, new_transaction: bool = False, price: float = 0.0, **extra: Any
    ) -> None:
        self.now_ms += 1  # strictly increasing even for same-instant events
        n = len(self.events) + 1
        anonymous = "$RCAnonymousID:0d1c2b3a49584f6e8d7c6b5a49382716"
        event: dict[str, Any] = {
            "id": f"SCN-{n:04d}-{self.now_ms:013d}",
            "type": kind,
            "app_id": "app7e2b4c19d0",
            "event_timestamp_ms": self.now_ms,
            "app_user_id": self.p.app_user_id,
            "original_app_user_id": anonymous,
            "aliases": [anonymous, self.p.app_user_id],
            "product_id": self.product,
            "period_type": self.period_type,
            "purchased_at_ms": self.now_ms - 2_000,
            "expiration_at_ms": self.expires_ms,
            "environment": self.p.environment,
            "entitlement_id": None,
            "entitlement_ids": ["pro"],
            "presented_offering_id": "default",
            "transaction_id": self._transaction(new_transaction),
            "original_transaction_id": "7000000000000001",
            "store": self.p.store,
            "currency": "USD",
            "price": price,
            "price_in_purchased_currency": price,
            "tax_percentage": self.p.tax_percentage,
            "commission_percentage": self.p.commission_percentage,
            "takehome_percentage": round(
                1 - self.p.tax_percentage - self.p.commission_percentage, 4
            ),
            "country_code": "US",
            "subscriber_attributes": {
                "$email": {"value": "ada@example.com", "updated_at_ms": self.now_ms}
            },
        }
        event.update(extra)
        self.events.append(event)

    # -- the steps lifecycles are made of ---------------------------------------------

    def trial(self) -> None:
        self.period_type = "TRIAL"
        self.expires_ms = self.now_ms + self.p.trial_days * DAY_MS
        self.add("INITIAL_PURCHASE", new_transaction=True)

    def purchase(self) -> None:
        self.period_type = "NORMAL"
        self.expires_ms = self.now_ms + self.period_ms
        self.add("INITIAL_PURCHASE", new_transaction=True, price=self.price)

    def renew(self, *, conversion: bool = False) -> None:
        self.now_ms = self.expires_ms
        self.period_type = "NORMAL"
        self.expires_ms = self.now_ms + self.period_ms
        self.add("RENEWAL", new_transaction=True, price=self.price, is_trial_conversion=conversion)

    def advance(self, ms: int) -> None:
        self.now_ms += ms

    def to_expiry(self) -> None:
        self.now_ms = self.expires_ms


def _trial_to_expiration(j: _Journey) -> None:
    j.trial()
    j.renew(conversion=True)
    for _ in range(j.p.renewals):
        j.renew()
    j.advance(j.period_ms // 2)
    j.add("CANCELLATION", cancel_reason="UNSUBSCRIBE")
    j.to_expiry()
    j.add("EXPIRATION", expiration_reason="UNSUBSCRIBE")


def _trial_cancelled(j: _Journey) -> None:
    j.trial()
    j.advance(2 * DAY_MS)
    j.add("CANCELLATION", cancel_reason="UNSUBSCRIBE")
    j.to_expiry()
    j.add("EXPIRATION", expiration_reason="UNSUBSCRIBE")


def _purchase_refund(j: _Journey) -> None:
    j.purchase()
    j.advance(3 * DAY_MS)
    j.add("CANCELLATION", cancel_reason="CUSTOMER_SUPPORT", price=-j.price)
    j.expires_ms = j.now_ms + HOUR_MS
    j.to_expiry()
    j.add("EXPIRATION", expiration_reason="UNSUBSCRIBE")


def _billing_recovered(j: _Journey) -> None:
    j.purchase()
    for _ in range(j.p.renewals):
        j.renew()
    j.to_expiry()
    grace = j.now_ms + 16 * DAY_MS
    j.add("BILLING_ISSUE", grace_period_expiration_at_ms=grace)
    j.advance(3 * DAY_MS)
    j.expires_ms = j.now_ms  # the recovered charge starts a new period from today
    j.renew()


def _billing_expired(j: _Journey) -> None:
    j.purchase()
    for _ in range(j.p.renewals):
        j.renew()
    j.to_expiry()
    grace = j.now_ms + 16 * DAY_MS
    j.add("BILLING_ISSUE", grace_period_expiration_at_ms=grace)
    j.now_ms = grace
    j.add("EXPIRATION", expiration_reason="BILLING_ERROR")


def _upgrade(j: _Journey) -> None:
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


def _play_pause(j: _Journey) -> None:
    j.purchase()
    for _ in range(j.p.renewals):
        j.renew()
    j.advance(j.period_ms // 3)
    resume = j.expires_ms + 30 * DAY_MS
    j.add("SUBSCRIPTION_PAUSED", auto_resume_at_ms=resume)
    j.to_expiry()
    j.add("EXPIRATION", expiration_reason="SUBSCRIPTION_PAUSED")


def _one_off(j: _Journey) -> None:
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
    steps: Callable[[_Journey], None]
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
    journey = _Journey(params)
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
