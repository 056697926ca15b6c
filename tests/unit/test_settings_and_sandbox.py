"""Integration settings (names, modes) and the sandbox rules
(docs/revenuecat.md, "Sandbox")."""

import pytest
from pydantic import ValidationError

from app.core.catalogue import CATALOGUE
from app.core.errors import EventInputError
from app.core.settings import IntegrationSettings, RevenueMode, settings_from
from tests.support.engine import codes, render


def test_defaults_come_from_the_catalogue():
    settings = IntegrationSettings()
    assert settings.event_names == {k: s.default_name for k, s in CATALOGUE.items()}
    assert settings.revenue_mode is RevenueMode.GROSS
    assert settings.send_sandbox is False


def test_partial_names_are_completed_and_trimmed():
    settings = IntegrationSettings(event_names={"renewal": "  Renewed  "})
    assert settings.name_for("renewal") == "Renewed"
    assert settings.name_for("expiration") == "rc_expiration_event"


@pytest.mark.parametrize("key", [k for k, s in CATALOGUE.items() if s.optional])
def test_blank_optional_name_skips(key):
    assert CATALOGUE[key].optional
    settings = IntegrationSettings(event_names={key: ""})
    fields = {
        "uncancellation": {"type": "UNCANCELLATION"},
        "non_subscription_purchase": {"type": "NON_RENEWING_PURCHASE"},
        "subscription_paused": {"type": "SUBSCRIPTION_PAUSED", "store": "PLAY_STORE"},
        "expiration": {"type": "EXPIRATION"},
        "billing_issue": {"type": "BILLING_ISSUE"},
        "product_change": {"type": "PRODUCT_CHANGE"},
    }[key]
    result = render(settings, **fields)
    assert result.segment_event == key
    assert result.messages == ()
    assert result.skip_code == "blank_name"
    assert "switched off" in result.skipped


@pytest.mark.parametrize("key", [k for k, s in CATALOGUE.items() if not s.optional])
def test_blank_mandatory_name_is_refused(key):
    with pytest.raises(ValidationError, match="mandatory"):
        IntegrationSettings(event_names={key: "  "})
    with pytest.raises(EventInputError, match=f"event-name {key}: is mandatory"):
        settings_from(names={key: ""})


def test_six_optional_six_mandatory():
    assert sum(s.optional for s in CATALOGUE.values()) == 6


def test_unknown_key_and_mode_are_refused_with_the_choices():
    with pytest.raises(EventInputError, match="expected one of initial_purchase"):
        settings_from(names={"renewals": "x"})
    with pytest.raises(EventInputError, match="revenue: expected one of gross"):
        settings_from(revenue_mode="net")


def test_sandbox_off_skips_with_a_plain_reason():
    result = render(environment="SANDBOX")
    assert result.skip_code == "sandbox_off"
    assert result.messages == ()
    assert result.skipped.startswith("RevenueCat would not send this: sandbox events are off")


def test_sandbox_on_sends_with_sandbox_context():
    result = render(IntegrationSettings(send_sandbox=True), environment="SANDBOX")
    assert result.skipped is None
    assert result.track["context"]["environment"] == "sandbox"
    assert "sandbox_override" not in codes(result)


def test_sandbox_override_renders_and_warns():
    result = render(environment="SANDBOX", override_sandbox=True)
    assert result.skipped is None and len(result.messages) == 2
    assert "sandbox_override" in codes(result)


def test_production_unaffected_by_sandbox_toggle():
    assert render(IntegrationSettings(send_sandbox=False)).skipped is None
