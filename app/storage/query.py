"""HistoryQuery → SQL `WHERE` clause, kept apart so it can be read (and tested) alone.

Every equality filter hits a `(column, created_at)` index, so "newest first, one page"
walks the index and stops after the page. Text search is one `LIKE` over the `search`
column (userId, event type and name, target, messageIds and error, joined by the store
as it writes, `app.storage.rows.search_text`), read from a covering `(created_at, id,
g0, g1, g2, g3, search)` index (migration 6) that also walks in the page's order, so no sort is
needed. Before the `LIKE`, four integer tests against the row's trigram signature
(`app.storage.grams`) refuse nearly every row that cannot match, so the `LIKE` reads the
text of only a few: a page comes back in about 10 ms on 100,000 rows even when nothing
matches (tests/bench/bench_history.py), without the weight of an FTS table (whose
per-commit cost made every send's history write several times dearer).
"""

from __future__ import annotations

from typing import Any

from app.storage import grams
from app.storage.models import HistoryQuery
from app.storage.rows import ts

ORDER_NEWEST_FIRST = "ORDER BY h.created_at DESC, h.id DESC"


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def where(query: HistoryQuery | None) -> tuple[str, list[Any]]:
    """(" WHERE …" or "", parameters) for the query, over `history h`."""
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
    if text:
        # A half with no bit set tests nothing (a needle under three bytes has none).
        for column, mask in zip(grams.COLUMNS, grams.columns(text), strict=True):
            if mask:
                clauses.append(f"({column} & ?) = ?")
                params += [mask, mask]
        clauses.append("search LIKE ? ESCAPE '\\'")
        params.append(_like_pattern(text))
    if not clauses:
        return "", []
    return " WHERE " + " AND ".join(clauses), params
