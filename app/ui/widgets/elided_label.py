"""A one-line label that elides ("…") instead of widening its window or being cut off.

`text()` is the whole text; `setText` takes it; the label shows what fits, and the
tooltip (unless one is set) has the rest. Its width never follows its text, so a longer
message moves nothing around it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class ElidedLabel(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setTextFormat(Qt.TextFormat.PlainText)

    def text(self) -> str:  # the whole text, as set
        return self._full

    def clear(self) -> None:  # QLabel's own would leave the whole text to come back
        self.setText("")

    def shown(self) -> str:
        """What is on screen now (elided when the label is narrow)."""
        return super().text()

    def setText(self, text: str) -> None:
        if self.toolTip() in ("", self._full):  # the tooltip is ours: it follows the text
            self.setToolTip(text)
        self._full = text
        self._elide()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(self.contentsRect().width(), 0)
        super().setText(
            self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, width)
        )
