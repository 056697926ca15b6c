"""Turning messages into requests: one per message, or packed /batch requests.

Sizes are measured with `app.core.wire.dumps`, the serialiser that produces the bytes on
the wire, after `sentAt` has been stamped (its length never changes between attempts), so
a request that passes here stays under Segment's limits on every retry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from pydantic import SecretStr

from app.core.wire import (
    BATCH_LIMIT,
    BATCH_MAX_MESSAGES,
    MESSAGE_LIMIT,
    dumps,
    human_size,
)
from app.delivery.request import SegmentRequest
from app.delivery.target import Target

#: Bytes packed into one /batch body at most. Segment says "500 KB"; we stay under both
#: readings (500,000 and 512,000) with room for the envelope and a longer `sentAt`.
BATCH_BUDGET = min(BATCH_LIMIT, 500_000) - 2_000

_PLACEHOLDER_SENT_AT = "0000-00-00T00:00:00.000Z"  # same length as a real sentAt
_ENVELOPE = len(dumps({"batch": [], "sentAt": _PLACEHOLDER_SENT_AT}))


class InvalidMessageError(ValueError):
    """A message that is not valid JSON on the wire (NaN or Infinity); refused before sending."""


class TooLargeError(ValueError):
    """A message over Segment's 32 KB limit; refused before anything is sent."""

    def __init__(self, index: int, message: dict[str, Any], size: int) -> None:
        kind = message.get("type", "message")
        super().__init__(
            f"message {index + 1} ({kind}, messageId {message.get('messageId')}) is "
            f"{human_size(size)} ({size} bytes), over Segment's 32 KB per-message limit "
            f"({MESSAGE_LIMIT} bytes); nothing was sent"
        )
        self.index = index
        self.size = size


def restamp(
    messages: Iterable[dict[str, Any]], new_id: Callable[[], str] | None, sent_at: str
) -> list[dict[str, Any]]:
    """Copies with `sentAt` set and, when `new_id` is given, fresh messageIds.

    Fresh ids make every send (including a re-send from history) a new send for Segment,
    which would otherwise silently drop a messageId it has already seen.
    """
    out = []
    for message in messages:
        copy = {**message, "sentAt": sent_at}
        if new_id is not None:
            copy["messageId"] = new_id()
        out.append(copy)
    return out


def check_sizes(messages: list[dict[str, Any]]) -> list[int]:
    """Each message's size in bytes; raises TooLargeError for the first one over 32 KB and
    InvalidMessageError for one holding NaN/Infinity (Python writes them, JSON has none,
    Segment would answer 400)."""
    return [len(raw) for raw in encoded(messages)]


def encoded(messages: list[dict[str, Any]]) -> list[bytes]:
    """Each message as it goes on the wire (`dumps`), checked as `check_sizes` says; a
    /batch request joins these bytes rather than serialising its messages again."""
    out = []
    for index, message in enumerate(messages):
        try:
            raw = dumps(message)  # refuses NaN/Infinity (ValueError)
        except ValueError:
            raise InvalidMessageError(
                f"message {index + 1} ({message.get('type', 'message')}) contains NaN or "
                "Infinity, which JSON cannot carry; nothing was sent"
            ) from None
        if len(raw) > MESSAGE_LIMIT:
            raise TooLargeError(index, message, len(raw))
        out.append(raw)
    return out


def per_message_requests(
    messages: list[dict[str, Any]], target: Target, write_key: str
) -> list[SegmentRequest]:
    """One request per message, to /track or /identify by its type (RevenueCat's way)."""
    check_sizes(messages)
    key = SecretStr(write_key)
    requests = []
    for message in messages:
        endpoint = message.get("type")
        if endpoint not in ("track", "identify"):
            raise ValueError(f"cannot send a {endpoint!r} message; expected track or identify")
        requests.append(
            SegmentRequest(
                endpoint=endpoint, url=target.url_for(endpoint), write_key=key, body=message
            )
        )
    return requests


class BatchFill:
    """The /batch request being filled, and the one rule for when it is full: under
    `BATCH_BUDGET` bytes (the envelope, each message's bytes, a comma between two) and
    `BATCH_MAX_MESSAGES` messages. `batch_requests` and the streaming planner both fill
    with it, so a file sent at once and one sent a block at a time pack the same."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []
        self.parts: list[bytes] = []  # each message's bytes, as `encoded` gives them
        self._size = _ENVELOPE

    def fits(self, part: bytes) -> bool:
        """Whether a message of these bytes still goes in (always, into an empty one)."""
        return not self.messages or (
            self._size + len(part) + 1 <= BATCH_BUDGET and len(self.messages) < BATCH_MAX_MESSAGES
        )

    def add(self, message: dict[str, Any], part: bytes) -> None:
        self._size += len(part) + (1 if self.messages else 0)  # the comma between two
        self.messages.append(message)
        self.parts.append(part)

    def request(self, url: str, key: SecretStr) -> SegmentRequest:
        sent_at = self.messages[0].get("sentAt", _PLACEHOLDER_SENT_AT)
        return SegmentRequest.batch_of(url, key, self.messages, self.parts, sent_at)


def batch_requests(
    messages: list[dict[str, Any]], target: Target, write_key: str
) -> list[SegmentRequest]:
    """Messages packed, in order, into /batch requests (`BatchFill`)."""
    key = SecretStr(write_key)
    url = target.url_for("batch")
    requests: list[SegmentRequest] = []
    fill = BatchFill()
    for message, part in zip(messages, encoded(messages), strict=True):
        if not fill.fits(part):
            requests.append(fill.request(url, key))
            fill = BatchFill()
        fill.add(message, part)
    if fill.messages:
        requests.append(fill.request(url, key))
    return requests
