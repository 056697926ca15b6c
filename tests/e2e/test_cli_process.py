"""The real `python -m app` in a subprocess, for what only a process shows: its exit status
(through `__main__` and `sys.exit`) and that no traceback reaches the user. Everything else
about the commands is tested in-process (test_cli_*.py, test_history_cli.py). One command
of each family runs here; `serve` in test_cli_serve.py, `samples` in test_packaging.py,
`gui` in tests/ui."""

from __future__ import annotations

from pathlib import Path

from app.storage import HistoryStore
from tests.support.cli import SAMPLES, assert_one_clean_error, json_lines, run_process, write_events
from tests.support.segment_server import SegmentServer, respond
from tests.support.webhooks import KEY, make_events


def test_render_exits_0_with_one_json_line_per_event() -> None:
    proc = run_process("render", str(SAMPLES / "renewal.revenuecat.json"))
    assert proc.returncode == 0, proc.stderr
    [out] = json_lines(proc)
    assert out["segment_event"] == "renewal" and len(out["messages"]) == 2


def test_render_bad_input_exits_2_in_one_line() -> None:
    deep = '{"type": "RENEWAL", "x": ' + "[" * 50_000 + "]" * 50_000 + "}"
    assert_one_clean_error(run_process("render", "-", stdin=deep), "nested too deeply")


def test_send_exits_1_when_a_request_fails_after_retries(tmp_path: Path) -> None:
    with SegmentServer() as server:
        now = {"Retry-After": "0"}  # retried at once: the backoff is tested without sleeping
        server.script(respond(500, headers=now), respond(500), respond(400))
        events = write_events(tmp_path / "events.ndjson", make_events(1))
        proc = run_process(
            "send", events, "--endpoint", server.base_url, "--retries", "1",
            "--data-dir", str(tmp_path / "d"), env={"SEGMENT_WRITE_KEY": KEY},
        )  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    assert [line["status"] for line in json_lines(proc)] == [500, 400]
    assert "failed:" in proc.stderr and "Traceback" not in proc.stderr


def test_history_bad_input_exits_2_in_one_line(tmp_path: Path) -> None:
    HistoryStore.in_dir(tmp_path).close()
    huge = "99999999999999999999"  # was a traceback (OverflowError from sqlite3)
    proc = run_process("history", "show", huge, "--data-dir", str(tmp_path))
    assert_one_clean_error(proc, f"no row has id {huge}")


def test_scenario_bad_start_exits_2_in_one_line() -> None:
    bad = run_process("scenario", "render", "one_off", "--start", "yesterday")
    assert_one_clean_error(bad, "ISO-8601")


def test_identity_bad_input_exits_2_in_one_line() -> None:
    missing = run_process("identity", str(SAMPLES / "renewal.revenuecat.json"))
    assert_one_clean_error(missing, "--app-user-id is required")
