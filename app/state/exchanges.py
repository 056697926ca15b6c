"""A history row's HTTP exchanges, one per request, as an HTTP client shows them.

Qt-free, so the wording is tested without a window. A row's JSON (`HistoryRow.to_json`,
already through the `Presenter`) holds, per request, what went out (method, url, headers
with Authorization masked, body) and, per response, what came back (status, attempts,
elapsed_ms, headers, body, truncated, error). Sizes are not stored as numbers: the
request's is its Content-Length header, the response's its Content-Length header or the
length of the body kept. Rows recorded by older versions, previews and captured calls
lack some of these; what is unknown reads "—", never a guess.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

UNKNOWN = "—"


@dataclass(frozen=True, slots=True)
class Exchange:
    """One request of a row and its response (if any)."""

    index: int
    method: str
    url: str
    request: dict[str, Any]
    response: dict[str, Any] | None
    body: Any  # the request body (for a captured call, the body the client sent)
    preview: bool = False

    @property
    def status(self) -> int | None:
        value = (self.response or {}).get("status")
        return value if isinstance(value, int) else None

    @property
    def latency_ms(self) -> float | None:
        value = (self.response or {}).get("elapsed_ms")
        return float(value) if isinstance(value, int | float) and not self.preview else None

    @property
    def attempts(self) -> int | None:
        value = (self.response or {}).get("attempts")
        return value if isinstance(value, int) and value > 0 else None

    @property
    def error(self) -> str:
        response = self.response or {}
        return str(response.get("error") or "")

    @property
    def error_kind(self) -> str:
        return str((self.response or {}).get("error_kind") or "")

    @property
    def request_bytes(self) -> int | None:
        size = _header(self.request.get("headers"), "content-length")
        if size is None and isinstance(self.request.get("bytes"), int):
            return int(self.request["bytes"])  # a captured call counts what arrived
        return size

    @property
    def response_bytes(self) -> int | None:
        response = self.response or {}
        size = _header(response.get("headers"), "content-length")
        if size is not None:
            return size
        body = response.get("body")
        if isinstance(body, str) and (body or "headers" in response):
            return len(body.encode())  # what was kept; at least this when truncated
        return None

    @property
    def truncated(self) -> bool:
        return bool((self.response or {}).get("truncated"))

    def title(self) -> str:
        """ "POST /v1/track": what a request list shows."""
        path = self.url.split("://", 1)[-1]
        path = "/" + path.split("/", 1)[1] if "/" in path else path
        return f"{self.method} {path}".strip()

    def summary(self) -> str:
        """status · latency · size · attempts, "—" for what is not known."""
        return " · ".join((self.status_text(), _latency(self.latency_ms), self.size_text(),
                           _attempts(self.attempts)))  # fmt: skip

    def status_text(self) -> str:
        if self.preview:
            return "preview, not sent"
        if self.status is not None:
            return f"HTTP {self.status}"
        return self.error_kind or UNKNOWN

    def size_text(self) -> str:
        """ "1.2 KB → 21 B": the request's size, then the response's."""
        sent, back = self.request_bytes, self.response_bytes
        if sent is None and back is None:
            return UNKNOWN
        if self.preview or self.response is None:
            return _size(sent)
        more = "≥ " if self.truncated else ""
        return f"{_size(sent)} → {more}{_size(back)}"

    def response_text(self) -> str:
        """The response body, pretty when it is JSON; why there is none otherwise."""
        if self.preview:
            return "Preview: nothing was sent, so there is no response."
        if self.response is None:
            return "No response recorded."
        body = self.response.get("body")
        lines = []
        if self.error:
            lines.append(f"{self.error_kind or 'error'}: {self.error}")
        if isinstance(body, str):
            try:
                body = json.loads(body)
            except ValueError:
                lines.append(body)
                body = None
        if body is not None and body != "":
            lines.append(json.dumps(body, indent=2, ensure_ascii=False))
        return "\n".join(lines) or "(empty body)"

    def headers_text(self) -> str:
        """Request then response headers, one "Name: value" a line."""
        parts = ["Request headers"]
        parts += _header_lines(self.request.get("headers"))
        parts.append("")
        parts.append("Response headers")
        if self.preview or self.response is None:
            parts.append("  (no response)")
        else:
            parts += _header_lines(self.response.get("headers"))
        return "\n".join(parts)


def exchanges(row: dict[str, Any]) -> list[Exchange]:
    """One Exchange per request of the row's JSON (responses matched by position); a
    captured call's body is the row's input."""
    requests = [r for r in row.get("requests") or [] if isinstance(r, dict)]
    responses = [r for r in row.get("responses") or [] if isinstance(r, dict)]
    preview = row.get("mode") == "preview"
    captured = row.get("mode") in ("captured", "webhook")
    found = []
    for index, request in enumerate(requests):
        url = request.get("url") or (str(request.get("host", "")) + str(request.get("path", "")))
        found.append(Exchange(
            index=index, method=str(request.get("method") or "POST"), url=str(url),
            request=request, response=responses[index] if index < len(responses) else None,
            body=row.get("input") if captured and "body" not in request else request.get("body"),
            preview=preview,
        ))  # fmt: skip
    return found


def _header(headers: Any, name: str) -> int | None:
    if not isinstance(headers, dict):
        return None
    for key, value in headers.items():
        if str(key).lower() == name:
            try:
                return int(str(value).strip())
            except ValueError:
                return None
    return None


def _header_lines(headers: Any) -> list[str]:
    if not isinstance(headers, dict) or not headers:
        return ["  (none recorded)"]
    return [f"  {name}: {value}" for name, value in headers.items()]


def _latency(ms: float | None) -> str:
    if ms is None:
        return UNKNOWN
    return f"{ms:.0f} ms" if ms < 1000 else f"{ms / 1000:.2f} s"


def _size(size: int | None) -> str:
    if size is None:
        return UNKNOWN
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def _attempts(count: int | None) -> str:
    if count is None:
        return UNKNOWN
    return f"{count} attempt" + ("" if count == 1 else "s")
