"""A filtered page of 50 rows stays cheap however big the history grows: every page query
walks an index in `created_at` order and stops after the page (no table scan, no sort of
all the matches), and every count reads an index, not the table.

Checked without a clock: on the query plan SQLite picks for the statements the store
actually runs, and on the number of SQLite VM steps a page costs at two history sizes.
The milliseconds (target: < 100 ms per page at 100,000 rows) are printed by
tests/bench/bench_history.py. Rows go straight into the schema with executemany, with
the derived status class and search text the store would write.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.storage import HistoryQuery, HistoryStore, Status, StatusClass
from app.storage.rows import search_text, ts

ROWS = 4_000
USERS = 15
START = datetime(2026, 1, 1, tzinfo=UTC)
STATUSES = (
    [Status.ACCEPTED] * 90 + [Status.FAILED] * 6 + [Status.PREVIEWED] * 3 + [Status.INTERRUPTED]
)


def fill(path: Path, rows: int) -> HistoryStore:
    """A store with `rows` rows, one a minute from START, newest last."""
    HistoryStore(path).close()
    events = ("initial_purchase", "renewal", "cancellation", "expiration")
    doc = json.dumps({"event": {"type": "RENEWAL", "pad": "x" * 300}})
    main = []
    for i in range(1, rows + 1):
        event, user, status = events[i % 4], f"user-{i % USERS:05d}", STATUSES[i % 100]
        ids = json.dumps([f"msg-{i:08d}"])
        search = search_text(user, event, f"rc_{event}_event", "us", ids, "")
        main.append((i, ts(START + timedelta(minutes=i)), "live", "us", event,
                     f"rc_{event}_event", user, status.value, status.status_class.value,
                     ids, search))  # fmt: skip
    with sqlite3.connect(path, isolation_level=None) as conn:
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO history (id, created_at, mode, target, event_type, event_name,"
            " user_id, status, status_class, message_ids, search)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            main,
        )
        conn.executemany(
            "INSERT INTO history_payload (id, input_json, requests_json) VALUES (?, ?, ?)",
            ((i, doc, f"[{doc}]") for i in range(1, rows + 1)),
        )
        conn.execute("COMMIT")
    conn.close()
    return HistoryStore(path)


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[int, HistoryStore]]:
    """The history at ROWS rows, and at a quarter of that."""
    made = {n: fill(tmp_path_factory.mktemp("paging") / "history.sqlite3", n) for n in
            (ROWS // 4, ROWS)}  # fmt: skip
    yield made
    for store in made.values():
        store.close()


QUERIES = {
    "none": None,
    "user": HistoryQuery(user_id="user-00012"),
    "event": HistoryQuery(event_type="renewal"),
    "error class": HistoryQuery(status_class=StatusClass.ERROR),
    "rare class": HistoryQuery(status_class=StatusClass.UNKNOWN),
    "time range": HistoryQuery(since=START + timedelta(hours=2), until=START + timedelta(hours=14)),
    "text, no match": HistoryQuery(text="no-such-thing"),
    "text, one match": HistoryQuery(text="msg-00001234"),
    "text + event": HistoryQuery(text="user-0001", event_type="expiration"),
}
#: Queries whose page is found by walking the time index until 50 rows match: a page
#: that matches nothing walks it all (the design: a LIKE over a covering index, no FTS).
SCANS_THE_TIME_INDEX = {"text, no match", "text, one match"}
#: Fewer matches than a page even in the small history: its page reads every match.
UNDER_A_PAGE = {"rare class"}


class _Recorder:
    """Stands in for the store's connection: notes each statement and its parameters."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.statements: list[tuple[str, Any]] = []

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        self.statements.append((sql, params))
        return self.conn.execute(sql, params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.conn, name)


def plan_of(
    store: HistoryStore, call: Callable[[], Any], monkeypatch: pytest.MonkeyPatch
) -> list[str]:
    """The plan SQLite picks for the one statement `call()` runs on the store (with the
    same parameters: a literal can get another plan than a bound parameter)."""
    recorder = _Recorder(store._conn)
    with monkeypatch.context() as patch:
        patch.setattr(store, "_conn", recorder)
        call()
    [(sql, params)] = recorder.statements
    return [row[3] for row in store._conn.execute(f"EXPLAIN QUERY PLAN {sql}", params)]


