"""`python -m app history …` as a user runs it, in-process (the `run` fixture) over a real
history file; tests/e2e/test_cli_process.py runs it as a real process too."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.core.redact import key_fingerprint
from app.storage import HistoryStore, Mode, NewEntry, Outcome, Status
from tests.support.cli import InProcessCli, Result

KEY = "wk_cli_test_Zm9vYmFyYmF6cXV4MTIzNDU2c3x9"
T0 = datetime(2026, 4, 1, 9, 30, tzinfo=UTC)


@pytest.fixture
def run(cli: InProcessCli) -> Callable[..., Result]:
    """`python -m app history ARGS… [--data-dir DATA]`, in-process."""

    def run(
        *args: str, data: Path | None = None, env: Mapping[str, str] | None = None,
        stdin: str = "",
    ) -> Result:  # fmt: skip
        argv = ["history", *args]
        if data is not None:
            argv += ["--data-dir", str(data)]
        return cli(*argv, stdin=stdin, env=env)

    return run


def one_line_error(result: Result) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """Six rows: users alice/bob, renewal/expiration, one failure, one preview."""
    directory = tmp_path / "data"
    with HistoryStore.in_dir(directory) as store:
        for i in range(6):
            e = NewEntry(
                mode=Mode.PREVIEW if i == 5 else Mode.LIVE,
                target="eu" if i % 2 else "us",
                event_type="renewal" if i % 2 else "expiration",
                event_name="Renewed" if i % 2 else "rc_expiration_event",
                user_id="alice" if i < 3 else "bob",
                input={"event": {"type": "RENEWAL", "note": f"key {KEY}" if i == 4 else ""}},
                requests=[{"headers": {"Authorization": "Basic ••••" + KEY[-4:]}}],
                message_ids=[f"mid-{i}"],
                key_fingerprint=key_fingerprint(KEY),
                created_at=T0 + timedelta(hours=i),
            )
            if i == 5:
                store.record(e, Outcome(status=Status.PREVIEWED))
            else:
                row = store.begin(e)
                failed = Outcome(status=Status.FAILED, http_status=400, error="bad JSON")
                ok = Outcome(status=Status.ACCEPTED, http_status=200, elapsed_ms=33.0, attempts=1)
                store.finish(row, failed if i == 2 else ok)
    return directory


def ids(result: Result) -> list[int]:
    assert result.returncode == 0, result.stderr
    return [json.loads(line)["id"] for line in result.stdout.splitlines()]


def test_list_json_is_one_object_per_row_newest_first(
    run: Callable[..., Result], data: Path
) -> None:
    result = run("list", "--json", data=data)
    assert ids(result) == [6, 5, 4, 3, 2, 1]
    first = json.loads(result.stdout.splitlines()[0])
    assert first["mode"] == "preview" and first["status_class"] == "ok"
    assert first["key_fingerprint"] == KEY[-4:] and first["message_ids"] == ["mid-5"]
    assert ids(run("list", "--json", "--limit", "2", data=data)) == [6, 5]
    assert ids(run("list", "--json", "--limit", "2", "--offset", "4", data=data)) == [2, 1]


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (["--user", "alice"], [3, 2, 1]),
        (["--event", "renewal"], [6, 4, 2]),  # a Segment event type key
        (["--event", "rc_expiration_event"], [5, 3, 1]),  # or a configured name
        (["--status", "error"], [3]),
        (["--status", "previewed"], [6]),
        (["--search", "MID-4"], [5]),
        (["--since", "2026-04-01T12:00Z", "--until", "2026-04-01T14:00:00+00:00"], [4, 5]),
        (["--user", "bob", "--status", "ok", "--event", "renewal"], [6, 4]),
    ],
)
def test_list_filters(
    run: Callable[..., Result], data: Path, flags: list[str], expected: list[int]
) -> None:
    assert sorted(ids(run("list", "--json", *flags, data=data))) == sorted(expected)


def test_list_table_for_humans(run: Callable[..., Result], data: Path) -> None:
    result = run("list", "--user", "alice", data=data)
    assert result.returncode == 0
    header, *rows = result.stdout.splitlines()
    assert header.split()[:2] == ["ID", "TIME"]
    assert [r.split()[0] for r in rows] == ["3", "2", "1"]
    assert "failed" in rows[0] and "400" in rows[0] and "alice" in rows[0]
    assert "rows 1–3 of 3" in result.stderr
    empty = run("list", "--user", "nobody", data=data)
    assert empty.returncode == 0 and empty.stdout == "" and "no history rows" in empty.stderr


def test_show_prints_the_full_redacted_row(run: Callable[..., Result], data: Path) -> None:
    result = run("show", "3", data=data)
    assert result.returncode == 0, result.stderr
    row = json.loads(result.stdout)
    assert row["id"] == 3 and row["status"] == "failed" and row["error"] == "bad JSON"
    assert row["requests"] == [{"headers": {"Authorization": "Basic ••••" + KEY[-4:]}}]
    assert "no row with id 99" in one_line_error(run("show", "99", data=data))


def test_export_ndjson_json_and_stdout_contain_no_key(
    run: Callable[..., Result], data: Path, tmp_path: Path
) -> None:
    env = {"SEGMENT_WRITE_KEY": KEY}
    out = tmp_path / "rows.ndjson"
    result = run("export", str(out), "--user", "bob", data=data, env=env)
    assert result.returncode == 0 and "exported 3 rows" in result.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == [6, 5, 4]
    as_json = tmp_path / "rows.json"  # format from the extension
    assert run("export", str(as_json), data=data, env=env).returncode == 0
    assert [r["id"] for r in json.loads(as_json.read_text(encoding="utf-8"))] == [6, 5, 4, 3, 2, 1]
    stdout = run("export", "-", "--format", "json", "--status", "error", data=data, env=env)
    assert [r["id"] for r in json.loads(stdout.stdout)] == [3]
    everything = out.read_text(encoding="utf-8") + as_json.read_text(encoding="utf-8")
    assert KEY not in everything and "key ••••" + KEY[-4:] in everything


def test_prune_asks_for_yes_and_deletes(run: Callable[..., Result], data: Path) -> None:
    refused = one_line_error(run("prune", "--keep", "2", data=data))
    assert "would delete 4 rows; add --yes" in refused
    assert len(ids(run("list", "--json", data=data))) == 6  # nothing deleted
    done = run("prune", "--keep", "2", "--yes", data=data)
    assert done.returncode == 0 and "deleted 4 rows" in done.stderr
    assert ids(run("list", "--json", data=data)) == [6, 5]
    assert run("prune", "--older-than", "36500", "--yes", data=data).stderr.strip() == (
        "deleted 0 rows"
    )
    assert run("prune", "--all", "--yes", data=data).returncode == 0
    assert ids(run("list", "--json", data=data)) == []


def test_delete_is_all_or_nothing(run: Callable[..., Result], data: Path) -> None:
    assert "no row with id 42" in one_line_error(run("delete", "1", "42", data=data))
    assert len(ids(run("list", "--json", data=data))) == 6
    result = run("delete", "1", "2", data=data)
    assert result.returncode == 0 and "deleted 2 rows" in result.stderr
    assert ids(run("list", "--json", data=data)) == [6, 5, 4, 3]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "choose list, show"),
        (["list", "--status", "great"], "expected a class (ok, error"),
        (["list", "--since", "last tuesday"], "--since 'last tuesday'"),
        (["list", "--limit", "-1"], "--limit -1"),
        (["list", "--limit", "many"], "invalid int value"),
        (["prune", "--yes"], "give --older-than DAYS, --keep N, or --all"),
        (["prune", "--all", "--keep", "3"], "cannot be combined"),
        (["show", "abc"], "invalid int value"),
        (["export", "x.txt", "--format", "csv"], "invalid choice"),
        # these were tracebacks (OverflowError / ValueError from sqlite3 and timedelta)
        (["show", "99999999999999999999"], "no row has id 99999999999999999999"),
        (["delete", "1", "99999999999999999999"], "no row has id"),
        (["prune", "--older-than", "nan", "--yes"], "--older-than nan: must be 0 or more"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    run: Callable[..., Result], data: Path, args: list[str], message: str
) -> None:
    if args:
        assert message in one_line_error(run(*args, data=data))
    else:
        assert message in one_line_error(run(env={"RC_SEGMENT_TESTER_HOME": str(data)}))


def test_huge_numbers_mean_all_or_nothing_not_a_traceback(
    run: Callable[..., Result], data: Path
) -> None:
    huge = "99999999999999999999"
    assert len(ids(run("list", "--json", "--limit", huge, data=data))) == 6
    assert len(ids(run("list", "--json", "--since", f"{huge}d", data=data))) == 6
    for args in (["--older-than", "1e300"], ["--keep", huge]):
        done = run("prune", *args, "--yes", data=data)
        assert done.returncode == 0 and done.stderr.strip() == "deleted 0 rows", done.stderr
    assert len(ids(run("list", "--json", data=data))) == 6


def test_env_home_is_used_without_data_dir(run: Callable[..., Result], data: Path) -> None:
    result = run("list", "--json", env={"RC_SEGMENT_TESTER_HOME": str(data)})
    assert len(ids(result)) == 6


def test_unusable_data_dir_and_database_are_one_line_errors(
    run: Callable[..., Result], tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    assert "not a directory" in one_line_error(run("list", data=blocker))
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "history.sqlite3").write_bytes(b"garbage" * 1000)
    assert "not a usable history database" in one_line_error(run("list", data=broken))


def test_a_database_damaged_mid_use_is_a_one_line_error(
    run: Callable[..., Result], data: Path
) -> None:
    with sqlite3.connect(data / "history.sqlite3") as conn:
        conn.execute("DROP TABLE history_payload")
    assert "cannot read the history" in one_line_error(run("list", data=data))
