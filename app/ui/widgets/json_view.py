"""Monospace JSON view with syntax colours that follow the light/dark palette."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import QEvent, QRegularExpression
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from app.ui.widgets.colours import dark_palette, tone


def _format(color: str, bold: bool = False) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setForeground(QColor(color))
    if bold:
        fmt.setFontWeight(QFont.Weight.DemiBold)
    return fmt


class JsonHighlighter(QSyntaxHighlighter):
    """Keys, strings, numbers and literals; one pass of four regexes per line is cheap
    enough for Segment-sized messages (≤ 32 KB)."""

    _LIGHT: ClassVar[dict[str, str]] = {
        "key": "#1a5fb4",
        "string": "#26762c",
        "number": "#a0521a",
        "literal": "#8e24aa",
    }
    _DARK: ClassVar[dict[str, str]] = {
        "key": "#8cb4ff",
        "string": "#9fd88f",
        "number": "#f0b27a",
        "literal": "#d7a6ff",
    }

    def __init__(self, document: QTextDocument, dark: bool) -> None:
        super().__init__(document)
        self.dark = dark
        colours = self._DARK if dark else self._LIGHT
        self._rules = [
            (QRegularExpression(r"-?\b\d+(\.\d+)?([eE][+-]?\d+)?\b"), _format(colours["number"])),
            (QRegularExpression(r"\b(true|false|null)\b"), _format(colours["literal"])),
            (QRegularExpression(r'"(?:[^"\\]|\\.)*"'), _format(colours["string"])),
            (QRegularExpression(r'"(?:[^"\\]|\\.)*"(?=\s*:)'), _format(colours["key"], True)),
        ]

    def highlightBlock(self, text: str) -> None:
        for pattern, fmt in self._rules:
            matches = pattern.globalMatch(text)
            while matches.hasNext():
                match = matches.next()
                self.setFormat(match.capturedStart(), match.capturedLength(), fmt)


class JsonView(QPlainTextEdit):
    """Read-only by default; `set_text` keeps the scroll position when only values
    change, so the JSON does not jump while the user edits the form."""

    def __init__(self, parent: QWidget | None = None, highlight: bool = True) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.highlighter = (
            JsonHighlighter(self.document(), dark_palette(self.palette())) if highlight else None
        )

    def changeEvent(self, event: QEvent) -> None:
        # Follow the system palette: rebuild the colours when light/dark switches.
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.highlighter is not None:
            dark = dark_palette(self.palette())
            if dark != self.highlighter.dark:
                self.highlighter.setDocument(None)
                self.highlighter = JsonHighlighter(self.document(), dark)

    def set_text(self, text: str) -> None:
        if self.toPlainText() == text:
            return
        bar = self.verticalScrollBar()
        position = bar.value()
        self.setPlainText(text)
        bar.setValue(position)

    def mark_line(self, line: int | None) -> None:
        """Underline-and-tint one line (1-based) where the JSON breaks; None clears it."""
        if line is None:
            self.setExtraSelections([])
            return
        block = self.document().findBlockByNumber(max(line - 1, 0))
        mark = QTextEdit.ExtraSelection()
        mark.format.setBackground(QColor(tone("error")).lighter(185))
        mark.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        cursor = QTextCursor(block)
        mark.cursor = cursor
        self.setExtraSelections([mark])
