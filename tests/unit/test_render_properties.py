"""Property-based checks: for any valid event the renderer never raises, its output is
JSON-serialisable, non-revenue types carry exactly 0.0, and track/identify agree."""

import json
import time
from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.core.catalogue import REVENUE_TYPES
from app.core.model import MAX_MS, parse_event
from app.core.render import Renderer
from app.core.settings import IntegrationSettings, RevenueMode
from app.core.wire import epoch_ms, iso_ms, iso_now
from tests.support.engine import event as engine_event

SENT_EVENT = {
    "type": "RENEWAL",
    "event_timestamp_ms": 0,
    "app_user_id": "u",
    "environment": "PRODUCTION",
}
ms = st.integers(min_value=0, max_value=MAX_MS)
text = st.text(max_size=30)
maybe = st.none
pct = st.one_of(maybe(), st.floats(min_value=0, max_value=1, allow_nan=False))
price = st.one_of(
    maybe(),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
    st.integers(min_value=-(10**6), max_value=10**6),
)

events = st.fixed_dictionaries(
    {
        "type": st.sampled_from(
            [
                "INITIAL_PURCHASE",
                "RENEWAL",
                "CANCELLATION",
                "UNCANCELLATION",
                "NON_RENEWING_PURCHASE",
                "SUBSCRIPTION_PAUSED",
                "EXPIRATION",
                "BILLING_ISSUE",
                "PRODUCT_CHANGE",
                "TRANSFER",
                "TEST",
                "SOMETHING_ELSE",
            ]
        ),
        "event_timestamp_ms": ms,
        "app_user_id": st.text(min_size=1, max_size=30),  # "" is refused: no userId
        "environment": st.sampled_from(["PRODUCTION", "SANDBOX"]),
    },
    optional={
        "period_type": st.sampled_from(["NORMAL", "TRIAL", "INTRO", "PROMOTIONAL", "PREPAID"]),
        "is_trial_conversion": st.one_of(maybe(), st.booleans()),
        "store": st.one_of(
            maybe(),
            st.sampled_from(
                [
                    "APP_STORE",
                    "MAC_APP_STORE",
                    "PLAY_STORE",
                    "AMAZON",
                    "STRIPE",
                    "PROMOTIONAL",
                    "RC_BILLING",
                ]
            ),
        ),
        "price": price,
        "tax_percentage": pct,
        "commission_percentage": pct,
        "purchased_at_ms": st.one_of(maybe(), ms),
        "expiration_at_ms": st.one_of(maybe(), ms),
        "grace_period_expiration_at_ms": st.one_of(maybe(), ms),
        "auto_resume_at_ms": st.one_of(maybe(), ms),
        "aliases": st.one_of(maybe(), st.lists(text, max_size=3)),
        "entitlement_ids": st.one_of(maybe(), st.lists(text, max_size=3)),
        "subscriber_attributes": st.one_of(
            maybe(),
            st.dictionaries(
                text,
                st.fixed_dictionaries({"value": st.one_of(text, maybe(), st.integers())}),
                max_size=3,
            ),
        ),
        "cancel_reason": st.one_of(maybe(), text),
        "app_id": st.one_of(maybe(), text),
        "unknown_extra": st.one_of(text, st.integers()),
    },
)
all_settings = st.builds(
    IntegrationSettings,
    revenue_mode=st.sampled_from(list(RevenueMode)),
    send_sandbox=st.booleans(),
)


@given(raw=events, integration=all_settings, override=st.booleans())
def test_renderer_is_total_and_consistent(raw, integration, override):
    result = Renderer().render(parse_event(raw), integration, override_sandbox=override)
    json.dumps(result.to_json(), allow_nan=False)
    if not result.messages:
        assert result.skipped
        return
    track, identify = result.messages
    assert identify["userId"] == track["userId"] == raw["app_user_id"]
    assert identify["timestamp"] == track["timestamp"]
    assert identify["context"] == track["context"]
    revenue = track["properties"]["revenue"]
    refund = result.segment_event == "cancellation" and (raw.get("price") or 0) < 0
    if result.segment_event not in REVENUE_TYPES and not refund:
        assert revenue == 0.0 and type(revenue) is float


@given(
    moment=st.datetimes(
        min_value=datetime(1970, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.timezones()
    )
)
def test_sent_at_is_the_clock_to_the_millisecond(moment):
    """The renderer formats sentAt from whole milliseconds (once per millisecond): the
    same text iso_now gives for the clock's datetime, in any time zone."""
    result = Renderer(clock=lambda: moment).render(parse_event(SENT_EVENT), IntegrationSettings())
    assert iso_ms(epoch_ms(moment)) == iso_now(moment)
    assert {m["sentAt"] for m in result.messages} == {iso_now(moment)}


@given(st.integers(min_value=0, max_value=MAX_MS))
def test_iso_ms_is_datetimes_reading_of_the_milliseconds(ms):
    """Every ms an event may carry (0 … year 9999) reads as datetime reads it, whatever
    hours the cache already holds."""
    expected = (datetime(1970, 1, 1) + timedelta(milliseconds=ms)).isoformat(
        timespec="milliseconds"
    )
    assert iso_ms(ms) == expected + "Z"
    assert iso_ms(ms) == expected + "Z"  # the second time from the hour's cached prefix


def test_the_default_clock_stamps_sent_at_with_the_wall_clock() -> None:
    """A Renderer without a clock reads the wall clock (to the millisecond, floored)."""
    before = time.time_ns() // 1_000_000
    result = Renderer().render(parse_event(engine_event()), IntegrationSettings())
    after = time.time_ns() // 1_000_000
    sent = datetime.strptime(result.track["sentAt"], "%Y-%m-%dT%H:%M:%S.%f%z")
    assert before <= round(sent.timestamp() * 1000) <= after
