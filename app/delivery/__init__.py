"""Delivery to Segment's HTTP Tracking API: targets, the request model, retries, sending.

Imports httpx (the only package besides the UI that talks to the network); `app.core`
stays pure. The CLI and the desktop app both go through `SendService`.
"""

from app.delivery.jobs import ItemOutcome, SendItem, SendJob, SendReport
from app.delivery.options import DeliveryOptions
from app.delivery.packing import TooLargeError
from app.delivery.request import SegmentRequest
from app.delivery.result import ACCEPTED_NOTE, Failure, FailureKind, ResponseInfo, SendResult
from app.delivery.service import HistoryRecorder, SendService
from app.delivery.streaming import MissingKeyError
from app.delivery.target import Target, TargetError, resolve_target

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
