"""A real HTTP server on 127.0.0.1 that behaves like Segment's Tracking API, for tests.

Reuse it anywhere (e2e, GUI tests, benchmarks)::

    from tests.support.segment_server import SegmentServer, respond, drop, slow, held

    with SegmentServer() as server:
        server.script(respond(429, headers={"Retry-After": "0"}), drop(), slow(2.0))
        ...  # send to server.base_url ("http://127.0.0.1:PORT/v1")
        server.wait_for(3)  # block until 3 requests arrived (bounded)
        first = server.requests[0]  # Received: path, headers, body bytes, json()

Behaviour without a script: like Segment, `200 {"success": true}` for every POST, and
`400` for invalid JSON, a message over 32 KB, a /batch body over 500 KB or with more than
2,500 messages. A script is a queue of actions, each consumed by one incoming request in
arrival order: `respond(status, body, headers)`, `drop()` (close the socket without a
response), `slow(seconds, then=...)` (wait, then act) or `held(event, then=...)` (wait
until the test sets the `threading.Event`, then act). Every request is recorded with
its raw bytes and headers *before* the action runs, including the dropped ones.

There is also `python -m tests.support.segment_server [--delay S]` for a standalone receiver
in its own process: it prints its base URL, and `GET /stats` reports the request and
message counts so far.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import socket
import ssl
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MESSAGE_LIMIT = 32 * 1024
BATCH_LIMIT = 500 * 1024
BATCH_MAX_MESSAGES = 2500


@dataclass(frozen=True)
class Action:
    kind: str  # "respond" | "drop" | "slow" | "held"
    status: int = 200
    body: bytes = b'{"success": true}'
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    then: Action | None = None
    release: threading.Event | None = None


def respond(status: int = 200, body: Any = None, headers: dict[str, str] | None = None) -> Action:
    """Answer with `status`; `body` is JSON-encoded unless bytes (default: success)."""
    if body is None:
        raw = b'{"success": true}' if status < 400 else b'{"success": false}'
    elif isinstance(body, bytes):
        raw = body
    else:
        raw = json.dumps(body).encode()
    return Action("respond", status=status, body=raw, headers=dict(headers or {}))


def drop() -> Action:
    """Read the request, then close the connection without answering."""
    return Action("drop")


def held(release: threading.Event, then: Action | None = None, timeout: float = 10.0) -> Action:
    """Wait until the test sets `release` (a condition, not a time), then act (default:
    answer as Segment would); dropped if the server stops first, or after `timeout` s so a
    test that never releases fails instead of hanging."""
    return Action("held", delay=timeout, release=release, then=then)


def slow(seconds: float, then: Action | None = None) -> Action:
    """Wait `seconds` (released early when the server stops, which drops the connection),
    then act (default: answer as Segment would)."""
    return Action("slow", delay=seconds, then=then)


@dataclass(frozen=True)
class Received:
    """One request as it arrived: raw body bytes and headers (names lower-cased)."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    client_port: int
    at: float  # time.monotonic() on arrival

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def messages(self) -> list[dict[str, Any]]:
        data = self.json()
        return data["batch"] if self.path.endswith("/batch") else [data]


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def segment_verdict(path: str, body: bytes) -> tuple[int, dict[str, Any]]:
    """What Segment would answer to this body: (status, JSON)."""
    try:
        data = json.loads(body, parse_constant=_reject_constant)
    except ValueError:
        return 400, {"success": False, "message": "Invalid JSON"}
    if not isinstance(data, dict):
        return 400, {"success": False, "message": "Invalid JSON"}
    if path.endswith("/batch"):
        if len(body) > BATCH_LIMIT:
            return 400, {"success": False, "message": "Batch exceeds 500KB"}
        batch = data.get("batch")
        if not isinstance(batch, list):
            return 400, {"success": False, "message": "batch must be an array"}
        if len(batch) > BATCH_MAX_MESSAGES:
            return 400, {"success": False, "message": "too many messages"}
        messages = batch
    else:
        messages = [data]
    for message in messages:
        if len(json.dumps(message, separators=(",", ":")).encode()) > MESSAGE_LIMIT:
            return 400, {"success": False, "message": "Message exceeds 32KB"}
    return 200, {"success": True}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as Segment's API does
    disable_nagle_algorithm = True  # no 40 ms delayed-ACK stalls between header and body
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        """`GET /stats`: {"requests", "messages"} so far (for a receiver in another process)."""
        requests = self.server.owner.requests
        messages = 0
        for received in requests:
            with contextlib.suppress(ValueError, KeyError, TypeError):
                messages += len(received.messages)
        body = json.dumps({"requests": len(requests), "messages": messages}).encode()
        self.send_response(200 if self.path == "/stats" else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        received = Received(
            method="POST",
            path=self.path,
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
            client_port=self.client_address[1],
            at=time.monotonic(),
        )
        action = self.server.owner._record(received)
        self._act(action, received)

    def _act(self, action: Action | None, received: Received) -> None:
        if action is not None and action.kind == "slow":
            action = drop() if self.server.owner.stopping.wait(action.delay) else action.then
        if action is not None and action.kind == "held" and action.release is not None:
            stopping, deadline = self.server.owner.stopping, time.monotonic() + action.delay
            while not (action.release.wait(0.01) or stopping.is_set()):
                if time.monotonic() > deadline:
                    break
            action = action.then if action.release.is_set() else drop()
        if action is None:
            status, data = segment_verdict(received.path, received.body)
            action = respond(status, data)
        if action.kind == "drop":
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        try:
            self.send_response(action.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(action.body)))
            for name, value in action.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(action.body)
        except OSError:
            self.close_connection = True  # the client gave up (timeout): fine


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    owner: SegmentServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that hangs up (timeout, failed TLS handshake) is part of the tests


class SegmentServer:
    """The loopback Segment. Thread-safe; use as a context manager or start()/stop()."""

    def __init__(self, delay: float = 0.0, tls: ssl.SSLContext | None = None) -> None:
        """`tls`: serve https with this server-side context (e.g. a self-signed cert)."""
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        if tls is not None:
            self._httpd.socket = tls.wrap_socket(self._httpd.socket, server_side=True)
        self.scheme = "https" if tls is not None else "http"
        self._httpd.owner = self
        self._lock = threading.Condition()
        self._script: deque[Action] = deque()
        self._requests: list[Received] = []
        self.default_delay = delay  # every unscripted answer waits this long
        self.stopping = threading.Event()
        # stop() waits for serve_forever to notice, up to one poll interval per server
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, daemon=True, kwargs={"poll_interval": 0.01}
        )

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}/v1"

    @property
    def requests(self) -> list[Received]:
        with self._lock:
            return list(self._requests)

    def script(self, *actions: Action) -> None:
        with self._lock:
            self._script.extend(actions)

    def _record(self, received: Received) -> Action | None:
        with self._lock:
            self._requests.append(received)
            self._lock.notify_all()
            if self._script:
                return self._script.popleft()
        return slow(self.default_delay) if self.default_delay else None

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        """Block until at least `count` requests arrived; AssertionError after `timeout`."""
        with self._lock:
            if not self._lock.wait_for(lambda: len(self._requests) >= count, timeout):
                raise AssertionError(
                    f"expected {count} requests within {timeout} s, got {len(self._requests)}"
                )
            return list(self._requests)

    def start(self) -> SegmentServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> SegmentServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description="A Segment-like receiver on 127.0.0.1")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before each answer")
    args = parser.parse_args()
    with SegmentServer(delay=args.delay) as server:
        print(server.base_url, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            server.stopping.wait()


if __name__ == "__main__":
    main()
