"""Crash safety, recovery of interrupted sends, and schema migrations."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.storage import (
    HistoryQuery,
    HistoryStore,
    Mode,
    NewEntry,
    Outcome,
    Status,
    StatusClass,
    StorageError,
)
from app.storage.history import INTERRUPTED_MESSAGE
from app.storage.migrations import SCHEMA_VERSION, migrate, schema_version

ROOT = Path(__file__).resolve().parents[2]

WRITER = textwrap.dedent(
    """
    import sys
    from app.storage import HistoryStore, Mode, NewEntry, Outcome, Status
    store = HistoryStore(sys.argv[1])
    mode = sys.argv[2]
    entry = NewEntry(mode=Mode.LIVE, target="us", user_id="crash", input={"n": 1},
                     requests=[{"body": "x" * 2000}], message_ids=["a", "b"])
    if mode == "hold":
        done = store.begin(entry)
        store.finish(done, Outcome(status=Status.ACCEPTED, http_status=200))
        pending = store.begin(entry)
        print(done, pending, flush=True)
        sys.stdin.read()  # wait to be killed
    else:
        while True:
            row_id = store.begin(entry)
            store.finish(row_id, Outcome(status=Status.ACCEPTED, http_status=200))
            print(row_id, flush=True)
    """
)


def start_writer(db: Path, mode: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), mode],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip


def kill(proc: subprocess.Popen[str]) -> None:
    proc.kill()  # SIGKILL on POSIX: no cleanup code runs
    proc.wait(timeout=30)


def test_killed_sender_leaves_interrupted_row_and_live_one_is_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    proc = start_writer(db, "hold")
    try:
        assert proc.stdout is not None
        done, pending = map(int, proc.stdout.readline().split())
        # The writer is alive: opening the store elsewhere must not steal its send.
        with HistoryStore(db) as reader:
            assert reader.recovered == 0
            assert reader.get(pending).status is Status.SENDING  # type: ignore[union-attr]
    finally:
        kill(proc)
    with HistoryStore(db) as store:
        assert store.recovered == 1
        row = store.get(pending)
        assert row is not None and row.status is Status.INTERRUPTED
        assert row.status.label == "interrupted — outcome unknown"
        assert row.error == INTERRUPTED_MESSAGE and row.finished_at is not None
        assert store.get(done).status is Status.ACCEPTED  # type: ignore[union-attr]
    assert list((tmp_path / "history.sqlite3.owners").iterdir()) == []  # stale lock removed


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL semantics")
def test_sigkill_mid_stream_loses_no_completed_send(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    proc = start_writer(db, "loop")
    finished: list[int] = []
    try:
        assert proc.stdout is not None
        while len(finished) < 400:
            finished.append(int(proc.stdout.readline()))
    finally:
        kill(proc)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with HistoryStore(db) as store:
        statuses = {r.id: r.status for r in store.iter_rows()}
        assert all(statuses[i] is Status.ACCEPTED for i in finished)
        assert set(statuses.values()) <= {Status.ACCEPTED, Status.INTERRUPTED}
        assert store.count(HistoryQuery(status=Status.SENDING)) == 0


def test_two_stores_in_one_process_and_close_interrupts_own_rows(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    writer = HistoryStore(db)
    row_id = writer.begin(NewEntry(mode=Mode.LIVE, target="eu"))
    with HistoryStore(db) as worker:  # e.g. the GUI's query thread
        assert worker.recovered == 0
    writer.close()  # closed without finishing: the outcome is unknown
    with HistoryStore(db, recover=False) as store:
        assert store.get(row_id).status is Status.INTERRUPTED  # type: ignore[union-attr]


def v1_database(db: Path) -> None:
    """A history file as version 1 of the schema left it, with two rows."""
    conn = sqlite3.connect(db, isolation_level=None)
    migrate(conn, target=1)
    for status in ("accepted", "sending"):
        conn.execute(
            "INSERT INTO history (created_at, mode, target, user_id, status, message_ids, error)"
            " VALUES ('2026-01-01T00:00:00.000000Z', 'live', 'us', 'old-user', ?, '[\"m-old\"]',"
            " 'HTTP 503')",
            (status,),
        )  # fmt: skip
        conn.execute(
            "INSERT INTO history_payload (id, input_json) VALUES (last_insert_rowid(), '{}')"
        )
    conn.close()


def test_migrates_a_version_1_database(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    v1_database(db)
    with HistoryStore(db) as store:
        assert schema_version(store._conn) == SCHEMA_VERSION == 6
        # A v1 row still "sending" has no owner: its writer is gone by definition.
        assert store.recovered == 1
        rows = store.query(HistoryQuery(text="M-OLD"))  # search was backfilled
        assert [r.status for r in rows] == [Status.INTERRUPTED, Status.ACCEPTED]
        assert rows[1].error_kind == "" and rows[1].input == {}
        assert store.count(HistoryQuery(status=Status.ACCEPTED)) == 1  # class backfilled
        new = store.record(NewEntry(mode=Mode.PREVIEW, target="us", user_id="old-user"),
                           Outcome(status=Status.PREVIEWED))  # fmt: skip
        assert store.user_timeline("old-user")[-1].id == new


def v2_database(db: Path) -> None:
    """A history file as version 2 left it: triggers deriving status_class and search,
    responses in history_payload. One finished row, one still "sending" (no owner)."""
    conn = sqlite3.connect(db, isolation_level=None)
    migrate(conn, target=2)
    for status, responses in (("accepted", '[{"status":200}]'), ("sending", "[]")):
        conn.execute(
            "INSERT INTO history (created_at, mode, target, user_id, status, message_ids)"
            " VALUES ('2026-01-01T00:00:00.000000Z', 'live', 'eu', 'v2-user', ?, '[\"m-v2\"]')",
            (status,),
        )  # fmt: skip
        conn.execute(
            "INSERT INTO history_payload (id, input_json, responses_json)"
            " VALUES (last_insert_rowid(), '{\"v\":2}', ?)",
            (responses,),
        )
    conn.close()


def test_migrates_a_version_2_database(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    v2_database(db)
    with HistoryStore(db) as store:
        assert schema_version(store._conn) == SCHEMA_VERSION
        triggers = store._conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        assert triggers.fetchall() == []  # the store derives the columns now
        assert store.recovered == 1  # interrupted by the store, no trigger: class and search
        assert store.count(HistoryQuery(status=Status.INTERRUPTED)) == 1
        assert store.count(HistoryQuery(text="may or may not have reached")) == 1
        done = store.query(HistoryQuery(status=Status.ACCEPTED))
        assert [(r.input, r.responses) for r in done] == [({"v": 2}, [{"status": 200}])]
        interrupted = store.query(HistoryQuery(status=Status.INTERRUPTED))[0]
        assert interrupted.responses == [] and interrupted.input == {"v": 2}
        assert [r.user_id for r in store.query(HistoryQuery(text="M-V2"))] == ["v2-user"] * 2
        new = store.begin(NewEntry(mode=Mode.LIVE, target="us", user_id="v3-user"))
        assert store.count(HistoryQuery(status_class=StatusClass.PENDING)) == 1
        store.finish(new, Outcome(status=Status.FAILED, error="HTTP 503", responses=[{"s": 503}]))
        assert [r.id for r in store.query(HistoryQuery(text="http 503"))] == [new]
        assert store.get(new).responses == [{"s": 503}]  # type: ignore[union-attr]


def test_refuses_a_database_from_a_newer_app(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    HistoryStore(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StorageError, match="newer than this app"):
        HistoryStore(db)


def test_a_file_that_is_not_a_database_is_a_storage_error(tmp_path: Path) -> None:
    db = tmp_path / "history.sqlite3"
    db.write_bytes(b"this is not SQLite" * 100)
    with pytest.raises(StorageError, match="not a usable history database"):
        HistoryStore(db)
