"""A captured Segment call as a history row (`CapturedCall`) and a live item (`CallItem`).

One row per HTTP call: the body as received is the input (the store masks any writeKey
in it; the Authorization header is never kept), the request's shape (path, host, content
type and encoding, size) is its request, the answer its response. The columns that
history filters on get the call's ids and names: the userId when the call has only one,
the event names, the first messageIds.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from app.capture import segment_api
from app.capture.items import CallItem
from app.core.redact import key_fingerprint
from app.core.render import LIBRARY
from app.storage.capture import APP_SIDE, REVENUECAT_SIDE, CapturedCall, IdPair
from app.storage.models import Mode, NewEntry, Outcome, Status

#: messageIds kept in the searchable column per call (all of them stay in the input).
IDS_KEPT = 100
_NAMES_KEPT = 20
_HOST = re.compile(r"^[A-Za-z0-9.\-]{1,253}(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]{2,45}\](:[0-9]{1,5})?$")


def safe_host(host: bytes) -> str:
    """The Host header if it looks like a host (it is the client's to write)."""
    text = host.decode("latin-1").strip()
    return text if _HOST.match(text) else "invalid-host"


def _distinct(values: list[str], limit: int) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))[:limit]


def request_record(
    path: str, host: str, headers: list[tuple[bytes, bytes]], size: int, messages: int
) -> dict[str, Any]:
    """What is kept of the request: never its Authorization header."""
    kept = {
        name.decode("latin-1"): value.decode("latin-1")[:200]
        for name, value in headers
        if name in (b"content-type", b"content-encoding", b"transfer-encoding", b"user-agent")
    }
    return {"method": "POST", "path": path, "host": host, "headers": kept, "bytes": size,
            "messages": messages}  # fmt: skip


def accepted(
    *,
    at: datetime,
    scheme: str,
    host: str,
    path: str,
    call: str,
    headers: list[tuple[bytes, bytes]],
    size: int,
    examined: segment_api.Examined,
) -> tuple[CapturedCall, CallItem]:
    """A call answered 200."""
    messages = examined.messages
    users = [segment_api.user_id(m) for m in messages]
    anonymous = [segment_api.anonymous_id(m) for m in messages]
    names = [segment_api.event_label(m) for m in messages]
    user_ids = _distinct(users, 1000)
    single_type = messages[0].get("type") if call == "batch" and len(messages) == 1 else None
    event_type = single_type if isinstance(single_type, str) else call
    ids = [str(m.get("messageId")) for m in messages[:IDS_KEPT] if m.get("messageId")]
    flags = examined.flags
    error = "; ".join(f.message for f in flags)
    entry = NewEntry(
        mode=Mode.CAPTURED,
        target=f"{scheme}://{host}{path}",
        event_type=event_type,
        event_name=", ".join(_distinct(names, _NAMES_KEPT))[:500],
        user_id=user_ids[0] if len(user_ids) == 1 else "",
        input=examined.data,
        requests=[request_record(path, host, headers, size, len(messages))],
        message_ids=ids,
        key_fingerprint=key_fingerprint(examined.write_key or ""),
        created_at=at,
    )
    outcome = Outcome(
        status=Status.ACCEPTED,
        http_status=200,
        responses=[{"status": 200, "body": {"success": True}}],
        error_kind="flagged" if flags else "",
        error=error,
    )
    libraries = [segment_api.library(m) for m in messages]
    ours = LIBRARY["name"]  # RevenueCat's messages carry its library name
    pairs: dict[tuple[str, str, str], int] = {}
    for lib, uid, aid in zip(libraries, users, anonymous, strict=True):
        if uid or aid:
            side = REVENUECAT_SIDE if lib == ours else APP_SIDE
            pairs[(uid, aid, side)] = pairs.get((uid, aid, side), 0) + 1
    record = CapturedCall(
        entry, outcome, tuple(IdPair(u, a, s, n) for (u, a, s), n in pairs.items())
    )
    item = CallItem(
        at=at,
        path=path,
        call=event_type,
        status=200,
        messages=len(messages),
        user_ids=user_ids[:_NAMES_KEPT],
        anonymous_ids=_distinct(anonymous, _NAMES_KEPT),
        events=_distinct(names, _NAMES_KEPT),
        flags=flags,
        library=libraries[0] if libraries else "",
    )
    return record, item


def refused(
    *,
    at: datetime,
    scheme: str,
    host: str,
    path: str,
    call: str,
    headers: list[tuple[bytes, bytes]],
    size: int,
    status: int,
    reason: str,
    kind: str,
    mode: Mode = Mode.CAPTURED,
) -> tuple[CapturedCall, CallItem]:
    """A call answered 4xx: recorded with the reason, no input (it was not usable)."""
    entry = NewEntry(
        mode=mode,
        target=f"{scheme}://{host}{path}",
        event_type=call,
        requests=[request_record(path, host, headers, size, 0)],
        created_at=at,
    )
    outcome = Outcome(
        status=Status.FAILED,
        http_status=status,
        responses=[{"status": status, "body": {"success": False, "message": reason}}],
        error_kind=kind,
        error=reason,
    )
    return CapturedCall(entry, outcome), CallItem(
        at=at, path=path, call=call, status=status, messages=0, error=reason
    )
