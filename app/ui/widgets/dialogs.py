"""Non-blocking confirmation boxes.

`QMessageBox.question()` and `exec()` spin a nested event loop, which re-enters qasync
while a send may be running (docs/qt-notes.md, qasync); these boxes are opened with
`open()` and act on the answer through a signal instead.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget


def ask_yes_no(
    parent: QWidget, title: str, text: str, on_yes: Callable[[], None], *, warning: bool = False
) -> QMessageBox:
    """Open a Yes/No box (No is the default) and call `on_yes` only on Yes.

    Returned so tests and callers can click a button or close it.
    """
    box = QMessageBox(parent)
    if warning:
        box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setText(text)
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def answered(button: QAbstractButton) -> None:
        if box.standardButton(button) == QMessageBox.StandardButton.Yes:
            on_yes()

    box.buttonClicked.connect(answered)
    box.open()
    return box
