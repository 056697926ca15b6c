"""The render line's encoder (a C encoder built once, app.commands.render._make_encode)
must give the bytes JSONEncoder.encode gives with the same options, for any value: the
render output is the contract, and this encoder writes every line of it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.commands.render import ENCODER, _encode, _make_encode


class Label(str):
    """A str subclass (an enum-like value): encoded as its text."""


keys = st.one_of(st.text(max_size=6), st.integers(), st.floats(), st.booleans(), st.none())
values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()  # NaN and ±Infinity too: the line encoder allows them, as json.dumps does
    | st.text()
    | st.text(max_size=4).map(Label),
    lambda children: (
        st.lists(children, max_size=4)
        | st.tuples(children, children)
        | st.dictionaries(keys, children, max_size=4)
    ),
    max_leaves=16,
)


def _outcome(encode: Any, value: Any) -> tuple[str, str]:
    try:
        return "ok", encode(value)
    except (TypeError, ValueError) as exc:
        return type(exc).__name__, str(exc)


@given(values)
def test_any_value_encodes_as_json_encoder_does(value: Any) -> None:
    assert _outcome(_encode, value) == _outcome(ENCODER.encode, value)


@pytest.mark.parametrize(
    "value",
    [{"a": object()}, {(1, 2): 1}, 10**5000, {"x": [1e400, -1e400, float("nan")]}, "\ud800",
     {"s": "\x00\x1f\x7f\u2028é😀\"\\/"}, [], {}, "", 0.1 + 0.2, -0.0, 1e16, 5e-324],
    ids=lambda value: type(value).__name__,  # repr(10**5000) itself fails
)  # fmt: skip
def test_edges_encode_as_json_encoder_does(value: Any) -> None:
    assert _outcome(_encode, value) == _outcome(ENCODER.encode, value)


@pytest.mark.parametrize(
    "options",
    [
        {"ensure_ascii": True, "check_circular": False},
        {"separators": (",", ":"), "check_circular": False, "allow_nan": False},
        {"sort_keys": True, "skipkeys": True, "check_circular": False},
    ],
)
@settings(max_examples=30)  # the line's own options above have the full run
@given(value=values)
def test_other_options_encode_as_their_encoder_does(options: dict[str, Any], value: Any) -> None:
    encoder = json.JSONEncoder(**options)
    assert _outcome(_make_encode(encoder), value) == _outcome(encoder.encode, value)


@pytest.mark.parametrize("options", [{"check_circular": True}, {"indent": 2}])
def test_options_the_c_encoder_does_not_cover_use_their_encoder(options: dict[str, Any]) -> None:
    """Cycle checks keep state per call and indentation is not done in C: those options
    get the encoder's own `encode`, not a C encoder built once."""
    encoder = json.JSONEncoder(**options)
    assert _make_encode(encoder) == encoder.encode
