"""Runs one send (or preview) at a time as a qasync task, and can cancel it.

The window has two of these: one for the single event being composed, one for
multi-request sends (a whole scenario, the app's identify stand-in); each knows whether
the other is busy, so only one send goes out at a time, whichever started it.

The window stays responsive because the send is a coroutine on Qt's own event loop
(qasync); nothing blocks the GUI thread except the small synchronous history writes.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.delivery import (
    DeliveryOptions,
    MissingKeyError,
    SendJob,
    SendReport,
    SendService,
    TooLargeError,
)
from app.delivery.target import TargetError


class SendController(QObject):
    """Owns the single in-flight send task.

    `options` (retries, timeouts, backoff) apply to every job the window builds.
    `other_busy` says whether another sender of the window (a whole scenario, the app's
    identify) is running: only one send goes out at a time, whichever started it.

    Signals:
        busy_changed(bool): a send started (True) or ended (False).
        progress(int, int): requests done, requests planned (for a progress bar).
        finished(object): the SendReport of a finished, failed or cancelled send.
        refused(str): the send was refused before anything went out (another send is
            running, no key, too large, bad target…).
    """

    busy_changed = Signal(bool)
    progress = Signal(int, int)
    finished = Signal(object)
    refused = Signal(str)

    def __init__(
        self,
        service: SendService,
        options: DeliveryOptions | None = None,
        parent: QObject | None = None,
        other_busy: Callable[[], bool] = lambda: False,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self.options = options if options is not None else DeliveryOptions()
        self.other_busy = other_busy
        self._task: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()  # strong refs (QT_NOTES)
        self.last_report: SendReport | None = None
        #: Why the last `start()` was refused (for callers sharing this controller, who
        #: show it where they started the send rather than listening to `refused`).
        self.last_refusal: str | None = None

    @property
    def busy(self) -> bool:
        return self._task is not None and not self._task.done()

    @property
    def blocked(self) -> bool:
        """A send of this window is running, this controller's or another sender's."""
        return self.busy or self.other_busy()

    def start(self, job: SendJob) -> bool:
        """Start the job; False (and `refused`, saying why) when it cannot start."""
        self.last_refusal = None
        if self.blocked:
            return self._refuse("another send is in progress")
        try:
            planned = self._service.plan(job)
        except (MissingKeyError, TooLargeError, TargetError, ValueError) as exc:
            return self._refuse(str(exc))
        task = asyncio.get_event_loop().create_task(self._run(job, planned))
        self._task = task
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        self.busy_changed.emit(True)
        return True

    def _refuse(self, reason: str) -> bool:
        self.last_refusal = reason
        self.refused.emit(reason)
        return False

    async def _run(self, job: SendJob, planned: list[Any]) -> None:
        try:
            report = await self._service.send(job, planned=planned, on_progress=self.progress.emit)
        finally:
            self._task = None
            self.busy_changed.emit(False)
        self.last_report = report
        self.finished.emit(report)

    def cancel(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()

    async def wait(self) -> None:
        """Until the current send (if any) has ended."""
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.shield(self._task)

    async def aclose(self) -> None:
        """Cancel and await everything this controller started (window closing)."""
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await task
