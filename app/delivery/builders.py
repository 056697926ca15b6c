"""Every job the CLI and the window send is built here: one RevenueCat event, a whole
scenario, the app's stand-in identify, a re-send from history.

No widget builds a `SendItem`; the rules that decide what history records (the sandbox
override, the event name of a hand-edited payload, the messages of a stored row) are
written once and shared by both front ends.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any

from app.core.render import RenderResult
from app.delivery.jobs import SendItem, SendJob
from app.delivery.options import DeliveryOptions
from app.delivery.target import Target
from app.storage.models import HistoryRow

#: The history row's event name for identify calls sent on the app's behalf.
STAND_IN_NAME = "identify (app stand-in)"


def sandbox_override(environment: object, requested: bool, result: RenderResult) -> bool:
    """Whether a send goes out only because the user overrode "send sandbox events":
    asked for, a SANDBOX event, and not skipped for another reason. History flags it."""
    return bool(requested and environment == "SANDBOX" and not result.skipped)


def event_item(
    result: RenderResult,
    raw: Any,
    source: str,
    *,
    override_requested: bool = False,
    messages: Sequence[dict[str, Any]] | None = None,
) -> SendItem:
    """One RevenueCat event. `messages` are a hand edit: they are what is sent, and the
    track's own `event` is what history records as the event name."""
    event = raw.get("event", raw) if isinstance(raw, dict) else {}
    environment = event.get("environment") if isinstance(event, dict) else None
    hand = messages is not None
    render = result
    if hand and messages:
        name = messages[0].get("event")
        render = dataclasses.replace(result, event_name=name if isinstance(name, str) else None)
    return SendItem(
        render=render,
        input=raw,
        source=source,
        messages=tuple(messages) if messages is not None else None,
        hand_edited=hand,
        sandbox_override=sandbox_override(environment, override_requested, result),
    )


def job(
    items: list[SendItem],
    target: Target,
    key: str,
    options: DeliveryOptions | None = None,
    *,
    preview: bool = False,
) -> SendJob:
    return SendJob(items, target, key, options or DeliveryOptions(), preview=preview)


def messages_item(messages: Sequence[dict[str, Any]]) -> SendItem:
    """Messages as they stand, for the request preview of the payload tabs."""
    return SendItem(render=RenderResult(None, None), messages=tuple(messages))


def scenario_items(name: str, points: Iterable[Any]) -> list[SendItem]:
    """Every event of a scenario's timeline, in order (skipped ones are recorded too).
    `points` are `core.timeline.TimelinePoint`s."""
    return [
        event_item(
            p.result, {"api_version": "1.0", "event": p.rc_event}, f"scenario {name} #{p.index + 1}"
        )
        for p in points
    ]


def identify_item(message: dict[str, Any]) -> SendItem:
    """The identify the app's SDK would send, sent on its behalf (labelled as ours)."""
    return SendItem(
        render=RenderResult(None, STAND_IN_NAME),
        input={"app_identify": {"userId": message.get("userId"), "traits": message.get("traits")}},
        source="identity panel",
        messages=(message,),
    )


def row_messages(row: HistoryRow) -> list[dict[str, Any]]:
    """The messages a history row sent, each once (`request_messages`)."""
    return request_messages(row.requests)


def request_messages(requests: Iterable[Any]) -> list[dict[str, Any]]:
    """The messages in stored requests' bodies, each once: an event whose track and
    identify fell into two /batch requests has both stored under each request."""
    messages: list[dict[str, Any]] = []
    seen: set[Any] = set()
    for request in requests:
        body = request.get("body") if isinstance(request, dict) else None
        if not isinstance(body, dict) or not body:  # a captured call's: its input has them
            continue
        for message in body.get("batch", [body]):
            if isinstance(message, dict) and message.get("messageId") not in seen:
                seen.add(message.get("messageId"))
                messages.append(message)
    return messages


def resend_item(row: HistoryRow) -> SendItem | None:
    """A history row's messages again (fresh messageIds are given when sent); None when
    the row sent nothing (a skipped event)."""
    messages = row_messages(row)
    if not messages:
        return None
    return SendItem(
        render=RenderResult(row.event_type or None, row.event_name or None),
        input=row.input,
        source=f"history #{row.id}",
        messages=tuple(messages),
        hand_edited=row.hand_edited,
        sandbox_override=row.sandbox_override,
    )
