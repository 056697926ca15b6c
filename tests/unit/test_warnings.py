"""Non-fatal warnings the renderer returns (issue: store, percentages, anonymous ids,
message size, future timestamps)."""

from app.core.wire import size_of
from tests.support.engine import NOW_MS, codes, render


def test_store_that_never_produces_the_type():
    result = render(type="SUBSCRIPTION_PAUSED", store="APP_STORE")
    assert "store_never_produces" in codes(result)
    assert "only the Play Store do" in result.warnings[0].message
    assert "store_never_produces" not in codes(
        render(type="SUBSCRIPTION_PAUSED", store="PLAY_STORE")
    )


def test_promotional_store_produces_only_some_types():
    assert "store_never_produces" in codes(render(type="RENEWAL", store="PROMOTIONAL"))
    assert "store_never_produces" not in codes(render(type="EXPIRATION", store="PROMOTIONAL"))


def test_unlisted_store_gets_no_store_warning():
    assert "store_never_produces" not in codes(
        render(type="SUBSCRIPTION_PAUSED", store="RC_BILLING")
    )
    assert "store_never_produces" in codes(
        render(type="SUBSCRIPTION_PAUSED", store="MAC_APP_STORE")
    )


def test_anonymous_app_user_id():
    assert "anonymous_user" in codes(render(app_user_id="$RCAnonymousID:1234"))
    assert "anonymous_user" not in codes(render(app_user_id="user_1"))


def test_future_timestamp():
    assert "future_timestamp" in codes(render(event_timestamp_ms=NOW_MS + 3_600_000))
    assert "future_timestamp" not in codes(render(event_timestamp_ms=NOW_MS + 10_000))


def _attributes(total_bytes: int) -> dict:
    return {f"a{i}": {"value": "x" * 1000, "updated_at_ms": 1} for i in range(total_bytes // 1010)}


def test_message_near_the_limit():
    result = render(subscriber_attributes=_attributes(29 * 1024))
    assert 28 * 1024 < size_of(result.track) <= 32 * 1024
    assert "message_near_limit" in codes(result)


def test_message_over_the_limit_names_size_and_limit():
    result = render(subscriber_attributes=_attributes(40 * 1024))
    assert size_of(result.track) > 32 * 1024
    message = next(w.message for w in result.warnings if w.code == "message_over_limit")
    assert "32 KB" in message and "track" in message


def test_clean_event_has_no_warnings():
    assert render().warnings == ()


def test_wire_form_refuses_nan():
    import math

    import pytest

    from app.core.wire import dumps

    with pytest.raises(ValueError):
        dumps({"revenue": math.nan})
