"""`SendService`: "send these rendered events to this target with this key, record it,
return the results" — the one entry point the CLI and the desktop app share.

It is GUI-agnostic: a coroutine that runs in whatever loop is current (the CLI's
`asyncio.Runner`, or qasync's `QEventLoop` in the app). Usage::

    service = SendService(history=store)          # store: app.storage HistoryStore
    async with service:                            # opens one keep-alive httpx client
        plan = service.plan(job)                   # optional: refuse early (sizes, key)
        report = await service.send(job, on_result=show)   # or job.preview=True

Cancelling the task that awaits `send()` stops it: the request in flight gets a
"cancelled" result, its history row is finished as cancelled, events not yet started are
left out, and `send()` *returns* the report (with `report.cancelled = True`) instead of
raising, so the caller can show what happened. A total deadline is the same thing:
wrap `send()` in `asyncio.timeout(...)` and read `report.cancelled`.

Order and history: per-message requests go out one at a time, in order (per event:
track, then identify, even when the track failed, as RevenueCat sends both); /batch
requests overlap, up to `BATCH_IN_FLIGHT`, finished in order. Every send gets fresh
messageIds (`DeliveryOptions.fresh_message_ids`), so Segment never deduplicates a
re-send. History rows (one per RevenueCat event) are written synchronously as "sending"
before the first request carrying the event goes out, and completed after its last;
previews and skipped events are recorded complete at once. One at a time, the next
request's rows are begun while this answer is awaited (`deliver(on_sent=...)`): a crash
before it goes out leaves them "interrupted", a cancel finishes them as never sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import random
from collections import deque
from collections.abc import Callable, Coroutine, Iterable, Sequence
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

import httpx

from app.core.render import uuid_factory
from app.core.wire import iso_now
from app.delivery.jobs import (
    HistoryRecorder,
    ItemOutcome,
    Previews,
    ProgressCallback,
    ResultCallback,
    SendItem,
    SendJob,
    SendReport,
    history_entry,
    preview_result,
)
from app.delivery.options import DeliveryOptions
from app.delivery.progress import AttemptCallback
from app.delivery.request import SegmentRequest
from app.delivery.result import FailureKind, SendResult
from app.delivery.streaming import (
    StreamPlanner,
    Unit,
    plan_outcomes,
    require_sendable,
    units_of,
)
from app.delivery.target import Resolver, resolve_host
from app.delivery.transport import Clock, Sleep, deliver, make_client
from app.storage.models import Outcome, Status

#: The row of an event begun early for a request that a cancel then kept from going out.
NEVER_SENT = Outcome(
    status=Status.CANCELLED,
    error_kind=FailureKind.CANCELLED.value,
    error="cancelled before its request was sent: nothing went out",
)


def _utc_now() -> datetime:
    return datetime.now(UTC)


#: /batch requests in flight at once: their answers are awaited together rather than one
#: after another (50 ms of latency each is most of a batched send's time). Few, so a
#: send stays far below any rate Segment throttles at; a 429 backs each off on its own.
BATCH_IN_FLIGHT = 3
Sending = Coroutine[Any, Any, SendResult] | asyncio.Task[SendResult]


class SendService:
    """Plans, previews, sends and records. All collaborators are injectable for tests:
    `client_factory` (called inside the running loop), `clock`, `sleep`, `rand`, `new_id`,
    `resolve` (host name → addresses, for the loopback check of plain http:// targets).
    """

    def __init__(
        self,
        *,
        history: HistoryRecorder | None = None,
        client_factory: Callable[[DeliveryOptions], httpx.AsyncClient] = make_client,
        clock: Clock = _utc_now,
        sleep: Sleep = asyncio.sleep,
        rand: Callable[[], float] = random.random,
        new_id: Callable[[], str] | None = None,
        resolve: Resolver | None = None,
    ) -> None:
        self._history = history
        self._client_factory = client_factory
        self._clock = clock
        self._sleep = sleep
        self._rand = rand
        # Fresh messageIds per send (project rule): random per service, then a counter.
        self._new_id = new_id or uuid_factory()
        self._resolve = resolve or resolve_host
        self._client: httpx.AsyncClient | None = None
        self._previews = Previews()

    async def __aenter__(self) -> SendService:
        self._client = self._client_factory(DeliveryOptions())
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the long-lived client (the GUI calls this before its loop ends)."""
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()

    def plan(self, job: SendJob) -> list[ItemOutcome]:
        """Fresh messageIds, `sentAt` = now, the exact requests; nothing sent or recorded.

        Raises MissingKeyError (live send, no key), packing.TooLargeError (a message over
        32 KB) or TargetError (plain http:// to a name that does not resolve to loopback),
        all before any connection. The preview shows these very requests.
        """
        require_sendable(job, self._resolve)
        new_id = self._new_id if job.options.fresh_message_ids else None
        return plan_outcomes(job, new_id, iso_now(self._clock()))

    async def send(
        self,
        job: SendJob,
        *,
        on_result: ResultCallback | None = None,
        on_progress: ProgressCallback | None = None,
        planned: list[ItemOutcome] | None = None,
        on_attempt: AttemptCallback | None = None,
    ) -> SendReport:
        """Run the job (a preview when `job.preview`); see the module docstring.
        `on_attempt` hears every attempt and every wait before a retry, as they happen."""
        outcomes = planned if planned is not None else self.plan(job)
        self._previews = Previews()  # ids of this send's requests only
        self._record_now(job, [o for o in outcomes if o.item.skipped is not None])
        report = SendReport(outcomes=outcomes, results=[], preview=job.preview)
        units = units_of(outcomes)
        await self._run_units(job, units, report, on_result, on_progress, (0, len(units)),
                              on_attempt)  # fmt: skip
        if job.preview:  # an event without messages, if any
            self._record_now(job, [o for o in outcomes if not o.recorded])
        return report

    async def send_stream(
        self,
        blocks: Iterable[list[SendItem]],
        job: SendJob,
        *,
        on_result: ResultCallback | None = None,
        on_skipped: Callable[[SendItem], None] | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> SendReport:
        """`send` for items read a block at a time (`job.items` unused): a block is planned
        (`StreamPlanner`) and its ready requests go out before the next is read, so memory
        holds one block. Results come only through `on_result` (`on_progress`'s total is
        what is planned so far); a refused message raises before its block sends. The
        report returned holds no outcomes or results (they were not kept): only whether
        the send was cancelled, so its `all_accepted` says nothing; count `on_result`."""
        require_sendable(job, self._resolve)
        planner = StreamPlanner(job, self._new_id if job.options.fresh_message_ids else None,
                                self._clock)  # fmt: skip
        done = planned = 0
        for block in itertools.chain(blocks, [None]):
            if block is None:
                units = planner.finish()
            else:
                outcomes, units = planner.add(block)
                skipped = [o for o in outcomes if o.item.skipped is not None]
                self._record_now(job, skipped)
                for outcome in skipped:
                    if on_skipped:
                        on_skipped(outcome.item)
            self._previews = Previews()  # this block's requests only
            planned += len(units)
            owners = list({id(o): o for _, unit_owners in units for o in unit_owners}.values())
            report = SendReport(outcomes=owners, results=[], preview=job.preview)
            await self._run_units(job, units, report, on_result, on_progress, (done, planned))
            done += len(units)
            if report.cancelled:
                break
        return SendReport(outcomes=[], results=[], preview=job.preview, cancelled=report.cancelled)

    async def _run_units(
        self,
        job: SendJob,
        units: Sequence[Unit],
        report: SendReport,
        on_result: ResultCallback | None,
        on_progress: ProgressCallback | None,
        progress: tuple[int, int],
        on_attempt: AttemptCallback | None = None,
    ) -> None:
        """Preview or send `units` in order, recording and reporting each; a cancel stops
        the rest (`report.cancelled`). `progress`: (requests done before, planned)."""
        start, total = progress
        if job.preview:
            for done, (request, owners) in enumerate(units, start=1):
                result = preview_result(request, self._previews.of(request))
                self._finish_unit(request, owners, result, report, on_result)
                # Complete once their last request is built: recorded, one commit per request.
                self._record_now(job, [o for o in owners if o.requests[-1] is request])
                if on_progress:
                    on_progress(start + done, total)
            return
        client = self._client or self._client_factory(job.options)
        # /batch requests overlap, each a task; per-message ones go one at a time (track
        # before identify), the coroutine awaited as it is: its rows are begun at once.
        window = BATCH_IN_FLIGHT if job.options.batch else 1
        flight: deque[tuple[SegmentRequest, Sequence[ItemOutcome], Sending]] = deque()

        async def settle() -> None:
            """Finish the oldest request in flight; a cancel cancels the others too."""
            request, owners, task = flight.popleft()
            stopped = False  # the user's cancel reached this coroutine
            try:
                result = await task
            except asyncio.CancelledError:  # the cancel came between two requests
                if not isinstance(task, asyncio.Task):
                    raise
                stopped = True
                task.cancel()  # a no-op when it had just finished: its result stands
                result = await task  # deliver() turns it into a "cancelled" result
            self._begin([o for o in owners if o.history_id is None], job)  # never sent
            self._finish_unit(request, owners, result, report, on_result)
            if on_progress:
                on_progress(start + len(report.results), total)
            if stopped or (result.error is not None and result.error.kind == "cancelled"):
                report.cancelled = True
                for _, _, other in flight:
                    if isinstance(other, asyncio.Task):
                        other.cancel()

        try:
            for done, (request, owners) in enumerate(units, start=1):

                def begin(
                    sent: httpx.Request, request: SegmentRequest = request,
                    owners: Sequence[ItemOutcome] = owners,
                ) -> None:  # fmt: skip
                    self._previews.of(request, sent)  # the rows' preview: no 2nd encoding
                    self._begin([o for o in owners if o.history_id is None], job)

                after = units[done][1] if done < len(units) and window == 1 else []

                def begin_next(after: Sequence[ItemOutcome] = after) -> None:
                    # Its rows, while this answer is awaited; on an error they are begun
                    # later by their own `begin`, which raises it then.
                    with contextlib.suppress(Exception):
                        self._begin([o for o in after if o.history_id is None], job)

                sending = deliver(
                    client, request, job.options, clock=self._clock, sleep=self._sleep,
                    rand=self._rand, before_first=begin, on_sent=begin_next,
                    on_attempt=on_attempt,
                )  # fmt: skip
                flight.append(
                    (request, owners, sending if window == 1 else asyncio.ensure_future(sending))
                )
                while len(flight) >= window and not report.cancelled:
                    await settle()
                if report.cancelled:
                    break
            while flight:
                await settle()
            if report.cancelled:
                self._finish_rows(report.outcomes)  # the identify after it; early rows
        finally:
            tasks = [task for _, _, task in flight if isinstance(task, asyncio.Task)]
            if tasks:  # only when a request failed outright (a storage error): stop the rest
                for task in tasks:
                    task.cancel()
                await asyncio.wait(tasks)
            if client is not self._client:
                await client.aclose()

    def _finish_unit(
        self,
        request: SegmentRequest,
        owners: Sequence[ItemOutcome],
        result: SendResult,
        report: SendReport,
        on_result: ResultCallback | None,
    ) -> None:
        report.results.append(result)
        for outcome in owners:
            outcome.results.append(result)
        self._finish_rows([o for o in owners if o.requests[-1] is request])
        if on_result:
            on_result(result)

    def _finish_rows(self, outcomes: Sequence[ItemOutcome]) -> None:
        """Complete the begun rows of events whose requests are all done (or abandoned)."""
        done = [o for o in outcomes if o.history_id is not None and not o.recorded]
        for outcome in done:
            outcome.recorded = True
        if self._history is None or not done:
            return
        # Events whose only request is the same one share an outcome: one transaction
        # per request (a /batch of 1,000 events is one commit, not 1,000).
        groups: dict[int, list[ItemOutcome]] = {}
        # Rows begun early for a request never sent (no results) share NEVER_SENT (key 0).
        for outcome in done:
            results = outcome.results
            key = id(results[0]) if len(results) == 1 else id(outcome) if results else 0
            groups.setdefault(key, []).append(outcome)
        for key, group in groups.items():
            ids = [o.history_id for o in group if o.history_id is not None]
            self._history.finish_many(ids, group[0].outcome() if key else NEVER_SENT)

    def _begin(self, outcomes: list[ItemOutcome], job: SendJob) -> None:
        """Rows written as "sending" (one transaction) before their request goes out."""
        if self._history is None or not outcomes:
            return
        ids = self._history.begin_many([history_entry(job, o, self._previews) for o in outcomes])
        for outcome, row_id in zip(outcomes, ids, strict=True):
            outcome.history_id = row_id

    def _record_now(self, job: SendJob, outcomes: Sequence[ItemOutcome]) -> None:
        """Previews or skipped events: complete rows at once (nothing goes out), one commit."""
        for outcome in outcomes:
            outcome.recorded = True
        if self._history is not None and outcomes:
            rows = [(history_entry(job, o, self._previews), o.outcome()) for o in outcomes]
            for outcome, row_id in zip(outcomes, self._history.record_many(rows), strict=True):
                outcome.history_id = row_id
