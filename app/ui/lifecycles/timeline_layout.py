"""Where the timeline's events and their labels go: x by time and order, and a lane
(row of labels) per event so that neighbours never overlap. Apart from the painting
(`timeline_view`) because the widget's minimum height also needs it: a narrow column
takes three lanes where a wide one takes two.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QColor, QFontMetrics

from app.core.readable import day, money
from app.core.timeline import TimelinePoint

REFUND = QColor("#c62828")
SKIPPED = QColor("#9e9e9e")
MARGIN = 56.0
BLOCK_LINES = 3.2  # a label's lines (what, when, amounts) and the space under them
LEGEND_LINES = 1.6
BARS_LINES = 3.0  # the least height the bars keep above and below the axis


def picture_lines(lanes: int) -> float:
    """Lines of height the picture needs: its legend, some bars, `lanes` of labels."""
    return LEGEND_LINES + BARS_LINES + BLOCK_LINES * lanes + 0.3


def layout(
    points: Sequence[TimelinePoint], metrics: QFontMetrics, left: float, right: float
) -> tuple[list[list[tuple[str, QColor]]], list[float], list[int]]:
    """(each event's label lines, its x, its lane) between `left` and `right`."""
    texts = [_label_texts(p) for p in points]
    widths = [max(metrics.horizontalAdvance(t) for t, _c in rows) for rows in texts]
    margin = max(MARGIN, max(widths) / 2 + 8)  # the first and last labels stay inside
    xs = x_positions([p.at_ms for p in points], left + margin, right - margin)
    lanes = label_lanes(xs, widths, gap=metrics.horizontalAdvance("  "))
    if max(lanes) > 2:  # dozens of renewals: three lanes in turn, some overlap accepted
        lanes = [i % 3 for i in range(len(points))]
    return texts, xs, lanes


def x_positions(times: Sequence[int], left: float, right: float) -> list[float]:
    """Half by time, half by order: events keep their true rhythm (a month between
    renewals, an hour between refund and expiry) yet never sit on top of each other."""
    n = len(times)
    if n == 0:
        return []
    if n == 1:
        return [(left + right) / 2]
    start, end = times[0], times[-1]
    span = max(end - start, 1)
    width = right - left
    return [
        left + width * (0.5 * (t - start) / span + 0.5 * i / (n - 1)) for i, t in enumerate(times)
    ]


def _label_texts(p: TimelinePoint) -> list[tuple[str, QColor]]:
    """The three lines under an event: what, when, and gross / reported money (to the
    cent: the report's table and the payloads have the exact figures)."""
    if p.skipped:
        amounts = "not sent"
    elif p.moves_money:
        amounts = f"{money(p.gross)} / {money(p.reported)}"
    else:
        amounts = "$0"
    return [
        (p.label, QColor()),  # invalid colour: the palette's text colour
        (day(p.at_ms), SKIPPED),
        (amounts, REFUND if p.refund else QColor()),
    ]


def label_lanes(xs: Sequence[float], widths: Sequence[float], gap: float) -> list[int]:
    """A lane (row of labels) per event, so that neighbouring labels never overlap:
    each label takes the first lane whose previous label ends before it starts."""
    ends: list[float] = []  # right edge of the last label in each lane
    lanes = []
    for x, width in zip(xs, widths, strict=True):
        left = x - width / 2
        lane = next((i for i, end in enumerate(ends) if end + gap <= left), len(ends))
        if lane == len(ends):
            ends.append(0.0)
        ends[lane] = x + width / 2
        lanes.append(lane)
    return lanes
