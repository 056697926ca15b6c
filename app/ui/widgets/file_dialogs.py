"""File dialogs that start where the user last was, else in their home folder, and never
in the working copy the app happens to run from.

One folder for the whole window (import, export, report alike), kept in the window's
ui.ini by the shell (`last/folder`) so it survives a restart. Dialogs open with `open()`,
never `exec()`, so a send running in the qasync loop is not re-entered.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget


class Folders:
    """The last folder a file was chosen in."""

    def __init__(self, last: str | None = None) -> None:
        self.last: Path | None = Path(last) if last else None

    def start(self, name: str = "") -> str:
        folder = self.last if self.last is not None and self.last.is_dir() else Path.home()
        return str(folder / name) if name else str(folder)

    def chosen(self, path: str) -> None:
        self.last = Path(path).parent


#: The window's one instance; the shell loads and saves its folder.
FOLDERS = Folders()


def open_file(
    parent: QWidget, title: str, filters: str, on_chosen: Callable[[str], object]
) -> QFileDialog:
    chooser = QFileDialog(parent, title, FOLDERS.start(), filters)
    chooser.setFileMode(QFileDialog.FileMode.ExistingFile)
    chooser.fileSelected.connect(FOLDERS.chosen)
    chooser.fileSelected.connect(on_chosen)
    chooser.open()
    return chooser


def save_file(
    parent: QWidget, title: str, name: str, filters: str, on_chosen: Callable[[str], object]
) -> QFileDialog:
    chooser = QFileDialog(parent, title, FOLDERS.start(name), filters)
    chooser.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    chooser.fileSelected.connect(FOLDERS.chosen)
    chooser.fileSelected.connect(on_chosen)
    chooser.open()
    return chooser
