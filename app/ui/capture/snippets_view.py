"""Set-up snippets: pick a platform, read or copy its code, filled with the receiver's
real address. The text is `app.capture.snippets`' and passes through the window's
Presenter on its way to the screen and the clipboard (no key is ever in it)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.capture.snippets import Snippet
from app.ui.widgets.json_view import JsonView


class SnippetsView(QWidget):
    def __init__(self, present: Callable[[str], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._present = present
        self.snippets: list[Snippet] = []
        self.platform = QComboBox()
        self.platform.setObjectName("snippet_platform")
        self.platform.currentIndexChanged.connect(self._show)
        self.copy = QPushButton("Copy")
        self.copy.setObjectName("snippet_copy")
        self.copy.setToolTip("Copy this snippet (the write key stays a placeholder)")
        self.copy.clicked.connect(self.copy_current)
        self.note = QLabel()
        self.note.setObjectName("snippet_note")
        self.note.setWordWrap(True)
        self.text = JsonView(highlight=False)
        self.text.setObjectName("snippet_text")
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        caption = QLabel("&Platform:")
        caption.setBuddy(self.platform)
        bar.addWidget(caption)
        bar.addWidget(self.platform)
        bar.addWidget(self.copy)
        bar.addWidget(self.note, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.text, 1)

    def set_snippets(self, snippets: list[Snippet], note: str) -> None:
        """Show these snippets. The tab redraws on every key typed in the connection:
        the same snippets only show again (presentation mode may have changed), without
        refilling the platform list under the reader."""
        if snippets == self.snippets and note == self.note.text():
            self._show()
            return
        current = self.platform.currentData()
        self.snippets = snippets
        self.platform.blockSignals(True)
        self.platform.clear()
        for snippet in snippets:
            self.platform.addItem(snippet.title, snippet.key)
        self.platform.setCurrentIndex(max(self.platform.findData(current), 0))
        self.platform.blockSignals(False)
        self.note.setText(note)
        self._show()

    def current_text(self) -> str:
        index = self.platform.currentIndex()
        if not 0 <= index < len(self.snippets):
            return ""
        return self._present(self.snippets[index].text)

    def _show(self, *_: object) -> None:
        self.text.set_text(self.current_text())

    def copy_current(self) -> str:
        text = self.current_text()
        QGuiApplication.clipboard().setText(text)
        return text
