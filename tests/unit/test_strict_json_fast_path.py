"""strict_json.loads reads with pydantic-core's parser first (faster) and with json's
when that one refuses: for any text the result must be what json's parser alone gives —
the same values of the same types (1 vs 1.0, -0.0, every float bit), or the same error.
The render bytes depend on it: the samples check and the render properties rely on these
values, so they are compared here exactly, through repr and type."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core import strict_json
from tests.support.engine import same


def _old(text: str) -> Any:
    """strict_json.loads as it was: json's parser only."""
    text = text.removeprefix("\ufeff")
    return strict_json._checked(text, strict_json._decode(text))


def _outcome(parse: Any, text: str) -> tuple[str, Any]:
    try:
        return "ok", parse(text)
    except json.JSONDecodeError as exc:
        return "error", (exc.msg, exc.pos)
    except ValueError as exc:  # json's own limits (e.g. int digits) are not JSONDecodeErrors
        return "value-error", str(exc)


def _check(text: str) -> None:
    new, old = _outcome(strict_json.loads, text), _outcome(_old, text)
    assert new[0] == old[0], (text, new, old)
    assert same(new[1], old[1]) if new[0] == "ok" else new == old, (text, new, old)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=12,
)


@given(json_values, st.booleans())
def test_any_json_document_parses_the_same(value: Any, ascii_only: bool) -> None:
    _check(json.dumps(value, ensure_ascii=ascii_only))


NUMBER_PIECES = st.sampled_from([*"0123456789-+.eE", "e-400", "e400", "0" * 30])


@given(st.lists(NUMBER_PIECES, min_size=1, max_size=10))
def test_any_number_text_parses_the_same(pieces: list[str]) -> None:
    text = "".join(pieces)
    _check(text)
    _check(f'{{"price": {text}}}')


TEXT_PIECES = st.sampled_from(
    ['{', '}', '[', ']', ',', ':', '"a"', '"\\ud800"', '"\\udc00"', '"\\ud83d\\ude00"',
     '"\\u0000"', '"\x01"', '"\\x"', '1', '-0', 'NaN', 'Infinity', 'true', 'nul', ' ',
     '\t', '\n', '\r', '\xa0', '\ufeff', '\u2028', '/*', '""', "'a'"]
)  # fmt: skip


@given(st.lists(TEXT_PIECES, max_size=12))
def test_any_text_parses_the_same_or_fails_the_same(pieces: list[str]) -> None:
    _check("".join(pieces))


@pytest.mark.parametrize(
    "text",
    ["1" * 5000, "[" * 150 + "]" * 150, "[" * 5000 + "]" * 5000, '{"a": 1, "a": 2}',
     "1e400", "-1e400", "4.9e-324", "2.2250738585072014e-308", "1.7976931348623157e308",
     "123456789012345678901234567890", '"\\ud800\\udc00"', "\ufeff{}", "[1,]", "01",
     "1" + "0" * 400 + ".0", "[1" + "0" * 300 + "e99]", "-1" + "0" * 320, '{"p": 1E+400}',
     '{"id": "9D2E-760000000000", "p": 1e400}', '{"id": "9D2E-760000000000"}'],
)  # fmt: skip
def test_edges_parse_the_same(text: str) -> None:
    _check(text)


def test_a_surrogate_character_in_the_text_itself_is_one_plain_error() -> None:
    """Text that holds a lone surrogate code point (not an escape) cannot come from UTF-8,
    but a str can: the fast parser refuses it with a TypeError, json's reads it."""
    with pytest.raises(json.JSONDecodeError, match="unpaired UTF-16 surrogate") as info:
        strict_json.loads('{"a": "x\ud800"}')
    assert info.value.pos == 8
