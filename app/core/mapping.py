"""Which Segment event type a RevenueCat webhook type becomes (docs/revenuecat.md,
"Webhook type to Segment event type"), and the `rc_subscription_status` trait it sets
(docs/revenuecat.md, "Subscription status": a project rule)."""

from __future__ import annotations

from app.core.model import SENT_TYPE_ORDER, SENT_TYPES, RevenueCatEvent

__all__ = [
    "NOT_SENT_TYPES",
    "SENT_TYPES",
    "WEBHOOK_TYPES",
    "segment_type_for",
    "subscription_status",
]

#: Webhook types RevenueCat never forwards to Segment.
NOT_SENT_TYPE_ORDER = (
    "TEST",
    "TRANSFER",
    "SUBSCRIBER_ALIAS",
    "SUBSCRIPTION_EXTENDED",
    "TEMPORARY_ENTITLEMENT_GRANT",
    "REFUND_REVERSED",
    "INVOICE_ISSUANCE",
    "VIRTUAL_CURRENCY_TRANSACTION",
    "EXPERIMENT_ENROLLMENT",
)
NOT_SENT_TYPES = frozenset(NOT_SENT_TYPE_ORDER)

#: Every webhook type, the ones RevenueCat sends to Segment first (the form's choices).
WEBHOOK_TYPES = (*SENT_TYPE_ORDER, *NOT_SENT_TYPE_ORDER)

_DIRECT = {
    "UNCANCELLATION": "uncancellation",
    "NON_RENEWING_PURCHASE": "non_subscription_purchase",
    "SUBSCRIPTION_PAUSED": "subscription_paused",
    "EXPIRATION": "expiration",
    "BILLING_ISSUE": "billing_issue",
    "PRODUCT_CHANGE": "product_change",
}


def segment_type_for(event: RevenueCatEvent) -> str | None:
    """The Segment event type key, or None when RevenueCat does not send this type."""
    return segment_type_of(event.type, event.period_type, event.is_trial_conversion)


def segment_type_of(kind: object, period_type: object, is_trial_conversion: object) -> str | None:
    """`segment_type_for` from the three fields that decide it, so an event that does not
    validate yet (a half-typed price) still says which type it is."""
    if kind == "INITIAL_PURCHASE":
        return "trial_started" if period_type == "TRIAL" else "initial_purchase"
    if kind == "RENEWAL":
        return "trial_converted" if is_trial_conversion is True else "renewal"
    if kind == "CANCELLATION":
        return "trial_cancelled" if period_type == "TRIAL" else "cancellation"
    return _DIRECT.get(kind) if isinstance(kind, str) else None


def not_sent_reason(event_type: str) -> str:
    """Why a webhook type produces no Segment event, in words."""
    if event_type in NOT_SENT_TYPES:
        return f"RevenueCat does not send {event_type} events to Segment"
    return f"{event_type!r} is not a RevenueCat event type that RevenueCat sends to Segment"


_ACTIVE_LIKE = frozenset(
    {"initial_purchase", "renewal", "trial_converted", "product_change", "uncancellation"}
)

#: Shown in the UI next to the trait: RevenueCat does not publish this mapping.
STATUS_RULE = (
    "rc_subscription_status is derived by a project rule (RevenueCat does not publish "
    "which event sets which value): trial started → trial; purchases, renewals, "
    "conversions, product changes and uncancellations → intro (INTRO period), trial "
    "(TRIAL), promotional (PROMOTIONAL store), else active; trial cancelled → "
    "cancelled_trial; cancellation → cancelled; paused → paused; expiration → expired "
    "(expired_promotional for PROMOTIONAL); billing issue → grace_period_trial (TRIAL) "
    "or grace_period; non-subscription purchases leave it out."
)


def subscription_status(segment_type: str, event: RevenueCatEvent) -> str | None:
    """`rc_subscription_status` for the identify traits; None = leave the trait out."""
    promotional = event.store == "PROMOTIONAL"
    if segment_type == "trial_started":
        return "trial"
    if segment_type in _ACTIVE_LIKE:
        if event.period_type == "INTRO":
            return "intro"
        if event.period_type == "TRIAL":
            return "trial"
        return "promotional" if promotional else "active"
    if segment_type == "trial_cancelled":
        return "cancelled_trial"
    if segment_type == "cancellation":
        return "cancelled"
    if segment_type == "subscription_paused":
        return "paused"
    if segment_type == "expiration":
        return "expired_promotional" if promotional else "expired"
    if segment_type == "billing_issue":
        return "grace_period_trial" if event.period_type == "TRIAL" else "grace_period"
    return None
