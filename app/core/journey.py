"""The builder lifecycles are written with: one customer's RevenueCat events, with the
same ids throughout, transaction ids chained to the first purchase and a clock that
advances by the product's billing period. `ScenarioParams` is what the user may change.

`app.core.scenarios` scripts the lifecycles with the steps below (trial, purchase,
renew, …) and shifts the finished journey in time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.core.errors import EventInputError

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
class Journey:
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
