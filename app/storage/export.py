"""History rows out as NDJSON or a JSON array: streamed, redacted, written atomically.

Rows hold no write key by construction (the store only ever gets a fingerprint);
`redact` masks extra secrets, e.g. the key of the current session, anywhere in the
text, belt and braces. A file is written under a temporary name and renamed into place,
so a failed or interrupted export never leaves half a file that looks complete.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Literal, TextIO

from app.core.redact import redact_text
from app.core.terminal import json_text
from app.storage.database import guarded
from app.storage.models import HistoryQuery, HistoryRow

ExportFormat = Literal["ndjson", "json"]
#: A row's JSON → what may be written (the window's presentation rules).
RowView = Callable[[dict[str, Any]], dict[str, Any]]


def write_rows(
    rows: Iterable[HistoryRow],
    dest: str | Path | TextIO,
    fmt: ExportFormat = "ndjson",
    redact: Iterable[str] = (),
    view: RowView | None = None,
) -> int:
    """Write `rows` to a path or an open text stream; how many were written. `view`
    reshapes each row's JSON first (e.g. hides hosts while presenting)."""
    if fmt not in ("ndjson", "json"):
        raise ValueError(f"unknown export format {fmt!r}; expected ndjson or json")
    keys = [k for k in redact if k.strip()]
    if not isinstance(dest, str | Path):
        return _write(rows, dest, fmt, keys, view)
    target = Path(dest)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            count = _write(rows, out, fmt, keys, view)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return count


def _write(
    rows: Iterable[HistoryRow],
    out: TextIO,
    fmt: ExportFormat,
    keys: list[str],
    view: RowView | None = None,
) -> int:
    count = 0
    if fmt == "json":
        out.write("[")
    for row in rows:
        data = row.to_json()
        text = json_text(view(data) if view else data)
        if keys:
            text = redact_text(text, keys)
        if fmt == "json":
            out.write(("\n  " if count == 0 else ",\n  ") + text)
        else:
            out.write(text + "\n")
        count += 1
    if fmt == "json":
        out.write("\n]\n" if count else "]\n")
    out.flush()
    return count


class Exports:
    """`HistoryStore.export` (mixed in: the store has `iter_rows` and `get`)."""

    path: Path
    iter_rows: Callable[[HistoryQuery | None], Iterator[HistoryRow]]
    get: Callable[[int], HistoryRow | None]

    @guarded("export the history")
    def export(
        self,
        selection: HistoryQuery | Sequence[int] | None,
        dest: str | Path | TextIO,
        fmt: ExportFormat = "ndjson",
        *,
        redact: Iterable[str] = (),
    ) -> int:
        """Write the selected rows (a query, or ids) as NDJSON or a JSON array; the count.

        See `app.storage.export`: streamed, atomic for a path, `redact` masks extra
        secrets (the session's key) anywhere in the text.
        """
        if isinstance(selection, HistoryQuery) or selection is None:
            rows: Iterable[HistoryRow] = self.iter_rows(selection)
        else:
            rows = (r for r in map(self.get, selection) if r is not None)
        return write_rows(rows, dest, fmt, redact)
