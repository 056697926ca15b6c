"""Sending one `SegmentRequest` with retries, and naming every failure in plain words.

Retries follow docs/segment.md, "Retries" (see `options.is_retryable_status`); every
attempt re-stamps `sentAt` with its own time and keeps the messageIds, so Segment
deduplicates a retry of a request it had in fact received. Cancellation while waiting or
sending gives a "cancelled" result instead of an exception, so the caller can still
record what happened.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import datetime

import httpx

from app.core.redact import redact_text
from app.core.wire import iso_now
from app.delivery.failures import classify, deadline_failure, http_failure
from app.delivery.options import (
    DeliveryOptions,
    backoff_delay,
    parse_retry_after,
)
from app.delivery.progress import AttemptCallback, AttemptProgress, Phase
from app.delivery.proxy import ProxyError, check_environment, proxy_for
from app.delivery.request import USER_AGENT, SegmentRequest
from app.delivery.result import Failure, FailureKind, ResponseInfo, SendResult
from app.delivery.tls import shared_context

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
        verify=shared_context(),  # its CA bundle loads on first TLS use
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
    on_attempt: AttemptCallback | None = None,
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
            if on_attempt is not None:
                on_attempt(AttemptProgress(request.endpoint, attempts, options.retries + 1))
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
                # The proxy only words the failure: looked up when there is one.
                failure = deadline_failure(request.url, options, proxy_for(request.url))
            except httpx.HTTPError as exc:
                failure = classify(exc, request.url, options, proxy_for(request.url))
            if failure is None or not failure.retryable or attempts > options.retries:
                break
            delay = backoff_delay(options, attempts, retry_after, rand)
            if on_attempt is not None:
                failed = f"HTTP {response.status}" if response else failure.kind.value
                on_attempt(
                    AttemptProgress(request.endpoint, attempts, options.retries + 1,
                                    Phase.WAITING, delay, retry_after is not None, failed)
                )  # fmt: skip
            waiting = True
            await sleep(delay)
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
