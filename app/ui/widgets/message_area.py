"""A message that wraps, as tall as its text up to a few lines, and then scrolls.

For outcomes and notices whose length is not known in advance (an error from Segment, a
list of the engine's warnings): the area is hidden while there is nothing to say, grows
with its text up to `lines` lines, and scrolls beyond that, so a long message neither
pushes its neighbours off a short (2x-scaled) screen nor gets cut off; a screen shorter
still squeezes it down to one line and its scroll bar. Label-like on purpose
(`setText`, `text`, `clear`): it replaces a word-wrapped QLabel where one was.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy, QWidget


class MessageArea(QScrollArea):
    """`name` is the label's object name (what finds the message); the area's own is
    `name` + "_area"."""

    def __init__(self, name: str, lines: int = 5, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lines = lines
        self.setObjectName(f"{name}_area")
        self.label = QLabel()
        self.label.setObjectName(name)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setWidget(self.label)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.viewport().setAutoFillBackground(False)  # the panel's colour, not a box
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self._width = -1
        self.hide()

    # -- label-like -------------------------------------------------------------------

    def setText(self, text: str) -> None:
        self.label.setText(text)
        self.setVisible(bool(text))
        self.updateGeometry()

    def text(self) -> str:
        return self.label.text()

    def clear(self) -> None:
        self.setText("")

    # -- size -------------------------------------------------------------------------

    def _line(self) -> int:
        return self.label.fontMetrics().lineSpacing()

    def _text_height(self) -> int:
        width = self.viewport().width() if self.isVisible() else self.width()
        width = max(width - self.verticalScrollBar().sizeHint().width(), self._line() * 4)
        height = self.label.heightForWidth(width)
        return height if height >= 0 else self.label.sizeHint().height()

    def sizeHint(self) -> QSize:
        height = min(self._text_height(), self._lines * self._line() + 4)
        return QSize(self.label.sizeHint().width(), height)

    def minimumSizeHint(self) -> QSize:
        return QSize(self._line() * 4, min(self._text_height(), self._line() + 4))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != self._width:  # rewrapped: as tall as it now needs
            self._width = event.size().width()
            self.updateGeometry()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.updateGeometry()
