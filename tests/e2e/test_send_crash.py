"""SIGKILL a `send` mid-run: the history must open, be intact, and hold no half rows."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.storage import HISTORY_FILENAME, HistoryQuery, HistoryStore, Status
from tests.support.cli import ROOT, write_events
from tests.support.segment_server import Received, SegmentServer
from tests.support.webhooks import KEY, make_events

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")


def _rows(db: Path) -> int:
    """Rows so far, read without opening a HistoryStore (which would recover rows)."""
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute("SELECT count(*) FROM history").fetchone()[0])
    except sqlite3.Error:
        return 0  # not created yet


def _whole(request: Received) -> bool:
    """False for the request the kill cut off halfway through its body."""
    return len(request.body) == int(request.headers.get("content-length", -1))


@pytest.mark.parametrize("batch", [False, True], ids=["per-message", "batch"])
def test_sigkill_mid_send_leaves_a_clean_database(tmp_path, batch):
    data = tmp_path / "data"
    # Enough that the kill comes early in the send (after 50 of 500 rows per-message, ~10
    # times sooner than the send would end; the 1st of ~5 batches), few enough that
    # rendering them before the first request is quick.
    count = 1500 if batch else 500
    events = write_events(tmp_path / "events.ndjson", make_events(count))
    env = {**os.environ, "SEGMENT_WRITE_KEY": KEY}
    env.pop("RC_SEGMENT_TESTER_HOME", None)
    with SegmentServer(delay=0.3 if batch else 0.002) as server:
        args = ["--endpoint", server.base_url, "--data-dir", str(data)]
        if batch:
            args.append("--batch")
        child = subprocess.Popen(
            [sys.executable, "-m", "app", "send", events, *args],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        db = data / HISTORY_FILENAME
        deadline = time.monotonic() + 60
        want = 500 if batch else 50  # batch: each /batch begins its rows together
        try:
            while _rows(db) < want:  # bounded wait on a condition, not a fixed sleep
                assert child.poll() is None, child.stderr.read() if child.stderr else ""
                assert time.monotonic() < deadline, f"only {_rows(db)} rows after 60 s"
                time.sleep(0.02)
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=10)
            if child.stderr:
                child.stderr.close()
        assert child.returncode == -signal.SIGKILL
        arrived = {m["messageId"] for r in server.requests if _whole(r) for m in r.messages}
    assert len(arrived) < 2 * count  # killed mid-send: not every message got there

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    with HistoryStore.in_dir(data) as store:
        rows = list(store.iter_rows(HistoryQuery()))
        assert len(rows) >= want
        statuses = {r.status for r in rows}
        assert statuses <= {Status.ACCEPTED, Status.INTERRUPTED}, statuses
        assert store.count(HistoryQuery(status=Status.SENDING)) == 0
        for row in rows:
            if row.status is Status.ACCEPTED:  # complete: its messages reached the server
                assert row.http_status == 200 and set(row.message_ids) <= arrived
            else:
                assert row.finished_at is not None and row.error_kind == "interrupted"
        assert any(r.status is Status.ACCEPTED for r in rows) or batch
