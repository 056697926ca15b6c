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
