"""The scenario report: one self-contained HTML file for a product manager.

No Qt here: the timeline picture arrives as PNG bytes (drawn by the UI) and is embedded
as a base64 `data:` URI, so the file opens anywhere, offline, with nothing beside it.
What the report *receives* is already free of secrets (it is never given the write key
or the endpoint); the final `Scrubber` pass is a second guard for text that slipped in
through free-form fields such as a custom event name.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from typing import Any

from app.core.catalogue import CATALOGUE
from app.core.labels import human
from app.core.readable import moment, money_exact
from app.core.scrub import Scrubber
from app.core.settings import IntegrationSettings
from app.core.timeline import Timeline

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;
max-width:980px;color:#1d232a;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{margin-top:2rem;font-size:1.2rem}
.sub{color:#5b6670}table{border-collapse:collapse;margin:.6rem 0}
td,th{border:1px solid #d6dbe0;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#f2f4f6}.num{text-align:right;font-variant-numeric:tabular-nums}
.neg{color:#b3261e}.skip{color:#8a4b00}.sent{color:#2e7d32}.failed{color:#b3261e}
.cancelled,.pending{color:#8a4b00}.previewed{color:#1565c0}
img{max-width:100%;height:auto;border:1px solid #d6dbe0}code{font-size:.9em}
pre{background:#f6f8fa;border:1px solid #d6dbe0;padding:.6rem;overflow:auto;font-size:.85rem}
details{margin:.4rem 0}summary{cursor:pointer;font-weight:600}
"""


@dataclass(frozen=True)
class SentResults:
    """What the scenario's send did, per event (in timeline order): `steps` holds
    (state, words) pairs, state one of sent, failed, skipped, cancelled, previewed."""

    at: datetime
    steps: tuple[tuple[str, str], ...]
    preview: bool = False

    def summary(self) -> str:
        states = [state for state, _words in self.steps]
        verb = "Previewed" if self.preview else "Sent"
        parts = [f"{states.count(s)} {s}" for s in ("sent", "failed", "cancelled", "skipped",
                                                      "previewed") if s in states]  # fmt: skip
        return f"{verb} {moment(self.at)}: {len(states)} events, {', '.join(parts)}."


@dataclass(frozen=True)
class ReportInput:
    """Everything the report shows. `target` is already public (`scrub.public_target`)."""

    title: str
    description: str
    timeline: Timeline
    settings: IntegrationSettings
    parameters: dict[str, Any]  # the scenario's parameters as shown to the user
    target: str
    image_png: bytes | None = None
    image_width: int = 960  # CSS pixels the picture is shown at (its PNG may have more)
    sent: SentResults | None = None  # when the scenario was sent (or previewed)
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))


def _money(value: float) -> str:
    css = ' class="num neg"' if value < 0 else ' class="num"'
    return f"<td{css}>{money_exact(value)}</td>"


def _rows(pairs: Sequence[tuple[str, Any]]) -> str:
    return "".join(f"<tr><th>{escape(k)}</th><td>{escape(str(v))}</td></tr>" for k, v in pairs)


def _settings_table(report: ReportInput) -> str:
    s = report.settings
    pairs: list[tuple[str, Any]] = [
        ("Sales reporting", s.revenue_mode.label),
        ("Send sandbox events", "on" if s.send_sandbox else "off"),
        ("Sent to", report.target),
    ]
    pairs += [(human(k), v) for k, v in report.parameters.items()]
    names = "".join(
        f"<tr><th>{escape(CATALOGUE[k].label if k in CATALOGUE else human(k))}</th>"
        f"<td>{f'<code>{escape(v)}</code>' if v else '(blank: not sent)'}</td></tr>"
        for k, v in s.event_names.items()
    )
    return f"<table>{_rows(pairs)}</table><h3>Event names in Segment</h3><table>{names}</table>"


def _events_table(timeline: Timeline, sent: SentResults | None) -> str:
    result = "<th>Send result</th>" if sent is not None else ""
    head = (
        "<tr><th>#</th><th>When</th><th>What happened</th><th>Segment event</th>"
        f"<th>Gross</th><th>Reported ({escape(timeline.mode.short_label)})</th>"
        f"<th>Running total</th>{result}</tr>"
    )
    body = []
    for p in timeline.points:
        name = p.result.event_name
        if p.skipped:
            shown = f'<span class="skip">not sent: {escape(p.skipped)}</span>'
        else:
            shown = f"<code>{escape(name)}</code>" if name else "—"
        cell = ""
        if sent is not None:
            state, words = sent.steps[p.index] if p.index < len(sent.steps) else ("", "")
            cell = f'<td class="{escape(state)}">{escape(words)}</td>'
        body.append(
            f"<tr><td>{p.index + 1}</td><td>{escape(moment(p.at_ms))}</td>"
            f"<td>{escape(p.label)}</td><td>{shown}</td>"
            f"{_money(p.gross)}{_money(p.reported)}{_money(p.running_total)}{cell}</tr>"
        )
    return f"<table>{head}{''.join(body)}</table>"


def _payloads(timeline: Timeline) -> str:
    parts = []
    for p in timeline.points:
        summary = f"{p.index + 1}. {p.label} — {moment(p.at_ms)}"
        if p.skipped:
            inner = f'<p class="skip">RevenueCat would not send this: {escape(p.skipped)}</p>'
        else:
            inner = "".join(
                f"<h4>{escape(str(m.get('type', 'message')).title())}</h4>"
                f"<pre>{escape(json.dumps(m, indent=2, ensure_ascii=False))}</pre>"
                for m in p.result.messages
            )
        warnings = "".join(f"<p class='skip'>⚠ {escape(w.message)}</p>" for w in p.result.warnings)
        parts.append(f"<details><summary>{escape(summary)}</summary>{warnings}{inner}</details>")
    return "".join(parts)


def build_report_html(report: ReportInput, scrubber: Scrubber | None = None) -> str:
    """The whole report as one HTML string (UTF-8, no external resources)."""
    timeline = report.timeline
    image = ""
    if report.image_png:
        data = base64.b64encode(report.image_png).decode("ascii")
        image = (
            f'<img alt="Timeline of {escape(report.title)}" width="{report.image_width}" '
            f'src="data:image/png;base64,{data}">'
        )
    sent = ""
    if report.sent is not None:
        sent = f"<h2>Send results</h2><p>{escape(report.sent.summary())}</p>"
    html = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(report.title)} — RevenueCat → Segment</title><style>{_STYLE}</style></head>
<body>
<h1>{escape(report.title)}</h1>
<p class="sub">{escape(report.description)}<br>What RevenueCat's Segment integration sends
for this customer journey. Generated {escape(moment(report.generated_at))}
by rc-segment-tester.</p>
<h2>Timeline</h2>{image}
<p>{escape(timeline.summary())}</p>
{sent}<h2>Events and revenue</h2>{_events_table(timeline, report.sent)}
<p class="sub">Gross is what the customer paid (refunds negative); "reported" is the
<code>revenue</code> property Segment receives in the selected sales-reporting mode.
Amounts are to the cent; where a commission or tax leaves more decimals, the exact
figure Segment receives follows in brackets. Times are UTC.</p>
<h2>Settings used</h2>{_settings_table(report)}
<h2>Payloads</h2>{_payloads(timeline)}
</body></html>
"""
    return scrubber.scrub(html) if scrubber else html
