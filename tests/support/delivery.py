"""Sending through SendService against the loopback Segment stand-in, with a ticking
clock and recorded backoff waits (no real sleeping), for the delivery tests."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from app.core.model import parse_event
from app.core.render import Renderer
from app.core.settings import IntegrationSettings
from app.delivery import DeliveryOptions, SendItem, SendJob, SendReport, SendService
from app.delivery.progress import AttemptCallback
from app.delivery.target import custom_target
from app.storage import HistoryStore
from tests.support.segment_server import SegmentServer
from tests.support.webhooks import KEY, make_events

T0 = datetime(2026, 11, 25, 12, 0, 0, tzinfo=UTC)


class Ticking:
    """A clock that moves one second per reading, so each attempt's sentAt differs."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


class Waits:
    """Records backoff delays instead of sleeping."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def items(n: int = 1, **kw: Any) -> list[SendItem]:
    renderer = Renderer()
    out = []
    for body in make_events(n, **kw):
        result = renderer.render(parse_event(body), IntegrationSettings())
        out.append(SendItem(result, input=body))
    return out


def run(
    server: SegmentServer,
    job_items: list[SendItem],
    *,
    history: HistoryStore | None = None,
    waits: Waits | None = None,
    preview: bool = False,
    on_attempt: AttemptCallback | None = None,
    **options: Any,
) -> SendReport:
    opts = DeliveryOptions(**{"backoff_base": 0.01, **options})
    job = SendJob(job_items, custom_target(server.base_url), KEY, opts, preview=preview)
    service = SendService(
        history=history, clock=Ticking(), sleep=waits or Waits(), rand=lambda: 0.5
    )

    async def go() -> SendReport:
        async with service:
            return await service.send(job, on_attempt=on_attempt)

    return asyncio.run(go())
