"""The scenario timeline: events along a time axis, gross and reported revenue per event
as bars (refunds below the line), the running total as a step line, click to select.

Drawn with QPainter from a `core.timeline.Timeline`; the same `paint_timeline` draws the
widget and the PNG embedded in the report, so the two always match.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.core.readable import money_exact
from app.core.timeline import Timeline, TimelinePoint
from app.state.progress_text import StepState
from app.ui.lifecycles.timeline_layout import (
    BLOCK_LINES,
    LEGEND_LINES,
    REFUND,
    SKIPPED,
    layout,
    picture_lines,
)

GROSS = QColor("#9fb8d9")
REPORTED = QColor("#1a5fb4")
TOTAL = QColor("#2e7d32")
SELECTED = QColor("#f5a623")
#: The marks of a send on the timeline: a badge by each event's dot.
MARKED = {StepState.SENT: TOTAL, StepState.FAILED: REFUND, StepState.SENDING: SELECTED,
          StepState.WAITING: SELECTED, StepState.CANCELLED: SKIPPED}  # fmt: skip

DOT = 7.0  # radius of an event's dot
#: The report's picture, in CSS pixels (the report shows it at this width; the PNG has
#: twice the pixels) and the size of its text (the report's body text is 16 px).
REPORT_WIDTH, REPORT_HEIGHT, REPORT_FONT_PX = 960, 440, 14
BADGE = 14.0  # diameter of a send's mark


def paint_timeline(
    painter: QPainter,
    rect: QRectF,
    timeline: Timeline | None,
    selected: int | None,
    text: QColor,
    font: QFont,
    marks: Mapping[int, StepState] | None = None,
) -> list[QPointF]:
    """Draw into `rect`; returns each event's dot centre (for hit testing). `marks`:
    what a send did with each event (a ✓ or ✗ badge by its dot)."""
    marks = marks or {}
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setFont(font)
    metrics = painter.fontMetrics()
    line = metrics.height()
    if timeline is None or not timeline.points:
        painter.setPen(text)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "Pick a scenario to see its events")
        return []
    points = timeline.points
    texts, xs, lanes = layout(points, metrics, rect.left(), rect.right())
    block = line * BLOCK_LINES
    labels = block * (max(lanes) + 1) + line * 0.3
    top = rect.top() + line * LEGEND_LINES  # legend row
    usable = rect.bottom() - labels - top
    has_refund = any(p.refund for p in points)
    axis_y = top + usable * (0.66 if has_refund else 0.86)
    up = axis_y - top - line * 1.2
    down = rect.bottom() - labels - axis_y - 4
    peak = max((max(abs(p.gross), abs(p.reported)) for p in points), default=0) or 1.0
    total_peak = max((abs(p.running_total) for p in points), default=0) or 1.0
    bar = max(min(18.0, (xs[1] - xs[0]) / 5 if len(xs) > 1 else 18.0), 5.0)

    _legend(painter, rect, timeline, text, line, set(marks.values()))
    painter.setPen(QPen(text, 1.5))
    painter.drawLine(QPointF(rect.left() + 12, axis_y), QPointF(rect.right() - 12, axis_y))

    for x, p in zip(xs, points, strict=True):
        for offset, value, colour in ((-bar, p.gross, GROSS), (0.0, p.reported, REPORTED)):
            if value == 0:
                continue
            height = abs(value) / peak * (up if value > 0 else down)
            y = axis_y - height if value > 0 else axis_y
            fill = REFUND if value < 0 and colour is REPORTED else colour
            painter.fillRect(QRectF(x + offset, y, bar, height), fill)

    # Running total: a step line over the bars, on its own scale.
    painter.setPen(QPen(TOTAL, 2, Qt.PenStyle.DashLine))
    previous: QPointF | None = None
    for x, p in zip(xs, points, strict=True):
        y = axis_y - max(p.running_total, 0) / total_peak * up
        here = QPointF(x, y)
        if previous is not None:
            painter.drawLine(previous, QPointF(x, previous.y()))
            painter.drawLine(QPointF(x, previous.y()), here)
        previous = here

    centres: list[QPointF] = []
    label_top = rect.bottom() - labels + line * 0.3
    for x, p, lane, rows in zip(xs, points, lanes, texts, strict=True):
        centre = QPointF(x, axis_y)
        centres.append(centre)
        y = label_top + lane * block
        painter.setPen(QPen(SKIPPED, 1, Qt.PenStyle.DotLine))
        painter.drawLine(QPointF(x, axis_y + DOT), QPointF(x, y))  # dot → its label
        _dot(painter, centre, p, p.index == selected, text)
        if p.index in marks:
            badge(painter, badge_centre(centre), marks[p.index], BADGE)
        for row, (words, colour) in enumerate(rows):
            painter.setPen(colour if colour.isValid() else text)
            width = metrics.horizontalAdvance(words)
            painter.drawText(QPointF(x - width / 2, y + line * (row + 0.9)), words)
    return centres


def _legend(
    painter: QPainter, rect: QRectF, timeline: Timeline, text: QColor, line: int,
    marked: set[StepState],
) -> None:  # fmt: skip
    x = rect.left() + 12
    y = rect.top() + line
    entries: list[tuple[QColor | StepState, str]] = [
        (GROSS, "gross"),
        (REPORTED, f"reported ({timeline.mode.short_label})"),
        (REFUND, "refund"),
        (TOTAL, f"running total {money_exact(timeline.total_reported)}"),
    ]
    if not any(p.refund for p in timeline.points):
        del entries[2]
    entries += [(state, state.value) for state in (StepState.SENT, StepState.FAILED)
                if state in marked]  # fmt: skip
    for key, label in entries:
        if isinstance(key, StepState):
            badge(painter, QPointF(x + line * 0.35, y - line * 0.35), key, line * 0.7)
        else:
            painter.fillRect(QRectF(x, y - line * 0.7, line * 0.7, line * 0.7), key)
        painter.setPen(text)
        painter.drawText(QPointF(x + line, y), label)
        x += line * 1.6 + painter.fontMetrics().horizontalAdvance(label)


def badge_centre(dot: QPointF) -> QPointF:
    """Where an event's mark sits: just below and right of its dot."""
    return dot + QPointF(DOT + 3, DOT + 3)


