"""`SendService.plan` for events that arrive a block at a time (`SendService.send_stream`).

Why: `send` of a 100,000-event file must not hold 100,000 events, their messages and
their requests at once (docs/architecture.md, "The CLI: one block of input at a time").
The planner keeps only what is not sent yet: the open /batch request, and the requests
that cannot go until an event they carry is complete.

Same requests as planning everything at once: messages get fresh ids and `sentAt` as in
`plan` (one `sentAt` per block), per-message requests are built per event, and /batch
packing is the same greedy fill as `packing.batch_requests` (`packing.BatchFill`, the
one rule for both) — the open batch carries over from one block to the next, so block
boundaries never add a request. A request is handed out ("ready") only when every event
it carries has all its requests built: an event's history row lists its requests when
it is begun, before its first request goes out.
"""

from __future__ import annotations

from collections.abc import Callable

from pydantic import SecretStr

from app.core.wire import iso_now
from app.delivery.jobs import ItemOutcome, SendItem, SendJob
from app.delivery.packing import (
    BatchFill,
    TooLargeError,
    batch_requests,
    encoded,
    per_message_requests,
    restamp,
)
from app.delivery.request import SegmentRequest
from app.delivery.target import Resolver, check_loopback
from app.delivery.transport import Clock

#: A request and the events it carries, in sending order.
Unit = tuple[SegmentRequest, list[ItemOutcome]]


class MissingKeyError(ValueError):
    """A live send without a write key: refused before anything is sent."""


class StreamPlanner:
    """Plans blocks of items into ready units; `finish()` hands out the rest."""

    def __init__(self, job: SendJob, new_id: Callable[[], str] | None, clock: Clock) -> None:
        self._job = job
        self._new_id = new_id
        self._clock = clock
        self._key = SecretStr(job.write_key)
        self._url = job.target.url_for("batch")
        self._open = BatchFill()  # the /batch request being filled
        self._open_owners: list[ItemOutcome] = []  # the events it carries
        self._waiting: list[Unit] = []  # closed, but carrying an event still being packed
        self._packed = 0  # messages packed so far: TooLargeError counts across blocks

    def add(self, items: list[SendItem]) -> tuple[list[ItemOutcome], list[Unit]]:
        """The block's outcomes and the units now ready. Raises packing's TooLargeError
        or InvalidMessageError for a message of this block, before any unit of it."""
        sent_at = iso_now(self._clock())
        outcomes = [ItemOutcome(item) for item in items]
        live = [o for o in outcomes if o.item.skipped is None]
        for outcome in live:
            outcome.messages = restamp(outcome.item.outgoing, self._new_id, sent_at)
        if not self._job.options.batch:
            units: list[Unit] = []
            for outcome in live:
                outcome.requests = per_message_requests(
                    outcome.messages, self._job.target, self._job.write_key
                )
                units.extend((request, [outcome]) for request in outcome.requests)
            return outcomes, units
        flat = [(m, o) for o in live for m in o.messages]
        try:
            parts = encoded([m for m, _ in flat])
        except TooLargeError as exc:
            raise TooLargeError(self._packed + exc.index, flat[exc.index][0], exc.size) from None
        self._packed += len(flat)
        for (message, owner), part in zip(flat, parts, strict=True):
            if not self._open.fits(part):
                self._close()
            self._open.add(message, part)
            if not self._open_owners or self._open_owners[-1] is not owner:
                self._open_owners.append(owner)
        return outcomes, self._ready()

    def finish(self) -> list[Unit]:
        """Every unit not handed out yet (the input has ended)."""
        if self._open.messages:
            self._close()
        ready, self._waiting = self._waiting, []
        return ready

    def _close(self) -> None:
        request = self._open.request(self._url, self._key)
        for owner in self._open_owners:
            owner.requests.append(request)
        self._waiting.append((request, self._open_owners))
        self._open, self._open_owners = BatchFill(), []

    def _ready(self) -> list[Unit]:
        # Only the first event of the open request can have messages in closed ones; the
        # requests carrying it wait (they are the last closed ones) until it is packed.
        pending = self._open_owners[0] if self._open_owners else None
        count = 0
        while count < len(self._waiting) and self._waiting[count][1][-1] is not pending:
            count += 1
        ready, self._waiting = self._waiting[:count], self._waiting[count:]
        return ready


def require_sendable(job: SendJob, resolve: Resolver) -> None:
    """A live send needs a write key, and plain http only to a host that really is this
    machine: refused before anything is planned or sent (a preview sends nothing)."""
    if job.preview:
        return
    if not job.write_key.strip():
        raise MissingKeyError(
            "no write key: give --write-key, set SEGMENT_WRITE_KEY, or use a profile "
            "that has one (a preview needs none)"
        )
    check_loopback(job.target, resolve)


def units_of(outcomes: list[ItemOutcome]) -> list[Unit]:
    """Distinct requests in sending order, each with the events it carries."""
    order: dict[int, Unit] = {}
    for outcome in outcomes:
        for request in outcome.requests:
            order.setdefault(id(request), (request, []))[1].append(outcome)
    return list(order.values())


def plan_outcomes(
    job: SendJob, new_id: Callable[[], str] | None, sent_at: str
) -> list[ItemOutcome]:
    """`SendService.plan` for a whole job: fresh ids and `sentAt` stamped, the exact
    requests built, each event's outcome pointing at the request(s) carrying it."""
    outcomes = [ItemOutcome(item) for item in job.items]
    live = [o for o in outcomes if o.item.skipped is None]
    for outcome in live:
        outcome.messages = restamp(outcome.item.outgoing, new_id, sent_at)
    if not job.options.batch:
        for outcome in live:
            outcome.requests = per_message_requests(outcome.messages, job.target, job.write_key)
        return outcomes
    flat = [m for outcome in live for m in outcome.messages]
    requests = batch_requests(flat, job.target, job.write_key)
    # Each event's row points at the /batch request(s) carrying its messages.
    owner = {id(m): o for o in live for m in o.messages}
    for request in requests:
        for message in request.messages:
            mine = owner[id(message)].requests
            if not mine or mine[-1] is not request:
                mine.append(request)
    return outcomes
