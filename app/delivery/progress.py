"""What one request is doing right now, for a person watching it: which attempt is out,
or how long the delivery waits before the next one and why.

`deliver` emits an `AttemptProgress` before every attempt and before every wait between
attempts; `SendService.send(on_attempt=...)` passes them on. The window shows them
("attempt 2 of 4", "waiting 3 s (Retry-After)"); the CLI does not ask for them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class Phase(StrEnum):
    SENDING = "sending"  # an attempt is out (or about to go out)
    WAITING = "waiting"  # an attempt failed in a retryable way; the next one is due later


@dataclass(frozen=True, slots=True)
class AttemptProgress:
    """One step of one request's delivery.

    `attempt` is the attempt going out (SENDING) or the one that just failed (WAITING);
    `max_attempts` is the first attempt plus the retries allowed. While WAITING, `delay`
    is the wait in seconds, `retry_after` whether the server's Retry-After set it (else
    the backoff policy), and `failure` the failed attempt in a few words ("HTTP 429").
    """

    endpoint: str
    attempt: int
    max_attempts: int
    phase: Phase = Phase.SENDING
    delay: float = 0.0
    retry_after: bool = False
    failure: str = ""

    @property
    def reason(self) -> str:
        """Why the wait is this long: "Retry-After" (the server said so) or "backoff"."""
        return "Retry-After" if self.retry_after else "backoff"


#: Called synchronously from the delivery loop; it must not raise (nor block).
AttemptCallback = Callable[[AttemptProgress], None]
