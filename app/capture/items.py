"""What the receiver reports for each thing it took in: the live items.

One `CallItem` per HTTP call from a Segment client (a /batch is one call, however many
messages) and one `WebhookItem` per RevenueCat webhook delivery, each published after
its history row is written (`history_id` set), so a subscriber that shows an item can
always open its row. `to_json()` is the `serve` command's output line (a contract).

Flags are what Segment would accept silently (it answers 200) but that means the events
never show up where the user looks: a stable `code` for programs, a `message` for people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from app.core.wire import iso_now


class FlagCode(StrEnum):
    UNEXPECTED_WRITE_KEY = "unexpected_write_key"
    NO_WRITE_KEY = "no_write_key"
    NO_USER = "no_user"
    WRONG_REGION = "wrong_region"


@dataclass(frozen=True, slots=True)
class Flag:
    code: FlagCode
    message: str

    def to_json(self) -> dict[str, str]:
        return {"code": self.code.value, "message": self.message}


class WebhookOutcome(StrEnum):
    """What became of one webhook delivery."""

    FORWARDED = "forwarded"  # sent to Segment and accepted by its API
    FAILED = "failed"  # forwarding failed after the delivery's retries
    RECORDED = "recorded"  # rendered and recorded; forwarding is off
    SKIPPED = "skipped"  # RevenueCat would not send it (TEST, a never-sent type, …)
    DUPLICATE = "duplicate"  # this event.id was forwarded before: not again
    INVALID = "invalid"  # not a RevenueCat event (400, or a field the engine refuses)
    UNAUTHORIZED = "unauthorized"  # the Authorization value did not match (401)
    CANCELLED = "cancelled"  # the server stopped while forwarding it


@dataclass(frozen=True, slots=True)
class CallItem:
    """One call from a Segment client, as answered."""

    at: datetime
    path: str
    call: str  # track, identify, page, screen, group, alias, batch (for /batch, /import)
    status: int  # the HTTP status answered
    messages: int
    user_ids: tuple[str, ...] = ()
    anonymous_ids: tuple[str, ...] = ()
    events: tuple[str, ...] = ()  # track event names, page/screen names
    flags: tuple[Flag, ...] = ()
    error: str = ""  # why a 4xx was answered
    library: str = ""  # context.library.name of the first message
    history_id: int | None = None

    source = "segment"

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "at": iso_now(self.at),
            "path": self.path,
            "type": self.call,
            "status": self.status,
            "messages": self.messages,
            "user_ids": list(self.user_ids),
            "anonymous_ids": list(self.anonymous_ids),
            "events": list(self.events),
            "library": self.library,
            "flags": [f.to_json() for f in self.flags],
            "error": self.error or None,
            "history_id": self.history_id,
        }


@dataclass(frozen=True, slots=True)
class WebhookItem:
    """One RevenueCat webhook delivery, after it was processed."""

    at: datetime
    status: int  # the HTTP status answered (200 before processing; 400/401 refused)
    outcome: WebhookOutcome
    type: str = ""  # the webhook's event.type (RENEWAL, TEST, …)
    event_id: str = ""
    app_user_id: str = ""
    segment_event: str = ""  # the Segment event type key it renders to, if any
    event_name: str = ""
    reason: str = ""  # why skipped / failed / invalid, in words
    history_id: int | None = None

    source = "revenuecat"

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "at": iso_now(self.at),
            "path": "/revenuecat",
            "status": self.status,
            "type": self.type,
            "event_id": self.event_id,
            "app_user_id": self.app_user_id,
            "segment_event": self.segment_event or None,
            "event_name": self.event_name or None,
            "outcome": self.outcome.value,
            "reason": self.reason or None,
            "history_id": self.history_id,
        }


LiveItem = CallItem | WebhookItem
