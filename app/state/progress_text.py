"""A running send in words, without Qt: the one-line progress of a send ("/track ·
attempt 2 of 4 · waiting 3 s (Retry-After) · 4.2 s elapsed") and the state of each
event of a scenario while it goes out and after ("3 of 6", step → result).

Inputs are delivery's own objects (`AttemptProgress` as it arrives, the `ItemOutcome`s
the send fills in); the window only shows the strings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from app.delivery.jobs import ItemOutcome
from app.delivery.progress import AttemptProgress, Phase
from app.storage.models import Status


def seconds(value: float) -> str:
    """A wait for people: "3 s", "1.5 s", "0.25 s", "12 s" (no "3.000 s")."""
    if value >= 10:
        return f"{value:.0f} s"
    if value >= 1:
        return f"{value:.1f}".removesuffix(".0") + " s"
    return f"{value:.2f}".rstrip("0").rstrip(".") + " s"


def duration(value: float) -> str:
    """A send's time: "0.4 s", "12.3 s", "2 min 05 s"."""
    if value < 60:
        return f"{value:.1f} s"
    minutes, rest = divmod(int(value), 60)
    return f"{minutes} min {rest:02d} s"


def finished_line(cancelled: bool, seconds_taken: float, what: str) -> str:
    """The progress line once a send ended: "Finished after 1.2 s · 4 request(s)"."""
    return f"{'Cancelled' if cancelled else 'Finished'} after {duration(seconds_taken)} · {what}"


def elapsed(value: float) -> str:
    """Time since the send started: "0.4 s elapsed"."""
    return f"{duration(value)} elapsed"


def attempt_text(progress: AttemptProgress) -> str:
    """ "/track · attempt 2 of 4"; while waiting to retry, the wait and the attempt first
    (they are the news, and what a narrow line beside the buttons must not cut), then
    why: "waiting 3 s (Retry-After) · attempt 1 of 4 · HTTP 429 on /track"."""
    attempt = f"attempt {progress.attempt} of {progress.max_attempts}"
    if progress.phase is Phase.SENDING:
        return f"/{progress.endpoint} · {attempt}"
    return (
        f"waiting {seconds(progress.delay)} ({progress.reason}) · {attempt} · "
        f"{progress.failure} on /{progress.endpoint}"
    )


def send_line(progress: AttemptProgress | None, since: float, *, preview: bool = False) -> str:
    """The one line shown while a send runs (beside a busy bar and Cancel, so it starts
    with what matters: the request, its attempt, the wait)."""
    if preview:
        return f"Previewing… · {elapsed(since)}"
    if progress is None:
        return f"Sending… · {elapsed(since)}"
    text = attempt_text(progress)
    return f"{text[:1].upper()}{text[1:]} · {elapsed(since)}"


class StepState(StrEnum):
    """Where one event of a send stands (the timeline's marks and the results list)."""

    PENDING = "pending"
    SENDING = "sending"
    WAITING = "waiting"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"
    PREVIEWED = "previewed"
    CANCELLED = "cancelled"

    @property
    def tone(self) -> str:
        """The colour family it is shown in (`widgets.colours.tone`)."""
        return _TONES[self]


_TONES = {
    StepState.PENDING: "muted", StepState.SENDING: "info", StepState.WAITING: "warn",
    StepState.SENT: "ok", StepState.FAILED: "error", StepState.SKIPPED: "muted",
    StepState.PREVIEWED: "info", StepState.CANCELLED: "warn",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Step:
    """One event's state, in a few words (`text`) and in full (`detail`, a tooltip)."""

    state: StepState
    text: str
    detail: str = ""


def is_done(outcome: ItemOutcome) -> bool:
    """All its requests have a result (a skipped event has none to wait for)."""
    return outcome.item.skipped is not None or (
        bool(outcome.requests) and len(outcome.results) >= len(outcome.requests)
    )


def current_index(outcomes: Sequence[ItemOutcome]) -> int | None:
    """The event being sent now: the first one not done yet."""
    return next((i for i, o in enumerate(outcomes) if not is_done(o)), None)


def step(outcome: ItemOutcome, live: AttemptProgress | None = None, running: bool = True) -> Step:
    """`outcome`'s state; `live` is the latest attempt when it is the event being sent."""
    if outcome.item.skipped is not None:
        return Step(StepState.SKIPPED, "not sent (RevenueCat skips it)", outcome.item.skipped)
    if not is_done(outcome):
        if not running:
            return Step(StepState.CANCELLED, "not sent: the send was cancelled")
        if live is None:
            return Step(StepState.PENDING, "pending")
        waiting = live.phase is Phase.WAITING
        text = attempt_text(live) if waiting else f"sending {attempt_text(live)}"
        return Step(StepState.WAITING if waiting else StepState.SENDING, text)
    return _finished(outcome)


def _finished(outcome: ItemOutcome) -> Step:
    record = outcome.outcome()
    ms = f"{record.elapsed_ms:.0f} ms" if record.elapsed_ms is not None else ""
    retried = record.attempts - len(outcome.results)
    tries = f" · {record.attempts} attempts" if retried > 0 else ""
    status = outcome.status
    if status is Status.PREVIEWED:
        return Step(StepState.PREVIEWED, "previewed: nothing sent")
    if status is Status.ACCEPTED:
        return Step(StepState.SENT, f"accepted · HTTP {record.http_status} · {ms}{tries}")
    what = f"HTTP {record.http_status}" if record.http_status else record.error_kind or "failed"
    if status is Status.CANCELLED:
        return Step(StepState.CANCELLED, "cancelled", record.error)
    failed = next((r for r in outcome.results if not r.accepted), None)
    where = f" on /{failed.endpoint}" if failed is not None and len(outcome.results) > 1 else ""
    return Step(StepState.FAILED, f"failed: {what}{where} · {ms}{tries}", record.error)


def scenario_line(
    outcomes: Sequence[ItemOutcome],
    labels: Sequence[str],
    live: AttemptProgress | None,
    since: float,
    batched: bool = False,
) -> str:
    """ "Event 3 of 6 (Renewal) · /track · attempt 1 of 4 · 2.1 s elapsed"."""
    index = current_index(outcomes)
    if index is None:
        return f"All {len(outcomes)} events done · {elapsed(since)}"
    if batched:
        head = f"{len(outcomes)} events in /batch"
    else:
        label = labels[index] if index < len(labels) else ""
        head = f"Event {index + 1} of {len(outcomes)}" + (f" ({label})" if label else "")
    now = f" · {attempt_text(live)}" if live is not None else ""
    return f"{head}{now} · {elapsed(since)}"
