"""`python -m app send` in-process (the `send` fixture), against the loopback Segment server.

tests/e2e/test_cli_process.py runs it as a real process too.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from app.storage import HistoryQuery, HistoryStore, Mode, Status
from tests.support.cli import ROOT, assert_one_clean_error, write_events
from tests.support.cli import json_lines as lines
from tests.support.segment_server import SegmentServer, respond
from tests.support.webhooks import KEY, make_events

LINE_KEYS = {"url", "status", "attempts", "elapsed_ms", "message_ids", "response", "error"}


def test_live_send_prints_one_line_per_request_and_exits_0(send, segment_server, tmp_path):
    events = write_events(tmp_path / "events.ndjson", make_events(3))
    proc = send(events, "--endpoint", segment_server.base_url, data_dir=tmp_path / "d")
    assert proc.returncode == 0, proc.stderr
    out = lines(proc)
    assert len(out) == 6 and all(set(o) == LINE_KEYS for o in out)
    assert [o["url"].rsplit("/", 1)[1] for o in out] == ["track", "identify"] * 3
    assert all(o["status"] == 200 and o["attempts"] == 1 and o["error"] is None for o in out)
    assert out[0]["response"]["body"] == {"success": True}
    arrived = segment_server.requests
    assert [r.json()["messageId"] for r in arrived] == [o["message_ids"][0] for o in out]
    assert "accepted by the Segment API" in proc.stderr
    assert "delivered" not in proc.stderr + proc.stdout
    with HistoryStore.in_dir(tmp_path / "d") as store:
        assert store.count(HistoryQuery(status=Status.ACCEPTED)) == 3


def test_batch_mode_sends_one_request(send, segment_server, tmp_path):
    events = write_events(tmp_path / "events.ndjson", make_events(50))
    proc = send(events, "--endpoint", segment_server.base_url, "--batch", data_dir=tmp_path)
    assert proc.returncode == 0, proc.stderr
    [line] = lines(proc)
    assert line["url"].endswith("/v1/batch") and len(line["message_ids"]) == 100
    [request] = segment_server.requests
    assert len(request.messages) == 100


def test_a_failure_after_retries_exits_1(send, segment_server, tmp_path):
    now = {"Retry-After": "0"}  # retried at once: the backoff is tested without sleeping
    segment_server.script(respond(500, headers=now), respond(500), respond(400))
    events = write_events(tmp_path / "events.ndjson", make_events(1))
    proc = send(events, "--endpoint", segment_server.base_url, "--retries", "1",
                data_dir=tmp_path)  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    track, identify = lines(proc)
    assert track["status"] == 500 and track["attempts"] == 2
    assert track["error"]["kind"] == "http"
    assert identify["status"] == 400 and identify["attempts"] == 1  # 400: never retried
    assert "failed:" in proc.stderr and "Traceback" not in proc.stderr


def test_sandbox_events_are_skipped_with_exit_0(send, segment_server, tmp_path):
    body = make_events(1)[0]
    body["event"]["environment"] = "SANDBOX"
    events = write_events(tmp_path / "sandbox.json", [body])
    proc = send(events, "--endpoint", segment_server.base_url, data_dir=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "" and segment_server.requests == []
    assert "skipped" in proc.stderr and "sandbox events are off" in proc.stderr
    sent = send(events, "--endpoint", segment_server.base_url, "--send-sandbox",
                data_dir=tmp_path)  # fmt: skip
    assert sent.returncode == 0 and len(lines(sent)) == 2
    with HistoryStore.in_dir(tmp_path) as store:
        rows = store.query(HistoryQuery())
    assert [r.status for r in rows] == [Status.ACCEPTED, Status.SKIPPED]
    assert rows[0].sandbox_override and not rows[1].sandbox_override


def test_missing_key_is_an_input_error(send, segment_server, tmp_path):
    events = write_events(tmp_path / "e.json", make_events(1))
    proc = send(events, "--region", "us", key=None, data_dir=tmp_path)
    assert_one_clean_error(proc, "no write key", "SEGMENT_WRITE_KEY")


def test_plain_http_to_another_host_is_refused_without_connecting(send, segment_server, tmp_path):
    events = write_events(tmp_path / "e.json", make_events(1))
    proxy = f"http://127.0.0.1:{segment_server.port}"  # any connection would land here
    proc = send(events, "--endpoint", "http://example.com/v1", data_dir=tmp_path,
                env={"HTTP_PROXY": proxy, "HTTPS_PROXY": proxy, "ALL_PROXY": proxy})  # fmt: skip
    assert_one_clean_error(proc, "http://example.com is refused", "https://")
    assert segment_server.requests == []


@pytest.mark.parametrize(("args", "words"), [
    (["--region", "mars"], ["invalid choice"]),
    (["--endpoint", "ftp://x/v1"], ["not supported"]),
    (["--region", "us", "--retries", "-1"], ["--retries"]),
    (["--profile", "nope"], ["no profile named 'nope'"]),
])  # fmt: skip
def test_bad_arguments_are_one_line_errors(send, tmp_path, args, words):
    events = write_events(tmp_path / "e.json", make_events(1))
    assert_one_clean_error(send(events, *args, data_dir=tmp_path), *words)


def test_a_message_over_32kb_is_refused_with_exit_2(send, segment_server, tmp_path):
    events = write_events(tmp_path / "big.json", make_events(1, pad=40_000))
    proc = send(events, "--endpoint", segment_server.base_url, data_dir=tmp_path)
    assert_one_clean_error(proc, "32 KB per-message limit", "nothing was sent")
    assert segment_server.requests == []


def test_preview_sends_nothing_and_records_history(send, segment_server, tmp_path):
    events = write_events(tmp_path / "e.json", make_events(2))
    proc = send(events, "--endpoint", segment_server.base_url, "--preview", data_dir=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = lines(proc)
    assert len(out) == 4 and all(o["status"] is None and o["attempts"] == 0 for o in out)
    preview = out[0]["preview"]
    assert preview["method"] == "POST" and preview["url"] == out[0]["url"]
    assert preview["headers"]["Authorization"] == "Basic ••••7f8a:"
    assert preview["body"]["messageId"] == out[0]["message_ids"][0]
    assert preview["curl"].startswith("curl -X POST") and KEY not in preview["curl"]
    assert segment_server.requests == []
    with HistoryStore.in_dir(tmp_path) as store:
        rows = store.query(HistoryQuery())
    assert [(r.mode, r.status) for r in rows] == [(Mode.PREVIEW, Status.PREVIEWED)] * 2


def test_keep_alive_over_many_requests(send, tmp_path):
    with SegmentServer() as server:
        events = write_events(tmp_path / "e.ndjson", make_events(20))
        proc = send(events, "--endpoint", server.base_url, data_dir=tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert len({r.client_port for r in server.requests}) == 1  # one connection, reused


def test_a_profile_gives_target_settings_and_key(send, segment_server, tmp_path, monkeypatch):
    import keyring

    from app.core.settings import IntegrationSettings
    from app.storage.profiles import Profile, ProfileStore
    from app.storage.secrets import SecretStore

    # A headless box (what PYTHON_KEYRING_BACKEND=keyring.backends.fail.Keyring gives a
    # fresh process; keyring caches its backend per process, so patch the lookup here).
    monkeypatch.setattr(keyring, "get_keyring", _fail_backend)
    ProfileStore.in_dir(tmp_path).save(Profile(
        name="Local", region="custom", endpoint=f"{segment_server.base_url}/track",
        settings=IntegrationSettings(event_names={"initial_purchase": "Bought"}),
    ))  # fmt: skip
    keys = SecretStore(tmp_path, backend=_fail_backend())
    keys.enable_file_storage(acknowledge_plaintext=True)
    keys.set("Local", KEY)
    events = write_events(tmp_path / "e.json", make_events(1))
    proc = send(events, "--profile", "Local", key=None, data_dir=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "ended in /track" in proc.stderr  # the profile's URL was normalised, and said so
    [track, _identify] = segment_server.requests
    assert track.json()["event"] == "Bought"
    token = base64.b64encode(f"{KEY}:".encode()).decode()
    assert track.headers["authorization"] == f"Basic {token}"


def _fail_backend() -> object:
    from keyring.backends.fail import Keyring

    return Keyring()


def test_a_malformed_ipv6_endpoint_is_one_line_exit_2(send, tmp_path: Path) -> None:
    events = write_events(tmp_path / "e.ndjson", make_events(1))
    proc = send(events, "--endpoint", "http://[::1", "--preview", data_dir=tmp_path / "d")
    assert proc.returncode == 2 and proc.stdout == ""
    [line] = proc.stderr.splitlines()
    assert line.startswith("error: --endpoint:") and "not a valid URL" in line


def test_plain_http_to_loopback_never_goes_through_an_environment_proxy(
    send, segment_server: SegmentServer, tmp_path: Path
) -> None:
    # An HTTP proxy would see the write key in clear; http:// is only ever loopback.
    with SegmentServer() as proxy:
        address = f"http://127.0.0.1:{proxy.port}"
        events = write_events(tmp_path / "e.json", make_events(1))
        proc = send(
            events, "--endpoint", segment_server.base_url, "--retries", "0",
            data_dir=tmp_path,
            env={"HTTP_PROXY": address, "http_proxy": address, "ALL_PROXY": address,
                 "NO_PROXY": "", "no_proxy": ""},
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        assert proxy.requests == []
    assert [r.path for r in segment_server.requests] == ["/v1/track", "/v1/identify"]


def test_a_key_with_whitespace_inside_is_refused_before_sending(
    send, segment_server: SegmentServer, tmp_path: Path
) -> None:
    events = write_events(tmp_path / "e.json", make_events(1))
    proc = send(events, "--endpoint", segment_server.base_url, key="wk9f3a7c 2e4b1d8a6f0e5c3b2",
                data_dir=tmp_path)  # fmt: skip
    assert_one_clean_error(proc, "write key contains whitespace")
    assert segment_server.requests == []


def _streaming_send(tmp_path: Path, *args: str) -> subprocess.Popen[str]:
    environ = {k: v for k, v in os.environ.items() if k != "SEGMENT_WRITE_KEY"}
    environ.pop("RC_SEGMENT_TESTER_HOME", None)
    return subprocess.Popen(
        [sys.executable, "-m", "app", "send", "-", "--preview", "--region", "us", *args,
         "--data-dir", str(tmp_path / "data")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        cwd=ROOT, env=environ,
    )  # fmt: skip


def test_send_streams_requests_while_stdin_is_still_open(tmp_path: Path) -> None:
    """Each block of input is sent (here previewed) and written before the next is read."""
    lines = [json.dumps(b) + "\n" for b in make_events(3)]
    proc = _streaming_send(tmp_path)
    try:
        assert proc.stdin and proc.stdout
        proc.stdin.write(lines[0] + lines[1])
        proc.stdin.flush()
        first = [json.loads(proc.stdout.readline()) for _ in range(4)]  # track + identify x2
        assert [o["preview"]["url"].rsplit("/", 1)[-1] for o in first] == ["track", "identify"] * 2
        proc.stdin.write(lines[2])
        proc.stdin.flush()
        assert len([json.loads(proc.stdout.readline()) for _ in range(2)]) == 2
        proc.stdin.close()
        assert proc.wait(timeout=60) == 0
        assert proc.stdout.read() == ""
    finally:
        proc.kill()
        proc.wait()
    with HistoryStore.in_dir(tmp_path / "data") as store:
        assert store.count() == 3


def test_a_full_batch_goes_out_before_the_input_ends(send, tmp_path: Path) -> None:
    """--batch: a full /batch request is written before the input ends — once the events
    it carries are completely packed (an event's identify may open the next request) —
    and the packing is that of the whole input at once."""
    bodies = make_events(75, pad=15_000)  # ~15 KB tracks: about 31 events fill a /batch
    proc = _streaming_send(tmp_path, "--batch")
    try:
        assert proc.stdin and proc.stdout
        stdin, first_read = proc.stdin, threading.Event()

        def write() -> None:  # from a thread: a preview line (~1 MB) is more than a pipe holds
            stdin.write("".join(json.dumps(b) + "\n" for b in bodies))
            stdin.flush()
            first_read.wait(timeout=60)
            stdin.close()

        writer = threading.Thread(target=write)
        writer.start()
        first = json.loads(proc.stdout.readline())
        assert not first_read.is_set() and not stdin.closed
        first_read.set()
        assert 2 <= len(first["message_ids"]) < 150
        rest = [json.loads(line) for line in proc.stdout.read().splitlines()]
        writer.join()
        assert proc.wait(timeout=60) == 0
    finally:
        proc.kill()
        proc.wait()
    path = write_events(tmp_path / "events.ndjson", bodies)
    whole = send(path, "--preview", "--region", "us", "--batch", data_dir=tmp_path / "whole")
    expected = [len(json.loads(line)["message_ids"]) for line in whole.stdout.splitlines()]
    assert [len(o["message_ids"]) for o in [first, *rest]] == expected
