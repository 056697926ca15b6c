"""The receiver as one ASGI application: Segment's API and RevenueCat's webhook.

Plain ASGI, no framework: the two faces need a dozen paths and exact control over
answers and limits, and a framework would only add its own opinions about bodies.
Handlers never raise into the server: every outcome is an answer (200, 4xx, 404) and,
for Segment calls and webhooks, a history row.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from app.capture import calls, segment_api
from app.capture.body import BodyError, Receive, header, read_body
from app.capture.bridge import Bridge, Delivery
from app.capture.config import CaptureConfig, Limits
from app.capture.items import WebhookItem, WebhookOutcome
from app.capture.recorder import Recorder
from app.core.wire import BATCH_LIMIT
from app.storage.models import Mode

Scope = dict[str, Any]
Send = Callable[[dict[str, Any]], Awaitable[None]]

WEBHOOK_PATH = "/revenuecat"
_CORS = [
    (b"access-control-allow-origin", b"*"),
    (b"access-control-allow-headers", b"authorization, content-type, content-encoding"),
    (b"access-control-allow-methods", b"GET, POST, OPTIONS"),
]


async def answer(
    send: Send, status: int, body: bytes, *, close: bool = False, cors: bool = True
) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if cors:
        headers += _CORS
    if close:  # the rest of a refused body must not be read as the next request
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _now() -> datetime:
    return datetime.now(UTC)


class CaptureApp:
    """`config` is read per request (the controller may swap it while serving)."""

    def __init__(
        self,
        recorder: Recorder,
        bridge: Bridge,
        config: Callable[[], CaptureConfig],
        limits: Limits,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self._recorder = recorder
        self._bridge = bridge
        self._config = config
        self._limits = limits
        self._clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        method, path = scope["method"], scope["path"]
        if path.rstrip("/") == WEBHOOK_PATH and method == "POST":
            await self._webhook(scope, receive, send)
            return
        if method == "OPTIONS":  # a browser's CORS preflight
            await answer(send, 204, b"")
            return
        found = segment_api.route(method, path)
        if found is None:
            await answer(send, 404, segment_api.refusal("Not found"), cors=False)
        elif found.kind == "settings":
            host = calls.safe_host(header(scope["headers"], b"host"))
            await answer(send, 200, segment_api.settings_answer(found.call, host))
        else:
            await self._segment(scope, receive, send, found)

    async def _segment(
        self, scope: Scope, receive: Receive, send: Send, found: segment_api.Route
    ) -> None:
        headers: list[tuple[bytes, bytes]] = scope["headers"]
        at = self._clock()
        host = calls.safe_host(header(headers, b"x-forwarded-host") or header(headers, b"host"))
        where = {"at": at, "scheme": scope.get("scheme", "http"), "host": host,
                 "path": scope["path"], "call": found.call, "headers": headers}  # fmt: skip
        try:
            body = await read_body(receive, headers, BATCH_LIMIT, self._limits.body_timeout)
        except BodyError as exc:
            row, item = calls.refused(**where, size=0, status=exc.status, reason=exc.message,
                                      kind=exc.kind)  # fmt: skip
            await self._recorder.put(row, item, 512)
            await answer(send, exc.status, segment_api.refusal(exc.message), close=exc.close)
            return
        if found.kind == "metrics":  # SDK telemetry: accepted, not recorded
            await answer(send, 200, segment_api.OK_ANSWER)
            return
        try:
            data, messages = segment_api.parse(found.call, body)
        except segment_api.Refused as exc:
            row, item = calls.refused(**where, size=len(body), status=400, reason=str(exc),
                                      kind="invalid")  # fmt: skip
            await self._recorder.put(row, item, 512)
            await answer(send, 400, segment_api.refusal(str(exc)))
            return
        config = self._config()
        key = segment_api.basic_key(header(headers, b"authorization")) or segment_api.body_key(
            data, messages
        )
        flags = segment_api.flags_for(
            messages, key, host, expected_key=config.expect_write_key,
            region=config.expected_region,
        )  # fmt: skip
        examined = segment_api.Examined(data, messages, key, flags)
        row, item = calls.accepted(**where, size=len(body), examined=examined)
        await self._recorder.put(row, item, len(body) + 512)  # waits while the buffer is full
        await answer(send, 200, segment_api.OK_ANSWER)

    async def _webhook(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers: list[tuple[bytes, bytes]] = scope["headers"]
        at = self._clock()
        host = calls.safe_host(header(headers, b"host"))
        where = {"at": at, "scheme": scope.get("scheme", "http"), "host": host,
                 "path": WEBHOOK_PATH, "call": "webhook", "headers": headers,
                 "mode": Mode.WEBHOOK}  # fmt: skip
        expected = self._config().webhook_auth
        if expected is not None:
            given = header(headers, b"authorization")
            if not hmac.compare_digest(given, expected.encode()):
                reason = (
                    "the Authorization header is missing"
                    if not given
                    else "the Authorization header does not match the configured value"
                )
                await self._refuse_webhook(where, send, 401, reason, "unauthorized")
                return
        try:
            body = await read_body(receive, headers, self._limits.webhook_bytes,
                                   self._limits.body_timeout)  # fmt: skip
            data = json.loads(body)
        except BodyError as exc:
            await self._refuse_webhook(where, send, exc.status, exc.message, exc.kind,
                                       close=exc.close)  # fmt: skip
            return
        except (ValueError, RecursionError):
            await self._refuse_webhook(where, send, 400, "Invalid JSON", "invalid")
            return
        if not isinstance(data, dict):
            await self._refuse_webhook(where, send, 400, "expected a JSON object", "invalid")
            return
        if not self._bridge.offer(Delivery(at, data)):
            await answer(send, 503, segment_api.refusal("busy: deliver again later"), cors=False)
            return
        await answer(send, 200, b'{"success":true}', cors=False)

    async def _refuse_webhook(
        self, where: dict[str, Any], send: Send, status: int, reason: str, kind: str,
        *, close: bool = False,
    ) -> None:  # fmt: skip
        row, _ = calls.refused(**where, size=0, status=status, reason=reason, kind=kind)
        outcome = WebhookOutcome.UNAUTHORIZED if status == 401 else WebhookOutcome.INVALID
        item = WebhookItem(where["at"], status, outcome, reason=reason)
        await self._recorder.put(row, item, 512)
        await answer(send, status, segment_api.refusal(reason), close=close, cors=False)


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
