"""A realistic RevenueCat event per Segment event type, relative to "now".

The desktop app shows one the moment a type is picked, and the sample files are built from
them with a fixed clock, so the two never disagree about what a realistic event is.
"""

from __future__ import annotations

from typing import Any

from app.core.catalogue import CATALOGUE

DAY_MS = 86_400_000

_USER = "user_4821"
_ANON = "$RCAnonymousID:9f8e7d6c5b4a49382716f5e4d3c2b1a0"

# Per Segment type: the webhook type and the fields that differ from a paid monthly
# App Store subscription. Offsets are days from the event time.
_SHAPES: dict[str, dict[str, Any]] = {
    "initial_purchase": {"type": "INITIAL_PURCHASE"},
    "trial_started": {
        "type": "INITIAL_PURCHASE",
        "period_type": "TRIAL",
        "price": 0.0,
        "price_in_purchased_currency": 0.0,
        "_expires_days": 7,
    },
    "trial_converted": {"type": "RENEWAL", "is_trial_conversion": True, "_original": True},
    "trial_cancelled": {
        "type": "CANCELLATION",
        "period_type": "TRIAL",
        "price": 0.0,
        "price_in_purchased_currency": 0.0,
        "cancel_reason": "UNSUBSCRIBE",
        "_purchased_days": -3,
        "_expires_days": 4,
    },
    "renewal": {"type": "RENEWAL", "is_trial_conversion": False, "_original": True},
    "cancellation": {
        "type": "CANCELLATION",
        "cancel_reason": "UNSUBSCRIBE",
        "price": 0.0,
        "price_in_purchased_currency": 0.0,
        "_purchased_days": -12,
        "_expires_days": 18,
        "_original": True,
    },
    "uncancellation": {
        "type": "UNCANCELLATION",
        "price": 0.0,
        "price_in_purchased_currency": 0.0,
        "_purchased_days": -14,
        "_expires_days": 16,
        "_original": True,
    },
    "non_subscription_purchase": {
        "type": "NON_RENEWING_PURCHASE",
        "product_id": "com.example.coins.500",
        "period_type": "NORMAL",
        "entitlement_ids": None,
        "price": 4.99,
        "price_in_purchased_currency": 4.99,
        "_expires_days": None,
    },
    "subscription_paused": {
        "type": "SUBSCRIPTION_PAUSED",
        "store": "PLAY_STORE",
        "product_id": "pro_monthly:monthly",
        "price": 0.0,
        "price_in_purchased_currency": 0.0,
        "commission_percentage": 0.15,
        "takehome_percentage": 0.7467,
        "_purchased_days": -25,
        "_expires_days": 5,
        "_resume_days": 35,
        "_original": True,
    },
    "expiration": {
        "type": "EXPIRATION",
        "expiration_reason": "UNSUBSCRIBE",
        "price": 0.0,
        "price_in_purchased_currency": 0.0,
        "_purchased_days": -30,
        "_expires_days": 0,
        "_original": True,
    },
    "billing_issue": {
        "type": "BILLING_ISSUE",
        "price": 0.0,
        "price_in_purchased_currency": 0.0,
        "_purchased_days": -30,
        "_expires_days": 0,
        "_grace_days": 16,
        "_original": True,
    },
    "product_change": {
        "type": "PRODUCT_CHANGE",
        "new_product_id": "com.example.pro.yearly",
        "price": 0.0,
        "price_in_purchased_currency": 0.0,
        "_purchased_days": -10,
        "_expires_days": 20,
        "_original": True,
    },
}


def template_for(key: str, now_ms: int) -> dict[str, Any]:
    """A bare RevenueCat event (the webhook's `event` object) for a Segment event type.

    `now_ms` is the event time; purchase and expiry times are placed around it the way
    RevenueCat would report them.
    """
    if key not in CATALOGUE:
        raise KeyError(f"unknown Segment event type {key!r}")
    shape = dict(_SHAPES[key])
    purchased = now_ms + shape.pop("_purchased_days", 0) * DAY_MS - 4_000
    expires_days = shape.pop("_expires_days", 30)
    grace_days = shape.pop("_grace_days", None)
    resume_days = shape.pop("_resume_days", None)
    chained = shape.pop("_original", False)
    event: dict[str, Any] = {
        "id": f"5C1E9A52-{key[:4].upper():0<4}-4C3B-9D2E-{now_ms % 10**12:012d}",
        "type": shape.pop("type"),
        "app_id": "app7e2b4c19d0",
        "event_timestamp_ms": now_ms,
        "app_user_id": _USER,
        "original_app_user_id": _ANON,
        "aliases": [_ANON, _USER],
        "product_id": "com.example.pro.monthly",
        "period_type": "NORMAL",
        "purchased_at_ms": purchased,
        "expiration_at_ms": None if expires_days is None else now_ms + expires_days * DAY_MS,
        "environment": "PRODUCTION",
        "entitlement_id": None,
        "entitlement_ids": ["pro"],
        "presented_offering_id": "default",
        "transaction_id": "2000000812345678" if chained else "2000000800000001",
        "original_transaction_id": "2000000800000001",
        "is_family_share": False,
        "country_code": "US",
        "currency": "USD",
        "price": 9.99,
        "price_in_purchased_currency": 9.99,
        "tax_percentage": 0.0833,
        "commission_percentage": 0.3,
        "takehome_percentage": 0.6167,
        "offer_code": None,
        "store": "APP_STORE",
        "subscriber_attributes": {
            "$email": {"value": "ada@example.com", "updated_at_ms": now_ms - 5 * DAY_MS},
            "plan_source": {"value": "paywall_v3", "updated_at_ms": now_ms - 5 * DAY_MS},
        },
    }
    if grace_days is not None:
        event["grace_period_expiration_at_ms"] = now_ms + grace_days * DAY_MS
    if resume_days is not None:
        event["auto_resume_at_ms"] = now_ms + resume_days * DAY_MS
    event.update(shape)
    return event


def webhook_body(event: dict[str, Any]) -> dict[str, Any]:
    """Wrap a bare event the way RevenueCat posts it."""
    return {"api_version": "1.0", "event": event}
