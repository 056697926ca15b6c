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

from app.core.scrub import Scrubber
from app.core.settings import IntegrationSettings
from app.core.timeline import Timeline, usd

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;
max-width:980px;color:#1d232a;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{margin-top:2rem;font-size:1.2rem}
.sub{color:#5b6670}table{border-collapse:collapse;margin:.6rem 0}
td,th{border:1px solid #d6dbe0;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#f2f4f6}.num{text-align:right;font-variant-numeric:tabular-nums}
.neg{color:#b3261e}.skip{color:#8a4b00}img{max-width:100%;border:1px solid #d6dbe0}
pre{background:#f6f8fa;border:1px solid #d6dbe0;padding:.6rem;overflow:auto;font-size:.85rem}
details{margin:.4rem 0}summary{cursor:pointer;font-weight:600}
"""


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
    generated_at: datetime = field(default_factory=lambda: datetime.now(UTC))


def _money(value: float) -> str:
    css = ' class="num neg"' if value < 0 else ' class="num"'
    return f"<td{css}>{usd(value)}</td>"


def _rows(pairs: Sequence[tuple[str, Any]]) -> str:
    return "".join(f"<tr><th>{escape(k)}</th><td>{escape(str(v))}</td></tr>" for k, v in pairs)


def _settings_table(report: ReportInput) -> str:
    s = report.settings
    pairs: list[tuple[str, Any]] = [
        ("Sales reporting", f"{s.revenue_mode.label} ({s.revenue_mode.value})"),
        ("Send sandbox events", "on" if s.send_sandbox else "off"),
        ("Sent to", report.target),
    ]
    pairs += [(f"Parameter: {k}", v) for k, v in report.parameters.items()]
    names = [(f"Event name: {k}", v or "(blank: not sent)") for k, v in s.event_names.items()]
    return f"<table>{_rows(pairs + names)}</table>"


def _events_table(timeline: Timeline) -> str:
    head = (
        "<tr><th>#</th><th>When (UTC)</th><th>RevenueCat</th><th>Segment event</th>"
        f"<th>Gross</th><th>Reported ({escape(timeline.mode.value)})</th><th>Running total</th>"
        "</tr>"
    )
    body = []
    for p in timeline.points:
        name = p.result.event_name or "—"
        if p.skipped:
            name = f'<span class="skip">not sent: {escape(p.skipped)}</span>'
        else:
            name = escape(name)
        body.append(
            f"<tr><td>{p.index + 1}</td><td>{escape(p.when)}</td><td>{escape(p.rc_type)}</td>"
            f"<td>{name}</td>{_money(p.gross)}{_money(p.reported)}{_money(p.running_total)}</tr>"
        )
    return f"<table>{head}{''.join(body)}</table>"


def _payloads(timeline: Timeline) -> str:
    parts = []
    for p in timeline.points:
        summary = f"{p.index + 1}. {p.label} — {p.when}"
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
        image = f'<img alt="Timeline of {escape(report.title)}" src="data:image/png;base64,{data}">'
    html = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(report.title)} — RevenueCat → Segment</title><style>{_STYLE}</style></head>
<body>
<h1>{escape(report.title)}</h1>
<p class="sub">{escape(report.description)}<br>What RevenueCat's Segment integration sends
for this customer journey. Generated {escape(report.generated_at.strftime("%Y-%m-%d %H:%M UTC"))}
by rc-segment-tester.</p>
<h2>Timeline</h2>{image}
<p>{escape(timeline.summary())}</p>
<h2>Events and revenue</h2>{_events_table(timeline)}
<p class="sub">Gross is what the customer paid (refunds negative); "reported" is the
<code>revenue</code> property Segment receives in the selected sales-reporting mode.</p>
<h2>Settings used</h2>{_settings_table(report)}
<h2>Payloads</h2>{_payloads(timeline)}
</body></html>
"""
    return scrubber.scrub(html) if scrubber else html
