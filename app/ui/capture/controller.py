"""The capture receiver as the window runs it: start, stop, swap its config, and hand
its live items to the tab a tick at a time.

The server runs in its own thread (app.capture.server says why); the window hears of
each recorded call through an asyncio queue of the window's own qasync loop, drained by
a timer: one batch per tick, so a flood of calls costs the GUI one model insert per
tick instead of one per call, and a GUI that falls behind drops live items (counted,
never history rows) instead of growing without bound.

`app.capture.server` (uvicorn) is imported when a server starts, never before: the
window's start-up does not pay for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
from collections.abc import Callable, Coroutine
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from app.capture.address import Bind, Listening, lan_ip
from app.capture.config import CaptureConfig, Limits

if TYPE_CHECKING:
    from app.capture.items import LiveItem
    from app.capture.server import CaptureServer

#: A window's receiver stops within this: in-flight webhooks get this long to be
#: forwarded (the rest are recorded as cancelled), so closing the window never hangs.
WINDOW_STOP_TIMEOUT = 5.0

_SERVER = "app.capture.server"


class Phase(StrEnum):
    STOPPED = "stopped"
    STARTING = "starting"
    RUNNING = "running"
    STOPPING = "stopping"


class CaptureController(QObject):
    """Signals:
    phase_changed(str): a `Phase` value (buttons and fields follow).
    failed(str): the server could not start, in one plain line.
    arrived(list): the live items of one tick, oldest first.
    """

    phase_changed = Signal(str)
    failed = Signal(str)
    arrived = Signal(list)

    def __init__(
        self, data_dir: Path, parent: QObject | None = None, *, tick_ms: int = 100,
        per_tick: int = 2_000,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self._data_dir = data_dir
        self._per_tick = per_tick
        self.phase = Phase.STOPPED
        self.listening: Listening | None = None
        self.server: CaptureServer | None = None
        self._queue: asyncio.Queue[LiveItem] | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()  # strong refs: asyncio keeps weak ones
        self._timer = QTimer(self)
        self._timer.setInterval(tick_ms)
        self._timer.timeout.connect(self.drain)

    @property
    def dropped(self) -> int:
        """Live items the window could not keep up with (all are in the history)."""
        return self.server.hub.dropped if self.server is not None else 0

    def _set_phase(self, phase: Phase) -> None:
        if phase is not self.phase:
            self.phase = phase
            self.phase_changed.emit(phase.value)

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_event_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- start / stop -----------------------------------------------------------------

    def start(self, bind: Bind, port: int, config: CaptureConfig) -> bool:
        """Start listening (in the background); False when not stopped."""
        if self.phase is not Phase.STOPPED:
            return False
        self._set_phase(Phase.STARTING)
        self._spawn(self._start(bind, port, config))
        return True

    async def _start(self, bind: Bind, port: int, config: CaptureConfig) -> None:
        loop = asyncio.get_running_loop()
        try:  # uvicorn loads off the GUI thread (~0.1 s the window keeps painting)
            module = await loop.run_in_executor(None, importlib.import_module, _SERVER)
        except ImportError as exc:
            self._fail(f"The receiver cannot start: {exc}")
            return
        server: CaptureServer = module.CaptureServer(
            self._data_dir, config, Limits(stop_timeout=WINDOW_STOP_TIMEOUT)
        )
        queue, unsubscribe = server.subscribe_queue(loop)
        try:
            address = await loop.run_in_executor(None, server.start, bind.host, port)
        except module.CaptureError as exc:
            unsubscribe()
            self._fail(f"Port: {exc}; choose another port, or 0 for any free one")
            return
        except Exception as exc:  # an unusable data dir: one line, never a dialog
            unsubscribe()
            self._fail(f"The receiver could not start: {exc}")
            return
        self.server, self._queue, self._unsubscribe = server, queue, unsubscribe
        lan = lan_ip() if bind is Bind.LAN else None
        self.listening = Listening(bind, address.port, lan)
        self._timer.start()
        self._set_phase(Phase.RUNNING)

    def _fail(self, message: str) -> None:
        self._set_phase(Phase.STOPPED)
        self.failed.emit(message)

    def update(self, config: CaptureConfig) -> None:
        """Use this config from the next call / webhook on (the bridge toggle, a new
        key, settings edited while it runs)."""
        if self.server is not None:
            self.server.update(config)

    def stop(self) -> bool:
        """Stop (in the background): what is in flight is answered and recorded."""
        if self.phase is not Phase.RUNNING:
            return False
        self._set_phase(Phase.STOPPING)
        self._spawn(self._stop())
        return True

    async def _stop(self) -> None:
        server = self.server
        try:
            if server is not None:
                await server.stop_async()
        finally:
            self._timer.stop()
            self.drain()  # the items recorded while stopping
            if self._unsubscribe is not None:
                self._unsubscribe()
            self.server = self._queue = self._unsubscribe = None
            self.listening = None
            self._set_phase(Phase.STOPPED)

    async def aclose(self) -> None:
        """The window closes: stop the server (bounded), and wait for it."""
        for task in list(self._tasks):
            await asyncio.gather(task, return_exceptions=True)
        if self.phase is Phase.RUNNING:
            self._set_phase(Phase.STOPPING)
            await self._stop()
        self._timer.stop()

    # -- live items -------------------------------------------------------------------

    def drain(self) -> list[LiveItem]:
        """Take what the server published since the last tick (at most `per_tick`)."""
        queue = self._queue
        items: list[LiveItem] = []
        if queue is None:
            return items
        with contextlib.suppress(asyncio.QueueEmpty):
            while len(items) < self._per_tick:
                items.append(queue.get_nowait())
        if items:
            self.arrived.emit(items)
        return items
