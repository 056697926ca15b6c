"""What the history compares, and the table's context menu that offers it.

Two selected rows: the older on the left, the newer on the right (as `git diff` reads).
One row: that row against the current draft (what a send would carry now). Rows go
through the presenter first, so a diff shows nothing a copy would not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QMenu, QPushButton, QTableView, QWidget

from app.state.diff import payload_of, responses_of
from app.state.history_text import status_text
from app.state.presentation import Presenter
from app.storage import HistoryRow, Mode
from app.ui.history.diff_dialog import Side

#: Where the draft's messages come from: None when it cannot be sent (an input error).
DraftSource = Callable[[], list[dict[str, Any]] | None]

PICK_TWO = "Compare: select two rows (Ctrl+click), or one row to compare with the draft"
NO_DRAFT = "Compare: the current draft has an error; fix it to compare a row with it"


def row_side(presenter: Presenter, row: HistoryRow) -> Side:
    data = presenter.row(row.to_json())
    when = row.created_at.astimezone().strftime("%H:%M:%S")
    title = f"#{row.id} · {row.mode.value} · {status_text(row)} · {when}"
    sent = row.mode is not Mode.PREVIEW and bool(row.responses)
    return Side(title, payload_of(data), responses_of(data) if sent else None)


def comparison(presenter: Presenter, rows: list[HistoryRow],
               draft: DraftSource | None) -> tuple[Side, Side] | str:  # fmt: skip
    """The two sides to compare, or why there are not two (one plain line)."""
    if len(rows) == 2:
        newer, older = rows  # the table lists newest first
        return row_side(presenter, older), row_side(presenter, newer)
    if len(rows) == 1:
        messages = draft() if draft is not None else None
        if messages is None:
            return NO_DRAFT
        return row_side(presenter, rows[0]), Side("Current draft (not sent)", messages, None)
    return PICK_TWO


class Panel(Protocol):
    """What the menu needs of the history panel."""

    @property
    def table(self) -> QTableView: ...
    @property
    def buttons(self) -> dict[str, QPushButton]: ...
    def selected_ids(self) -> list[int]: ...
    def compare(self) -> object: ...
    def can_compare_draft(self) -> bool: ...


def table_menu(panel: Panel, parent: QWidget, pos: QPoint, *, keyboard: bool = False) -> QMenu:
    """The menu a right-click (or the Menu key) at `pos` opens on the table; a click
    outside the selection selects that row first, as file managers do (the keyboard's
    menu is for the selection as it is)."""
    table = panel.table
    index = table.indexAt(pos)
    if not keyboard and index.isValid() and not table.selectionModel().isRowSelected(index.row()):
        table.selectRow(index.row())
    chosen = len(panel.selected_ids())
    menu = QMenu(parent)
    menu.setObjectName("history_menu")
    two = menu.addAction("Compare the two selected rows\tCtrl+D", panel.compare)
    two.setEnabled(chosen == 2)
    one = menu.addAction("Compare with the current draft\tCtrl+D", panel.compare)
    one.setEnabled(chosen == 1 and panel.can_compare_draft())
    menu.addSeparator()
    for name in ("Re-send", "Copy", "Export…", "Delete"):
        button = panel.buttons[name]
        action = menu.addAction(name, button.click)
        action.setEnabled(button.isEnabled())
    return menu
