"""The window's one send lane: at most one send (or preview) at a time, whoever starts it.

Every sender of the window (the composed event, a scenario, the app's identify, a
re-send) calls `start(job)` and gets its own `SendHandle` back, so it hears about its own
send only: no broadcast to filter by source, no senders wired to each other to know who
is busy. The send is a coroutine on Qt's own event loop (qasync), so the window stays
responsive; only the small synchronous history writes run on the GUI thread.
"""

from __future__ import annotations

import contextlib
import time
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Signal

from app.delivery import ItemOutcome, SendJob, SendReport
from app.delivery.options import DeliveryOptions
from app.delivery.progress import AttemptProgress
from app.state.window import WindowState

if TYPE_CHECKING:  # asyncio (~40 ms) is imported with the event loop, after the window
    import asyncio


class Sender(Protocol):
    """What the queue needs of delivery's SendService (the shell passes a lazy one)."""

    def plan(self, job: SendJob) -> list[ItemOutcome]: ...

    async def send(self, job: SendJob, **kwargs: Any) -> SendReport: ...


class SendHandle(QObject):
    """One started send.

    `outcomes` are the planned events, which the send fills in as it goes (each
    event's results so far); `attempt` is the latest `AttemptProgress`, `started` the
    `time.monotonic()` of the start.

    Signals:
        progress(int, int): requests done, requests planned.
        attempt(object): an AttemptProgress (an attempt goes out, or a wait before a retry).
        finished(object): its SendReport (finished, failed or cancelled).
    """

    progress = Signal(int, int)
    attempt = Signal(object)
    finished = Signal(object)

    def __init__(
        self, job: SendJob, outcomes: list[ItemOutcome] | None = None,
        parent: QObject | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.job = job
        self.outcomes: list[ItemOutcome] = outcomes or []
        self.started = time.monotonic()
        self.last_attempt: AttemptProgress | None = None
        self.report: SendReport | None = None
        self.task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self.report is None

    def _attempt(self, progress: AttemptProgress) -> None:
        self.last_attempt = progress
        self.attempt.emit(progress)

    def cancel(self) -> None:
        if self.task is not None and not self.task.done():
            self.task.cancel()


class SendQueue(QObject):
    """Owns the single in-flight send; the window state's `busy` follows it.

    Signals:
        busy_changed(bool): a send started (True) or ended (False).
        finished(object): the SendHandle whose send ended (history changed).
    """

    busy_changed = Signal(bool)
    finished = Signal(object)

    def __init__(
        self,
        service: Sender,
        state: WindowState,
        options: DeliveryOptions | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._state = state
        self.options = options if options is not None else DeliveryOptions()
        self.current: SendHandle | None = None
        self._tasks: set[asyncio.Task[Any]] = set()  # strong refs: asyncio keeps weak ones
        #: Why the last `start()` was refused, in words (None after a start).
        self.last_refusal: str | None = None
        self.last_report: SendReport | None = None

    @property
    def busy(self) -> bool:
        return self.current is not None

    def start(self, job: SendJob) -> SendHandle | None:
        """Start the job; None (and `last_refusal` says why) when it cannot start."""
        self.last_refusal = None
        if self.busy:
            self.last_refusal = "another send is in progress"
            return None
        try:
            planned = self._service.plan(job)
        except ValueError as exc:  # MissingKey, TooLarge, InvalidMessage, TargetError
            self.last_refusal = str(exc)
            return None
        import asyncio

        handle = SendHandle(job, planned, self)
        self.current = handle
        task = asyncio.get_event_loop().create_task(self._run(handle, planned))
        handle.task = task
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        self._state.set_busy(True)
        self.busy_changed.emit(True)
        return handle

    async def _run(self, handle: SendHandle, planned: list[Any]) -> None:
        try:
            report = await self._service.send(
                handle.job, planned=planned, on_progress=handle.progress.emit,
                on_attempt=handle._attempt,
            )  # fmt: skip
        finally:
            self.current = None
            self._state.set_busy(False)
            self.busy_changed.emit(False)
        handle.report = self.last_report = report
        handle.finished.emit(report)
        self.finished.emit(handle)

    def cancel(self) -> None:
        if self.current is not None:
            self.current.cancel()

    async def wait(self) -> None:
        """Until the current send (if any) has ended."""
        import asyncio

        current = self.current
        if current is not None and current.task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.shield(current.task)

    async def aclose(self) -> None:
        """Cancel and await everything started here (the window is closing)."""
        import asyncio

        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await task
