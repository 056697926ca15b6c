"""The capture receiver: a local Segment-compatible endpoint and a RevenueCat webhook
endpoint in one server, recording everything in the history; with forwarding on, a
bridge that sends each webhook on to Segment exactly as RevenueCat would.

Qt-free (the window and the `serve` command share it). Start with `CaptureServer`
(server.py); live items are `CallItem` / `WebhookItem` (items.py); the identity doctor
is `doctor.diagnose`.
"""

from app.capture.config import CaptureConfig, Limits
from app.capture.items import CallItem, Flag, FlagCode, LiveItem, WebhookItem, WebhookOutcome
from app.capture.server import Address, CaptureError, CaptureServer, is_loopback

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
