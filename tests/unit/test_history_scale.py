"""History at scale without timing anything: the newest-first order comes from an index
(migration 4, checked with EXPLAIN QUERY PLAN, not a stopwatch), rows stream one at a time,
and a capped count stops counting at its cap."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.storage import HistoryQuery, HistoryStore, Status, StatusClass
from app.storage.models import NewEntry, Outcome, utc_now
from app.storage.query import ORDER_NEWEST_FIRST, where
from app.storage.rows import COLUMNS, FROM_JOINED, ts

QUERIES = [
    HistoryQuery(),
    HistoryQuery(text="user"),
    HistoryQuery(since=datetime(2026, 1, 1, tzinfo=UTC)),  # fixed: xdist workers must agree
    HistoryQuery(user_id="u1"),
    HistoryQuery(event_type="renewal"),
    HistoryQuery(status_class=StatusClass.OK),
    HistoryQuery(status=Status.PREVIEWED, text="x"),
]


def _entry(i: int) -> NewEntry:
    return NewEntry(
        mode="preview", target="us", event_type="renewal", event_name="renewal",
        user_id=f"u{i % 3}", input={"n": i}, requests=[], message_ids=[f"m{i}"],
    )  # fmt: skip


@pytest.fixture
def store(tmp_path: Path) -> HistoryStore:
    store = HistoryStore(tmp_path / "history.sqlite3")
    for i in range(30):
        store.record(_entry(i), Outcome(status=Status.PREVIEWED))
    # Many rows in the same microsecond: the id breaks the tie.
    store._conn.execute("UPDATE history SET created_at = ? WHERE id % 2 = 0", (ts(utc_now()),))
    return store


def _plan(conn: sqlite3.Connection, sql: str, params: list[object]) -> str:
    return "\n".join(row[-1] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))


@pytest.mark.parametrize("query", QUERIES, ids=repr)
def test_a_page_newest_first_needs_no_sort(store: HistoryStore, query: HistoryQuery) -> None:
    clause, params = where(query)
    sql = f"SELECT {COLUMNS} FROM {FROM_JOINED}{clause} {ORDER_NEWEST_FIRST} LIMIT ? OFFSET ?"
    plan = _plan(store._conn, sql, [*params, 50, 0])
    assert "TEMP B-TREE" not in plan, plan


def test_text_search_reads_the_covering_index(store: HistoryStore) -> None:
    clause, params = where(HistoryQuery(text="nothing matches"))
    plan = _plan(store._conn, f"SELECT h.id FROM history h{clause} {ORDER_NEWEST_FIRST}", params)
    assert "COVERING INDEX history_newest_grams" in plan, plan


def test_rows_stream_in_the_order_and_page_of_query(store: HistoryStore) -> None:
    every = [r.id for r in store.query(HistoryQuery(), limit=1000)]
    assert every == [r.id for r in store.iter_rows()]
    assert [r.id for r in store.iter_rows(offset=5, limit=7)] == every[5:12]
    assert [r.id for r in store.iter_rows(offset=25)] == every[25:]
    rows = store.iter_rows()
    assert next(rows).id == every[0]  # a generator: nothing read past what is asked for
    rows.close()


def test_a_capped_count_stops_at_its_cap(store: HistoryStore) -> None:
    assert store.count() == 30
    assert store.count(cap=10) == 10
    assert store.count(cap=100) == 30
    assert store.count(HistoryQuery(user_id="u1"), cap=5) == 5


def test_a_database_damaged_under_a_stream_is_a_storage_error(store: HistoryStore) -> None:
    from app.storage.errors import StorageError

    rows = store.iter_rows()
    next(rows)
    store._conn.close()
    with pytest.raises(StorageError):
        list(rows)


def test_record_many_stores_each_row_with_its_own_outcome(tmp_path: Path) -> None:
    """A /batch preview's events are recorded in one transaction, each as itself."""
    with HistoryStore(tmp_path / "history.sqlite3") as store:

        def counts() -> tuple[int, int]:
            conn = store._conn
            return (
                conn.execute("SELECT count(*) FROM history").fetchone()[0],
                conn.execute("SELECT count(*) FROM history_payload").fetchone()[0],
            )

        ids = store.record_many(
            [(_entry(1), Outcome(status=Status.PREVIEWED)),
             (_entry(2), Outcome(status=Status.SKIPPED, error="sandbox off"))]
        )  # fmt: skip
        assert counts() == (2, 2)  # 2 rows + 2 payloads
        rows = {r.id: r for r in store.iter_rows()}
        assert [rows[i].status for i in ids] == [Status.PREVIEWED, Status.SKIPPED]
        assert rows[ids[1]].error == "sandbox off" and rows[ids[0]].input == {"n": 1}


def test_history_list_counts_after_the_rows_up_to_a_cap(
    store: HistoryStore, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.cli import run
    from app.commands import history

    data_dir = str(store.path.parent)
    store.close()
    assert run(["history", "list", "--limit", "5", "--data-dir", data_dir]) == 0
    assert "rows 1–5 of 30, newest first" in capsys.readouterr().err
    monkeypatch.setattr(history, "COUNT_CAP", 10)  # counting stops 10 rows past the page
    assert run(["history", "list", "--limit", "5", "--data-dir", data_dir]) == 0
    out, err = capsys.readouterr()
    assert "rows 1–5 of 15+, newest first" in err
    assert len(out.splitlines()) == 6  # the header and 5 rows
