"""The Segment-compatible face: which paths exist, and what Segment would answer.

Paths are those Segment's own clients post to: the HTTP API's long forms, analytics.js's
short forms (`/v1/t` …), the mobile SDKs' `/b`, `/import` (the batch endpoint under its
other name), and metrics `/v1/m`, accepted and ignored. Answers follow Segment: 200
`{"success": true}` for anything it can parse (a wrong write key included), 400 for
invalid JSON, a message over 32 KB, a batch over 500 KB or 2,500 messages. What Segment
would accept silently but lose is *flagged* on the recorded call instead of refused
(see `items.FlagCode`).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pydantic_core

from app.capture.items import Flag, FlagCode
from app.core.redact import key_fingerprint, mask_fingerprint
from app.core.targets import REGION_URLS
from app.core.wire import BATCH_LIMIT, BATCH_MAX_MESSAGES, MESSAGE_LIMIT, human_size

SINGLE = {
    "track": "track", "t": "track", "identify": "identify", "i": "identify",
    "page": "page", "p": "page", "screen": "screen", "s": "screen",
    "group": "group", "g": "group", "alias": "alias", "a": "alias",
}  # fmt: skip
BATCH = frozenset({"batch", "b", "import"})
METRICS = frozenset({"m"})

#: Segment's regional API hosts, by region: a call that reached us under another
#: region's host name (a hosts-file override, a tunnel keeping the Host header) is one a
#: real client would have sent to the wrong workspace region.
REGION_HOSTS = {urlsplit(url).hostname: region for region, url in REGION_URLS.items()}

OK_ANSWER = b'{"success":true}'


@dataclass(frozen=True, slots=True)
class Route:
    kind: str  # "single", "batch", "metrics", "settings"
    call: str  # track … alias, "batch"; the write key for "settings"


def route(method: str, path: str) -> Route | None:
    """The route for a request, or None (404). Accepts the paths with and without the
    `/v1` prefix, as SDKs build `{apiHost}/b` from an apiHost with or without it."""
    parts = [p for p in path.split("/") if p]
    if parts and parts[0] == "v1":
        parts = parts[1:]
    if method == "GET" and len(parts) == 3 and parts[0] == "projects" and parts[2] == "settings":
        return Route("settings", parts[1])
    if method != "POST" or len(parts) != 1:
        return None
    name = parts[0]
    if name in SINGLE:
        return Route("single", SINGLE[name])
    if name in BATCH:
        return Route("batch", "batch")
    if name in METRICS:
        return Route("metrics", "metrics")
    return None


def settings_answer(write_key: str, host: str) -> bytes:
    """What `GET /v1/projects/{key}/settings` answers: enough for mobile SDKs to start,
    with `apiHost` pointing back here (analytics-swift and -kotlin follow it)."""
    return json.dumps({
        "integrations": {"Segment.io": {
            "apiKey": write_key, "apiHost": f"{host}/v1", "unbundledIntegrations": [],
        }},
        "plan": {"track": {"__default": {"enabled": True}}},
        "edgeFunction": {},
        "analyticsNextEnabled": False,
        "middlewareSettings": {},
        "metrics": {"sampleRate": 0.0},
    }).encode()  # fmt: skip


def refusal(message: str) -> bytes:
    return json.dumps({"success": False, "message": message}).encode()


def basic_key(authorization: bytes) -> str | None:
    """The write key of `Authorization: Basic base64("<key>:")`, or None."""
    scheme, _, token = authorization.strip().partition(b" ")
    if scheme.lower() != b"basic" or not token:
        return None
    try:
        user = base64.b64decode(token.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return user.partition(":")[0] or None


class Refused(Exception):
    """A body Segment would answer 400 to."""


@dataclass(frozen=True, slots=True)
class Examined:
    """A call Segment would accept: its messages and what to flag."""

    data: dict[str, Any]
    messages: list[dict[str, Any]]
    write_key: str | None
    flags: tuple[Flag, ...]


def parse(call: str, body: bytes) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(the JSON object, its messages); Refused with Segment's reason otherwise."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise Refused("Invalid JSON") from None
    if not isinstance(data, dict):
        raise Refused("Invalid JSON: expected an object")
    if call == "batch":
        if len(body) > BATCH_LIMIT:
            raise Refused(f"Batch of {human_size(len(body))} exceeds 500 KB")
        batch = data.get("batch")
        if not isinstance(batch, list):
            raise Refused('"batch" must be an array of messages')
        if len(batch) > BATCH_MAX_MESSAGES:
            raise Refused(f"Batch of {len(batch):,} messages exceeds {BATCH_MAX_MESSAGES:,}")
        if not all(isinstance(m, dict) for m in batch):
            raise Refused("every batch item must be a message object")
        messages: list[dict[str, Any]] = batch
    else:
        messages = [data]
    # A body within 32 KB cannot hold a message over it: size each only when it might.
    if len(body) > MESSAGE_LIMIT:
        for index, message in enumerate(messages):
            try:
                size = len(pydantic_core.to_json(message))
            except ValueError:
                raise Refused("Invalid JSON: unpaired surrogate") from None
            if size > MESSAGE_LIMIT:
                where = f"message {index}" if call == "batch" else "message"
                raise Refused(f"{where} of {human_size(size)} exceeds 32 KB")
    return data, messages


def flags_for(
    messages: list[dict[str, Any]],
    write_key: str | None,
    host: str,
    *,
    expected_key: str | None,
    region: str | None,
) -> tuple[Flag, ...]:
    """What Segment would accept with a 200 but lose."""
    flags: list[Flag] = []
    if write_key is None:
        flags.append(Flag(
            FlagCode.NO_WRITE_KEY,
            "no write key (neither Basic auth nor writeKey in the body): Segment cannot "
            "tell which source this is for",
        ))  # fmt: skip
    elif expected_key and write_key != expected_key:
        got = mask_fingerprint(key_fingerprint(write_key)) or "(a short one)"
        want = mask_fingerprint(key_fingerprint(expected_key)) or "one"
        flags.append(Flag(
            FlagCode.UNEXPECTED_WRITE_KEY,
            f"write key {got} is not the expected {want}: Segment answers 200 all the "
            "same, and the events land in another source, or nowhere",
        ))  # fmt: skip
    anonymous = [
        i for i, m in enumerate(messages) if not (_id(m, "userId") or _id(m, "anonymousId"))
    ]
    if anonymous:
        which = (
            "the message has"
            if len(messages) == 1
            else (f"{len(anonymous)} of {len(messages)} messages have")
        )
        flags.append(Flag(
            FlagCode.NO_USER,
            f"{which} neither userId nor anonymousId: Segment accepts and then drops them",
        ))  # fmt: skip
    called = REGION_HOSTS.get(host.rpartition(":")[0] if host.count(":") == 1 else host)
    if region and called and called != region:
        flags.append(Flag(
            FlagCode.WRONG_REGION,
            f"sent to {host} (Segment's {called.upper()} API) but the workspace is in the "
            f"{region.upper()} region: Segment answers 200 and the events never appear",
        ))  # fmt: skip
    return tuple(flags)


def _id(message: dict[str, Any], name: str) -> str:
    value = message.get(name)
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # Segment takes numeric ids and turns them into strings
    return ""


def user_id(message: dict[str, Any]) -> str:
    return _id(message, "userId")


def anonymous_id(message: dict[str, Any]) -> str:
    return _id(message, "anonymousId")


def event_label(message: dict[str, Any]) -> str:
    """A track's event name, a page's or screen's name; "" for the others."""
    value = message.get("event") if message.get("type", "track") == "track" else None
    value = value if value is not None else message.get("name")
    return value if isinstance(value, str) else ""


def library(message: dict[str, Any]) -> str:
    context = message.get("context")
    lib = context.get("library") if isinstance(context, dict) else None
    name = lib.get("name") if isinstance(lib, dict) else None
    return name if isinstance(name, str) else ""


def body_key(data: dict[str, Any], messages: list[dict[str, Any]]) -> str | None:
    """writeKey from the body: the batch's, else the first message's."""
    for holder in (data, *messages[:1]):
        key = holder.get("writeKey")
        if isinstance(key, str) and key:
            return key
    return None
