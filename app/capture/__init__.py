"""The capture receiver: a local Segment-compatible endpoint and a RevenueCat webhook
endpoint in one server, recording everything in the history; with forwarding on, a
bridge that sends each webhook on to Segment exactly as RevenueCat would.

Qt-free (the window and the `serve` command share it). Start with `CaptureServer`
(server.py); live items are `CallItem` / `WebhookItem` (items.py); the identity doctor
is `doctor.diagnose`. The window's rules for its Capture tab (address, feed rows,
set-up snippets) are `address`, `feed` and `snippets`.

The names below load on first use (PEP 562): the window imports the tab's pure rules
without uvicorn (~0.1 s), which loads only when a server starts.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.capture.config import CaptureConfig, Limits
    from app.capture.items import (
        CallItem,
        Flag,
        FlagCode,
        LiveItem,
        WebhookItem,
        WebhookOutcome,
    )
    from app.capture.server import Address, CaptureError, CaptureServer, is_loopback

_HOMES = {
    "CaptureConfig": "config", "Limits": "config", "CallItem": "items", "Flag": "items",
    "FlagCode": "items", "LiveItem": "items", "WebhookItem": "items",
    "WebhookOutcome": "items", "Address": "server", "CaptureError": "server",
    "CaptureServer": "server", "is_loopback": "server",
}  # fmt: skip

__all__ = [
    "Address",
    "CallItem",
    "CaptureConfig",
    "CaptureError",
    "CaptureServer",
    "Flag",
    "FlagCode",
    "Limits",
    "LiveItem",
    "WebhookItem",
    "WebhookOutcome",
    "is_loopback",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'app.capture' has no attribute {name!r}")
    return getattr(importlib.import_module(f"app.capture.{home}"), name)
