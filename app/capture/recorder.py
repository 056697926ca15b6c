"""Between receiving and recording: a bounded buffer, one writer, and the subscribers.

Request handlers hand each finished call to `Recorder.put`, which waits while the buffer
is full (by count or by bytes): a client that sends faster than SQLite records is slowed
down at the socket instead of growing the process (backpressure; memory stays flat
under any load). The writer drains whatever is waiting into one transaction, so
throughput rises with load, then publishes each item with its history row id.

`Hub` fans items out to subscribers: plain callbacks (run in the server's thread) and
asyncio queues that belong to another loop (the GUI's), fed thread-safely and never
blocking the server: a subscriber that falls behind loses live items (counted in
`dropped`), never history rows.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import threading
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path

from app.capture.items import CallItem, LiveItem
from app.storage.capture import CallWriter, CapturedCall, Checkpointer
from app.storage.errors import StorageError

log = logging.getLogger(__name__)

Callback = Callable[[LiveItem], None]


class Hub:
    """Thread-safe list of subscribers."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._callbacks: list[Callback] = []
        self.dropped = 0

    def subscribe(self, callback: Callback) -> Callable[[], None]:
        """Call `callback(item)` for every item, in the server's thread; returns the
        function that unsubscribes."""
        with self._lock:
            self._callbacks.append(callback)

        def unsubscribe() -> None:
            with self._lock, contextlib.suppress(ValueError):
                self._callbacks.remove(callback)

        return unsubscribe

    def queue(
        self, loop: asyncio.AbstractEventLoop, maxsize: int = 10_000
    ) -> tuple[asyncio.Queue[LiveItem], Callable[[], None]]:
        """An asyncio queue in `loop` that receives every item; and its unsubscribe."""
        queue: asyncio.Queue[LiveItem] = asyncio.Queue(maxsize)

        def offer(item: LiveItem) -> None:
            try:
                queue.put_nowait(item)
            except asyncio.QueueFull:
                self.dropped += 1

        def forward(item: LiveItem) -> None:
            with contextlib.suppress(RuntimeError):  # that loop is closed
                loop.call_soon_threadsafe(offer, item)

        return queue, self.subscribe(forward)

    def publish(self, item: LiveItem) -> None:
        with self._lock:
            callbacks = list(self._callbacks)
        for callback in callbacks:
            try:
                callback(item)
            except Exception:  # a subscriber's bug must not stop the recording
                log.exception("capture subscriber failed")


Pending = tuple[CapturedCall, LiveItem, int]  # row, item, size in bytes


class Writer:
    """`CallWriter.record_calls` on the server's own thread, between two requests.

    A writer thread was tried: SQLite runs without the GIL, but every encoded row needs
    it, and the server's thread then waited for the GIL after each socket call; it cost
    more CPU per call and no throughput. Small transactions on the loop are cheap once
    they are batched (see `Recorder.run`).
    """

    def __init__(self, path: Path) -> None:
        self._writer = CallWriter(path, autocheckpoint=False)
        self._checkpointer = Checkpointer(path)

    async def record(self, rows: Sequence[CapturedCall]) -> list[int]:
        return self._writer.record_calls(rows)

    def close(self) -> None:
        self._writer.close()
        self._checkpointer.close()


class Recorder:
    """The bounded buffer and its single writer (runs on the server's loop)."""

    def __init__(
        self,
        writer: Writer,
        hub: Hub,
        *,
        max_items: int = 1_000,
        # Counted in body bytes; parsed JSON takes several times that in memory.
        max_bytes: int = 4 * 1024 * 1024,
        max_rows_per_write: int = 500,
        linger: float = 0.01,
    ) -> None:
        self._linger = linger
        self._writer = writer
        self._hub = hub
        self._max_items = max_items
        self._max_bytes = max_bytes
        self._per_write = max_rows_per_write
        self._pending: deque[Pending] = deque()
        self._bytes = 0
        self._has_data = asyncio.Event()
        self._has_room = asyncio.Event()
        self._has_room.set()
        self._closing = False
        self.recorded = 0
        self.messages = 0
        self.failures = 0

    def _full(self, size: int) -> bool:
        return bool(self._pending) and (
            len(self._pending) >= self._max_items or self._bytes + size > self._max_bytes
        )

    async def put(self, row: CapturedCall, item: LiveItem, size: int) -> None:
        """Queue one finished call; waits while the buffer is full (backpressure).
        Two events, not a condition: the uncontended path takes no lock (it is run
        for every call)."""
        while not self._closing and self._full(size):
            self._has_room.clear()
            await self._has_room.wait()
        self._pending.append((row, item, size))
        self._bytes += size
        self._has_data.set()

    async def run(self) -> None:
        """Write until `close()` and the buffer is empty."""
        while True:
            await self._has_data.wait()
            if not self._pending:
                if self._closing:
                    return
                self._has_data.clear()
                continue
            if len(self._pending) < self._per_write and not self._closing:
                # A transaction costs ~150 us of CPU however few rows it holds: let
                # more calls gather first (the answers do not wait on this, items do).
                await asyncio.sleep(self._linger)
            count = min(len(self._pending), self._per_write)
            batch = [self._pending.popleft() for _ in range(count)]
            self._bytes -= sum(size for _, _, size in batch)
            self._has_room.set()
            await self._write(batch)

    async def _write(self, batch: list[Pending]) -> None:
        try:
            ids: list[int | None] = list(await self._writer.record([row for row, _, _ in batch]))
        except StorageError as exc:  # disk full, locked for > 5 s: report, keep serving
            log.error("capture: %s", exc)
            self.failures += len(batch)
            ids = [None] * len(batch)
        for (_, item, _), row_id in zip(batch, ids, strict=True):
            if row_id is not None:
                self.recorded += 1
                self.messages += item.messages if isinstance(item, CallItem) else 0
            self._hub.publish(dataclasses.replace(item, history_id=row_id))

    async def close(self) -> None:
        """Stop taking calls once the buffer is written (run() then returns)."""
        self._closing = True
        self._has_data.set()
        self._has_room.set()
