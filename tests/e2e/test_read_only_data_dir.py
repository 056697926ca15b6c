"""A data directory that cannot be written (a read-only mount, here a real one): the
commands that only read work, without writing anything; the others say in one line
that the directory is read-only (SQLite's own words blamed the file)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.support import read_only
from tests.support.cli import ROOT, InProcessCli

pytestmark = pytest.mark.skipif(
    not read_only.available(), reason="needs a mount namespace (unshare -m) for a read-only mount"
)
SAMPLE = str(ROOT / "sample_events" / "renewal.revenuecat.json")


def _history(tmp_path: Path, cli: InProcessCli) -> Path:
    """A history with one previewed row, made in-process (the mount is what is tested)."""
    data = tmp_path / "data"
    done = cli("send", SAMPLE, "--preview", "--region", "us", "--data-dir", str(data))
    assert done.returncode == 0, done.stderr
    return data


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_reading_commands_read_a_read_only_history_and_write_nothing(
    tmp_path: Path, cli: InProcessCli
) -> None:
    data = _history(tmp_path, cli)
    before = _files(data)  # the file alone: a clean close removed -wal and -shm

    send_preview = ("send", SAMPLE, "--preview", "--region", "us")
    writes = (("history", "prune", "--all", "--yes"), send_preview)
    # One process under the mount for all of them (the first command is a real start).
    listed, shown, exported, report, *refusals = read_only.apps(
        data, ("history", "list", "--json"), ("history", "show", "1"),
        ("history", "export", "-", "--format", "ndjson"), ("identity", "--report"), *writes,
    )  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    (row,) = [json.loads(line) for line in listed.stdout.splitlines()]
    assert row["event_name"] == "rc_renewal_event" and row["status"] == "previewed"
    assert row["id"] == 1
    assert shown.returncode == 0 and json.loads(shown.stdout)["id"] == row["id"], shown.stderr
    assert exported.returncode == 0 and json.loads(exported.stdout)["id"] == row["id"]
    assert report.returncode == 0 and "users" in json.loads(report.stdout), report.stderr
    for refused, argv in zip(refusals, writes, strict=True):
        assert refused.returncode == 2 and refused.stdout == ""
        assert refused.stderr == (
            f"error: --data-dir: {data}: the data directory is read-only; this command writes "
            "to its history: use a --data-dir you can write\n"
        ), argv
    assert _files(data) == before


def test_a_read_only_dir_without_a_history_or_with_an_older_one_is_one_line(
    tmp_path: Path, cli: InProcessCli
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    listed = read_only.app(empty, "history", "list")
    assert listed.returncode == 2 and listed.stdout == ""
    assert listed.stderr == (
        f"error: --data-dir: {empty}: the data directory is read-only; it holds no history "
        "(history.sqlite3)\n"
    )
    # identity --report said the same in other words ("--data-dir: " only there).
    report = read_only.app(empty, "identity", "--report")
    assert (report.returncode, report.stderr) == (2, listed.stderr)
    data = _history(tmp_path, cli)
    with sqlite3.connect(data / "history.sqlite3") as conn:  # as an older version left it
        conn.execute("PRAGMA user_version = 3")
    conn.close()
    older = read_only.app(data, "history", "list")
    assert older.returncode == 2 and older.stdout == "" and len(older.stderr.splitlines()) == 1
    assert "read-only" in older.stderr and "schema version 3" in older.stderr
    assert "Traceback" not in older.stderr
