"""A scenario's events as points on a time axis, with the money they report.

The timeline view, the scenario send and the HTML report all draw from the same
`Timeline`, so the figure on screen, the payloads sent and the report cannot disagree.
Revenue is shown twice on purpose: gross (what the customer paid) next to the figure in
the selected sales-reporting mode (what Segment receives), because the gap between the two
is exactly what people ask about.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.core.catalogue import CATALOGUE
from app.core.mapping import segment_type_for
from app.core.model import parse_event
from app.core.readable import money, money_exact
from app.core.render import Renderer, RenderResult
from app.core.revenue import revenue
from app.core.settings import IntegrationSettings, RevenueMode
from app.core.wire import iso_ms


@dataclass(frozen=True, slots=True)
class TimelinePoint:
    """One RevenueCat event: when, what Segment gets, and the money it moves."""

    index: int
    at_ms: int
    rc_type: str
    segment_event: str | None
    label: str
    gross: float
    reported: float
    running_total: float  # reported revenue up to and including this event
    result: RenderResult
    rc_event: dict[str, Any]

    @property
    def refund(self) -> bool:
        return self.gross < 0

    @property
    def moves_money(self) -> bool:
        return self.gross != 0

    @property
    def skipped(self) -> str | None:
        return self.result.skipped

    @property
    def when(self) -> str:
        return iso_ms(self.at_ms)


@dataclass(frozen=True, slots=True)
class Timeline:
    """All points, oldest first, and the totals in both reporting views."""

    points: tuple[TimelinePoint, ...]
    mode: RevenueMode

    @property
    def total_gross(self) -> float:
        return _sum(p.gross for p in self.points)

    @property
    def total_reported(self) -> float:
        return self.points[-1].running_total if self.points else 0.0

    def summary(self) -> str:
        """One line for people: how many events and what they add up to."""
        sent = sum(1 for p in self.points if not p.skipped)
        return (
            f"{len(self.points)} events ({sent} sent to Segment) · gross {money(self.total_gross)}"
            f" · reported ({self.mode.short_label}) {money_exact(self.total_reported)}"
        )


def usd(value: float) -> str:
    """ "$6.993", "−$9.99", "$0.00": cents always, up to the engine's 4 places when the
    reporting mode produced them (so 9.99 × 0.7 shows as 6.993, not a rounded 6.99)."""
    text = f"{abs(value):,.4f}".rstrip("0")
    whole, _, cents = text.partition(".")
    sign = "−" if value < 0 else ""
    return f"{sign}${whole}.{cents.ljust(2, '0')}"


def _sum(values: Any) -> float:
    # Decimal via str, like the revenue module, so 3 × 9.99 totals 29.97 exactly.
    return float(sum((Decimal(str(v)) for v in values), Decimal(0))) + 0.0


def build_timeline(
    events: Sequence[dict[str, Any]],
    settings: IntegrationSettings,
    renderer: Renderer | None = None,
) -> Timeline:
    """Render every event with `settings` and place it on the axis.

    Raises EventInputError (from `parse_event`) when an event is not valid RevenueCat
    input; built-in scenarios never are, imported sequences may be.
    """
    renderer = renderer or Renderer()
    points: list[TimelinePoint] = []
    running = Decimal(0)
    for index, raw in enumerate(events):
        event = parse_event(raw)
        result = renderer.render(event, settings)
        key = segment_type_for(event)
        gross = (revenue(key, event, RevenueMode.GROSS) or 0.0) if key else 0.0
        reported = (revenue(key, event, settings.revenue_mode) or 0.0) if key else 0.0
        if result.skipped:
            reported = 0.0  # nothing reaches Segment, so nothing is reported
        running += Decimal(str(reported))
        points.append(
            TimelinePoint(
                index=index,
                at_ms=event.event_timestamp_ms,
                rc_type=event.type,
                segment_event=result.segment_event,
                label=CATALOGUE[key].label if key else event.type,
                gross=gross,
                reported=reported,
                running_total=float(running) + 0.0,
                result=result,
                rc_event=dict(raw),
            )
        )
    return Timeline(tuple(points), settings.revenue_mode)
