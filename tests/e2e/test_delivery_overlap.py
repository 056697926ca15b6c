"""The next request's history rows are written while this request's answer is awaited
(deliver's `on_sent`), so their SQLite time hides in the network wait — still before
their own request goes out; a cancel in between finishes them as never sent. Real
SQLite file, real loopback server; the order is observed, not timed."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

from app.delivery import DeliveryOptions, SendJob, SendReport, SendService
from app.delivery.service import BATCH_IN_FLIGHT
from app.delivery.target import custom_target
from app.storage import HistoryQuery, HistoryStore, Status
from app.storage.models import NewEntry
from tests.support.delivery import items
from tests.support.segment_server import respond, slow
from tests.support.webhooks import KEY


class Watched(HistoryStore):
    """A store that notes, at each begin, how many answers had come back by then."""

    def __init__(self, path: Path, report: list[object]) -> None:
        super().__init__(path)
        self.answers_at_begin: list[int] = []
        self.on_begin = lambda: None
        self._results = report

    def begin_many(self, entries: Sequence[NewEntry]) -> list[int]:
        self.answers_at_begin.append(len(self._results))
        ids = super().begin_many(entries)
        self.on_begin()
        return ids


def test_the_next_requests_rows_are_begun_while_the_answer_is_awaited(segment_server, tmp_path):
    # Per message: track 1, identify 1, track 2, identify 2. Event 2's row is begun once
    # identify 1's body is out and before its answer (1 answer back: track 1's), not when
    # track 2 is about to go (2 answers back).
    answers: list[object] = []
    store = Watched(tmp_path / "history.sqlite3", answers)
    job = SendJob(items(2), custom_target(segment_server.base_url), KEY)

    async def go() -> SendReport:
        async with SendService(history=store) as service:
            return await service.send(job, on_result=answers.append)

    report = asyncio.run(go())
    assert report.all_accepted and len(answers) == 4
    assert store.answers_at_begin == [0, 1]
    assert [r.status for r in store.iter_rows()] == [Status.ACCEPTED] * 2
    store.close()


def test_cancel_finishes_rows_begun_early_as_never_sent(segment_server, tmp_path):
    segment_server.script(respond(), slow(10.0))  # identify 1's answer never comes in time
    answers: list[object] = []
    store = Watched(tmp_path / "history.sqlite3", answers)
    job = SendJob(items(3), custom_target(segment_server.base_url), KEY)

    async def go() -> SendReport:
        async with SendService(history=store) as service:
            task = asyncio.ensure_future(service.send(job, on_result=answers.append))
            # Cancel right after event 2's row is begun early (while identify 1 waits).
            store.on_begin = lambda: len(store.answers_at_begin) == 2 and task.cancel()
            return await task

    report = asyncio.run(go())
    assert report.cancelled and len(report.results) == 2  # track 1, identify 1 (cancelled)
    # identify 1 was on the wire when the cancel came; the server may still be reading it.
    assert [r.path for r in segment_server.wait_for(2)] == ["/v1/track", "/v1/identify"]
    assert len(segment_server.requests) == 2  # track 2 never went out
    first, second = sorted(store.iter_rows(), key=lambda r: r.id)  # no row for event 3
    assert first.status is Status.CANCELLED and first.attempts == 2
    assert second.status is Status.CANCELLED and second.error_kind == "cancelled"
    assert second.attempts == 0 and "nothing went out" in second.error
    assert store.count(HistoryQuery(status=Status.SENDING)) == 0
    store.close()


def test_batch_requests_overlap_up_to_the_bound_and_a_cancel_finishes_them(
    segment_server, tmp_path
):
    """/batch requests go out without waiting for the answers before them, at most
    BATCH_IN_FLIGHT at once; cancelling then finishes every begun row as cancelled."""
    segment_server.script(*[slow(30.0)] * 4)  # no answer comes back while the test runs
    store = HistoryStore(tmp_path / "history.sqlite3")
    job = SendJob(items(1200), custom_target(segment_server.base_url), KEY,
                  DeliveryOptions(batch=True))  # fmt: skip
    planned = {id(r): r for o in SendService().plan(job) for r in o.requests}
    assert len(planned) == BATCH_IN_FLIGHT + 1 == 4  # 720 messages a request

    async def go() -> SendReport:
        async with SendService(history=store) as service:
            task = asyncio.ensure_future(service.send(job))
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, segment_server.wait_for, BATCH_IN_FLIGHT)
            assert store.count(HistoryQuery(status=Status.SENDING)) > 0  # begun, unanswered
            task.cancel()
            return await task

    report = asyncio.run(go())
    assert report.cancelled and len(report.results) == BATCH_IN_FLIGHT
    assert all(r.error is not None and r.error.kind == "cancelled" for r in report.results)
    assert len(segment_server.requests) == BATCH_IN_FLIGHT  # the fourth never went out
    rows = list(store.iter_rows())
    sent = {m["messageId"] for received in segment_server.requests for m in received.messages}
    assert {i for row in rows for i in row.message_ids} == sent  # a row for every event sent
    assert {row.status for row in rows} == {Status.CANCELLED}
    assert store.count(HistoryQuery(status=Status.SENDING)) == 0
    store.close()
