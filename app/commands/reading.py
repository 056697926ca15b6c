"""RevenueCat events read as a stream: one block of documents per read of the input.

Why: `render` and `send` must start writing before their input ends, and hold one block
of events at a time, so memory stays flat however long the input is (docs/architecture.md,
"The CLI: one block of input at a time"). A *block* is what one read returns: for a
pipe, what the producer has written so far (a consumer sees its first lines at once);
for a file, up to `FILE_CHUNK` bytes. Callers validate a whole block before writing any
of it, so a bad event in an input that fits one block still leaves stdout empty, as it
always did.

NDJSON or one document: the rule stays "the whole text parses as one JSON value → one
document (an object, or an array of objects), else NDJSON, one document per line" — the
same messages, line numbers and labels — but it is decided without the whole text. When
the first non-blank line is a JSON value on its own, the text is one document exactly
when nothing but JSON whitespace follows it; the first non-blank line after it makes it
NDJSON, and from then on lines are handled one by one. Anything unusual before that
point (the first line not a value on its own, as in a pretty-printed document, a line
break other than "\\n", non-JSON blank characters) falls back to reading the whole text
and deciding as before: a single document has to be read whole anyway.
"""

from __future__ import annotations

import codecs
import io
import json
import sys
from collections.abc import Callable, Iterator
from typing import IO, Any

from app.commands.errors import CliError
from app.core import strict_json

#: Bytes read from a file at a time (one block; one read for a pipe is at most PIPE_CHUNK).
FILE_CHUNK = 1 << 20
PIPE_CHUNK = 1 << 16

Document = tuple[str, Any]  # (source for messages, the JSON value)
Fallback = Callable[[str, str], Iterator[Document]]  # (label, whole text) → documents

# Line breaks str.splitlines() knows besides "\n" (the old parse split on all of them);
# with "\r" too, the breaks a text layer that does not translate newlines may also pass.
_ODD_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_NOT_NEWLINE = "\r" + _ODD_BREAKS


def _holds_any(text: str, characters: str) -> bool:
    """Whether `text` holds one of `characters`: one `in` each (a memchr) costs far less
    than a character-class search, which tests every character (51 instructions a byte)."""
    return any(character in text for character in characters)


def _split_lines(text: str) -> list[str]:
    """`text.splitlines()`. When "\\n" is its only line break (as good as always once
    NDJSON is decided), `split` gives the same lines for less: splitlines
    tests every character against each break (about 1% of a render's instructions)."""
    if _holds_any(text, _NOT_NEWLINE):
        return text.splitlines()
    lines = text.split("\n")
    if not lines[-1]:  # the empty piece after a final "\n" (or of ""), which splitlines drops
        lines.pop()
    return lines


_JSON_SPACE = " \t\r\n"


class Input:
    """One input (a path or "-"), opened at once so a missing file is refused before any
    other input is read; `chunks()` decodes it as `read_text`/`sys.stdin.read` would."""

    def __init__(self, path: str) -> None:
        self.label = "stdin" if path == "-" else path
        self._path = path
        self._text: IO[str] | None = None
        self._binary: IO[bytes] | None = None
        self._encoding, self._errors = "utf-8", "strict"
        if path == "-":
            binary = getattr(sys.stdin, "buffer", None)
            if binary is None:  # a replaced sys.stdin (StringIO): read it as text
                self._text = sys.stdin
            else:
                # Bytes, decoded strictly as UTF-8: the text layer would let invalid
                # UTF-8 through as surrogate escapes (UTF-8 mode, C locale) and `render`
                # would write them back out.
                self._binary = binary
            return
        try:
            self._binary = open(path, "rb")  # noqa: SIM115 (closed by close())
        except FileNotFoundError:
            raise CliError(f"{path}: no such file") from None
        except IsADirectoryError:
            raise CliError(f"{path}: is a directory, expected a JSON or NDJSON file") from None
        except OSError as exc:
            raise CliError(f"{path}: {exc.strerror}") from None

    def close(self) -> None:
        if self._binary is not None and self._path != "-":
            self._binary.close()

    def chunks(self) -> Iterator[str]:
        """Decoded text, newlines translated ("\\r\\n" and "\\r" → "\\n"), read by read."""
        if self._text is not None:
            while text := self._text.read(PIPE_CHUNK):
                yield text
            return
        assert self._binary is not None
        size = PIPE_CHUNK if self._path == "-" else FILE_CHUNK
        decoder = io.IncrementalNewlineDecoder(
            codecs.getincrementaldecoder(self._encoding)(self._errors), translate=True
        )
        read = getattr(self._binary, "read1", self._binary.read)
        while True:
            try:
                data = read(size)
                text = decoder.decode(data, final=not data)
            except UnicodeDecodeError:
                raise CliError(f"{self.label}: not UTF-8 text") from None
            except OSError as exc:
                raise CliError(f"{self._path}: {exc.strerror}") from None
            if text:
                yield text
            if not data:
                return