def badge(painter: QPainter, centre: QPointF, state: StepState, size: float) -> None:
    """A send's mark: a ✓ (sent) or ✗ (failed) in a disc, a ring while it is sent,
    drawn with lines (no font needs the glyphs)."""
    colour = MARKED.get(state)
    if colour is None:
        return
    r = size / 2 + 1
    painter.save()
    if state in (StepState.SENDING, StepState.WAITING):
        painter.setPen(QPen(colour, 2.5))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(centre, r, r)
        painter.restore()
        return
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawEllipse(centre, r, r)
    pen = QPen(QColor("white"), max(1.5, r / 3.5))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    k = r * 0.5
    if state is StepState.SENT:
        painter.drawPolyline([centre + QPointF(-k, 0), centre + QPointF(-k / 3, k * 0.7),
                              centre + QPointF(k, -k * 0.6)])  # fmt: skip
    elif state is StepState.FAILED:
        painter.drawLine(centre + QPointF(-k, -k), centre + QPointF(k, k))
        painter.drawLine(centre + QPointF(-k, k), centre + QPointF(k, -k))
    else:
        painter.drawLine(centre + QPointF(-k, 0), centre + QPointF(k, 0))
    painter.restore()


def _dot(
    painter: QPainter, centre: QPointF, p: TimelinePoint, selected: bool, text: QColor
) -> None:
    colour = SKIPPED if p.skipped else (REFUND if p.refund else REPORTED)
    if selected:
        painter.setPen(QPen(SELECTED, 4))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(centre, DOT + 4, DOT + 4)
    painter.setPen(QPen(text if not p.skipped else SKIPPED, 1.5))
    painter.setBrush(Qt.BrushStyle.NoBrush if p.skipped else colour)
    painter.drawEllipse(centre, DOT, DOT)


