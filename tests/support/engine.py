"""Builders for the engine's unit tests: a valid event with fields overridden, a render with
a fixed clock and counter ids; and `same`, for comparing two parsers' values exactly."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

from app.core.model import parse_event
from app.core.render import Renderer, RenderResult
from app.core.samples import counter_ids
from app.core.settings import IntegrationSettings

NOW = datetime(2026, 1, 15, 12, 0, 0, tzinfo=UTC)
NOW_MS = int(NOW.timestamp() * 1000)


def event(**fields: Any) -> dict[str, Any]:
    """A minimal valid PRODUCTION INITIAL_PURCHASE, with fields overridden."""
    base: dict[str, Any] = {
        "type": "INITIAL_PURCHASE",
        "event_timestamp_ms": NOW_MS - 1000,
        "app_user_id": "user_1",
        "environment": "PRODUCTION",
        "store": "APP_STORE",
        "period_type": "NORMAL",
        "price": 9.99,
        "commission_percentage": 0.3,
        "tax_percentage": 0.1,
    }
    base.update(fields)
    return base


def render(
    settings: IntegrationSettings | None = None, *, override_sandbox: bool = False, **fields: Any
) -> RenderResult:
    renderer = Renderer(clock=lambda: NOW, new_id=counter_ids())
    return renderer.render(
        parse_event(event(**fields)),
        settings or IntegrationSettings(),
        override_sandbox=override_sandbox,
    )


def codes(result: RenderResult) -> set[str]:
    return {w.code for w in result.warnings}


def same(a: Any, b: Any) -> bool:
    """Equal and of the same types all the way down, keys in the same order, floats to
    the bit (the sign of a zero too): what two JSON readers must agree on."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return repr(a) == repr(b) and math.copysign(1, a) == math.copysign(1, b)
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)
