"""Light history rows for tables and the capped count, against a real SQLite file."""

from __future__ import annotations

import gc
from pathlib import Path

from app.state.history_text import cell_text, status_text
from app.storage import HistoryQuery, HistoryStore
from app.storage.models import Mode, NewEntry, Outcome, Status


def fill(store: HistoryStore, count: int) -> None:
    for i in range(count):
        store.record(
            NewEntry(mode=Mode.PREVIEW, target="us", event_type="renewal",
                     event_name=f"renewed_{i}", user_id=f"user_{i % 3}",
                     requests=[{"body": {"big": "x" * 2000}}], input={"event": {"i": i}}),
            Outcome(status=Status.PREVIEWED),
        )  # fmt: skip


def test_summaries_show_what_the_full_rows_show(tmp_path: Path) -> None:
    with HistoryStore.in_dir(tmp_path) as store:
        fill(store, 7)
        light = store.summaries(HistoryQuery(user_id="user_1"), limit=50)
        full = store.query(HistoryQuery(user_id="user_1"), limit=50)
        assert [s.id for s in light] == [r.id for r in full]
        for summary, row in zip(light, full, strict=True):
            assert [cell_text(summary, c) for c in range(7)] == [
                cell_text(row, c) for c in range(7)
            ]
            assert status_text(summary) == status_text(row)
            assert summary.created_at == row.created_at and summary.status is row.status


def test_summaries_hold_no_documents_and_give_the_collector_little_to_walk(
    tmp_path: Path,
) -> None:
    """The GC pauses of a long table come from how many container objects it holds: a
    light row is one, a whole row (documents, lists, dicts) dozens."""
    with HistoryStore.in_dir(tmp_path) as store:
        fill(store, 200)
        gc.collect()
        before = len(gc.get_objects())
        light = store.summaries(limit=200)
        gc.collect()
        per_light = (len(gc.get_objects()) - before) / len(light)
        full = store.query(limit=200)
        gc.collect()
        per_full = (len(gc.get_objects()) - before) / len(full) - per_light
    assert all("x" * 100 not in repr(r) for r in light)
    assert per_light <= 1.5 < 5 < per_full


def test_count_upto_stops_at_its_cap(tmp_path: Path) -> None:
    with HistoryStore.in_dir(tmp_path) as store:
        fill(store, 12)
        assert store.count_upto(None, 100) == 12
        assert store.count_upto(None, 5) == 6  # cap + 1: "more than 5"
        assert store.count_upto(HistoryQuery(text="renewed_1"), 100) == 3  # 1, 10, 11


TEXTS = ("user_1", "USER_1", "renewed_1", "ed_1", "_1", "1", "us", "%", "x_y", '"q"', "nope")


def test_light_rows_find_exactly_what_whole_rows_find(tmp_path: Path) -> None:
    with HistoryStore.in_dir(tmp_path) as store:
        fill(store, 30)
        store.record(NewEntry(mode=Mode.PREVIEW, target="us", user_id='say "q" x_y'),
                     Outcome(status=Status.PREVIEWED))  # fmt: skip
        for text in TEXTS:
            query = HistoryQuery(text=text)
            scanned = [r.id for r in store.query(query, limit=1000)]  # plain LIKE
            assert [s.id for s in store.summaries(query, limit=1000)] == scanned, text
            assert store.count_upto(query, 1000) == len(scanned) == store.count(query), text


def test_a_short_first_page_is_its_own_count(tmp_path: Path) -> None:
    """A rare filter's first page holds every match: no second scan to count them."""
    with HistoryStore.in_dir(tmp_path) as store:
        fill(store, 30)
        statements: list[str] = []
        store._conn.set_trace_callback(statements.append)
        rows, count = store.first_page(HistoryQuery(text="renewed_2"), limit=100, cap=1000)
        store._conn.set_trace_callback(None)
        assert count == len(rows) == 11  # renewed_2, renewed_20 … renewed_29
        assert not any("count(" in s for s in statements)
        rows, count = store.first_page(HistoryQuery(text="renewed"), limit=10, cap=20)
        assert len(rows) == 10 and count == 21  # more than the cap: "more than 20"


def test_the_filter_follows_deletes_and_finished_rows(tmp_path: Path) -> None:
    with HistoryStore.in_dir(tmp_path) as store:
        (row_id,) = store.begin_many([NewEntry(mode=Mode.LIVE, target="us", user_id="kept_user")])
        store.finish_many([row_id], Outcome(status=Status.FAILED, error="boom-7f3e happened"))
        assert [s.id for s in store.summaries(HistoryQuery(text="boom-7f3e"))] == [row_id]
        store.delete([row_id])
        assert store.summaries(HistoryQuery(text="kept_user")) == []
        assert store.count_upto(HistoryQuery(text="boom-7f3e"), 10) == 0