class _Undecided(Exception):
    """The stream cannot tell NDJSON from one document yet: decide on the whole text."""


def _line_error(label: str, number: int, exc: json.JSONDecodeError) -> CliError:
    return CliError(f"{label} line {number}: invalid JSON ({exc.msg} at column {exc.colno})")


def documents(
    label: str,
    chunks: Iterator[str],
    whole: Fallback,
    parse: Callable[[str], Any] = strict_json.loads,
) -> Iterator[list[Document]]:
    """Blocks of (source, document), one per chunk that completes a line; see the module
    docstring. `whole` parses the entire text the old way when the stream cannot decide;
    `parse` reads each NDJSON line (raising json.JSONDecodeError as strict_json does)."""
    seen: list[str] | None = []  # the raw text, kept until NDJSON is certain
    pending: list[str] = []  # the unfinished last line
    number = 0
    first: tuple[int, Any, str] | None = None  # (line number, value, text)

    def ndjson(line: str) -> Document | None:
        if not line.strip():
            return None
        try:
            return f"{label} line {number}", parse(line)
        except json.JSONDecodeError as exc:
            raise _line_error(label, number, exc) from None

    def lines(head: str) -> list[Document]:
        nonlocal number, first, seen
        block: list[Document] = []
        for line in _split_lines(head):
            number += 1
            if seen is None:  # NDJSON: every line on its own, as before
                if (document := ndjson(line)) is not None:
                    block.append(document)
                continue
            content = line.removeprefix("\ufeff") if number == 1 else line
            if not content.strip(_JSON_SPACE):
                if content != line:  # a byte-order mark alone on line 1
                    raise _Undecided
                continue
            if first is not None:  # more than JSON whitespace after the first value: NDJSON
                seen = None
                # Line 1 read again by `parse`, as every other line is: the same value,
                # or the same event (a caller may also act on each line as it is read).
                block.append((f"{label} line {first[0]}", parse(first[2])))
                if (document := ndjson(line)) is not None:
                    block.append(document)
                continue
            if not content.strip() or content.startswith("\ufeff"):
                raise _Undecided
            try:
                first = (number, strict_json.loads(content), content)
            except json.JSONDecodeError:
                raise _Undecided from None
        return block

    source = iter(chunks)
    try:
        for text in source:
            if seen is not None:
                seen.append(text)
                if _holds_any(text, _ODD_BREAKS):
                    raise _Undecided
            cut = text.rfind("\n")
            if cut < 0:
                pending.append(text)
                continue
            head = "".join(pending) + text[: cut + 1]
            pending = [text[cut + 1 :]] if cut + 1 < len(text) else []
            block = lines(head)
            if block:
                yield block
        block = lines("".join(pending))
        if block:
            yield block
        if seen is None:
            return
        if first is None:  # nothing but blank lines: the old checks say what is wrong
            raise _Undecided
        value = first[1]
        if isinstance(value, list):
            yield [(f"{label} item {index}", item) for index, item in enumerate(value)]
        else:
            yield [(label, value)]
    except _Undecided:
        assert seen is not None
        text = "".join(seen) + "".join(source)
        seen = None
        yield list(whole(label, text))
