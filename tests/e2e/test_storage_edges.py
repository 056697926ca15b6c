"""History storage failing under a send, and the history file's own hygiene: real SQLite
files, the loopback Segment server, the CLI in-process, and a real subprocess where the
process is the point (a file size limit on the sender).

Disk full is a real write failure: the child runs under RLIMIT_FSIZE (SIGXFSZ ignored,
so a write past the limit fails with EFBIG, as it would on a full disk)."""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from app import cli
from app.storage import HistoryQuery, HistoryStore, database
from app.storage.models import Mode, NewEntry, Outcome, Status
from tests.support.cli import ROOT, assert_one_clean_error, write_events
from tests.support.segment_server import held
from tests.support.webhooks import KEY, make_events


def _received_ids(server) -> set[str]:  # type: ignore[no-untyped-def]
    return {m["messageId"] for r in server.requests for m in r.messages}


def _recorded_ids(data: Path) -> set[str]:
    with HistoryStore.in_dir(data) as store:
        rows = store.query(HistoryQuery(), limit=10_000)
    return {i for row in rows for i in row.message_ids}


def _integrity(data: Path) -> str:
    with sqlite3.connect(data / "history.sqlite3") as conn:
        result: str = conn.execute("PRAGMA integrity_check").fetchone()[0]
    return result


def test_a_full_disk_mid_send_is_one_line_and_nothing_unrecorded_goes_out(segment_server, send,
                                                                          tmp_path):  # fmt: skip
    data = tmp_path / "data"
    events = write_events(tmp_path / "e.ndjson", make_events(40, pad=3000))
    assert send(events, "--preview", "--region", "us", data_dir=data).returncode == 0
    limit = (data / "history.sqlite3").stat().st_size + 150_000

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    environ = {**os.environ, "SEGMENT_WRITE_KEY": KEY}
    environ.pop("RC_SEGMENT_TESTER_HOME", None)
    proc = subprocess.run(
        [sys.executable, "-m", "app", "send", events, "--endpoint", segment_server.base_url,
         "--data-dir", str(data)],
        capture_output=True, text=True, cwd=ROOT, timeout=120, env=environ,
        preexec_fn=limited,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    [line] = proc.stderr.splitlines()
    assert line.startswith("error: ") and "history.sqlite3" in line and "stopped sending" in line
    received = _received_ids(segment_server)
    assert 0 < len(received) < 80  # it stopped part-way
    assert _integrity(data) == "ok"
    assert received <= _recorded_ids(data)  # everything that went out is in the history


def test_an_unusable_lock_file_is_one_line_and_nothing_is_sent(segment_server, send, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "history.sqlite3.owners").write_text("not a folder")
    events = write_events(tmp_path / "e.ndjson", make_events(2))
    proc = send(events, "--endpoint", segment_server.base_url, data_dir=data)
    assert_one_clean_error(proc, "history.sqlite3.owners", "send lock")
    assert segment_server.requests == []


def test_a_database_locked_too_long_mid_send_is_one_line(segment_server, send, tmp_path,
                                                         monkeypatch, capsys):  # fmt: skip
    data = tmp_path / "data"
    events = write_events(tmp_path / "e.ndjson", make_events(2))
    assert send(events, "--preview", "--region", "us", data_dir=data).returncode == 0
    monkeypatch.setattr(database, "BUSY_TIMEOUT", 0.2)
    monkeypatch.setenv("SEGMENT_WRITE_KEY", KEY)
    holder = sqlite3.connect(data / "history.sqlite3", isolation_level=None,
                             check_same_thread=False)  # fmt: skip
    locked = threading.Event()
    segment_server.script(held(locked))  # the first answer waits until another writer locks

    def lock_once_sending() -> None:
        segment_server.wait_for(1)  # the first event's row is written and its track is out
        holder.execute("BEGIN IMMEDIATE")  # another process's long write
        locked.set()

    locker = threading.Thread(target=lock_once_sending)
    locker.start()
    try:
        code = cli.run(["send", events, "--endpoint", segment_server.base_url,
                        "--data-dir", str(data)])  # fmt: skip
    finally:
        locker.join(timeout=10)
        if locked.is_set():
            holder.execute("ROLLBACK")
        holder.close()
    err = capsys.readouterr().err
    assert locked.is_set()
    assert code == 2 and err.count("\n") == 1, err
    assert "history.sqlite3" in err and "locked" in err and "stopped sending" in err
    assert [r.path for r in segment_server.requests] == ["/v1/track", "/v1/identify"]
    assert _received_ids(segment_server) <= _recorded_ids(data)


def test_a_damaged_database_is_refused_before_anything_is_sent(segment_server, send, tmp_path):
    data = tmp_path / "data"
    events = write_events(tmp_path / "e.ndjson", make_events(60, pad=2000))
    assert send(events, "--preview", "--region", "us", data_dir=data).returncode == 0
    path = data / "history.sqlite3"
    with sqlite3.connect(path) as conn:
        page = conn.execute("PRAGMA page_size").fetchone()[0]
    raw = bytearray(path.read_bytes())
    assert len(raw) > 12 * page
    raw[8 * page : 10 * page] = b"\x5a" * (2 * page)  # two pages of garbage, header intact
    path.write_bytes(bytes(raw))
    proc = send(events, "--endpoint", segment_server.base_url, data_dir=data)
    assert_one_clean_error(proc, "history.sqlite3", "damaged")
    assert segment_server.requests == []


def _entry(i: int) -> NewEntry:
    return NewEntry(mode=Mode.PREVIEW, target="us", event_type="renewal", event_name="r",
                    user_id=f"user_{i}", input={"pad": "x" * 4000}, requests=[],
                    message_ids=[f"id-{i}"])  # fmt: skip


def test_history_files_are_private_even_in_an_open_directory(tmp_path):
    data = tmp_path / "open"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    old = os.umask(0o022)
    try:
        with HistoryStore.in_dir(data) as store:
            store.begin(_entry(1))  # a live row: the WAL, the shm and a lock file exist
            files = [p for p in data.rglob("*") if p.is_file()]
            names = {p.name for p in files}
            assert {"history.sqlite3", "history.sqlite3-wal", "history.sqlite3-shm"} <= names
            assert any(p.suffix == ".lock" for p in files)
            for path in files:
                assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
        (data / "history.sqlite3").chmod(0o644)  # from an older version: tightened
        HistoryStore.in_dir(data).close()
        assert stat.S_IMODE((data / "history.sqlite3").stat().st_mode) == 0o600
    finally:
        os.umask(old)


def _size(data: Path) -> int:
    return sum(p.stat().st_size for p in data.glob("history.sqlite3*"))


@pytest.mark.parametrize("flags", [["--all"], ["--keep", "10"]])
def test_prune_gives_the_space_back(cli, tmp_path, flags):
    data = tmp_path / "data"
    with HistoryStore.in_dir(data) as store:
        for i in range(400):
            store.record(_entry(i), Outcome(status=Status.PREVIEWED))
    before = _size(data)
    proc = cli("history", "prune", *flags, "--yes", "--data-dir", str(data))
    assert proc.returncode == 0, proc.stderr
    assert _size(data) < before / 4, (before, _size(data))
    assert _integrity(data) == "ok"
