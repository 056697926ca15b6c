"""Sending one `SegmentRequest` with retries, and naming every failure in plain words.

Retries follow docs/segment.md, "Retries" (see `options.is_retryable_status`); every
attempt re-stamps `sentAt` with its own time and keeps the messageIds, so Segment
deduplicates a retry of a request it had in fact received. Cancellation while waiting or
sending gives a "cancelled" result instead of an exception, so the caller can still
record what happened.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from urllib.parse import urlsplit

import httpx

from app.core.redact import redact_text
from app.core.wire import iso_now
from app.delivery.options import (
    DeliveryOptions,
    backoff_delay,
    is_retryable_status,
    parse_retry_after,
)
from app.delivery.proxy import Proxy, ProxyError, check_environment, proxy_for
from app.delivery.request import USER_AGENT, SegmentRequest
from app.delivery.result import Failure, FailureKind, ResponseInfo, SendResult

Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], datetime]


def make_client(options: DeliveryOptions) -> httpx.AsyncClient:
    """The app's client: keep-alive pool, explicit per-phase timeouts, TLS verified
    (always: there is deliberately no option to turn verification off), no redirects
    (a redirect would re-send the key somewhere the user did not choose).

    Call it inside the running event loop (the CLI's or qasync's) and `aclose()` it there.
    Raises ProxyError (one line, naming the variable) for a proxy variable httpx cannot use.
    """
    check_environment()
    try:
        return _client(options)
    except (ValueError, ImportError) as exc:  # httpx.InvalidURL is a ValueError
        raise ProxyError(
            "proxy", f"the environment's proxy settings are unusable ({exc})"
        ) from None


def _client(options: DeliveryOptions) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        timeout=timeouts(options),
        limits=httpx.Limits(max_connections=20, max_keepalive_connections=10),
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT},
        # Plain http:// is allowed only to loopback (target.py), so it never needs a proxy;
        # and through an HTTP_PROXY/ALL_PROXY from the environment the key would cross the
        # network in clear. None = the client's own direct transport. https:// still
        # honours the environment's proxy settings (corporate networks need them).
        mounts={"http://": None},
    )


def timeouts(options: DeliveryOptions) -> httpx.Timeout:
    return httpx.Timeout(
        connect=options.connect_timeout,
        read=options.read_timeout,
        write=options.write_timeout,
        pool=options.pool_timeout,
    )


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


async def _read_bounded(response: httpx.Response, limit: int, key: str) -> ResponseInfo:
    chunks: list[bytes] = []
    size = 0
    truncated = False
    async for chunk in response.aiter_bytes():
        if size + len(chunk) > limit:
            chunks.append(chunk[: limit - size])
            truncated = True
            break
        chunks.append(chunk)
        size += len(chunk)
    body = b"".join(chunks).decode(response.encoding or "utf-8", errors="replace")
    return ResponseInfo(
        status=response.status_code,
        reason=redact_text(response.reason_phrase, [key]),
        headers={k: redact_text(v, [key]) for k, v in response.headers.items()},
        body=redact_text(body, [key], truncated=truncated),  # a proxy may echo the key
        truncated=truncated,
    )


async def _exchange(
    client: httpx.AsyncClient, outgoing: httpx.Request, options: DeliveryOptions, key: str
) -> ResponseInfo:
    raw = await client.send(outgoing, stream=True)
    try:
        return await _read_bounded(raw, options.max_response_bytes, key)
    finally:
        await raw.aclose()


def _deadline_failure(url: str, options: DeliveryOptions, proxy: Proxy | None) -> Failure:
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


async def deliver(
    client: httpx.AsyncClient,
    request: SegmentRequest,
    options: DeliveryOptions,
    *,
    clock: Clock,
    sleep: Sleep = asyncio.sleep,
    rand: Callable[[], float],
    before_first: Callable[[httpx.Request], None] | None = None,
    on_sent: Callable[[], None] | None = None,
) -> SendResult:
    """Send `request` (retrying per `options`) and return its outcome; never raises for
    network trouble or cancellation.

    `before_first` is called with the first attempt's request just before it goes out
    (the service records its "sending" history rows there, and reuses the encoded
    request for their preview); what it raises propagates, and nothing is sent.

    `on_sent` is called once, as soon as an attempt's body has been written (httpcore's
    `trace` extension), while the answer is still awaited: the service writes the next
    request's history rows there, so their SQLite time hides in this request's network
    wait instead of adding to it. It must not raise."""
    key = request.write_key.get_secret_value()
    started = time.perf_counter()
    attempts = 0
    stamped = request
    outgoing: httpx.Request | None = None
    response: ResponseInfo | None = None
    failure: Failure | None = None
    waiting = False
    extensions: dict[str, object] = {"timeout": timeouts(options).as_dict()}
    proxy = proxy_for(request.url)
    if on_sent is not None:

        async def trace(event: str, info: dict[str, object]) -> None:
            # "http11.send_request_body.complete" (or "http2.…"): the body is out.
            if event.endswith(".send_request_body.complete") and "trace" in extensions:
                del extensions["trace"]  # once, even across retries
                on_sent()

        extensions["trace"] = trace
    try:
        while True:
            attempts += 1
            stamped = request.stamped(iso_now(clock()))
            response, failure, retry_after = None, None, None
            try:
                outgoing = stamped.to_httpx()
                if attempts == 1 and before_first is not None:
                    before_first(outgoing)
                # Per request, so one long-lived client serves jobs with other options.
                outgoing.extensions = {**outgoing.extensions, **extensions}
                # Per-phase timeouts restart with every byte: a server that trickles its
                # answer would hold the send forever without a deadline for the whole.
                async with asyncio.timeout(options.attempt_deadline):
                    response = await _exchange(client, outgoing, options, key)
                if not 200 <= response.status < 300:
                    failure = http_failure(response)
                    retry_after = parse_retry_after(response.headers.get("retry-after"))
            except TimeoutError:
                failure = _deadline_failure(request.url, options, proxy)
            except httpx.HTTPError as exc:
                failure = classify(exc, request.url, options, proxy)
            if failure is None or not failure.retryable or attempts > options.retries:
                break
            waiting = True
            await sleep(backoff_delay(options, attempts, retry_after, rand))
            waiting = False
    except asyncio.CancelledError:
        if waiting and failure is not None:
            message = f"cancelled while waiting to retry after: {failure.message}"
        else:
            message = (
                "cancelled before an answer came back: the request may or may not have "
                "reached the server"
            )
        failure = Failure(kind=FailureKind.CANCELLED, message=message)
    return SendResult(
        endpoint=request.endpoint,
        url=request.url,
        status=response.status if response is not None else None,
        attempts=attempts,
        elapsed_ms=(time.perf_counter() - started) * 1000,
        message_ids=request.message_ids,
        response=response,
        error=failure,
        request=stamped.preview(outgoing),
    )
