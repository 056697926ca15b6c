"""Delivery to Segment's HTTP Tracking API: targets, the request model, retries, sending.

Imports httpx (the only package besides the UI that talks to the network); `app.core`
stays pure. The CLI and the desktop app both go through `SendService`.

The names below load on first use (PEP 562): the window needs targets and job builders
to show its first frame, and httpx (~0.2 s to import) only when something is sent.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Any

# httpx's package imports its command-line client (`httpx._main`: click, rich, pygments
# when they are installed, as a dev environment has them) inside a try that falls back
# to a stub on ImportError. The app never runs that client; a None entry makes the import
# fail at once, saving ~80-100 ms of every sending process's start. Set only before httpx
# is first imported, so a process that already loaded it keeps it whole.
if "httpx" not in sys.modules:
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

if TYPE_CHECKING:
    from app.delivery.jobs import HistoryRecorder, ItemOutcome, SendItem, SendJob, SendReport
    from app.delivery.options import DeliveryOptions
    from app.delivery.packing import TooLargeError
    from app.delivery.request import SegmentRequest
    from app.delivery.result import ACCEPTED_NOTE, Failure, FailureKind, ResponseInfo, SendResult
    from app.delivery.service import SendService
    from app.delivery.streaming import MissingKeyError
    from app.delivery.target import Target, TargetError, resolve_target

_HOMES = {
    "ItemOutcome": "jobs", "SendItem": "jobs", "SendJob": "jobs", "SendReport": "jobs",
    "DeliveryOptions": "options", "TooLargeError": "packing", "SegmentRequest": "request",
    "ACCEPTED_NOTE": "result", "Failure": "result", "FailureKind": "result",
    "ResponseInfo": "result", "SendResult": "result", "HistoryRecorder": "jobs",
    "MissingKeyError": "streaming", "SendService": "service", "Target": "target",
    "TargetError": "target", "resolve_target": "target",
}  # fmt: skip


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'app.delivery' has no attribute {name!r}")
    return getattr(importlib.import_module(f"app.delivery.{home}"), name)


__all__ = [
    "ACCEPTED_NOTE",
    "DeliveryOptions",
    "Failure",
    "FailureKind",
    "HistoryRecorder",
    "ItemOutcome",
    "MissingKeyError",
    "ResponseInfo",
    "SegmentRequest",
    "SendItem",
    "SendJob",
    "SendReport",
    "SendResult",
    "SendService",
    "Target",
    "TargetError",
    "TooLargeError",
    "resolve_target",
]
