"""The scenario report written to disk (its HTML comes from `app.core.report`)."""

from __future__ import annotations

from pathlib import Path

from app.core.report import ReportInput, build_report_html
from app.core.scrub import Scrubber


def write_report(path: str | Path, report: ReportInput, scrubber: Scrubber) -> Path:
    """Write the HTML report; refuses (ValueError) if a secret survived the scrub."""
    html = build_report_html(report, scrubber)
    leaks = scrubber.leaks(html)
    if leaks:
        raise ValueError(f"the report would contain the {' and '.join(leaks)}; not written")
    out = Path(path)
    out.write_text(html, encoding="utf-8")
    return out
