"""History rows as the table shows them: the columns alone, no documents.

A table over 100,000 rows must not hold 100,000 request and response documents: it holds
these light rows (a few hundred bytes each, plain text and numbers, so the garbage
collector leaves them alone) and loads the whole `HistoryRow` for the row a person
selects. `count_upto` caps a count that would otherwise scan every matching row just
to print a number.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import NamedTuple

from app.storage.database import guarded
from app.storage.models import HistoryQuery, Mode, Status, StatusClass
from app.storage.query import ORDER_NEWEST_FIRST, where

SUMMARY_COLUMNS = (
    "h.id, h.created_at, h.mode, h.target, h.event_type, h.event_name, h.user_id, "
    "h.status, h.http_status, h.elapsed_ms, h.error_kind, h.error, h.hand_edited, "
    "h.sandbox_override"
)


class RowSummary(NamedTuple):
    """A history row's table columns (field names as on `HistoryRow`)."""

    id: int
    created_at: datetime
    mode_value: str
    target: str
    event_type: str
    event_name: str
    user_id: str
    status_value: str
    http_status: int | None
    elapsed_ms: float | None
    error_kind: str
    error: str
    hand_edited: bool
    sandbox_override: bool

    @property
    def mode(self) -> Mode:
        return Mode(self.mode_value)

    @property
    def status(self) -> Status:
        return Status(self.status_value)

    @property
    def status_class(self) -> StatusClass:
        return self.status.status_class


def _summary(row: tuple[object, ...]) -> RowSummary:
    (id_, created, mode, target, event_type, event_name, user_id, status, http_status,
     elapsed, error_kind, error, hand, sandbox) = row  # fmt: skip
    return RowSummary(
        int(id_),  # type: ignore[call-overload]
        datetime.fromisoformat(str(created)),
        str(mode), str(target), str(event_type), str(event_name), str(user_id), str(status),
        http_status if isinstance(http_status, int) else None,
        float(elapsed) if isinstance(elapsed, int | float) else None,
        str(error_kind or ""), str(error or ""), bool(hand), bool(sandbox),
    )  # fmt: skip


def _page(
    conn: sqlite3.Connection, clause: str, params: list[object], limit: int
) -> list[RowSummary]:
    rows = conn.execute(
        f"SELECT {SUMMARY_COLUMNS} FROM history h{clause} {ORDER_NEWEST_FIRST} LIMIT ?",
        [*params, max(limit, 0)],
    )
    return [_summary(tuple(r)) for r in rows]


def _count(conn: sqlite3.Connection, clause: str, params: list[object], cap: int) -> int:
    found: int = conn.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM history h{clause} LIMIT ?)", [*params, cap + 1]
    ).fetchone()[0]
    return found


def query_summaries(
    conn: sqlite3.Connection, query: HistoryQuery | None, *, limit: int
) -> list[RowSummary]:
    """The newest `limit` matching rows, light."""
    return _page(conn, *where(query), limit)


def count_upto(conn: sqlite3.Connection, query: HistoryQuery | None, cap: int) -> int:
    """How many rows match, counting no further than `cap` (cap + 1 means "more")."""
    return _count(conn, *where(query), cap)


def first_page(
    conn: sqlite3.Connection, query: HistoryQuery | None, *, limit: int, cap: int
) -> tuple[list[RowSummary], int]:
    """What a table shows after a filter: its first page and `count_upto(cap)`. A page
    shorter than `limit` is every match, so the count (a second scan of the table for a
    rare text) is skipped."""
    clause, params = where(query)
    rows = _page(conn, clause, params, limit)
    if len(rows) < limit:
        return rows, len(rows)
    return rows, _count(conn, clause, params, cap)


class TableReads:
    """What a table reads from `HistoryStore` (mixed in; it has the connection)."""

    _conn: sqlite3.Connection

    @guarded("read the history")
    def summaries(self, query: HistoryQuery | None = None, *, limit: int = 50) -> list[RowSummary]:
        """One page of matching rows, newest first, without their documents."""
        return query_summaries(self._conn, query, limit=limit)

    @guarded("read the history")
    def count_upto(self, query: HistoryQuery | None, cap: int) -> int:
        """`count`, but no further than `cap` (cap + 1 means "more than cap")."""
        return count_upto(self._conn, query, cap)

    @guarded("read the history")
    def first_page(
        self, query: HistoryQuery | None, *, limit: int, cap: int
    ) -> tuple[list[RowSummary], int]:
        """A table's first page after a filter and its capped count."""
        return first_page(self._conn, query, limit=limit, cap=cap)
