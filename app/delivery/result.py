"""The typed outcome of one HTTP request (or would-be request, in preview).

A 2xx is "accepted by the Segment API", never "delivered": Segment answers 200 even for an
unknown write key or the wrong region, so only the Segment debugger shows what arrived.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict


class FailureKind(StrEnum):
    """Why a request did not get a 2xx; a stable code for programs and history queries."""

    DNS = "dns"  # the host name did not resolve
    REFUSED = "refused"  # nothing listening at host:port
    TIMEOUT = "timeout"  # connect, write or read took longer than allowed
    TLS = "tls"  # certificate or handshake problem (verification is never switched off)
    CONNECTION = "connection"  # the connection dropped or was reset mid-request
    HTTP = "http"  # the server answered with a non-2xx status
    PROTOCOL = "protocol"  # the server's answer was not valid HTTP
    CANCELLED = "cancelled"  # the user (or the process) stopped the send
    TOO_LARGE = "too_large"  # over Segment's size limits; refused before sending


ACCEPTED_NOTE = (
    "accepted by the Segment API. Segment answers 200 even for an unknown write key or the "
    "wrong region, so this does not prove the events arrived: the Segment debugger "
    "(Connections → Sources → your source → Debugger) shows what did."
)


class Failure(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: FailureKind
    message: str  # one plain sentence for people
    retryable: bool = False


class ResponseInfo(BaseModel):
    """What came back, bounded: at most `DeliveryOptions.max_response_bytes` of body."""

    model_config = ConfigDict(frozen=True)

    status: int
    reason: str = ""
    headers: dict[str, str] = {}
    body: str = ""
    truncated: bool = False

    def body_json(self) -> Any:
        """The body parsed as JSON when it is JSON, else the text."""
        try:
            return json.loads(self.body)
        except ValueError:
            return self.body


class SendResult(BaseModel):
    """One request's outcome. `request` is the masked preview of the last attempt."""

    model_config = ConfigDict(frozen=True)

    endpoint: str
    url: str
    preview: bool = False
    status: int | None = None
    attempts: int = 0
    elapsed_ms: float = 0.0
    message_ids: list[str] = []
    response: ResponseInfo | None = None
    error: Failure | None = None
    request: dict[str, Any] = {}

    @property
    def accepted(self) -> bool:
        return self.error is None and self.status is not None and 200 <= self.status < 300

    @property
    def summary(self) -> str:
        """One line for people: what happened, in the app's careful wording."""
        if self.preview:
            return f"preview: POST {self.url} ({len(self.message_ids)} message(s)), not sent"
        if self.accepted:
            return f"HTTP {self.status}: {ACCEPTED_NOTE}"
        assert self.error is not None
        tries = f" after {self.attempts} attempt(s)" if self.attempts > 1 else ""
        return f"{self.error.kind.value}{tries}: {self.error.message}"

    def to_cli_json(self) -> dict[str, Any]:
        """The `send` command's stdout line (a contract): url, status, attempts, elapsed_ms,
        message_ids, response, error; plus "preview" (the masked request) in preview mode."""
        line: dict[str, Any] = {
            "url": self.url,
            "status": self.status,
            "attempts": self.attempts,
            "elapsed_ms": round(self.elapsed_ms, 1),
            "message_ids": self.message_ids,
            "response": None
            if self.response is None
            else {
                "headers": self.response.headers,
                "body": self.response.body_json(),
                "truncated": self.response.truncated,
            },
            "error": None
            if self.error is None
            else {
                "kind": self.error.kind.value,
                "message": self.error.message,
            },
        }
        if self.preview:
            line["preview"] = self.request
        return line
