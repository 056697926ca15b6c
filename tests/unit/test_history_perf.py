"""A filtered page of 50 rows stays under 100 ms with 100,000 rows in the history.

Rows go straight into the schema with executemany, with the derived status class and
search text the store would write, which takes seconds; 100,000 `begin`/`finish` calls
would take longer. tests/bench/bench_history.py prints the same figures with full-size payloads.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from app.storage import HistoryQuery, HistoryStore, Status, StatusClass
from app.storage.rows import search_text, ts

ROWS = 100_000
BUDGET_MS = 100.0
START = datetime(2026, 1, 1, tzinfo=UTC)
STATUSES = (
    [Status.ACCEPTED] * 90 + [Status.FAILED] * 6 + [Status.PREVIEWED] * 3 + [Status.INTERRUPTED]
)


@pytest.fixture(scope="module")
def big_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HistoryStore]:
    path = tmp_path_factory.mktemp("perf") / "history.sqlite3"
    HistoryStore(path).close()
    events = ("initial_purchase", "renewal", "cancellation", "expiration")
    doc = json.dumps({"event": {"type": "RENEWAL", "pad": "x" * 300}})
    main = []
    for i in range(1, ROWS + 1):
        event, user, status = events[i % 4], f"user-{i % 3_000:05d}", STATUSES[i % 100]
        ids = json.dumps([f"msg-{i:08d}"])
        search = search_text(user, event, f"rc_{event}_event", "us", ids, "")
        main.append((i, ts(START + timedelta(minutes=i)), "live", "us", event,
                     f"rc_{event}_event", user, status.value, status.status_class.value,
                     ids, search))  # fmt: skip
    conn = sqlite3.connect(path, isolation_level=None)
    # Bulk load the way a DBA would: without indexes, rebuilt afterwards from the
    # schema's own SQL.
    schema = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger')"
        " AND tbl_name = 'history' AND sql IS NOT NULL"
    ).fetchall()
    conn.execute("BEGIN")
    for kind, name, _ in schema:
        conn.execute(f"DROP {kind} {name}")
    conn.executemany(
        "INSERT INTO history (id, created_at, mode, target, event_type, event_name, user_id,"
        " status, status_class, message_ids, search) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        main,
    )
    conn.executemany(
        "INSERT INTO history_payload (id, input_json, requests_json) VALUES (?, ?, ?)",
        ((i, doc, f"[{doc}]") for i in range(1, ROWS + 1)),
    )
    conn.executemany(
        "INSERT INTO history_response (id, responses_json) VALUES (?, ?)",
        ((i, '[{"status":200,"body":"{\\"success\\":true}"}]') for i in range(1, ROWS + 1)),
    )
    for _, _, sql in schema:
        conn.execute(sql)
    conn.execute("COMMIT")
    conn.close()
    store = HistoryStore(path)
    yield store
    store.close()


QUERIES = {
    "none": None,
    "user": HistoryQuery(user_id="user-00042"),
    "event": HistoryQuery(event_type="renewal"),
    "error class": HistoryQuery(status_class=StatusClass.ERROR),
    "rare class": HistoryQuery(status_class=StatusClass.UNKNOWN),
    "time range": HistoryQuery(since=START + timedelta(days=30), until=START + timedelta(days=31)),
    "text, no match": HistoryQuery(text="no-such-thing"),
    "text, one match": HistoryQuery(text="msg-00054321"),
    "text + event": HistoryQuery(text="user-0001", event_type="expiration"),
}


def best_ms(store: HistoryStore, query: HistoryQuery | None, offset: int) -> tuple[float, int]:
    """Best of 3 (the machine is shared; the best run is the one not preempted)."""
    times, found = [], 0
    for _ in range(3):
        t0 = time.perf_counter()
        found = len(store.query(query, offset=offset, limit=50))
        times.append((time.perf_counter() - t0) * 1000)
    return min(times), found


@pytest.mark.slow
@pytest.mark.parametrize("name", list(QUERIES))
def test_filtered_page_under_budget(big_store: HistoryStore, name: str) -> None:
    query = QUERIES[name]
    for offset in (0, 500):
        elapsed, found = best_ms(big_store, query, offset)
        assert elapsed < BUDGET_MS, f"{name} at offset {offset}: {elapsed:.1f} ms"
        assert found == max(0, min(50, big_store.count(query) - offset))
    expected = {"text, no match": 0, "text, one match": 1, "user": 34}.get(name)
    assert expected is None or big_store.count(query) == expected


@pytest.mark.slow
def test_count_is_right_and_fast(big_store: HistoryStore) -> None:
    t0 = time.perf_counter()
    assert big_store.count(HistoryQuery(status_class=StatusClass.ERROR)) == ROWS * 6 // 100
    assert big_store.count(HistoryQuery(text="msg-0005432")) == 10
    assert (time.perf_counter() - t0) * 1000 < 2 * BUDGET_MS
