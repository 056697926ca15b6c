"""Delivery at its edges, over real sockets on 127.0.0.1: a server that trickles its
answer, redirects, statuses past 599, a dead proxy, and http:// to names that must
really be loopback."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import Iterator

import pytest

from app.delivery import DeliveryOptions, FailureKind, SendJob, SendReport, SendService
from app.delivery.target import TargetError, check_loopback, custom_target
from tests.support.cli import json_lines, write_events
from tests.support.delivery import items, run
from tests.support.segment_server import SegmentServer, respond
from tests.support.webhooks import KEY, make_events


class TrickleServer:
    """Accepts, reads the request, then answers one byte of a status line every
    `interval` s for as long as the client stays: each read succeeds, so no read timeout
    fires (15 s by default, against deadlines of a fraction of a second here)."""

    def __init__(self, interval: float = 0.02) -> None:
        self.interval = interval
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.accepted = 0
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._accept, daemon=True)]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            self.accepted += 1
            worker = threading.Thread(target=self._trickle, args=(conn,), daemon=True)
            self._threads.append(worker)
            worker.start()

    def _trickle(self, conn: socket.socket) -> None:
        with conn:
            conn.recv(65536)
            for byte in b"HTTP/1.1 200 OK\r\n" * 1000:
                if self._stop.wait(self.interval):
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return  # the client gave up: the deadline worked

    def __enter__(self) -> TrickleServer:
        self._threads[0].start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        self._listener.close()
        for thread in self._threads:
            thread.join(timeout=5)


@pytest.fixture
def trickle() -> Iterator[TrickleServer]:
    with TrickleServer() as server:
        yield server


def test_a_trickling_answer_hits_the_total_deadline_on_every_attempt(trickle):
    report = run(trickle, items(1)[:1], attempt_deadline=0.2, retries=1)  # type: ignore[arg-type]
    first = report.results[0]
    assert first.error is not None and first.error.kind is FailureKind.TIMEOUT
    assert first.error.retryable and first.attempts == 2
    assert "did not finish answering within 0.2 s (total deadline per attempt)" in (
        first.error.message
    )
    assert trickle.accepted >= 2


def test_the_cli_deadline_is_the_same_plain_timeout(send, trickle, tmp_path):
    events = write_events(tmp_path / "e.ndjson", make_events(1))
    proc = send(events, "--endpoint", trickle.base_url, "--deadline", "0.2", "--retries", "0",
                data_dir=tmp_path / "d")  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    out = json_lines(proc)
    assert [o["error"]["kind"] for o in out] == ["timeout", "timeout"]
    assert "total deadline" in out[0]["error"]["message"]


def test_a_redirect_is_not_followed_and_says_so(segment_server):
    segment_server.script(respond(301, headers={"Location": "https://elsewhere.example/v1"}))
    report = run(segment_server, items(1), retries=0)
    first = report.results[0]
    assert first.status == 301 and first.error is not None
    assert "redirects are not followed" in first.error.message
    assert "https://elsewhere.example/v1" in first.error.message
    assert [r.path for r in segment_server.requests] == ["/v1/track", "/v1/identify"]


def test_a_status_past_599_is_not_called_server_trouble(segment_server):
    segment_server.script(respond(600), respond(799))
    report = run(segment_server, items(1), retries=3)
    for result in report.results:
        assert result.error is not None and result.attempts == 1  # never retried
        assert "not a valid HTTP status" in result.error.message
        assert "server had trouble" not in result.error.message


def _closed_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return int(probe.getsockname()[1])


def test_a_dead_proxy_is_blamed_not_the_target(monkeypatch):
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    port = _closed_port()
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{port}")
    job = SendJob(items(1), custom_target("https://collector.example/v1"), KEY,
                  DeliveryOptions(retries=0))  # fmt: skip
    service = SendService()

    async def go() -> SendReport:
        async with service:
            return await service.send(job)

    report = asyncio.run(go())
    error = report.results[0].error
    assert error is not None and error.kind is FailureKind.REFUSED
    assert f"could not reach the proxy http://127.0.0.1:{port} (from HTTPS_PROXY)" in (
        error.message
    )
    assert "never got to collector.example" in error.message
    assert "connection refused by collector.example" not in error.message


def test_plain_http_to_a_name_needs_it_to_resolve_to_loopback(segment_server: SegmentServer):
    port = segment_server.port
    check_loopback(custom_target(f"http://localhost:{port}/v1"))  # /etc/hosts: 127.0.0.1
    with pytest.raises(TargetError, match="does not resolve"):
        check_loopback(custom_target(f"http://no-such-name.localhost:{port}/v1"))
    with pytest.raises(TargetError, match=r"resolves to 10\.0\.0\.5"):
        check_loopback(custom_target("http://dev.localhost/v1"), lambda host: ["10.0.0.5"])
    # The service refuses before anything goes out; a preview sends nothing, so passes.
    job = SendJob(items(1), custom_target(f"http://dev.localhost:{port}/v1"), KEY)
    service = SendService(resolve=lambda host: ["127.0.0.1", "192.168.1.9"])
    with pytest.raises(TargetError, match=r"192\.168\.1\.9"):
        service.plan(job)
    service.plan(SendJob(job.items, job.target, KEY, preview=True))
    assert segment_server.requests == []


def test_the_cli_refuses_a_localhost_name_that_does_not_resolve(send, segment_server, tmp_path):
    events = write_events(tmp_path / "e.ndjson", make_events(1))
    url = f"http://no-such-name.localhost:{segment_server.port}/v1"
    proc = send(events, "--endpoint", url, data_dir=tmp_path)
    assert proc.returncode == 2 and "does not resolve" in proc.stderr
    assert segment_server.requests == []
