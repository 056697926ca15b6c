"""A find box for a text view, as editors have it: every match highlighted, the current
one stronger and scrolled to (unfolded when a fold hides it), next / previous, and where
you are ("2 of 5"). Case-insensitive; Enter / F3 next, Shift+Enter / Shift+F3 previous,
Esc closes.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QTextCursor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QTextEdit, QToolButton, QWidget

from app.ui.widgets.colours import dark_palette
from app.ui.widgets.json_view import JsonView

#: Past this many matches the count says "1000+" (a one-letter search in a big batch).
MATCH_CAP = 1_000


class FindBar(QWidget):
    """Searches `target` (set with `set_target`); hidden until `open_bar`.

    Signals:
        toggled(bool): opened or closed (an owner may show it in place of something).
    """

    toggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("find_bar")
        self.target: JsonView | None = None
        self.matches: list[QTextCursor] = []
        self.current = -1
        self.box = QLineEdit()
        self.box.setObjectName("find_box")
        self.box.setPlaceholderText("Find in this view")
        self.box.setClearButtonEnabled(True)
        self.box.textChanged.connect(lambda _text: self.search())
        self.box.installEventFilter(self)
        self.count = QLabel()
        self.count.setObjectName("find_count")
        self.count.setMinimumWidth(self.count.fontMetrics().horizontalAdvance("99 of 99"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.addWidget(self.box, 1)
        layout.addWidget(self.count)
        for text, tip, slot in (
            ("↑", "Previous match (Shift+Enter, Shift+F3)", self.previous),
            ("↓", "Next match (Enter, F3)", self.next),
            ("✕", "Close (Esc)", self.close_bar),
        ):
            button = QToolButton()
            button.setText(text)
            button.setToolTip(tip)
            button.setAutoRaise(True)
            button.clicked.connect(slot)
            layout.addWidget(button)
        self.hide()

    def set_target(self, view: JsonView | None) -> None:
        if self.target is view:
            return
        if self.target is not None:
            self.target.set_marks("find", [])
            self.target.textChanged.disconnect(self.search)
        self.target = view
        if view is not None:
            view.textChanged.connect(self.search)
        self.search()

    def open_bar(self) -> None:
        self.toggled.emit(True)
        self.show()
        self.box.setFocus()
        self.box.selectAll()
        self.search()

    def close_bar(self) -> None:
        self.hide()
        self.toggled.emit(False)
        if self.target is not None:
            self.target.set_marks("find", [])
            self.target.setFocus()

    def search(self) -> None:
        """Find every match of the box's text in the target; the first one after the
        cursor becomes current."""
        self.matches = []
        self.current = -1
        view, needle = self.target, self.box.text()
        if view is None or not needle or not self.isVisible():
            self._show()
            return
        document = view.document()
        cursor = document.find(needle, 0)
        while not cursor.isNull() and len(self.matches) <= MATCH_CAP:
            self.matches.append(cursor)
            cursor = document.find(needle, cursor)
        if self.matches:
            at = view.textCursor().selectionStart()
            after = [i for i, m in enumerate(self.matches) if m.selectionStart() >= at]
            self.current = after[0] if after else 0
        self._show(scroll=True)

    def next(self) -> None:
        self._step(1)

    def previous(self) -> None:
        self._step(-1)

    def _step(self, by: int) -> None:
        if not self.isVisible():
            self.open_bar()
            return
        if self.matches:
            self.current = (self.current + by) % len(self.matches)
            self._show(scroll=True)

    def count_text(self) -> str:
        return self.count.text()

    def _show(self, scroll: bool = False) -> None:
        total = len(self.matches)
        many = f"{MATCH_CAP}+" if total > MATCH_CAP else f"{total}"
        if not self.box.text():
            self.count.setText("")
        else:
            self.count.setText(f"{self.current + 1} of {many}" if total else "no match")
        view = self.target
        if view is None:
            return
        dark = dark_palette(view.palette())
        marks = []
        for index, match in enumerate(self.matches[:MATCH_CAP]):
            mark = QTextEdit.ExtraSelection()
            current = index == self.current
            colour = ("#b36b00" if current else "#5c4a00") if dark else (
                "#ff9632" if current else "#fff176")  # fmt: skip
            mark.format.setBackground(QColor(colour))
            mark.cursor = match
            marks.append(mark)
        view.set_marks("find", marks)
        if scroll and 0 <= self.current < total:
            match = self.matches[self.current]
            view.reveal(match.blockNumber())
            place = QTextCursor(view.document())
            place.setPosition(match.selectionStart())
            place.setPosition(match.selectionEnd(), QTextCursor.MoveMode.KeepAnchor)
            view.setTextCursor(place)
            view.ensureCursorVisible()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.box and isinstance(event, QKeyEvent):
            if event.type() == QEvent.Type.ShortcutOverride and _ours(event):
                event.accept()  # Esc is the window's "cancel send" elsewhere
                return True
            if event.type() == QEvent.Type.KeyPress and _ours(event):
                if event.key() == Qt.Key.Key_Escape:
                    self.close_bar()
                elif event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                    self.previous()
                else:
                    self.next()
                return True
        return super().eventFilter(watched, event)


def _ours(event: QKeyEvent) -> bool:
    keys = (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F3)
    return event.key() in keys or event.matches(QKeySequence.StandardKey.FindNext)
