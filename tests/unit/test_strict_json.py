"""Strict JSON: what Python's json accepts but cannot be sent (NaN, lone surrogates)."""

import json

import pytest

from app.core import strict_json
from app.state.formdata import FormError, json_error, parse_webhook_text


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_are_refused_with_their_position(constant):
    text = '{\n  "price": ' + constant + "}"
    with pytest.raises(json.JSONDecodeError) as info:
        strict_json.loads(text)
    assert (info.value.lineno, info.value.colno) == (2, 12)
    assert json_error(text) == f"line 2, column 12: {constant} is not a JSON number"


@pytest.mark.parametrize("escape", ["\\ud800", "\\udc00", "\\ud800x", "\\udc00\\ud800"])
def test_unpaired_surrogates_are_refused(escape):
    text = '{"app_user_id": "a' + escape + '"}'
    with pytest.raises(json.JSONDecodeError, match="unpaired UTF-16 surrogate") as info:
        strict_json.loads(text)
    assert info.value.colno == 19
    with pytest.raises(FormError, match="surrogate"):
        parse_webhook_text(text)


def test_valid_escapes_pass():
    assert strict_json.loads('{"a": "\\ud83d\\ude00 \\u00e9 \\\\ud800"}') == {
        "a": "\U0001f600 é \\ud800"
    }
    assert strict_json.loads('{"n": 1e308}') == {"n": 1e308}


def test_a_leading_byte_order_mark_is_ignored():
    assert strict_json.loads('\ufeff{"a": 1}') == {"a": 1}
    assert parse_webhook_text('\ufeff{"event": {"type": "X"}}') == {"type": "X"}


def test_absurd_nesting_is_a_json_error_not_a_recursion_error():
    with pytest.raises(json.JSONDecodeError, match="nested too deeply"):
        strict_json.loads("[" * 100_000 + "]" * 100_000)
    assert json_error('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}") is not None


def test_nesting_is_limited_to_max_depth():
    ok = "[" * strict_json.MAX_DEPTH + "]" * strict_json.MAX_DEPTH
    assert strict_json.loads(ok)
    deep = "[" * 900 + "]" * 900  # parses in Python, then overflows the stack elsewhere
    with pytest.raises(json.JSONDecodeError, match="nested more than 100 levels deep"):
        strict_json.loads(deep)
    wide = "[" + ", ".join(["{}"] * 500) + "]"  # many brackets, shallow: fine
    assert len(strict_json.loads(wide)) == 500
