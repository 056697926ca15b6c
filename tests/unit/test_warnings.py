"""Non-fatal warnings the renderer returns (issue: store, percentages, anonymous ids,
message size, future timestamps)."""

import json

from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.core.event_json import parse_event_json
from app.core.model import parse_event
from app.core.render import Renderer
from app.core.settings import IntegrationSettings
from app.core.size_bound import track_size_bound
from app.core.wire import size_of
from tests.support.engine import NOW, NOW_MS, codes, render
from tests.support.engine import event as engine_event


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


def test_an_id_of_escaped_characters_over_the_limit_is_warned_about() -> None:
    """The track holds app_user_id twice (userId, properties.app_user_id), each control
    character written as a six-byte escape: 3,000 of them make a 37 KB track, which the
    cheap size bound must not wave through as small."""
    result = render(app_user_id="\x01" * 3000, aliases=["x"])
    assert size_of(result.track) > 32 * 1024
    assert "message_over_limit" in codes(result)


_CHARS = 'a\x01é😀"\\\u2028'  # 1 to 6 bytes each on the wire
#: Short mixed texts, and long runs of one character (thousands of them are needed to
#: reach the limit, which arbitrary texts seldom are).
_costly = st.text(alphabet=_CHARS, max_size=40) | st.builds(
    lambda c, n: c * n, st.sampled_from(_CHARS), st.sampled_from([1, 500, 2000, 3000, 5000])
)


@settings(max_examples=60)
@example(user="\x01" * 3000, other="", product="", aliases=["x"], attribute="")
@given(user=_costly, other=_costly, product=_costly, aliases=st.lists(_costly, max_size=3),
       attribute=_costly)  # fmt: skip
def test_the_cheap_size_bound_is_an_upper_bound(
    user: str, other: str, product: str, aliases: list[str], attribute: str
) -> None:
    """Whatever the characters cost on the wire, the bound (which decides whether the
    exact size is measured at all) is never below the track's real size."""
    fields = {
        "app_user_id": user or "u",
        "original_app_user_id": other or None,
        "product_id": product or None,
        "aliases": aliases,
        "subscriber_attributes": {"$email": {"value": attribute, "updated_at_ms": 1}},
    }
    result = render(**fields)  # fmt: skip
    event = parse_event(engine_event(**fields))
    assert result.event_name is not None
    assert track_size_bound(event, result.event_name) >= size_of(result.track)


#: Number literals that grow most when written back (a float's repr: 1e15 becomes
#: 1000000000000000.0), and values nested in lists and objects.
_SHORT_NUMBERS = ["1e15", "9e15", "1e9", "5e-7", "1E22", "-1e15", "0.1", "7", "-0"]
_attribute_value = st.recursive(
    st.sampled_from(_SHORT_NUMBERS) | _costly.map(json.dumps) | st.sampled_from(["true", "null"]),
    lambda inner: (
        st.lists(inner, max_size=4).map(lambda items: "[" + ",".join(items) + "]")
        | st.lists(inner, max_size=3).map(
            lambda items: "{" + ",".join(f'"k{i}":{item}' for i, item in enumerate(items)) + "}"
        )
    ),
    max_leaves=6,
)


@settings(max_examples=80)
@example(user="😀" * 5000, other="", attributes=["1e15"] * 50, ascii_only=False)
@given(user=_costly, other=_costly, attributes=st.lists(_attribute_value, max_size=60),
       ascii_only=st.booleans())  # fmt: skip
def test_the_bound_from_the_text_length_is_an_upper_bound(
    user: str, other: str, attributes: list[str], ascii_only: bool
) -> None:
    """An event validated from an NDJSON line is bounded by that line's length alone
    (`render` passes it): whatever its characters and number literals become on the wire,
    written compactly and raw (the shortest text for the most output), the bound is never
    below the track's real size."""
    # app_user_id once in the text, twice in the track (userId, properties.app_user_id):
    # a raw 4-byte character there costs the most output per character of input.
    fields = engine_event(app_user_id=user or "u", original_app_user_id=other or None,
                          aliases=[other], subscriber_attributes={})  # fmt: skip
    text = json.dumps({"event": fields}, ensure_ascii=ascii_only, separators=(",", ":"))
    raw = ",".join(f'"a{i}":{{"value":{value}}}' for i, value in enumerate(attributes))
    text = text.replace('"subscriber_attributes":{}', f'"subscriber_attributes":{{{raw}}}')
    event = parse_event_json(text)
    assert event is not None, text[:200]
    result = Renderer(clock=lambda: NOW).render(event, IntegrationSettings())
    assert result.event_name is not None
    assert track_size_bound(event, result.event_name, len(text)) >= size_of(result.track)
