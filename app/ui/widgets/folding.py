"""Code folding for pretty-printed JSON in a QPlainTextEdit: the ranges, and the gutter.

A line ending in "{" or "[" opens a range that the line starting with the matching "}"
or "]" closes (json.dumps with an indent writes exactly that: a string always ends with
its quote, so a brace inside one never ends a line). Folding hides the range's inner
lines and its closing line (QTextBlock.setVisible, the mechanism Qt's own editors use);
the opening line shows a "…" marker in their place.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from app.ui.widgets.colours import tone


def fold_ranges(lines: list[str]) -> dict[int, int]:
    """{first line: last line} (0-based) of every object or array spanning lines."""
    ranges: dict[int, int] = {}
    opened: list[int] = []
    for number, line in enumerate(lines):
        stripped = line.strip()
        if stripped[:1] in ("}", "]") and opened:
            start = opened.pop()
            if number > start + 1:
                ranges[start] = number
        if stripped.endswith(("{", "[")):
            opened.append(number)
    return ranges


def hidden_lines(ranges: dict[int, int], folded: set[int]) -> set[int]:
    """The lines the folded ranges hide (nested folds stay folded inside an open one)."""
    hidden: set[int] = set()
    for start in folded:
        end = ranges.get(start)
        if end is not None:
            hidden.update(range(start + 1, end + 1))
    return hidden


class FoldGutter(QWidget):
    """The strip left of the text: ▾ on an open range's first line, ▸ on a folded one;
    a click toggles. `toggle(line)` is the view's."""

    def __init__(self, view: QPlainTextEdit, toggle: Callable[[int], None],
                 state: Callable[[], tuple[dict[int, int], set[int]]]) -> None:  # fmt: skip
        super().__init__(view)
        self._view = view
        self._toggle = toggle
        self._state = state
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Click to fold or unfold (Ctrl+Shift+[ / Ctrl+Shift+])")

    def sizeHint(self) -> QSize:
        return QSize(self._view.fontMetrics().horizontalAdvance("▾") + 8, 0)  # the text's

    def _line_at(self, y: int) -> int | None:
        view = self._view
        block = view.firstVisibleBlock()
        offset = view.contentOffset()
        while block.isValid():
            if block.isVisible():
                top = view.blockBoundingGeometry(block).translated(offset).top()
                if top > self.height():
                    return None
                if top <= y < top + view.blockBoundingRect(block).height():
                    return block.blockNumber()
            block = block.next()
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        line = self._line_at(int(event.position().y()))
        ranges, _folded = self._state()
        if line is not None and line in ranges:
            self._toggle(line)
        event.accept()

    def paintEvent(self, event: QPaintEvent) -> None:
        ranges, folded = self._state()
        painter = QPainter(self)
        painter.fillRect(event.rect(), self.palette().window())
        painter.setPen(tone("muted", self.palette()))
        view = self._view
        block = view.firstVisibleBlock()
        offset = view.contentOffset()
        height = self.fontMetrics().height()
        while block.isValid():
            top = view.blockBoundingGeometry(block).translated(offset).top()
            if top > event.rect().bottom():
                break
            number = block.blockNumber()
            if block.isVisible() and number in ranges:
                mark = "▸" if number in folded else "▾"
                painter.drawText(QRect(0, int(top), self.width(), height),
                                 Qt.AlignmentFlag.AlignCenter, mark)  # fmt: skip
            block = block.next()
        painter.end()
