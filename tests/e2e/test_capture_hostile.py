"""Hostile input never stops the receiver: each gets a plain 4xx (or a closed socket),
and a normal call right after is still answered and recorded. Raw sockets, no sleeps:
every wait is a blocking read that the server's own timeouts end."""

from __future__ import annotations

import socket

from app.capture import CallItem, Limits
from tests.support.capture import running
from tests.support.http import http_post


def _connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    return sock


def _read_all(sock: socket.socket) -> bytes:
    """Everything until the server closes the connection (bounded by the socket timeout)."""
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


def _still_serving(base_url: str) -> None:
    answer = http_post(f"{base_url}/v1/track", json={"userId": "u", "event": "still here"})
    assert answer.status_code == 200


def test_garbage_bytes_get_400_and_the_server_goes_on(tmp_path):
    with running(tmp_path) as (server, items):
        assert server.address is not None
        for garbage in (b"\x00\xff\x13garbage\r\n\r\n", b"GET / HTTP/9.9\r\nHost\r\n\r\n",
                        b"POST /v1/track HTTP/1.1\r\nContent-Length: -5\r\n\r\n"):  # fmt: skip
            with _connect(server.address.port) as sock:
                sock.sendall(garbage)
                assert _read_all(sock).startswith(b"HTTP/1.1 400")
        _still_serving(server.address.base_url)
        assert items.wait_for(1)[-1].status == 200


def test_a_100_mb_content_length_is_refused_before_reading(tmp_path):
    with running(tmp_path) as (server, items):
        assert server.address is not None
        with _connect(server.address.port) as sock:
            sock.sendall(
                b"POST /v1/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b'Content-Length: 104857600\r\n\r\n{"batch": ['
            )
            answer = _read_all(sock)  # answered and closed without the 100 MB
        assert answer.startswith(b"HTTP/1.1 400") and b"refused before reading" in answer
        _still_serving(server.address.base_url)
        got = items.wait_for(2)
    assert got[0].status == 400 and "before reading" in got[0].error  # type: ignore[union-attr]


def test_headers_that_never_end_and_bodies_that_never_come_time_out(tmp_path):
    limits = Limits(header_timeout=0.5, body_timeout=0.5)
    with running(tmp_path, limits=limits) as (server, items):
        assert server.address is not None
        with (
            _connect(server.address.port) as slow_headers,
            _connect(server.address.port) as slow_body,
            _connect(server.address.port) as silent,
        ):
            slow_headers.sendall(b"POST /v1/track HTTP/1.1\r\nHost: x\r\nX-Slow: a")
            slow_body.sendall(b"POST /v1/track HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{")
            assert _read_all(slow_headers).startswith(b"HTTP/1.1 408")
            assert _read_all(slow_body).startswith(b"HTTP/1.1 408")
            assert _read_all(silent) == b""  # connected, never spoke: closed
        _still_serving(server.address.base_url)
        statuses = [i.status for i in items.wait_for(2)]
    assert statuses == [408, 200]


def test_huge_headers_get_431(tmp_path):
    with running(tmp_path, limits=Limits(max_header_bytes=4096)) as (server, _):
        assert server.address is not None
        with _connect(server.address.port) as sock:
            sock.sendall(b"POST /v1/track HTTP/1.1\r\nX-Big: " + b"a" * 10_000 + b"\r\n\r\n")
            assert _read_all(sock).startswith(b"HTTP/1.1 431")
        _still_serving(server.address.base_url)


def _closed_by_server(sock: socket.socket) -> bool:
    """True once the server has closed `sock` (a blocking read, bounded by its timeout)."""
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True


def _open(sock: socket.socket) -> bool:
    """True if the server has not closed `sock` (nothing to read now, and no end of file)."""
    sock.setblocking(False)
    try:
        return sock.recv(1) != b""
    except BlockingIOError:
        return True
    finally:
        sock.settimeout(10)


def test_idle_connections_past_the_cap_do_not_lock_clients_out(tmp_path):
    # A small cap keeps the test quick: ten times the cap in idle sockets, each wave of
    # them followed by a real client, which must be answered (and recorded) every time.
    # The answer also means the server has taken every connection queued before it, so
    # the next wave never finds the listen backlog (the cap) full.
    cap, waves = 20, 10
    limits = Limits(max_connections=cap, header_timeout=60.0)
    idle: list[socket.socket] = []
    with running(tmp_path, limits=limits) as (server, items):
        assert server.address is not None
        try:
            for wave in range(waves):
                idle += [_connect(server.address.port) for _ in range(cap - 1)]
                answer = http_post(f"{server.address.segment_api}/track",
                                    json={"userId": "u", "event": f"e{wave}"})  # fmt: skip
                assert answer.status_code == 200
            got = items.wait_for(waves)
            # Past the cap the oldest idle sockets were closed to make room; the newest
            # are still open.
            assert all(_closed_by_server(sock) for sock in idle[: len(idle) - cap])
            assert _open(idle[-1])
        finally:
            for sock in idle:
                sock.close()
    assert [i.events for i in got if isinstance(i, CallItem)] == [(f"e{w}",) for w in range(waves)]
