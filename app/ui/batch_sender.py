"""Runs one multi-request send (a whole scenario, or the app's identify) as a qasync task,
reporting progress request by request, and can cancel it.

Like `SendController` (the single-event send), but it forwards SendService's progress
callback as a signal, which a scenario of dozens of requests needs for its progress bar.
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


class BatchSender(QObject):
    """Owns at most one in-flight send.

    Signals:
        busy_changed(bool): a send started (True) or ended (False).
        progress(int, int): requests done, requests planned.
        finished(object): the SendReport (also after a cancel: `report.cancelled`).
        refused(str): refused before anything went out (no key, too large, bad target).
    """

    busy_changed = Signal(bool)
    progress = Signal(int, int)
    finished = Signal(object)
    refused = Signal(str)

    def __init__(
        self,
        service: SendService,
        other_busy: Callable[[], bool] = lambda: False,
        parent: QObject | None = None,
        options: DeliveryOptions | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self.options = options if options is not None else DeliveryOptions()  # the window's
        self._other_busy = other_busy  # the window's single-event send, so only one runs
        self._task: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()  # strong refs (QT_NOTES)
        self.last_report: SendReport | None = None

    @property
    def busy(self) -> bool:
        return self._task is not None and not self._task.done()

    @property
    def blocked(self) -> bool:
        """This sender or the window's single-event send is running."""
        return self.busy or self._other_busy()

    def start(self, job: SendJob) -> bool:
        """Start the job; False (and `refused` when there is a reason to show) if not."""
        if self.busy or self._other_busy():
            self.refused.emit("another send is in progress")
            return False
        try:
            planned = self._service.plan(job)
        except (MissingKeyError, TooLargeError, TargetError, ValueError) as exc:
            self.refused.emit(str(exc))
            return False
        task = asyncio.get_event_loop().create_task(self._run(job, planned))
        self._task = task
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        self.busy_changed.emit(True)
        return True

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

    async def aclose(self) -> None:
        """Cancel and await everything this sender started (window closing)."""
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await task
