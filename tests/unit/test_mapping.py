"""Each webhook type/condition → Segment event type, and what is not sent
(docs/revenuecat.md, "Webhook type to Segment event type")."""

import pytest

from tests.support.engine import render

ROWS = [
    ({"type": "INITIAL_PURCHASE", "period_type": "TRIAL"}, "trial_started"),
    ({"type": "INITIAL_PURCHASE", "period_type": "NORMAL"}, "initial_purchase"),
    ({"type": "INITIAL_PURCHASE", "period_type": "INTRO"}, "initial_purchase"),
    ({"type": "RENEWAL", "is_trial_conversion": True}, "trial_converted"),
    ({"type": "RENEWAL", "is_trial_conversion": False}, "renewal"),
    ({"type": "RENEWAL"}, "renewal"),
    ({"type": "CANCELLATION", "period_type": "TRIAL"}, "trial_cancelled"),
    ({"type": "CANCELLATION", "period_type": "NORMAL"}, "cancellation"),
    ({"type": "CANCELLATION", "cancel_reason": "CUSTOMER_SUPPORT", "price": -9.99}, "cancellation"),
    ({"type": "UNCANCELLATION"}, "uncancellation"),
    ({"type": "NON_RENEWING_PURCHASE"}, "non_subscription_purchase"),
    ({"type": "SUBSCRIPTION_PAUSED", "store": "PLAY_STORE"}, "subscription_paused"),
    ({"type": "EXPIRATION"}, "expiration"),
    ({"type": "BILLING_ISSUE"}, "billing_issue"),
    ({"type": "PRODUCT_CHANGE"}, "product_change"),
]


@pytest.mark.parametrize(("fields", "expected"), ROWS)
def test_each_mapping_row(fields, expected):
    result = render(**fields)
    assert result.segment_event == expected
    assert result.skipped is None
    assert [m["type"] for m in result.messages] == ["track", "identify"]


NOT_SENT = [
    "TEST",
    "TRANSFER",
    "SUBSCRIBER_ALIAS",
    "SUBSCRIPTION_EXTENDED",
    "TEMPORARY_ENTITLEMENT_GRANT",
    "REFUND_REVERSED",
    "INVOICE_ISSUANCE",
    "VIRTUAL_CURRENCY_TRANSACTION",
    "EXPERIMENT_ENROLLMENT",
]


@pytest.mark.parametrize("kind", NOT_SENT)
def test_types_revenuecat_does_not_send(kind):
    result = render(type=kind)
    assert result.segment_event is None
    assert result.messages == ()
    assert result.skip_code == "not_sent_type"
    assert result.skipped == f"RevenueCat does not send {kind} events to Segment"


def test_unknown_type_is_skipped_with_its_name():
    result = render(type="SOMETHING_NEW")
    assert result.segment_event is None
    assert "'SOMETHING_NEW'" in result.skipped


def test_transfer_without_user_is_accepted_and_skipped():
    from app.core.model import parse_event
    from app.core.render import Renderer
    from app.core.settings import IntegrationSettings

    transfer = {
        "type": "TRANSFER",
        "event_timestamp_ms": 1,
        "store": "APP_STORE",
        "transferred_from": ["a"],
        "transferred_to": ["b"],
    }
    result = Renderer().render(
        parse_event({"api_version": "1.0", "event": transfer}), IntegrationSettings()
    )
    assert result.skip_code == "not_sent_type"
