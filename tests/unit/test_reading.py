"""The streamed input reader decides NDJSON vs one document exactly as the whole-text
parse does: same documents, same labels, same error messages, however the text arrives
(app.commands.reading; the whole-text parse is app.commands.common._whole)."""

from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.commands.common import _whole
from app.commands.errors import CliError
from app.commands.reading import _split_lines, documents


def _outcome(produce: Iterator[list[tuple[str, object]]] | Iterator[tuple[str, object]]):
    got = []
    try:
        for item in produce:
            got.extend(item if isinstance(item, list) else [item])
    except CliError as exc:
        return got, str(exc)
    return got, None


def _old(text: str):
    docs, error = _outcome(_whole("in", text))
    return (docs if error is None else None), error


def _streamed(text: str, size: int):
    chunks = iter([text[i : i + size] for i in range(0, len(text), size)])
    docs, error = _outcome(documents("in", chunks, _whole))
    return (docs if error is None else None), error


CASES = [
    '{"a": 1}',
    '{"a": 1}\n',
    '{"a": 1}\n{"b": 2}\n',
    '\n\n  {"a": 1}  \n\t\n',
    '\n\n{"a": 1}\n\n{"b": 2}\n\n',
    '[{"a": 1}, {"b": 2}]\n',
    "[]",
    "[]\n[]\n",
    '{\n  "a": 1\n}\n',
    '[\n {"a": 1},\n {"b": 2}\n]',
    '{"a": 1}\n{"b": \n',
    '{"a": 1} {"b": 2}\n',
    "{not json",
    "{not json\n{}\n",
    '{"a": NaN}',
    '{"a": 1}\n{"a": NaN}\n',
    '"\\ud800"',
    "\ufeff{}",
    "\ufeff{}\n{}\n",
    "\ufeff\n{}\n{}\n",
    "{}\n\ufeff{}\n",
    "\xa0\n{}",
    "\xa0\n{}\n{}",
    "{}\n\xa0\n",
    '{"a": "x\u2028y"}\n{}\n',
    '{"a": "x\u2028y"}',
    "{}\x85\n",
    "{}\x0c{}",
    "",
    "   \n\n",
    "1\n2\n",
    "1",
    '"s"\n',
    "{}\r\n{}\r\n",
]


@pytest.mark.parametrize("text", CASES)
@pytest.mark.parametrize("size", [1, 2, 5, 1000])
def test_the_stream_decides_like_the_whole_text(text: str, size: int) -> None:
    assert _streamed(text, size) == _old(text)


PIECES = st.sampled_from(
    ['{"a": 1}', "[1, 2]", "[]", "{", "}", "[", "]", '"x"', "1", ",", ":", " ", "\t",
     "\n", "\n", "\n", "\ufeff", "\xa0", "\u2028", "\x85", "NaN", '"\\ud800"', "x"]
)  # fmt: skip


@given(st.lists(PIECES, max_size=12), st.integers(min_value=1, max_value=9))
def test_any_text_in_any_chunks(pieces: list[str], size: int) -> None:
    text = "".join(pieces)
    assert _streamed(text, size) == _old(text)


def test_ndjson_is_handed_on_a_line_at_a_time() -> None:
    """Once NDJSON is certain, each chunk's complete lines come out as one block, before
    the next chunk is read (what lets `render` write while its input still arrives)."""
    chunks = iter(['{"a": 1}\n{"b"', ': 2}\n{"c": 3}\n', "{"])
    blocks = documents("in", chunks, _whole)
    assert next(blocks) == [("in line 1", {"a": 1}), ("in line 2", {"b": 2}),
                            ("in line 3", {"c": 3})]  # fmt: skip
    assert next(chunks) == "{"  # the last chunk was not read to get there


@given(st.text(alphabet="a \n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029", max_size=16))
def test_lines_are_split_as_splitlines_splits_them(text: str) -> None:
    """The cheaper split used once NDJSON is decided gives splitlines' lines exactly, with
    every break splitlines knows (and none, a final "\\n", blank lines, "")."""
    assert _split_lines(text) == text.splitlines()