def vm_steps(store: HistoryStore, call: Callable[[], Any]) -> int:
    """SQLite virtual-machine instructions `call()` took (a measure of work, not time)."""
    steps = 0

    def tick() -> int:
        nonlocal steps
        steps += 1
        return 0

    conn: sqlite3.Connection = store._conn
    conn.set_progress_handler(tick, 10)
    try:
        call()
    finally:
        conn.set_progress_handler(None, 0)
    return steps * 10


#: How the outer loop must read the history for each query: a filter on a column is a
#: SEARCH on an index that starts with it (and goes on with created_at, so rows come out
#: newest first); no filter, or text only, walks the time index.
OUTER_LOOP = {
    "none": "SCAN h USING INDEX",
    "user": "(user_id=?)",
    "event": "(event_type=?)",
    "error class": "(status_class=?)",
    "rare class": "(status_class=?)",
    "time range": "(created_at>? AND created_at<?)",
    "text, no match": "SCAN h USING INDEX",
    "text, one match": "SCAN h USING INDEX",
    "text + event": "(event_type=?)",
}


@pytest.mark.parametrize("name", list(QUERIES))
def test_a_page_walks_an_index_in_time_order(
    stores: dict[int, HistoryStore], name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, query = stores[ROWS], QUERIES[name]
    steps = plan_of(store, lambda: store.query(query, offset=500, limit=50), monkeypatch)
    history = steps[0]  # the outer loop: the history table
    assert history.startswith(("SEARCH h USING INDEX", "SCAN h USING INDEX")), steps
    assert OUTER_LOOP[name] in history, steps
    # Ties on created_at are ordered by id (a sort within equal times is fine); a sort
    # of every matching row before the first one comes out is not.
    assert "USE TEMP B-TREE FOR ORDER BY" not in steps, steps
    assert not any(s.startswith(("SCAN p", "SCAN r")) for s in steps), steps


@pytest.mark.parametrize("name", list(QUERIES))
def test_a_count_reads_an_index(
    stores: dict[int, HistoryStore], name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, query = stores[ROWS], QUERIES[name]
    [history] = plan_of(store, lambda: store.count(query), monkeypatch)
    assert " USING " in history and "INDEX" in history, history
    if OUTER_LOOP[name].startswith("("):  # a filtered count searches that index too
        assert OUTER_LOOP[name] in history, history


@pytest.mark.parametrize("name", sorted(set(QUERIES) - SCANS_THE_TIME_INDEX - UNDER_A_PAGE))
def test_the_work_for_a_page_does_not_grow_with_the_history(
    stores: dict[int, HistoryStore], name: str
) -> None:
    query = QUERIES[name]
    small, big = (
        vm_steps(stores[n], lambda n=n: stores[n].query(query, limit=50)) for n in sorted(stores)
    )
    # Four times the rows: a page that read them all would cost about four times as much.
    assert big < 1.5 * small, (small, big)


@pytest.mark.parametrize("name", list(QUERIES))
def test_pages_and_counts_are_right(stores: dict[int, HistoryStore], name: str) -> None:
    store, query = stores[ROWS], QUERIES[name]
    for offset in (0, 500):
        found = store.query(query, offset=offset, limit=50)
        assert len(found) == max(0, min(50, store.count(query) - offset))
        stamps = [(r.created_at, r.id) for r in found]
        assert stamps == sorted(stamps, reverse=True)  # newest first
    expected = {
        "none": ROWS, "user": 266, "error class": ROWS * 6 // 100, "time range": 12 * 60,
        "text, no match": 0, "text, one match": 1,
    }.get(name)  # fmt: skip
    assert expected is None or store.count(query) == expected
    assert store.count(HistoryQuery(text="msg-0000123")) == 10  # msg-00001230 … 39
