"""Every field of the track and identify calls and where it comes from (docs/revenuecat.md,
"The track call" and "The identify call")."""

import pytest

from app.core.mapping import subscription_status
from app.core.model import parse_event
from tests.support.engine import NOW_MS, event, render

FULL = dict(
    id="evt-1",
    app_id="app-9",
    event_timestamp_ms=1658726378679,
    app_user_id="user_1",
    original_app_user_id="$RCAnonymousID:abc",
    aliases=["$RCAnonymousID:abc", "user_1"],
    product_id="pro.monthly",
    entitlement_id="pro",
    entitlement_ids=["pro", "extra"],
    period_type="NORMAL",
    purchased_at_ms=1658726374999,
    expiration_at_ms=1659331174000,
    presented_offering_id="default",
    transaction_id="t2",
    original_transaction_id="t1",
    subscriber_attributes={
        "$email": {"value": "a@b.c", "updated_at_ms": 1},
        "plan": {"value": "x", "updated_at_ms": 2},
    },
    country_code="US",
    offer_code="promo",
    price_in_purchased_currency=8.0,
    takehome_percentage=0.6,
    experiments=[{"experiment_id": "e"}],
)


def test_track_fields_in_order_and_sources():
    track = render(**FULL).track
    assert list(track) == [
        "type",
        "userId",
        "event",
        "properties",
        "context",
        "timestamp",
        "messageId",
        "sentAt",
    ]
    assert track["type"] == "track"
    assert track["userId"] == "user_1"
    assert track["event"] == "rc_initial_purchase_event"
    assert track["timestamp"] == "2022-07-25T05:19:38.679Z"
    assert track["sentAt"] == "2026-01-15T12:00:00.000Z"
    assert track["messageId"] == "00000000-0000-4000-8000-000000000001"
    assert track["context"] == {
        "environment": "production",
        "library": {"name": "RevenueCat Segment events", "version": "1.0"},
    }
    assert track["properties"] == {
        "revenue": 9.99,
        "currency": "USD",
        "store": "APP_STORE",
        "purchased_at": 1658726374,
        "expires_at": 1659331174,
        "entitlement": "pro",
        "entitlements": ["pro", "extra"],
        "product_id": "pro.monthly",
        "app_user_id": "user_1",
        "original_app_user_id": "$RCAnonymousID:abc",
        "subscriber_attributes": {"$email": "a@b.c", "plan": "x"},
        "period_type": "NORMAL",
        "environment": "PRODUCTION",
        "presented_offering_id": "default",
        "transaction_id": "t2",
        "original_transaction_id": "t1",
        "aliases": ["$RCAnonymousID:abc", "user_1"],
        "app_id": "app-9",
    }
    assert next(iter(track["properties"])) == "revenue"
    assert list(track["properties"])[-1] == "app_id"


def test_no_other_webhook_field_leaks_into_properties():
    props = render(**FULL).track["properties"]
    for leaked in (
        "price_in_purchased_currency",
        "tax_percentage",
        "commission_percentage",
        "country_code",
        "offer_code",
        "experiments",
        "takehome_percentage",
        "id",
    ):
        assert leaked not in props


def test_app_id_only_when_the_event_has_one():
    assert "app_id" not in render().track["properties"]
    assert "app_id" not in render(app_id=None).track["properties"]


def test_missing_inputs_give_null():
    props = render().track["properties"]
    for name in (
        "purchased_at",
        "expires_at",
        "entitlement",
        "entitlements",
        "product_id",
        "original_app_user_id",
        "subscriber_attributes",
        "presented_offering_id",
        "transaction_id",
        "original_transaction_id",
        "aliases",
    ):
        assert props[name] is None, name


def test_sandbox_context_is_lowercase():
    result = render(environment="SANDBOX", settings=None, override_sandbox=True)
    assert result.track["context"]["environment"] == "sandbox"
    assert result.track["properties"]["environment"] == "SANDBOX"


