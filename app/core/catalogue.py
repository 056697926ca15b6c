"""The twelve Segment event types RevenueCat sends (docs/revenuecat.md, "Event types")."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Store(StrEnum):
    """The store columns of the table in docs/revenuecat.md, "Event types" (webhook
    `store` values)."""

    APP_STORE = "APP_STORE"
    PLAY_STORE = "PLAY_STORE"
    AMAZON = "AMAZON"
    STRIPE = "STRIPE"
    PROMOTIONAL = "PROMOTIONAL"


# Webhook store values that behave like a column of the table. The Mac App Store is the
# App Store for RevenueCat's purposes; other stores (RC Billing, Paddle, Roku …) are not in
# the published table, so no "never produces" warning is given for them.
STORE_ALIASES: dict[str, Store] = {"MAC_APP_STORE": Store.APP_STORE}

_STORES_BY_VALUE: dict[str, Store] = {s.value: s for s in Store}
_ALL = frozenset(Store)
_NO_PROMO = _ALL - {Store.PROMOTIONAL}


@dataclass(frozen=True, slots=True)
class EventSpec:
    """One Segment event type: what the dashboard shows and who can produce it."""

    key: str
    label: str
    description: str
    default_name: str
    optional: bool
    stores: frozenset[Store]

    def produced_by(self, store: str | None) -> bool | None:
        """True/False when the store is in that table, None when it is not."""
        if store is None:
            return None
        column = STORE_ALIASES.get(store) or _STORES_BY_VALUE.get(store)
        if column is None:
            return None
        return column in self.stores


_EVENT_TYPES = [
    EventSpec(
        "initial_purchase",
        "Initial Purchase",
        "A new subscription was purchased.",
        "rc_initial_purchase_event",
        False,
        _NO_PROMO,
    ),
    EventSpec(
        "trial_started",
        "Trial Started",
        "A free trial of an auto-renewing product started.",
        "rc_trial_started_event",
        False,
        _NO_PROMO,
    ),
    EventSpec(
        "trial_converted",
        "Trial Converted",
        "The trial became a paid period.",
        "rc_trial_converted_event",
        False,
        _NO_PROMO,
    ),
    EventSpec(
        "trial_cancelled",
        "Trial Cancelled",
        "Renewals were turned off during the trial.",
        "rc_trial_cancelled_event",
        False,
        _NO_PROMO,
    ),
    EventSpec(
        "renewal",
        "Renewal",
        "An existing subscription renewed, or a lapsed user resubscribed.",
        "rc_renewal_event",
        False,
        _NO_PROMO,
    ),
    EventSpec(
        "cancellation",
        "Cancellation",
        "A subscription or non-renewing purchase was cancelled (or refunded).",
        "rc_cancellation_event",
        False,
        _ALL,
    ),
    EventSpec(
        "uncancellation",
        "Uncancellation",
        "A cancelled, unexpired subscription was re-enabled.",
        "rc_uncancellation_event",
        True,
        frozenset({Store.APP_STORE, Store.PLAY_STORE, Store.AMAZON}),
    ),
    EventSpec(
        "non_subscription_purchase",
        "Non Subscription Purchase",
        "A purchase that will not auto-renew.",
        "rc_non_subscription_purchase_event",
        True,
        _ALL,
    ),
    EventSpec(
        "subscription_paused",
        "Subscription Paused",
        "A (Play Store) subscription was paused.",
        "rc_subscription_paused_event",
        True,
        frozenset({Store.PLAY_STORE}),
    ),
    EventSpec(
        "expiration", "Expiration", "Access should be removed.", "rc_expiration_event", True, _ALL
    ),
    EventSpec(
        "billing_issue",
        "Billing Issue",
        "A charge failed; the subscription has not expired yet.",
        "rc_billing_issue_event",
        True,
        _NO_PROMO,
    ),
    EventSpec(
        "product_change",
        "Product Change",
        "The subscriber changed product (not necessarily in effect yet).",
        "rc_product_change_event",
        True,
        frozenset({Store.APP_STORE, Store.PLAY_STORE, Store.STRIPE}),
    ),
]

#: Segment event types by key, in the order of the table in docs/revenuecat.md, "Event
#: types" (the order the UI lists them).
CATALOGUE: dict[str, EventSpec] = {spec.key: spec for spec in _EVENT_TYPES}

#: Segment event types that carry revenue (docs/revenuecat.md, "Revenue"); cancellation
#: only when refunded.
REVENUE_TYPES = frozenset(
    {"initial_purchase", "trial_converted", "renewal", "non_subscription_purchase"}
)


def event_spec(key: str) -> EventSpec:
    """The spec for a key, with an error that lists the valid keys."""
    try:
        return CATALOGUE[key]
    except KeyError:
        raise KeyError(
            f"unknown Segment event type {key!r}; expected one of {', '.join(CATALOGUE)}"
        ) from None
