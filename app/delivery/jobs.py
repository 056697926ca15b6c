"""The vocabulary of a send: what goes in (`SendItem`, `SendJob`) and what comes out
(`ItemOutcome`, `SendReport`), plus how an outcome becomes a history record.

A *send* is one call of `SendService.send`: one fresh set of messageIds, any number of
RevenueCat events, one or more HTTP requests. History keeps one row per RevenueCat event
(so it can be searched by user and event type) whatever the sending mode.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from app.core.redact import key_fingerprint
from app.core.render import RenderResult
from app.delivery.options import DeliveryOptions
from app.delivery.result import FailureKind, SendResult
from app.delivery.target import Target
from app.storage.models import Mode, NewEntry, Outcome, Status

if TYPE_CHECKING:  # httpx (~0.2 s) loads with the first request, not with the window
    import httpx

    from app.delivery.request import SegmentRequest


@dataclass(frozen=True)
class SendItem:
    """One RevenueCat event, rendered.

    `messages` overrides the rendered ones: a hand-edited payload, or messages re-sent from
    history (they get fresh messageIds all the same, unless the options say otherwise).
    """

    render: RenderResult
    input: Any = None  # the RevenueCat JSON as given, for history
    source: str = ""  # where it came from ("events.ndjson line 3"), for messages
    messages: tuple[dict[str, Any], ...] | None = None
    hand_edited: bool = False
    sandbox_override: bool = False

    @property
    def skipped(self) -> str | None:
        return None if self.messages else self.render.skipped

    @property
    def outgoing(self) -> tuple[dict[str, Any], ...]:
        return self.messages if self.messages is not None else self.render.messages

    @property
    def user_id(self) -> str:
        """The userId sent; for a skipped event (nothing sent), its `app_user_id`, so the
        row still shows up under that user in the history and the user's timeline."""
        if self.outgoing:
            return str(self.outgoing[0].get("userId") or "")
        event = self.input
        if isinstance(event, dict) and isinstance(event.get("event"), dict):
            event = event["event"]
        user = event.get("app_user_id") if isinstance(event, dict) else None
        return user if isinstance(user, str) else ""


@dataclass(frozen=True)
class SendJob:
    """Everything `SendService.send` needs. `write_key` may be "" only for a preview."""

    items: list[SendItem]
    target: Target
    write_key: str = field(default="", repr=False)  # a repr ends up in logs and tracebacks
    options: DeliveryOptions = field(default_factory=DeliveryOptions)
    preview: bool = False


@dataclass
class ItemOutcome:
    """What happened to one RevenueCat event: its requests' results and its history row."""

    item: SendItem
    messages: list[dict[str, Any]] = field(default_factory=list)  # as sent: fresh ids
    requests: list[SegmentRequest] = field(default_factory=list)
    results: list[SendResult] = field(default_factory=list)
    history_id: int | None = None
    recorded: bool = False  # its history row is complete

    def __repr__(self) -> str:  # short: reprs of whole batches get expensive (see SendReport)
        return f"<ItemOutcome {self.item.render.segment_event} {self.status.value}>"

    @property
    def status(self) -> Status:
        if self.item.skipped is not None:
            return Status.SKIPPED
        if any(r.preview for r in self.results):
            return Status.PREVIEWED
        if any(r.error is not None and r.error.kind is FailureKind.CANCELLED for r in self.results):
            return Status.CANCELLED
        if self.results and all(r.accepted for r in self.results):
            return Status.ACCEPTED
        return Status.FAILED

    def outcome(self) -> Outcome:
        """The history outcome: worst request first (its status and error are shown)."""
        results = self.results
        failed = [r for r in results if not r.accepted]
        shown = failed[0] if failed else (results[-1] if results else None)
        return Outcome(
            status=self.status,
            http_status=shown.status if shown else None,
            elapsed_ms=sum(r.elapsed_ms for r in results) if results else None,
            attempts=sum(r.attempts for r in results),
            responses=[_response_record(r) for r in results],
            error_kind=shown.error.kind.value if shown and shown.error else "",
            error=shown.error.message if shown and shown.error else (self.item.skipped or ""),
        )


def _response_record(result: SendResult) -> dict[str, Any]:
    response = result.response
    return {
        "url": result.url,
        "status": result.status,
        "attempts": result.attempts,
        "elapsed_ms": round(result.elapsed_ms, 1),
        "headers": response.headers if response else {},
        "body": response.body if response else "",
        "truncated": response.truncated if response else False,
        "error_kind": result.error.kind.value if result.error else "",
        "error": result.error.message if result.error else "",
    }


