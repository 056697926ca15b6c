"""Side-by-side diff of two history rows (or a row and the current draft): payloads on
one tab, responses on the other, aligned line for line (`app.state.diff`).

Real differences are tinted (changed amber, only-left red, only-right green, a grey
filler opposite); volatile fields (messageId, sentAt, timestamp, …) are dimmed and not
counted, so what really changed stands out. Both sides scroll together; F7 / Shift+F7
go to the next / previous difference. Keys sorted on both sides: order is no difference.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence, QShortcut, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.state.diff import Change, Diff, diff_json, pretty
from app.state.presentation import Presenter
from app.ui.widgets.colours import dark_palette, tone
from app.ui.widgets.json_view import JsonView

_LIGHT = {"changed": "#fff0b3", "removed": "#ffd7d5", "added": "#d4f5d0", "filler": "#ececec"}
_DARK = {"changed": "#4d4100", "removed": "#5c2626", "added": "#1f4d24", "filler": "#2b2b2b"}


@dataclass(frozen=True)
class Side:
    """One side of a comparison: what to call it, its messages, its responses (None:
    never sent, so nothing to compare)."""

    title: str
    payload: list[Any]
    responses: list[Any] | None


class DiffPane(QWidget):
    """Two aligned views of one diff. `styles` says how each line is marked, per side:
    {line: "changed" | "removed" | "added" | "filler" | "volatile"}."""

    def __init__(self, presenter: Presenter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._presenter = presenter
        self.diff: Diff | None = None
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.left, self.right = JsonView(), JsonView()
        self.titles = (QLabel(), QLabel())
        self.styles: tuple[dict[int, str], dict[int, str]] = ({}, {})
        splitter = QSplitter(Qt.Orientation.Horizontal)
        for title, view in zip(self.titles, (self.left, self.right), strict=True):
            box = QWidget()
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            column.addWidget(title)
            column.addWidget(view, 1)
            splitter.addWidget(box)
        for bar in ("verticalScrollBar", "horizontalScrollBar"):
            one, two = getattr(self.left, bar)(), getattr(self.right, bar)()
            one.valueChanged.connect(two.setValue)
            two.valueChanged.connect(one.setValue)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(splitter, 1)

    def show_diff(self, left: Side, right: Side, what: str) -> None:
        self.titles[0].setText(self._presenter.text(left.title))
        self.titles[1].setText(self._presenter.text(right.title))
        a = left.payload if what == "payload" else left.responses
        b = right.payload if what == "payload" else right.responses
        if a is None or b is None:
            self.diff = None
            unsent = left if a is None else right
            self.note.setText(f"{unsent.title} was not sent: there is no response to compare.")
            self.left.set_text(self._presenter.text(_pretty(a)))
            self.right.set_text(self._presenter.text(_pretty(b)))
            self._mark()
            return
        self.diff = diff_json(a, b)
        summary = self.diff.summary()
        self.note.setText(summary[:1].upper() + summary[1:] + ".")
        self.left.set_text(self._presenter.text(self.diff.side(left=True)))
        self.right.set_text(self._presenter.text(self.diff.side(left=False)))
        self._mark()

    def _mark(self) -> None:
        self.styles = ({}, {})
        if self.diff is not None:
            for number, line in enumerate(self.diff.lines):
                if line.volatile:
                    self.styles[0][number] = self.styles[1][number] = "volatile"
                elif line.change is Change.CHANGED:
                    self.styles[0][number] = self.styles[1][number] = "changed"
                elif line.change is Change.REMOVED:
                    self.styles[0][number], self.styles[1][number] = "removed", "filler"
                elif line.change is Change.ADDED:
                    self.styles[0][number], self.styles[1][number] = "filler", "added"
        for view, styles in zip((self.left, self.right), self.styles, strict=True):
            colours = _DARK if dark_palette(view.palette()) else _LIGHT
            marks = []
            for number, style in styles.items():
                mark = QTextEdit.ExtraSelection()
                if style == "volatile":
                    mark.format.setForeground(QColor(tone("muted", view.palette())))
                    mark.format.setFontItalic(True)
                else:
                    mark.format.setBackground(QColor(colours[style]))
                    mark.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
                cursor = QTextCursor(view.document().findBlockByNumber(number))
                cursor.select(QTextCursor.SelectionType.LineUnderCursor)
                mark.cursor = cursor
                marks.append(mark)
            view.set_marks("diff", marks)

    def go_to(self, line: int) -> None:
        for view in (self.left, self.right):
            view.setTextCursor(QTextCursor(view.document().findBlockByNumber(line)))
            view.centerCursor()


class DiffDialog(QDialog):
    """Non-modal: open it, keep working, open another."""

    def __init__(self, left: Side, right: Side, presenter: Presenter,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("history_diff")
        self.setWindowTitle(presenter.text(f"Compare: {left.title} ↔ {right.title}"))
        self.panes = {"Payload": DiffPane(presenter), "Response": DiffPane(presenter)}
        self.panes["Payload"].show_diff(left, right, "payload")
        self.panes["Response"].show_diff(left, right, "responses")
        self.tabs = QTabWidget()
        for name, pane in self.panes.items():
            self.tabs.addTab(pane, name)
        legend = QLabel(
            "Amber: changed · red: only on the left · green: only on the right · "
            "dimmed italics: volatile fields (messageId, sentAt, timestamp…), not counted"
        )
        legend.setWordWrap(True)
        self.position = QLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        for text, keys, by in (("Previous difference", "Shift+F7", -1),
                               ("Next difference", "F7", 1)):  # fmt: skip
            button = QPushButton(text)
            button.setToolTip(keys)
            button.clicked.connect(lambda _c=False, by=by: self.step(by))
            QShortcut(QKeySequence(keys), self, lambda by=by: self.step(by))
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(legend)
        layout.addWidget(self.position)
        layout.addWidget(buttons)
        self._hunk = -1
        self.tabs.currentChanged.connect(lambda _i: self._reset())
        screen = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        self.resize(min(1000, screen.width() * 9 // 10), min(640, screen.height() * 9 // 10))
        self._reset()

    def pane(self) -> DiffPane:
        widget = self.tabs.currentWidget()
        assert isinstance(widget, DiffPane)
        return widget

    def _reset(self) -> None:
        self._hunk = -1
        diff = self.pane().diff
        count = len(diff.hunks) if diff is not None else 0
        self.position.setText(f"{count} difference(s)" if count else "No real difference")

    def step(self, by: int) -> None:
        """Go to the next (1) or previous (-1) real difference, wrapping around."""
        diff = self.pane().diff
        hunks = diff.hunks if diff is not None else []
        if not hunks:
            return
        self._hunk = (self._hunk + by) % len(hunks) if self._hunk >= 0 or by > 0 else len(hunks) - 1
        self.pane().go_to(hunks[self._hunk])
        self.position.setText(f"Difference {self._hunk + 1} of {len(hunks)}")


def _pretty(value: Any) -> str:
    return "(not sent)" if value is None else "\n".join(pretty(value))
