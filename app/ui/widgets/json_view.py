"""Monospace JSON view with syntax colours that follow the light/dark palette, optional
code folding (`folding=True`: a gutter, Ctrl+Shift+[ / ] at the cursor, Ctrl+K Ctrl+0 /
Ctrl+K Ctrl+J for all), and layers of line marks (an error line, find matches, a diff)
that do not erase each other."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import QEvent, QRect, QRegularExpression, QSize, Qt
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QFont,
    QFontDatabase,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QSyntaxHighlighter,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from app.ui.widgets.colours import dark_palette, tone
from app.ui.widgets.folding import FoldGutter, fold_ranges, hidden_lines

#: (text, shortcut, method) of the folding actions, in the context menu too.
FOLD_ACTIONS = (
    ("Fold", "Ctrl+Shift+[", "fold_at_cursor"),
    ("Unfold", "Ctrl+Shift+]", "unfold_at_cursor"),
    ("Fold all", "Ctrl+K, Ctrl+0", "fold_all"),
    ("Unfold all", "Ctrl+K, Ctrl+J", "unfold_all"),
)


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
    change, so the JSON does not jump while the user edits the form. With `folding`,
    the view is for reading: its ranges are found again whenever the text changes."""

    def __init__(
        self, parent: QWidget | None = None, highlight: bool = True, folding: bool = False
    ) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.highlighter = (
            JsonHighlighter(self.document(), dark_palette(self.palette())) if highlight else None
        )
        self._marks: dict[str, list[QTextEdit.ExtraSelection]] = {}
        self.ranges: dict[int, int] = {}
        self.folded: set[int] = set()
        self.gutter: FoldGutter | None = None
        self.fold_actions: list[QAction] = []
        if folding:
            self.gutter = FoldGutter(self, self.toggle_fold, lambda: (self.ranges, self.folded))
            self.setViewportMargins(self.gutter.sizeHint().width(), 0, 0, 0)
            self.updateRequest.connect(lambda _rect, _dy: self.gutter and self.gutter.update())
            self.textChanged.connect(self._new_text)
            for text, keys, method in FOLD_ACTIONS:
                action = QAction(text, self)
                action.setShortcut(QKeySequence(keys))
                action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
                action.triggered.connect(getattr(self, method))
                self.addAction(action)
                self.fold_actions.append(action)

    # -- folding ------------------------------------------------------------------------

    def _new_text(self) -> None:
        self.ranges = fold_ranges(self.toPlainText().split("\n"))
        self.folded.clear()
        self._apply_folds()

    def _apply_folds(self) -> None:
        hidden = hidden_lines(self.ranges, self.folded)
        document = self.document()
        block = document.firstBlock()
        changed = False
        while block.isValid():
            visible = block.blockNumber() not in hidden
            if block.isVisible() != visible:
                block.setVisible(visible)
                changed = True
            block = block.next()
        if changed:
            document.markContentsDirty(0, document.characterCount())
            self.viewport().update()
        if self.gutter is not None:
            self.gutter.update()

    def toggle_fold(self, line: int) -> None:
        if line in self.folded:
            self.unfold(line)
        else:
            self.fold(line)

    def fold(self, line: int) -> None:
        if line in self.ranges:
            self.folded.add(line)
            cursor = self.textCursor()
            if cursor.blockNumber() in hidden_lines(self.ranges, {line}):
                self.setTextCursor(QTextCursor(self.document().findBlockByNumber(line)))
            self._apply_folds()

    def unfold(self, line: int) -> None:
        self.folded.discard(line)
        self._apply_folds()

    def reveal(self, line: int) -> None:
        """Unfold whatever hides `line` (a find match inside a folded object)."""
        hiding = {s for s in self.folded if s < line <= self.ranges.get(s, -1)}
        if hiding:
            self.folded -= hiding
            self._apply_folds()

    def _range_at_cursor(self, folded: bool) -> int | None:
        line = self.textCursor().blockNumber()
        if folded and line in self.folded:
            return line
        around = [
            s for s, e in self.ranges.items() if s <= line <= e and (s in self.folded) == folded
        ]
        return max(around) if around else None  # the innermost

    def fold_at_cursor(self) -> None:
        start = self._range_at_cursor(folded=False)
        if start is not None:
            self.fold(start)

    def unfold_at_cursor(self) -> None:
        start = self._range_at_cursor(folded=True)
        if start is not None:
            self.unfold(start)

    def fold_all(self) -> None:
        """Every range but the outermost ones: the top level stays readable."""
        outer = {s for s in self.ranges if not any(o < s <= e for o, e in self.ranges.items())}
        self.folded = set(self.ranges) - outer
        self._apply_folds()

    def unfold_all(self) -> None:
        self.folded.clear()
        self._apply_folds()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_gutter()

    def minimumSizeHint(self) -> QSize:
        """Three lines of the text's type and its scroll bars (Qt's own is a fixed 70 px
        square): a short window squeezes the text, and the panels around it get room."""
        bar = self.horizontalScrollBar().sizeHint().height()
        frame = 2 * self.frameWidth()
        line = self.fontMetrics().lineSpacing()
        return QSize(line * 4 + bar + frame, line * 3 + bar + frame)

    def _place_gutter(self) -> None:
        """The gutter beside the text, as wide as the type needs (presentation mode's is
        larger): the text starts after it, never under it."""
        gutter = getattr(self, "gutter", None)  # (a font is set before the gutter exists)
        if gutter is not None:
            area = self.contentsRect()
            width = gutter.sizeHint().width()
            if self.viewportMargins().left() != width:
                self.setViewportMargins(width, 0, 0, 0)
            gutter.setGeometry(QRect(area.left(), area.top(), width, area.height()))

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.folded:
            self._paint_fold_markers()

    def _paint_fold_markers(self) -> None:
        """A "…" after each folded line, where its hidden lines would be."""
        painter = QPainter(self.viewport())
        painter.setPen(QColor(tone("muted", self.palette())))
        metrics = self.fontMetrics()
        offset = self.contentOffset()
        block: QTextBlock = self.firstVisibleBlock()
        while block.isValid():
            top = self.blockBoundingGeometry(block).translated(offset).top()
            if top > self.viewport().height():
                break
            if block.isVisible() and block.blockNumber() in self.folded:
                closing = self.document().findBlockByNumber(self.ranges[block.blockNumber()])
                x = offset.x() + self.document().documentMargin()
                x += metrics.horizontalAdvance(block.text()) + metrics.horizontalAdvance(" ")
                label = f"… {closing.text().strip()}"
                width = metrics.horizontalAdvance(label) + 6
                rect = QRect(int(x), int(top), width, metrics.height())
                painter.drawRoundedRect(rect.adjusted(0, 1, 0, -1), 3, 3)
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, label)
            block = block.next()
        painter.end()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu(event.pos())
        if self.fold_actions:
            menu.addSeparator()
            menu.addActions(self.fold_actions)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(event.globalPos())

    # -- marks --------------------------------------------------------------------------

    def set_marks(self, layer: str, marks: list[QTextEdit.ExtraSelection]) -> None:
        """Replace one layer of line/match marks ("error", "find", "diff"), keep the rest."""
        self._marks[layer] = marks
        self.setExtraSelections([m for layer_marks in self._marks.values() for m in layer_marks])

    def changeEvent(self, event: QEvent) -> None:
        # Follow the system palette: rebuild the colours when light/dark switches.
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._place_gutter()
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
            self.set_marks("error", [])
            return
        block = self.document().findBlockByNumber(max(line - 1, 0))
        mark = QTextEdit.ExtraSelection()
        mark.format.setBackground(QColor(tone("error")).lighter(185))
        mark.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        cursor = QTextCursor(block)
        mark.cursor = cursor
        self.set_marks("error", [mark])
