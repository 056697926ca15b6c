"""HistoryQuery → SQL `WHERE` clause, kept apart so it can be read (and tested) alone.

Every equality filter hits a `(column, created_at)` index, so "newest first, one page"
walks the index and stops after the page. Text search is one `LIKE` over the `search`
column (userId, event type and name, target, messageIds and error, joined by the store
as it writes, `app.storage.rows.search_text`), read from a covering `(created_at, search)`
index: a page comes back in a few tens of ms on 100,000 rows even when nothing matches
(tests/bench/bench_history.py), without the weight of an FTS table.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from app.storage.models import HistoryQuery
from app.storage.rows import ts

ORDER_NEWEST_FIRST = "ORDER BY h.created_at DESC, h.id DESC"


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


#: The trigram index finds substrings of at least three characters.
_TRIGRAM = 3


def _phrase(text: str) -> str:
    """An FTS5 phrase query for `text` as a substring (quotes doubled)."""
    return '"' + text.replace('"', '""') + '"'


#: Up to this many index matches, reading them beats walking the rows newest first.
_FEW = 2_000


def _few_matches(conn: sqlite3.Connection, text: str) -> list[int] | None:
    """The ids the trigram index has for `text` when they are few (a rare id or
    message): then the filter reads just those rows. None for a common word (found
    sooner by the time-ordered walk, which stops at the first page) or a short text."""
    if len(text) < _TRIGRAM:
        return None
    ids = [
        int(row[0])
        for row in conn.execute(
            "SELECT rowid FROM history_search WHERE history_search MATCH ? LIMIT ?",
            (_phrase(text), _FEW + 1),
        )
    ]
    return ids if len(ids) <= _FEW else None


def where(
    query: HistoryQuery | None, conn: sqlite3.Connection | None = None
) -> tuple[str, list[Any]]:
    """(" WHERE …" or "", parameters) for the query, over `history h`. With `conn`, a
    text filter may use the trigram index (see `_few_matches`)."""
    if query is None:
        return "", []
    clauses: list[str] = []
    params: list[Any] = []
    for column, value in (
        ("user_id", query.user_id),
        ("event_type", query.event_type),
        ("event_name", query.event_name),
        ("mode", query.mode.value if query.mode else None),
        ("status", query.status.value if query.status else None),
        # implied by `status`; spelled out so the status_class index serves it
        ("status_class", query.status.status_class.value if query.status else None),
    ):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    if query.status_class is not None:
        clauses.append("status_class = ?")
        params.append(query.status_class.value)
    if query.since is not None:
        clauses.append("created_at >= ?")
        params.append(ts(query.since))
    if query.until is not None:
        clauses.append("created_at < ?")
        params.append(ts(query.until))
    text = query.text.strip()
    few = _few_matches(conn, text) if conn is not None else None
    if few is not None:
        # The index found the few candidates (listed, so the planner looks them up by
        # id rather than walking the time index); the LIKE below keeps exactly the rows
        # a scan would (the same case rules as ever).
        clauses.append(f"h.id IN ({','.join(map(str, few)) or 'NULL'})")
    if text:
        clauses.append("search LIKE ? ESCAPE '\\'")
        params.append(_like_pattern(text))
    if not clauses:
        return "", []
    return " WHERE " + " AND ".join(clauses), params
