"""How a send behaves: mode, timeouts and the retry policy (docs/segment.md,
"Retries"), all adjustable.

The policy is pure arithmetic over an injected random function, so tests can check the
exact delays without sleeping and the CLI and GUI share the same rules.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from pydantic import BaseModel, ConfigDict, Field

#: Statuses worth retrying: request timeout, rate limit, and server trouble except
#: "not implemented" / "HTTP version not supported", which will not change on retry.
_NEVER_RETRY_5XX = frozenset({501, 505})


class DeliveryOptions(BaseModel):
    """Everything a user may tune about one send. Defaults suit Segment's public API."""

    model_config = ConfigDict(frozen=True)

    batch: bool = False  # False: /track then /identify per event (as RevenueCat does)
    retries: int = Field(default=3, ge=0, le=20)  # extra attempts after the first
    connect_timeout: float = Field(default=5.0, gt=0)
    read_timeout: float = Field(default=15.0, gt=0)
    write_timeout: float = Field(default=15.0, gt=0)
    pool_timeout: float = Field(default=10.0, gt=0)
    # The whole attempt (connect, send, headers and body back): the per-phase timeouts
    # above restart with every byte, so a trickling server needs this cap too.
    attempt_deadline: float = Field(default=60.0, gt=0)
    backoff_base: float = Field(default=0.5, ge=0)  # first retry waits about this long
    backoff_cap: float = Field(default=10.0, ge=0)  # no single wait longer than this
    retry_after_cap: float = Field(default=60.0, ge=0)  # cap on a server's Retry-After
    max_response_bytes: int = Field(default=64 * 1024, ge=0)  # body kept per response
    fresh_message_ids: bool = True  # False keeps ids as given (to test Segment's dedupe)

    def with_timeout(self, seconds: float) -> DeliveryOptions:
        """The CLI's single --timeout: connect, read and write each get that long (and
        the attempt's total deadline is raised to fit all three, if it was shorter)."""
        return self.model_copy(
            update={
                "connect_timeout": seconds,
                "read_timeout": seconds,
                "write_timeout": seconds,
                "attempt_deadline": max(self.attempt_deadline, 3 * seconds),
            }
        )


def is_retryable_status(status: int) -> bool:
    """408, 429 and 5xx except 501/505; never any other 4xx (it would fail the same way)."""
    if status in (408, 429):
        return True
    return 500 <= status <= 599 and status not in _NEVER_RETRY_5XX


def parse_retry_after(value: str | None, now: Callable[[], datetime] | None = None) -> float | None:
    """Retry-After as seconds (delta-seconds or an HTTP date); None when absent or garbled."""
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = now() if now is not None else datetime.now(UTC)
    return max(0.0, (when - current).total_seconds())


def backoff_delay(
    options: DeliveryOptions,
    retry_number: int,
    retry_after: float | None,
    rand: Callable[[], float],
) -> float:
    """Seconds to wait before retry `retry_number` (1 for the first retry).

    A server's Retry-After wins (capped at `retry_after_cap`); otherwise exponential backoff
    with "equal jitter": uniform in [base·2^(n-1) / 2, base·2^(n-1)], capped, so many
    clients retrying together spread out instead of hitting the server in step.
    """
    if retry_after is not None:
        return min(retry_after, options.retry_after_cap)
    ceiling = min(options.backoff_cap, options.backoff_base * 2.0 ** (retry_number - 1))
    return ceiling / 2 + rand() * ceiling / 2
