"""`python -m app serve` and `identity --report` as subprocesses: the contract."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
RENEWAL = ROOT / "sample_events" / "renewal.revenuecat.json"


def app(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "SEGMENT_WRITE_KEY"}
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=60, env=env)  # fmt: skip


def serve(data_dir: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "app", "serve", "--port", "0", "--data-dir", str(data_dir), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip


def test_serve_contract_first_line_items_and_sigterm(tmp_path):
    proc = serve(tmp_path, "--expect-write-key", "wk_expected_1234")
    try:
        assert proc.stdout is not None
        first = json.loads(proc.stdout.readline())
        assert set(first) == {"listening", "segment_api", "revenuecat_webhook"}
        assert first["listening"].startswith("http://127.0.0.1:")
        assert first["segment_api"] == first["listening"] + "/v1"
        assert first["revenuecat_webhook"] == first["listening"] + "/revenuecat"
        with httpx.Client(timeout=30) as http:
            call = http.post(f"{first['segment_api']}/identify",
                             json={"userId": "USER_4821", "writeKey": "wk_other_9999"})  # fmt: skip
            hook = http.post(first["revenuecat_webhook"], content=RENEWAL.read_bytes())
        assert call.status_code == hook.status_code == 200
        lines = [json.loads(proc.stdout.readline()) for _ in range(2)]
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert out == ""  # nothing after the items
    assert "Traceback" not in err and "wk_other_9999" not in out + err
    by_source = {line["source"]: line for line in lines}
    assert by_source["segment"]["flags"][0]["code"] == "unexpected_write_key"
    assert by_source["revenuecat"]["outcome"] == "recorded"
    assert all(line["history_id"] for line in lines)
    report = app("identity", "--report", "--data-dir", str(tmp_path))
    assert report.returncode == 0, report.stderr
    (user,) = json.loads(report.stdout)["users"]
    assert user["revenuecat_user_id"] == "user_4821"
    assert user["verdict"] == "differs_by_case" and user["app_ids"] == ["USER_4821"]
    assert set(user) == {"revenuecat_user_id", "verdict", "app_ids", "message", "fix"}


def test_sigint_finishes_and_records_what_arrived(tmp_path):
    proc = serve(tmp_path)
    try:
        assert proc.stdout is not None
        first = json.loads(proc.stdout.readline())
        batch = {"batch": [{"type": "track", "userId": f"u{i}", "event": "E"} for i in range(300)]}
        assert (
            httpx.post(f"{first['segment_api']}/batch", json=batch, timeout=30).status_code == 200
        )
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert json.loads(out.splitlines()[0])["messages"] == 300
    listing = app("history", "list", "--json", "--data-dir", str(tmp_path))
    rows = [json.loads(line) for line in listing.stdout.splitlines()]
    assert [(r["mode"], len(r["input"]["batch"])) for r in rows] == [("captured", 300)]


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
def test_serve_bad_input_is_one_line_exit_2(tmp_path, args, field):
    proc = app("serve", "--port", "0", "--data-dir", str(tmp_path), *args)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and field in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_serve_with_an_unusable_data_dir_names_it(tmp_path):
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    proc = app("serve", "--port", "0", "--data-dir", str(not_a_dir))
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    assert "--data-dir" in proc.stderr and "Traceback" not in proc.stderr


def test_identity_report_on_an_empty_history_and_misuse(tmp_path):
    empty = app("identity", "--report", "--data-dir", str(tmp_path))
    assert empty.returncode == 0 and json.loads(empty.stdout) == {"users": []}
    both = app("identity", "--report", str(RENEWAL), "--data-dir", str(tmp_path))
    assert both.returncode == 2 and both.stderr.count("\n") == 1