@dataclass
class SendReport:
    """The whole send. `results` has one entry per HTTP request, in sending order."""

    outcomes: list[ItemOutcome]
    results: list[SendResult]
    preview: bool
    cancelled: bool = False

    def __repr__(self) -> str:
        # Short on purpose: asyncio (3.11) may repr a finished task, result included, when
        # its Runner restores the SIGINT handler; a full repr of 2,500-message batches
        # took seconds.
        return (
            f"<SendReport {len(self.outcomes)} events, {len(self.results)} requests, "
            f"{len(self.failed)} failed{', cancelled' if self.cancelled else ''}>"
        )

    @property
    def skipped(self) -> list[SendItem]:
        return [o.item for o in self.outcomes if o.item.skipped is not None]

    @property
    def all_accepted(self) -> bool:
        return not self.cancelled and all(r.accepted or r.preview for r in self.results)

    @property
    def failed(self) -> list[SendResult]:
        return [r for r in self.results if not (r.accepted or r.preview)]


class Previews:
    """Each request's preview, built once (an httpx.Request and a JSON parse apiece), and
    what an event's history row stores of it."""

    def __init__(self) -> None:
        self._cache: dict[int, tuple[SegmentRequest, dict[str, Any]]] = {}
        self._carried: dict[int, tuple[SegmentRequest, frozenset[int]]] = {}

    def of(self, request: SegmentRequest, sent: httpx.Request | None = None) -> dict[str, Any]:
        """`request.preview()`, built once. `sent` is the wire request of an attempt (a
        copy with another `sentAt`, same length): its headers are the preview's, and a
        500 KB /batch body is not serialised a second time just to preview it."""
        hit = self._cache.get(id(request))
        if hit is None or hit[0] is not request:
            hit = self._cache[id(request)] = (request, request.preview(sent))
        return hit[1]

    def own(self, request: SegmentRequest, outcome: ItemOutcome) -> dict[str, Any]:
        """The request as previewed; for a /batch, only this event's messages in its body
        (the whole batch would repeat in every row) and `batch_messages`, how many the
        request carried in all. Headers (Content-Length too) are the whole request's."""
        preview = self.of(request)
        if request.endpoint != "batch":
            return preview
        mine = outcome.messages
        if len(outcome.requests) > 1:  # its messages straddle two /batch requests
            carried = self._carried_by(request)
            mine = [m for m in outcome.messages if id(m) in carried]
        body = {**preview["body"], "batch": mine}
        return {**preview, "body": body, "batch_messages": len(request.messages)}

    def _carried_by(self, request: SegmentRequest) -> frozenset[int]:
        """Identities of the message dicts the request carries (plan() shares them)."""
        hit = self._carried.get(id(request))
        if hit is None or hit[0] is not request:
            hit = self._carried[id(request)] = (request, frozenset(map(id, request.messages)))
        return hit[1]


def preview_result(request: SegmentRequest, preview: dict[str, Any]) -> SendResult:
    """A preview's result: the exact request (key masked), nothing sent."""
    return SendResult(
        endpoint=request.endpoint,
        url=request.url,
        preview=True,
        message_ids=request.message_ids,
        request={**preview, "curl": request.to_curl()},  # masked
    )


#: Called with each request's result as soon as it is known (CLI output, GUI updates).
ResultCallback = Callable[[SendResult], None]
#: Called with (requests done, requests planned) after each request.
ProgressCallback = Callable[[int, int], None]


class HistoryRecorder(Protocol):
    """What the service needs from `app.storage`'s HistoryStore."""

    def begin_many(self, entries: Sequence[NewEntry]) -> list[int]: ...

    def finish_many(self, row_ids: Sequence[int], outcome: Outcome) -> int: ...

    def record_many(self, rows: Sequence[tuple[NewEntry, Outcome]]) -> list[int]: ...


def history_entry(job: SendJob, outcome: ItemOutcome, previews: Previews) -> NewEntry:
    """The history row of one event of `job`: what was asked, and its requests' previews."""
    item = outcome.item
    return NewEntry(
        mode=Mode.PREVIEW if job.preview else Mode.LIVE,
        target=job.target.label,
        event_type=item.render.segment_event or "",
        event_name=item.render.event_name or "",
        user_id=item.user_id,
        input=item.input,
        requests=[previews.own(r, outcome) for r in outcome.requests],
        message_ids=[str(m.get("messageId")) for m in outcome.messages],
        key_fingerprint=key_fingerprint(job.write_key),
        hand_edited=item.hand_edited,
        sandbox_override=item.sandbox_override,
    )
