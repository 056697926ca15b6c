"""HistoryQuery → SQL `WHERE` clause, kept apart so it can be read (and tested) alone.

Every equality filter hits a `(column, created_at)` index, so "newest first, one page"
walks the index and stops after the page. Text search is a `LIKE` over a few short
columns (not the JSON blobs): fast enough on 100,000 rows (see tests/bench/bench_history.py)
without the weight of an FTS table.
"""

from __future__ import annotations

from typing import Any

from app.storage.models import HistoryQuery, statuses_in
from app.storage.rows import ts

#: Columns `HistoryQuery.text` looks in.
TEXT_COLUMNS = ("user_id", "event_name", "event_type", "target", "message_ids", "error")

ORDER_NEWEST_FIRST = "ORDER BY created_at DESC, id DESC"


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def where(query: HistoryQuery | None) -> tuple[str, list[Any]]:
    """(" WHERE …" or "", parameters) for the query."""
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
    ):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    if query.status_class is not None:
        statuses = [s.value for s in statuses_in(query.status_class)]
        clauses.append(f"status IN ({', '.join('?' * len(statuses))})")
        params.extend(statuses)
    if query.since is not None:
        clauses.append("created_at >= ?")
        params.append(ts(query.since))
    if query.until is not None:
        clauses.append("created_at < ?")
        params.append(ts(query.until))
    text = query.text.strip()
    if text:
        pattern = _like_pattern(text)
        clauses.append("(" + " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in TEXT_COLUMNS) + ")")
        params.extend([pattern] * len(TEXT_COLUMNS))
    if not clauses:
        return "", []
    return " WHERE " + " AND ".join(clauses), params
