"""RevenueCat webhook bodies for delivery tests and benchmarks, and a write key.

`make_events(n)` builds n webhook bodies (distinct users, cycling through the sendable
Segment types); `KEY` looks like a real write key (its last 4 characters are `7f8a`).
"""

from __future__ import annotations

from typing import Any

from app.core.catalogue import CATALOGUE
from app.core.templates import template_for, webhook_body

NOW_MS = 1_767_000_000_000
KEY = "wk_live_9f3a7c2e4b1d8a6f0e5c3b2a1d4e7f8a"


def make_events(n: int, *, pad: int = 0) -> list[dict[str, Any]]:
    """n webhook bodies cycling through the sendable Segment types; `pad` adds that many
    characters to a subscriber attribute (to grow the messages)."""
    keys = [k for k in CATALOGUE if not CATALOGUE[k].optional] or list(CATALOGUE)
    bodies = []
    for i in range(n):
        event = template_for(keys[i % len(keys)], NOW_MS + i)
        event["app_user_id"] = f"user_{i:05d}"
        if pad:
            event["subscriber_attributes"]["note"] = {"value": "x" * pad, "updated_at_ms": 1}
        bodies.append(webhook_body(event))
    return bodies