EXTRA = [
    (
        {"type": "CANCELLATION", "cancel_reason": "BILLING_ERROR"},
        "cancellation_reason",
        "BILLING_ERROR",
    ),
    (
        {"type": "CANCELLATION", "period_type": "TRIAL", "cancel_reason": "UNSUBSCRIBE"},
        "cancellation_reason",
        "UNSUBSCRIBE",
    ),
    (
        {"type": "EXPIRATION", "expiration_reason": "BILLING_ERROR"},
        "expiration_reason",
        "BILLING_ERROR",
    ),
    (
        {"type": "BILLING_ISSUE", "grace_period_expiration_at_ms": 1700000000999},
        "grace_period_expires_at",
        1700000000,
    ),
    (
        {"type": "SUBSCRIPTION_PAUSED", "store": "PLAY_STORE", "auto_resume_at_ms": 1700000000500},
        "auto_resumes_at",
        1700000000,
    ),
    ({"type": "PRODUCT_CHANGE", "new_product_id": "pro.yearly"}, "new_product_id", "pro.yearly"),
]


@pytest.mark.parametrize(("fields", "prop", "value"), EXTRA)
def test_event_specific_property(fields, prop, value):
    props = render(**fields).track["properties"]
    assert props[prop] == value
    assert list(props)[-1] == prop


@pytest.mark.parametrize(("fields", "prop"), [(f, p) for f, p, _ in EXTRA])
def test_event_specific_property_present_as_null_when_unknown(fields, prop):
    stripped = {k: v for k, v in fields.items() if k in ("type", "period_type", "store")}
    assert render(**stripped).track["properties"][prop] is None


def test_extra_properties_only_on_their_type():
    props = render().track["properties"]
    for prop in (
        "cancellation_reason",
        "expiration_reason",
        "grace_period_expires_at",
        "auto_resumes_at",
        "new_product_id",
    ):
        assert prop not in props


def test_identify_mirrors_track():
    result = render(**FULL)
    track, identify = result.messages
    assert list(identify) == [
        "type",
        "userId",
        "traits",
        "context",
        "timestamp",
        "messageId",
        "sentAt",
    ]
    assert identify["userId"] == track["userId"]
    assert identify["context"] == track["context"]
    assert identify["timestamp"] == track["timestamp"]
    assert identify["messageId"] != track["messageId"]
    assert identify["traits"] == {
        "last_seen_app_user_id": "user_1",
        "aliases": ["$RCAnonymousID:abc", "user_1"],
        "rc_subscription_status": "active",
    }


STATUS = [
    ({"type": "INITIAL_PURCHASE", "period_type": "TRIAL"}, "trial"),
    ({"type": "INITIAL_PURCHASE"}, "active"),
    ({"type": "INITIAL_PURCHASE", "period_type": "INTRO"}, "intro"),
    ({"type": "INITIAL_PURCHASE", "store": "PROMOTIONAL"}, "promotional"),
    ({"type": "RENEWAL"}, "active"),
    ({"type": "RENEWAL", "is_trial_conversion": True}, "active"),
    ({"type": "PRODUCT_CHANGE", "period_type": "TRIAL"}, "trial"),
    ({"type": "UNCANCELLATION", "period_type": "INTRO"}, "intro"),
    ({"type": "CANCELLATION", "period_type": "TRIAL"}, "cancelled_trial"),
    ({"type": "CANCELLATION"}, "cancelled"),
    ({"type": "SUBSCRIPTION_PAUSED", "store": "PLAY_STORE"}, "paused"),
    ({"type": "EXPIRATION"}, "expired"),
    ({"type": "EXPIRATION", "store": "PROMOTIONAL"}, "expired_promotional"),
    ({"type": "BILLING_ISSUE", "period_type": "TRIAL"}, "grace_period_trial"),
    ({"type": "BILLING_ISSUE"}, "grace_period"),
]


@pytest.mark.parametrize(("fields", "status"), STATUS)
def test_subscription_status_rule(fields, status):
    assert render(**fields).identify["traits"]["rc_subscription_status"] == status


def test_non_subscription_purchase_leaves_status_out():
    traits = render(type="NON_RENEWING_PURCHASE").identify["traits"]
    assert "rc_subscription_status" not in traits
    assert subscription_status("non_subscription_purchase", parse_event(event())) is None


def test_timestamp_keeps_milliseconds_and_sent_at_uses_clock():
    track = render(event_timestamp_ms=NOW_MS - 1).track
    assert track["timestamp"] == "2026-01-15T11:59:59.999Z"
    assert track["sentAt"] == "2026-01-15T12:00:00.000Z"


def test_renamed_event():
    from app.core.settings import IntegrationSettings

    settings = IntegrationSettings(event_names={"initial_purchase": "Subscribed"})
    result = render(settings)
    assert result.track["event"] == "Subscribed"
    assert result.event_name == "Subscribed"
