"""Heights in rows and lines of the type in use, for minimum size hints.

A minimum in pixels is right at one type size only: at 2x scaling or in presentation
mode's larger type it cuts rows off, and as an explicit minimum it makes a squeezed
layout put widgets over each other. These are computed when Qt asks (the current font).
"""

from __future__ import annotations

from PySide6.QtWidgets import QTableView, QWidget


def table_height(table: QTableView, rows: int) -> int:
    """What `table` needs to show its header and `rows` rows (and a scroll bar)."""
    header = table.horizontalHeader()
    head = header.sizeHint().height() if header.isVisibleTo(table) else 0
    row = table.verticalHeader().defaultSectionSize()
    bar = table.horizontalScrollBar().sizeHint().height()
    return head + rows * row + bar + 2 * table.frameWidth()


def lines_height(widget: QWidget, lines: float) -> int:
    return round(widget.fontMetrics().lineSpacing() * lines)
