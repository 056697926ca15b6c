"""RevenueCat webhooks after they were answered: render, record, forward once.

The endpoint answers 200 first (RevenueCat retries anything else and gives up after
60 s) and queues the body here. One worker takes the deliveries in arrival order, so a
slow Segment delays the forwarding, never the answers. Each is rendered with the
`CaptureConfig` in force (the same `Renderer` as `render`) and goes through the same
`SendService` as `send`, retries included:

* forwarding off: a preview (status "previewed": the exact requests, nothing sent);
* forwarding on: sent, recorded "sending" → accepted / failed, like any send;
* TEST, the types RevenueCat never sends, sandbox-off and switched-off events: skipped;
* an event.id this history already forwarded (RevenueCat delivers at least once):
  recorded as skipped, not forwarded again. A forward that failed after its retries
  counts as forwarded: re-send it from the history when Segment is back.

Rows are mode "webhook"; `capture_webhook` names their event.id.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.capture.config import CaptureConfig
from app.capture.items import WebhookItem, WebhookOutcome
from app.capture.recorder import Hub
from app.core.errors import EventInputError
from app.core.model import RevenueCatEvent, parse_event
from app.core.render import Renderer
from app.delivery import SendJob, SendService
from app.delivery.builders import event_item
from app.delivery.target import region_target
from app.storage.capture import CaptureStore
from app.storage.errors import StorageError
from app.storage.models import Mode, NewEntry, Outcome, Status

log = logging.getLogger(__name__)

_OUTCOMES = {
    Status.ACCEPTED: WebhookOutcome.FORWARDED,
    Status.FAILED: WebhookOutcome.FAILED,
    Status.PREVIEWED: WebhookOutcome.RECORDED,
    Status.SKIPPED: WebhookOutcome.SKIPPED,
    Status.CANCELLED: WebhookOutcome.CANCELLED,
}


@dataclass(frozen=True, slots=True)
class Delivery:
    """One webhook body, answered 200, waiting to be processed."""

    at: datetime
    body: dict[str, Any]


class _WebhookHistory:
    """`SendService`'s history, writing webhook rows: mode "webhook", the whole webhook
    body as input, and the event.id beside each row."""

    def __init__(self, store: CaptureStore) -> None:
        self._store = store
        self.event_id = ""
        self.body: Any = None
        self.rows: list[int] = []

    def _entry(self, entry: NewEntry) -> NewEntry:
        return entry.model_copy(update={"mode": Mode.WEBHOOK, "input": self.body})

    def _mark(self, ids: list[int]) -> list[int]:
        self.rows.extend(ids)
        if self.event_id:
            self._store.mark_webhook(ids, self.event_id)
        return ids

    def begin_many(self, entries: Sequence[NewEntry]) -> list[int]:
        return self._mark(self._store.history.begin_many([self._entry(e) for e in entries]))

    def finish_many(self, row_ids: Sequence[int], outcome: Outcome) -> int:
        return self._store.history.finish_many(row_ids, outcome)

    def record(self, entry: NewEntry, outcome: Outcome) -> int:
        return self._mark([self._store.history.record(self._entry(entry), outcome)])[0]

    def record_many(self, rows: Sequence[tuple[NewEntry, Outcome]]) -> list[int]:
        """Rows complete at once (a preview or a skip), in one commit."""
        history = self._store.history
        return self._mark(history.record_many([(self._entry(e), o) for e, o in rows]))


class Bridge:
    """The webhook worker (runs on the server's loop)."""

    def __init__(
        self,
        store: CaptureStore,
        hub: Hub,
        config: Callable[[], CaptureConfig],
        *,
        maxsize: int = 1_000,
        service_factory: Callable[..., SendService] = SendService,
    ) -> None:
        self._store = store
        self._hub = hub
        self._config = config
        self._queue: asyncio.Queue[Delivery | None] = asyncio.Queue(maxsize)
        self._history = _WebhookHistory(store)
        self._service = service_factory(history=self._history)
        self._renderer = Renderer()
        self._aborted = False
        self.processed = 0

    def offer(self, delivery: Delivery) -> bool:
        """Queue a delivery; False when the queue is full (the endpoint answers 503, and
        RevenueCat delivers it again later)."""
        try:
            self._queue.put_nowait(delivery)
        except asyncio.QueueFull:
            return False
        return True

    async def run(self) -> None:
        """Process deliveries until `close()`; the queue is drained first."""
        async with self._service:
            while not self._aborted and (delivery := await self._queue.get()) is not None:
                try:
                    item = await self._process(delivery)
                except StorageError as exc:
                    log.error("capture: %s", exc)
                    item = WebhookItem(delivery.at, 200, WebhookOutcome.FAILED, reason=str(exc))
                self.processed += 1
                self._hub.publish(item)

    async def close(self) -> None:
        """Let the queued deliveries through, then stop (run() returns)."""
        await self._queue.put(None)

    def abort(self) -> None:
        """Process nothing more (the stop's time is up; the caller cancels run())."""
        self._aborted = True

    def abandon(self) -> None:
        """After `run()` was cancelled (the stop's time was up): record what is still
        queued, so no answered webhook is lost without a trace."""
        reason = (
            "the server stopped before this webhook was processed (it had been answered "
            "200, so RevenueCat will not deliver it again)"
        )
        while not self._queue.empty():
            delivery = self._queue.get_nowait()
            if delivery is not None:
                row = self._record_skip(delivery, None, reason, status=Status.FAILED)
                self._hub.publish(WebhookItem(
                    delivery.at, 200, WebhookOutcome.CANCELLED, reason=reason, history_id=row
                ))  # fmt: skip

    async def _process(self, delivery: Delivery) -> WebhookItem:
        config = self._config()
        body = delivery.body
        try:
            event = parse_event(body)
        except EventInputError as exc:
            return self._invalid(delivery, str(exc))
        base = WebhookItem(
            at=delivery.at, status=200, outcome=WebhookOutcome.RECORDED, type=event.type,
            event_id=event.id or "", app_user_id=event.app_user_id or "",
        )  # fmt: skip
        forward = config.forward
        earlier = self._store.forwarded_row(event.id) if forward and event.id else None
        if earlier is not None:
            reason = (
                f"event {event.id} was delivered again (RevenueCat delivers at least once); "
                f"forwarded once already (history row {earlier}), not again"
            )
            row = self._record_skip(delivery, event, reason)
            return _replace(base, outcome=WebhookOutcome.DUPLICATE, reason=reason, history_id=row)
        result = self._renderer.render(event, config.settings)
        target = forward or region_target("us")
        job = SendJob(
            [event_item(result, body, f"webhook {event.id or ''}".strip())],
            target,
            config.write_key if forward else "",
            config.options,
            preview=forward is None,
        )
        history = self._history
        history.event_id, history.body, history.rows = event.id or "", body, []
        try:
            report = await self._service.send(job)
        except ValueError as exc:  # refused before sending: no key, a message over 32 KB
            row = self._record_skip(delivery, event, str(exc), status=Status.FAILED)
            return _replace(base, outcome=WebhookOutcome.FAILED, reason=str(exc), history_id=row)
        outcome = report.outcomes[0]
        failed = report.failed
        reason = outcome.item.skipped or (failed[0].summary if failed else "")
        return _replace(
            base,
            outcome=_OUTCOMES.get(outcome.status, WebhookOutcome.FAILED),
            segment_event=result.segment_event or "",
            event_name=result.event_name or "",
            reason=reason,
            history_id=history.rows[0] if history.rows else None,
        )

    def _record_skip(
        self, delivery: Delivery, event: RevenueCatEvent | None, reason: str,
        status: Status = Status.SKIPPED,
    ) -> int:  # fmt: skip
        self._history.event_id = (event.id or "") if event else ""
        self._history.body, self._history.rows = delivery.body, []
        entry = NewEntry(
            mode=Mode.WEBHOOK,
            target="webhook",
            user_id=(event.app_user_id or "") if event else "",
            input=delivery.body,
            created_at=delivery.at,
        )
        return self._history.record(entry, Outcome(status=status, error=reason))

    def _invalid(self, delivery: Delivery, reason: str) -> WebhookItem:
        row = self._record_skip(delivery, None, reason, status=Status.FAILED)
        event = delivery.body.get("event") if isinstance(delivery.body, dict) else None
        kind = event.get("type") if isinstance(event, dict) else None
        return WebhookItem(
            delivery.at, 200, WebhookOutcome.INVALID,
            type=kind if isinstance(kind, str) else "", reason=reason, history_id=row,
        )  # fmt: skip


def _replace(item: WebhookItem, **changes: Any) -> WebhookItem:
    return dataclasses.replace(item, **changes)
