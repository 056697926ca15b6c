"""What went wrong with a request, in one plain sentence and a stable kind: httpx's
exceptions, non-2xx answers and the total deadline turned into `Failure`s."""

from __future__ import annotations

import socket
import ssl
from urllib.parse import urlsplit

import httpx

from app.delivery.options import DeliveryOptions, is_retryable_status
from app.delivery.proxy import Proxy
from app.delivery.result import Failure, FailureKind, ResponseInfo


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


#: Failures that, through a proxy, happened on the way to the proxy itself.
_PROXY_KINDS = frozenset({FailureKind.DNS, FailureKind.REFUSED, FailureKind.TIMEOUT})


def classify(
    exc: httpx.HTTPError, url: str, options: DeliveryOptions, proxy: Proxy | None = None
) -> Failure:
    """An httpx exception → a failure kind and a sentence a user can act on; with a
    `proxy` in use, a connection that failed is blamed on the proxy, not the target."""
    failure = _classify(exc, url, options)
    if proxy is None:
        return failure
    parts = urlsplit(url)
    if isinstance(exc, httpx.ProxyError):
        message = f"{proxy.label} would not connect to {parts.hostname} ({_first_line(exc)})"
    elif failure.kind in _PROXY_KINDS and isinstance(
        exc, httpx.ConnectError | httpx.ConnectTimeout
    ):
        what = {
            FailureKind.DNS: "its host name did not resolve",
            FailureKind.REFUSED: "the connection was refused: nothing is listening there",
            FailureKind.TIMEOUT: f"no connection within {options.connect_timeout:g} s",
        }[failure.kind]
        message = (
            f"could not reach {proxy.label}: {what}; the request never got to {parts.hostname}"
        )
    else:
        message = f"{failure.message} (through {proxy.label})"
    return failure.model_copy(update={"message": message})


def _classify(exc: httpx.HTTPError, url: str, options: DeliveryOptions) -> Failure:
    parts = urlsplit(url)
    where = f"{parts.hostname}:{parts.port or (443 if parts.scheme == 'https' else 80)}"
    chain = _chain(exc)
    text = " ".join(str(e) for e in chain)
    if isinstance(exc, httpx.ConnectTimeout):
        return Failure(
            kind=FailureKind.TIMEOUT,
            retryable=True,
            message=(
                f"no connection to {where} within {options.connect_timeout:g} s (connect timeout)"
            ),
        )
    if isinstance(exc, httpx.ReadTimeout):
        return Failure(
            kind=FailureKind.TIMEOUT,
            retryable=True,
            message=(
                f"{where} accepted the request but did not answer within "
                f"{options.read_timeout:g} s (read timeout)"
            ),
        )
    if isinstance(exc, httpx.TimeoutException):
        return Failure(
            kind=FailureKind.TIMEOUT,
            retryable=True,
            message=(f"timed out talking to {where} ({type(exc).__name__})"),
        )
    if any(isinstance(e, ssl.SSLError) for e in chain) or "CERTIFICATE_VERIFY" in text:
        return Failure(
            kind=FailureKind.TLS,
            message=(
                f"the TLS handshake with {where} failed ({_first_line(exc)}); the server's "
                "certificate must be valid for this host — verification is never switched off"
            ),
        )
    if any(isinstance(e, socket.gaierror) for e in chain) or "Name or service not known" in text:
        again = any(isinstance(e, socket.gaierror) and e.errno == socket.EAI_AGAIN for e in chain)
        return Failure(
            kind=FailureKind.DNS,
            retryable=again,
            message=(
                f"could not resolve {parts.hostname} (DNS lookup failed): check the URL and "
                "your network"
            ),
        )
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or "refused" in text.lower():
        return Failure(
            kind=FailureKind.REFUSED,
            retryable=True,
            message=(f"connection refused by {where}: nothing is listening there"),
        )
    if isinstance(exc, httpx.ConnectError | httpx.ReadError | httpx.WriteError) or (
        isinstance(exc, httpx.RemoteProtocolError) and "disconnected" in text.lower()
    ):
        return Failure(
            kind=FailureKind.CONNECTION,
            retryable=True,
            message=(
                f"the connection to {where} dropped before an answer came back ({_first_line(exc)})"
            ),
        )
    return Failure(
        kind=FailureKind.PROTOCOL,
        retryable=True,
        message=(f"{where} did not answer with valid HTTP ({_first_line(exc)})"),
    )


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def http_failure(response: ResponseInfo) -> Failure:
    """A non-2xx status, with what it usually means for Segment."""
    status = response.status
    head = f"HTTP {status} {response.reason}".strip()
    hint = {
        400: "Segment rejects invalid JSON and payloads over its size limits with 400",
        401: "the endpoint wants different credentials (Segment itself answers 200 to a "
        "wrong key, so this is likely a proxy or collector)",
        403: "the endpoint refused this key or this client",
        404: "nothing at this URL: a custom base URL usually ends in /v1",
        408: "the server gave up waiting for the request",
        413: "the payload is too large for the server",
        429: "rate limited: Segment allows about 1,000 requests/s per workspace",
    }.get(status, "")
    if not hint and 300 <= status < 400:
        location = response.headers.get("location", "")
        hint = "redirects are not followed (the write key would go wherever the server says)" + (
            f"; it points to {location}: use that as the endpoint if you trust it"
            if location
            else ""
        )
    elif not hint and 500 <= status < 600:
        hint = "the server had trouble"
    elif not hint and not 100 <= status < 600:
        hint = "not a valid HTTP status (they run from 100 to 599): not a working HTTP server"
    body = response.body.strip().replace("\n", " ")[:200]
    return Failure(
        kind=FailureKind.HTTP,
        retryable=is_retryable_status(status),
        message="; ".join(p for p in (head, hint, f"body: {body}" if body else "") if p),
    )


def deadline_failure(url: str, options: DeliveryOptions, proxy: Proxy | None) -> Failure:
    parts = urlsplit(url)
    where = f"{parts.hostname}:{parts.port or (443 if parts.scheme == 'https' else 80)}"
    through = f" (through {proxy.label})" if proxy else ""
    return Failure(
        kind=FailureKind.TIMEOUT,
        retryable=True,
        message=(
            f"{where} did not finish answering within {options.attempt_deadline:g} s"
            f"{through} (total deadline per attempt)"
        ),
    )
