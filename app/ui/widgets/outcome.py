"""A send's outcome in plain words, shared by every sender of the window (the composed
event, a scenario, the app's identify): status, latency, attempts, and what a 200 means.
"""

from __future__ import annotations

from html import escape

from app.delivery import ACCEPTED_NOTE, SendReport
from app.ui.widgets.colours import tone


def line(kind: str, text: str) -> str:
    """One coloured line of rich text (`kind`: ok, error, info, warn, unknown, muted)."""
    return f'<span style="color:{tone(kind)}; font-weight:600;">{escape(text)}</span>'


def describe_report(report: SendReport) -> str:
    """The outcome in plain words: status, latency, attempts, and what a 200 means."""
    if report.skipped and not report.results:
        return line("warn", f"Recorded as skipped: {report.skipped[0].skipped}")
    parts = []
    for result in report.results:
        where = result.endpoint
        if result.preview:
            parts.append(
                line(
                    "info",
                    f"Preview of /{where}: the exact request is in the history; nothing was sent",
                )
            )
        elif result.accepted:
            parts.append(
                line(
                    "ok",
                    f"/{where}: HTTP {result.status} · "
                    f"{result.elapsed_ms:.0f} ms · {result.attempts} attempt(s)",
                )
            )
        else:
            error = result.error
            kind = error.kind.value if error else "failed"
            # "HTTP 400" says it all; "http · HTTP 400" said it twice.
            what = f"HTTP {result.status}" if result.status else kind
            parts.append(
                line(
                    "error",
                    f"/{where}: {what} · {result.elapsed_ms:.0f} ms · {result.attempts} attempt(s)",
                )
                + "<br>"
                + escape(error.message if error else "")
            )
    if report.cancelled:
        parts.append(
            line("warn", "Cancelled: a request in flight may or may not have reached Segment")
        )
    if any(r.accepted for r in report.results):
        parts.append(escape("200 means " + ACCEPTED_NOTE))
    return "<br>".join(parts)
