"""The trigram signature in front of text search (migration 6, `app.storage.grams`):
it must never change what a search finds, only how many rows the `LIKE` has to read."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.storage import HistoryQuery, HistoryStore, Mode, NewEntry, Outcome, Status, grams
from app.storage.migrations import SCHEMA_VERSION, migrate, schema_version
from app.storage.query import _like_pattern, where

#: Letters that make trigrams collide often, plus what LIKE treats specially, the
#: separator, and non-ASCII with and without case (KELVIN SIGN lowers to ASCII "k" in
#: Python's str.lower, never in SQLite's LIKE).
ALPHABET = "abcAB-_%\\\x1f 0é\u00c9\u212akK\U0001f600"
TEXT = st.text(alphabet=ALPHABET, max_size=40)


@given(st.text(max_size=60) | TEXT)
def test_the_fast_signature_is_the_one_trigram_at_a_time_definition(text: str) -> None:
    assert grams.signature(text) == grams.signature_reference(text)


def test_the_tables_never_change() -> None:
    """Stored signatures depend on them: changing them needs a migration, not an edit."""
    assert grams.columns("user-00999") == (
        18155135997841411,
        -9223372036854743024,
        70368760954880,
        4611826756989489408,
    )
    assert grams.columns("ab") == (0, 0, 0, 0)


def _entry(user_id: str) -> NewEntry:
    return NewEntry(mode=Mode.PREVIEW, target="us", event_type="renewal",
                    user_id=user_id, message_ids=[f"m-{user_id}"])  # fmt: skip


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HistoryStore]:
    """Rows whose texts share many trigrams, so a wrong signature would lose some."""
    path = tmp_path_factory.mktemp("grams") / "history.sqlite3"
    with HistoryStore(path) as made:
        users = ["".join(ALPHABET[(i * k + k) % len(ALPHABET)] for k in range(i % 9 + 1))
                 for i in range(300)]  # fmt: skip
        made.record_many(
            [(_entry(u), Outcome(status=Status.PREVIEWED, error=f"E{u[::-1]}")) for u in users]
        )
    opened = HistoryStore(path)
    yield opened
    opened.close()


def _by_like(store: HistoryStore, needle: str) -> list[int]:
    return [r[0] for r in store._conn.execute(
        "SELECT id FROM history WHERE search LIKE ? ESCAPE '\\' ORDER BY created_at DESC, id DESC",
        (_like_pattern(needle),),
    )]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(needle=TEXT, row=st.integers(0, 299), start=st.integers(0, 30), size=st.integers(1, 12))
def test_a_search_finds_exactly_what_the_like_alone_finds(
    store: HistoryStore, needle: str, row: int, start: int, size: int
) -> None:
    # A random needle (mostly no match), and a slice of a stored row's text with its
    # ASCII case flipped (always a match).
    (text,) = store._conn.execute("SELECT search FROM history LIMIT 1 OFFSET ?", (row,)).fetchone()
    for probe in (needle, text[start : start + size].swapcase()):
        if not probe.strip():
            continue
        found = [r.id for r in store.query(HistoryQuery(text=probe), limit=1000)]
        assert found == _by_like(store, probe.strip()), probe


def test_the_signature_leaves_few_rows_for_the_like(store: HistoryStore) -> None:
    """What the feature is for: a needle's signature rules most rows out unread."""
    clause, params = where(HistoryQuery(text="bAé0K"))
    signature_only = clause.rsplit(" AND search LIKE", 1)[0]
    assert signature_only.startswith(" WHERE (g")  # the LIKE is not in what is counted
    candidates = store._conn.execute(f"SELECT count(*) FROM history{signature_only}", params[:-1])
    assert candidates.fetchone()[0] < 30  # of 300 rows


def test_a_row_written_without_a_signature_is_still_found(tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "history.sqlite3") as store:
        store._conn.execute(
            "INSERT INTO history (created_at, mode, target, status, status_class, search) "
            "VALUES ('2026-01-01T00:00:00.000000Z', 'live', 'us', 'accepted', 'ok', 'by-hand')"
        )
        assert [r.target for r in store.query(HistoryQuery(text="BY-HAND"))] == ["us"]


def test_migration_6_backfills_every_row_and_swaps_the_index(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    conn = sqlite3.connect(db, isolation_level=None)
    migrate(conn, target=5)
    conn.executemany(
        "INSERT INTO history (created_at, mode, target, status, status_class, search) "
        "VALUES ('2026-01-01T00:00:00.000000Z', 'live', 'us', 'accepted', 'ok', ?)",
        [(f"user-{i:05d}\x1frenewal",) for i in range(4_500)],  # more than one batch
    )
    conn.close()
    with HistoryStore(db) as store:
        assert schema_version(store._conn) == SCHEMA_VERSION == 6
        rows = store._conn.execute("SELECT search, g0, g1, g2, g3 FROM history").fetchall()
        assert len(rows) == 4_500
        assert all(tuple(g) == grams.columns(search) for search, *g in rows)
        indexes = {r[0] for r in store._conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'history'"
        )}  # fmt: skip
        assert "history_newest_grams" in indexes and "history_newest" not in indexes
        assert [r.id for r in store.query(HistoryQuery(text="USER-04321"))] == [4322]
