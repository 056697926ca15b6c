"""uvicorn's httptools protocol with the guards a server open to any client needs.

uvicorn bounds requests in progress (`limit_concurrency`, answered 503) and idle
keep-alive connections (`timeout_keep_alive`), but not the time a client may take to
send its headers, nor the size of those headers, nor how many sockets may sit open
without ever sending a request. This subclass adds the three:

* a header deadline from connect (and from each request's first byte), after which an
  unfinished request gets 408 and the connection closes (slowloris);
* a cap on the bytes of request line + headers (431);
* a cap on open connections: at the cap, the oldest connection that is not in the
  middle of a request is closed to make room, so idle sockets cannot lock real
  clients out.
"""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


def _status(code: int, reason: str) -> bytes:
    text = reason.encode()
    return (
        f"HTTP/1.1 {code} {reason}\r\ncontent-type: text/plain\r\n"
        f"content-length: {len(text)}\r\nconnection: close\r\n\r\n"
    ).encode() + text


_OPENED = itertools.count(1)


class GuardedProtocol(HttpToolsProtocol):
    """Set the class attributes (see `configure`) before the server starts."""

    header_timeout = 10.0
    max_header_bytes = 64 * 1024
    max_connections = 1_000

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None
        self._header_bytes = 0
        self._in_request = False
        self._opened = 0  # the order of connection (a count, not loop.time(): uvloop's
        # clock moves once per loop iteration, so connections accepted together would tie)

    @classmethod
    def configure(
        cls, *, header_timeout: float, max_header_bytes: int, max_connections: int
    ) -> type[GuardedProtocol]:
        """A subclass with these limits (one per server, so two servers never share)."""
        return type(
            "GuardedProtocol",
            (cls,),
            {
                "header_timeout": header_timeout,
                "max_header_bytes": max_header_bytes,
                "max_connections": max_connections,
            },
        )

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._opened = next(_OPENED)
        if len(self.connections) >= self.max_connections:
            self._evict_idle()
        super().connection_made(transport)
        self._arm()

    def _evict_idle(self) -> None:
        idle = [c for c in self.connections if isinstance(c, GuardedProtocol) and not c._in_request]
        if idle:
            oldest = min(idle, key=lambda c: c._opened)
            oldest.transport.close()
            self.connections.discard(oldest)

    def _arm(self) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(self.header_timeout, self._too_slow)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        if self._header_bytes or self._in_request:
            self.transport.write(_status(408, "Request Timeout"))
        self.transport.close()

    def on_message_begin(self) -> None:
        self._header_bytes = 0
        self._arm()  # from the first byte of each request to its last header
        super().on_message_begin()

    def on_url(self, url: bytes) -> None:
        self._count(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count(len(name) + len(value) + 4)
        super().on_header(name, value)

    def _count(self, n: int) -> None:
        self._header_bytes += n
        if self._header_bytes > self.max_header_bytes and not self.transport.is_closing():
            self.transport.write(_status(431, "Request Header Fields Too Large"))
            self.transport.close()

    def data_received(self, data: bytes) -> None:
        if self.transport.is_closing():
            return
        super().data_received(data)

    def on_headers_complete(self) -> None:
        self._disarm()
        self._in_request = True
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        self._in_request = False
        super().on_response_complete()  # arms uvicorn's keep-alive timer for the idle time

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)
