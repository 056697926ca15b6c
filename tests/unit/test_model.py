"""The RevenueCat event model: webhook or bare event, unknown fields, named errors."""

import json
from pathlib import Path

import pytest

from app.core.errors import EventInputError
from app.core.model import parse_event
from tests.support.engine import event

# RevenueCat's public sample webhooks (one per type) are data kept outside the repo, in the
# shared/ folder beside the checkout; the test that reads them skips when it is absent.
REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "revenuecat-webhooks"


def test_full_body_and_bare_event_are_the_same():
    bare = event()
    assert parse_event({"api_version": "1.0", "event": bare}) == parse_event(bare)


def test_unknown_fields_are_tolerated_and_kept():
    parsed = parse_event(event(brand_new_field={"x": 1}))
    assert parsed.model_extra == {"brand_new_field": {"x": 1}}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"event_timestamp_ms": "yesterday"},
            'event.event_timestamp_ms: expected an integer (ms since epoch), got "yesterday"',
        ),
        ({"event_timestamp_ms": 1.5}, "event.event_timestamp_ms: expected an integer"),
        ({"event_timestamp_ms": -5}, "event.event_timestamp_ms: expected ms since epoch between"),
        ({"price": "9.99"}, 'event.price: expected a number, got "9.99"'),
        ({"tax_percentage": 30}, "event.tax_percentage: expected a number between 0 and 1, got 30"),
        ({"aliases": "user"}, 'event.aliases: expected a list, got "user"'),
        ({"aliases": ["a", 2]}, "event.aliases.1: expected a string, got 2"),
        ({"environment": "prod"}, 'event.environment: expected "PRODUCTION" or "SANDBOX"'),
        ({"is_trial_conversion": "yes"}, "event.is_trial_conversion: expected true or false"),
        ({"app_user_id": 42}, "event.app_user_id: expected a string, got 42"),
        ({"app_user_id": None}, "event.app_user_id: is required"),
        ({"app_user_id": ""}, "event.app_user_id: is empty"),
        ({"environment": None}, "event.environment: is required"),
        (
            {"subscriber_attributes": {"$email": "a@b.c"}},
            "event.subscriber_attributes.$email: expected an object like",
        ),
        (
            {"subscriber_attributes": {"$email": {"updated_at_ms": 1}}},
            "event.subscriber_attributes: attribute '$email' has no \"value\"",
        ),
    ],
)
def test_wrong_types_name_the_field(fields, message):
    with pytest.raises(EventInputError) as caught:
        parse_event(event(**fields))
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_required_fields():
    with pytest.raises(EventInputError, match=r"^event\.type: is required$"):
        parse_event({"event_timestamp_ms": 1})
    with pytest.raises(EventInputError, match=r"^event\.event_timestamp_ms: is required$"):
        parse_event({"type": "TRANSFER"})


def test_a_body_whose_event_is_not_an_object_says_so():
    with pytest.raises(EventInputError, match=r"^event: expected a JSON object.*got null"):
        parse_event({"api_version": "1.0", "event": None})


def test_not_an_object():
    with pytest.raises(EventInputError, match=r"^event: expected a JSON object"):
        parse_event([1, 2])


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="shared/ reference folder not beside repo")
def test_every_public_sample_parses():
    files = sorted(REFERENCE.glob("*.json"))
    assert len(files) >= 19
    for path in files:
        parsed = parse_event(json.loads(path.read_text()))
        assert parsed.type, path.name