class TimelineView(QWidget):
    """Signals:
    event_clicked(object): the TimelinePoint the user clicked (its `result.messages` are
        the rendered track and identify).
    """

    event_clicked = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline_view")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self.timeline: Timeline | None = None
        self.selected: int | None = None
        #: What the last send of this timeline did with each event (StepState).
        self.marks: dict[int, StepState] = {}
        self._centres: list[QPointF] = []
        #: Lanes by width for this timeline and font: laying the labels out measures
        #: every text (~170 µs for six events), and each resize asks for it.
        self._lanes_by_width: dict[int, int] = {}

    def set_marks(self, marks: Mapping[int, StepState]) -> None:
        if dict(marks) != self.marks:
            self.marks = dict(marks)
            self.update()

    def set_timeline(self, timeline: Timeline | None) -> None:
        self.timeline = timeline
        self._lanes_by_width.clear()
        if timeline is None or self.selected is None or self.selected >= len(timeline.points):
            self.selected = None
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(900, max(300, self.fontMetrics().height() * 20))

    def _lanes(self, width: int) -> int:
        """Lanes of labels the timeline takes at `width` (two before there is one)."""
        if self.timeline is None or not self.timeline.points:
            return 2
        lanes = self._lanes_by_width.get(width)
        if lanes is None:
            if len(self._lanes_by_width) >= 256:  # a long drag-resize: start again
                self._lanes_by_width.clear()
            lanes = max(layout(self.timeline.points, self.fontMetrics(), 0, width)[2]) + 1
            self._lanes_by_width[width] = lanes
        return lanes

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:  # presentation mode's larger type
            self._lanes_by_width.clear()
            self.updateGeometry()
        super().changeEvent(event)

    def minimumSizeHint(self) -> QSize:
        # The legend, the lanes of three-line labels the width needs and some bars, in
        # the type in use (presentation mode's is larger): less and the labels meet the
        # bars and the legend (a narrow column takes three lanes where a wide one, two).
        line = self.fontMetrics().height()
        width = line * 16
        return QSize(width, math.ceil(line * picture_lines(self._lanes(max(self.width(), width)))))

    def resizeEvent(self, event: QResizeEvent) -> None:
        if self._lanes(event.size().width()) != self._lanes(event.oldSize().width()):
            self.updateGeometry()  # its minimum height follows
        super().resizeEvent(event)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Base))
        text = self.palette().color(QPalette.ColorRole.Text)
        self._centres = paint_timeline(
            painter, QRectF(self.rect()), self.timeline, self.selected, text, self.font(),
            self.marks,
        )  # fmt: skip
        painter.end()

    def index_at(self, pos: QPointF) -> int | None:
        """The event whose dot (or the column above and below it) is nearest the click."""
        if not self._centres:
            return None
        nearest = min(range(len(self._centres)), key=lambda i: abs(self._centres[i].x() - pos.x()))
        return nearest if abs(self._centres[nearest].x() - pos.x()) <= DOT * 3 else None

    def centre_of(self, index: int) -> QPointF:
        return self._centres[index]

    def select(self, index: int) -> None:
        if self.timeline is None or not 0 <= index < len(self.timeline.points):
            return
        self.selected = index
        self.update()
        self.event_clicked.emit(self.timeline.points[index])

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self.index_at(event.position())
        if index is not None and event.button() == Qt.MouseButton.LeftButton:
            self.select(index)
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        hit = self.index_at(event.position()) is not None
        self.setCursor(Qt.CursorShape.PointingHandCursor if hit else Qt.CursorShape.ArrowCursor)
        super().mouseMoveEvent(event)

    def to_image(self) -> QImage:
        """The timeline for the report: on white, whatever the window's theme or
        presentation scale, `REPORT_WIDTH` × `REPORT_HEIGHT` CSS pixels with text of
        `REPORT_FONT_PX` (about the report's own text size: the page shows it at that
        width), drawn at twice the pixels so it stays sharp on a HiDPI screen or zoomed.
        With the send's marks when the scenario was sent."""
        image = QImage(REPORT_WIDTH * 2, REPORT_HEIGHT * 2, QImage.Format.Format_ARGB32)
        image.setDevicePixelRatio(2)
        image.fill(QColor("white"))
        painter = QPainter(image)
        font = QFont(self.font())
        font.setPixelSize(REPORT_FONT_PX)
        area = QRectF(0, 0, REPORT_WIDTH, REPORT_HEIGHT)
        paint_timeline(painter, area, self.timeline, None, QColor("#1d232a"), font,
                       self.marks)  # fmt: skip
        painter.end()
        return image
