"""Reading a request body the way a server facing arbitrary clients must: bounded.

Every limit is checked before the bytes are held: a declared `Content-Length` over the
limit is refused without reading a byte, a chunked body is counted as it arrives, a gzip
body is inflated with a ceiling (a few KB of zeros can inflate to gigabytes), and the
whole read has a deadline (a client that sends one byte a minute holds nothing for long).
A refusal closes the connection: the unread rest of the body must not be parsed as the
next request.
"""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import Awaitable, Callable
from typing import Any

from app.core.wire import human_size

Receive = Callable[[], Awaitable[dict[str, Any]]]

#: A refused body up to this size is still read (and dropped) before the answer, so the
#: client, still sending, sees the 400 instead of a connection reset. Past it the
#: connection is closed at once: nobody is owed 100 MB of reading.
DRAIN_LIMIT = 4 * 1024 * 1024


class BodyError(Exception):
    """A body refused with `status` (400 or 408); the message is the answer's text."""

    def __init__(self, status: int, message: str, kind: str, *, close: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.kind = kind  # size, gzip, encoding, timeout, disconnect
        self.close = close  # the unread rest must not be parsed as the next request


def header(headers: list[tuple[bytes, bytes]], name: bytes) -> bytes:
    """The first value of a (lower-case) header, or b""."""
    for key, value in headers:
        if key == name:
            return value
    return b""


async def read_body(
    receive: Receive, headers: list[tuple[bytes, bytes]], limit: int, timeout: float
) -> bytes:
    """The body, inflated when gzip, at most `limit` bytes either way; BodyError else."""
    declared = header(headers, b"content-length")
    if declared:
        try:
            size = int(declared)
        except ValueError:
            raise BodyError(400, "Content-Length is not a number", "size") from None
        if size > DRAIN_LIMIT:
            raise BodyError(
                400,
                f"body of {human_size(size)} is over the {human_size(limit)} limit "
                "(refused before reading)",
                "size",
                close=True,
            )
    encoding = header(headers, b"content-encoding").strip().lower()
    if encoding not in (b"", b"identity", b"gzip", b"x-gzip"):
        raise BodyError(
            400, f"unsupported Content-Encoding {encoding.decode('latin-1')!r}", "encoding"
        )
    chunks: list[bytes] = []
    received = 0
    try:
        async with asyncio.timeout(timeout):
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    raise BodyError(400, "the client went away mid-body", "disconnect", close=True)
                chunk = message.get("body", b"")
                received += len(chunk)
                if received > DRAIN_LIMIT:
                    raise BodyError(400, f"body over the {human_size(limit)} limit", "size",
                                    close=True)  # fmt: skip
                if received <= limit:
                    chunks.append(chunk)
                if not message.get("more_body", False):
                    break
    except TimeoutError:
        raise BodyError(
            408, f"the body did not arrive within {timeout:g} s", "timeout", close=True
        ) from None
    if received > limit:
        raise BodyError(400, f"body of {human_size(received)} is over the {human_size(limit)} "
                        "limit", "size")  # fmt: skip
    raw = b"".join(chunks)
    return inflate(raw, limit) if encoding in (b"gzip", b"x-gzip") else raw


def inflate(raw: bytes, limit: int) -> bytes:
    """gzip → bytes, refusing anything that inflates past `limit` (a gzip bomb)."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(raw, limit + 1)
    except zlib.error as exc:
        raise BodyError(
            400, f"Content-Encoding gzip, but the body is not gzip ({exc})", "gzip"
        ) from None
    if len(out) > limit or inflater.unconsumed_tail:
        raise BodyError(400, f"gzip body inflates to more than {human_size(limit)}", "size")
    if not inflater.eof:
        raise BodyError(400, "gzip body is truncated", "gzip")
    return out
