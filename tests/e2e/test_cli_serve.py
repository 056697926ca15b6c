"""`python -m app serve` and `identity --report`: the contract. The signals need the real
process (one per signal); bad input and what the history holds afterwards are read
in-process (`tests.support.cli`)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cli import ROOT, InProcessCli, json_lines
from tests.support.http import http_client

RENEWAL = ROOT / "sample_events" / "renewal.revenuecat.json"


def serve(data_dir: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "app", "serve", "--port", "0", "--data-dir", str(data_dir), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serve_contract_first_line_items_and_a_signal_finishes(tmp_path, cli, stop):
    proc = serve(tmp_path, "--expect-write-key", "wk_expected_1234")
    try:
        assert proc.stdout is not None
        first = json.loads(proc.stdout.readline())
        assert set(first) == {"listening", "segment_api", "revenuecat_webhook"}
        assert first["listening"].startswith("http://127.0.0.1:")
        assert first["segment_api"] == first["listening"] + "/v1"
        assert first["revenuecat_webhook"] == first["listening"] + "/revenuecat"
        batch = {"batch": [{"type": "track", "userId": f"u{i}", "event": "E"} for i in range(300)]}
        with http_client(timeout=30) as http:
            call = http.post(f"{first['segment_api']}/identify",
                             json={"userId": "USER_4821", "writeKey": "wk_other_9999"})  # fmt: skip
            hook = http.post(first["revenuecat_webhook"], content=RENEWAL.read_bytes())
            many = http.post(f"{first['segment_api']}/batch", json=batch)
        assert call.status_code == hook.status_code == many.status_code == 200
        lines = [json.loads(proc.stdout.readline()) for _ in range(3)]
        proc.send_signal(stop)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert out == ""  # nothing after the items
    assert "Traceback" not in err and "wk_other_9999" not in out + err
    assert "stopped: 2 call(s) with 301 message(s) and 1 webhook(s) recorded" in err
    by_source = {line["source"]: line for line in lines[:2]}
    assert by_source["segment"]["flags"][0]["code"] == "unexpected_write_key"
    assert by_source["revenuecat"]["outcome"] == "recorded"
    assert lines[2]["messages"] == 300
    assert all(line["history_id"] for line in lines)
    rows = json_lines(cli("history", "list", "--json", "--data-dir", str(tmp_path)))
    assert [(r["mode"], r["event_type"]) for r in rows] == [
        ("captured", "batch"), ("webhook", "renewal"), ("captured", "identify")
    ]  # fmt: skip
    assert len(rows[0]["input"]["batch"]) == 300
    report = cli("identity", "--report", "--data-dir", str(tmp_path))
    assert report.returncode == 0, report.stderr
    (user,) = json.loads(report.stdout)["users"]
    assert user["revenuecat_user_id"] == "user_4821"
    assert user["verdict"] == "differs_by_case" and user["app_ids"] == ["USER_4821"]
    assert set(user) == {"revenuecat_user_id", "verdict", "app_ids", "message", "fix"}


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--port", "70000"], "--port"),
        (["--forward", "ftp://example.com"], "--forward"),
        (["--forward", "us"], "--forward"),  # no key
        (["--revenue", "net"], "--revenue"),
        (["--event-name", "renewal"], "--event-name"),
        (["--webhook-auth", " "], "--webhook-auth"),
        (["--host", "256.1.1.1"], "--host"),
    ],
)
def test_serve_bad_input_is_one_line_exit_2(cli: InProcessCli, tmp_path, args, field):
    proc = cli("serve", "--port", "0", "--data-dir", str(tmp_path), *args)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and field in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_serve_with_an_unusable_data_dir_names_it(cli: InProcessCli, tmp_path):
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    proc = cli("serve", "--port", "0", "--data-dir", str(not_a_dir))
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    assert "--data-dir" in proc.stderr and "Traceback" not in proc.stderr


def test_identity_report_on_an_empty_history_and_misuse(cli: InProcessCli, tmp_path):
    empty = cli("identity", "--report", "--data-dir", str(tmp_path))
    assert empty.returncode == 0 and json.loads(empty.stdout) == {"users": []}
    both = cli("identity", "--report", str(RENEWAL), "--data-dir", str(tmp_path))
    assert both.returncode == 2 and both.stderr.count("\n") == 1
