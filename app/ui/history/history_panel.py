"""History panel: filterable table of every preview and send, the selected row's detail
(`detail.HistoryDetail`), a diff of two rows or a row and the draft (`compare`, loaded
on first use), and re-send / copy / export / delete / clear.

Rows come from the store already redacted; everything shown, copied or exported goes
through the window's presenter once more: the current key masked (defence in depth), and
hosts, fingerprints and earlier sessions hidden while presenting.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core.catalogue import CATALOGUE
from app.state.history_text import STATUS_WORDS, TARGET_COLUMN
from app.state.presentation import Presenter
from app.storage import ExportFormat, HistoryQuery, HistoryRow, HistoryStore, Status, StatusClass
from app.storage.export import write_rows
from app.ui.history.columns import ColumnLayout, HistoryTable
from app.ui.history.detail import HistoryDetail
from app.ui.history.history_model import HistoryModel
from app.ui.widgets.dialogs import ask_yes_no
from app.ui.widgets.file_dialogs import save_file
from app.ui.widgets.sizing import table_height

if TYPE_CHECKING:  # imported when first used: not on the start's path (~5 ms, difflib)
    from app.ui.history.compare import DraftSource
    from app.ui.history.diff_dialog import DiffDialog


class HistoryPanel(QWidget):
    """Signals: resend_requested(object), a HistoryRow to re-send with fresh messageIds."""

    resend_requested = Signal(object)

    def __init__(
        self, store: HistoryStore, presenter: Presenter, parent: QWidget | None = None,
        draft: DraftSource | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self._store = store
        self._presenter = presenter
        self._draft = draft
        self.last_diff: DiffDialog | None = None
        self.model = HistoryModel(store)

        self.text = QLineEdit()
        self.text.setObjectName("history_filter")
        self.text.setPlaceholderText(
            "Filter history (Ctrl+F): user, event, messageId, error, or a status (failed)…"
        )
        self.text.setClearButtonEnabled(True)
        self.user = QLineEdit()
        self.user.setPlaceholderText("userId (exact)")
        self.user.setMaximumWidth(160)
        self.event_type = QComboBox()
        self.event_type.addItem("All events", None)
        for spec in CATALOGUE.values():
            self.event_type.addItem(spec.label, spec.key)
        self.status = QComboBox()
        self.status.addItem("Any status", None)
        for status_class in StatusClass:
            self.status.addItem(status_class.value, status_class.value)
        # Typing re-queries once the user pauses: a substring count over 100,000 rows
        # takes ~0.1 s, too much for every keystroke.
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(150)
        self._typing.timeout.connect(self.apply_filter)
        for widget in (self.text, self.user):
            widget.textChanged.connect(lambda _text: self._typing.start())
        for combo in (self.event_type, self.status):
            combo.currentIndexChanged.connect(self.apply_filter)
        self.count = QLabel()

        self.table = HistoryTable()
        self.table.setObjectName("history_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # ids differ at the end
        self.table.verticalHeader().setVisible(False)
        self.columns = ColumnLayout(self.table)
        self.table.menu_requested.connect(self._context_menu)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        # A capped count ("more than 1,000") becomes exact once scrolling reaches the end.
        self.model.total_changed.connect(self._update_count)
        self.detail = HistoryDetail(presenter)

        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        bar.addWidget(self.count, 1)
        for name, tip, slot in (
            (
                "Re-send",
                "Send the selected row's messages again, with fresh messageIds, to the "
                "current connection's target and key (shown next to Send)",
                self._resend,
            ),
            ("Copy", "Copy the selected rows as JSON (redacted)", self.copy_selected),
            (
                "Export…",
                "Export the selected rows (or all shown) to NDJSON/JSON",
                self._choose_export,
            ),
            ("Delete", "Delete the selected rows", self.delete_selected),
            ("Clear…", "Delete the whole history (asks first)", self.confirm_clear),
        ):
            button = QPushButton(name)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            self.buttons[name] = button
            bar.addWidget(button)

        filters = QHBoxLayout()
        filters.addWidget(self.text, 1)
        filters.addWidget(self.user)
        filters.addWidget(self.event_type)
        filters.addWidget(self.status)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("history_splitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setSizes([840, 400])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(bar)
        self._update_count()
        presenter.toggled.connect(self._presenting)
        self._presenting(presenter.active)

    def minimumSizeHint(self) -> QSize:
        """The filters, the table's header and two rows, the buttons, in the type in
        use: the history stays readable on a short (2x) screen and in presentation mode,
        and asks no more (the detail beside the table gives way), so the compose area
        above keeps its room."""
        layout = self.layout()
        spacing = 2 * max(layout.spacing(), 0) if layout is not None else 0
        bars = self.text.sizeHint().height() + self.buttons["Copy"].sizeHint().height()
        return QSize(
            super().minimumSizeHint().width(), bars + spacing + table_height(self.table, 2)
        )

    # -- filtering --------------------------------------------------------------------

    def query(self) -> HistoryQuery:
        """The filters as set. A filter text that is a status word ("failed", "error",
        "previewed") filters by that status rather than searching for the word."""
        chosen = self.status.currentData()
        text = self.text.text().strip()
        status: Status | None = None
        word = STATUS_WORDS.get(text.lower())
        if word is not None:
            kind, value = word
            text = ""
            if kind == "status":
                status = Status(value)
            else:
                chosen = chosen or value
        return HistoryQuery(
            text=text,
            user_id=self.user.text().strip() or None,
            event_type=self.event_type.currentData(),
            status=status,
            status_class=StatusClass(chosen) if chosen else None,
            since=self._presenter.history_since,  # presenting: this session only
        )

    def _presenting(self, on: bool) -> None:
        self.table.setColumnHidden(TARGET_COLUMN, on)
        self.apply_filter()

    def apply_filter(self, *_: object) -> None:
        self._typing.stop()
        self.model.set_query(self.query())
        self.detail.show_row(None)
        self._update_count()

    def reload(self) -> None:
        """Re-read the rows (a send, re-send or delete changed them). The selected row
        stays selected, with a fresh detail, while it still exists; else the detail
        clears: it never shows a row the table no longer does."""
        selected = set(self.selected_ids())
        self.model.reload()
        for index in range(self.model.rowCount()):
            if self.model.summary_at(index).id in selected:
                self.table.selectRow(index)
                break
        else:
            self.detail.show_row(None)
        self._update_count()

    def _update_count(self) -> None:
        total = self.model.total
        self.count.setText(
            f"more than {total:,} rows" if self.model.capped else f"{total:,} row(s)"
        )
        has = total > 0
        chosen = bool(self.table.selectionModel().hasSelection())
        for name in ("Re-send", "Copy", "Delete"):
            self.buttons[name].setEnabled(has and chosen)
        self.buttons["Clear…"].setEnabled(has)
        self.buttons["Export…"].setEnabled(has)

    # -- selection and detail ---------------------------------------------------------

    def _selected_indexes(self) -> list[int]:
        return sorted({index.row() for index in self.table.selectionModel().selectedRows()})

    def selected_ids(self) -> list[int]:
        return [self.model.summary_at(r).id for r in self._selected_indexes()]

    def selected_rows(self) -> list[HistoryRow]:
        """The selected rows, documents included (read from the store now)."""
        return [self.model.row_at(r) for r in self._selected_indexes()]

    def _safe(self, text: str) -> str:
        return self._presenter.text(text)

    def _selected(self, _new: QItemSelection, _old: QItemSelection) -> None:
        indexes = self._selected_indexes()
        self._update_count()
        # The first selected row's documents (a second one is for comparing).
        self.detail.show_row(self.model.row_at(indexes[0]) if indexes else None)

    def _context_menu(self, pos: QPoint, keyboard: bool) -> None:
        from app.ui.history.compare import table_menu

        menu = table_menu(self, self, pos, keyboard=keyboard)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.table.viewport().mapToGlobal(pos))

    # -- comparing ----------------------------------------------------------------------

    def can_compare_draft(self) -> bool:
        return self._draft is not None and self._draft() is not None

    def compare(self) -> DiffDialog | None:
        """Two selected rows: the one against the other; one: it against the draft."""
        from app.ui.history.compare import comparison
        from app.ui.history.diff_dialog import DiffDialog

        indexes = self._selected_indexes()  # documents read only for one or two rows
        rows = [self.model.row_at(r) for r in indexes] if len(indexes) <= 2 else []
        sides = comparison(self._presenter, rows, self._draft)
        if isinstance(sides, str):
            self.count.setText(sides)
            return None
        dialog = DiffDialog(*sides, self._presenter, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda _o=None: self._forget(dialog))
        dialog.show()
        dialog.activateWindow()  # F7 / Shift+F7 and Esc are its keys at once
        self.last_diff = dialog
        return dialog

    def _forget(self, dialog: DiffDialog) -> None:
        if self.last_diff is dialog:
            self.last_diff = None

    # -- actions ----------------------------------------------------------------------

    def _resend(self) -> None:
        indexes = self._selected_indexes()
        if indexes:  # the first selected row (its documents only)
            self.resend_requested.emit(self.model.row_at(indexes[0]))

    def copy_selected(self) -> str:
        rows = self.selected_rows()
        data = [self._presenter.row(r.to_json()) for r in rows]
        text = self._safe(json.dumps(data, indent=2, ensure_ascii=False))
        QGuiApplication.clipboard().setText(text)
        return text

    def _choose_export(self) -> QFileDialog:
        return save_file(self, "Export history", "history.ndjson",
                         "NDJSON (*.ndjson);;JSON (*.json)", self.confirm_export)  # fmt: skip

    def export_plan(self) -> str:
        """What an export would write, in words (said before anything is written)."""
        chosen = len(self.selected_ids())
        if chosen:
            what = f"the {chosen:,} selected row(s)"
        else:
            total = self.model.total
            many = f"more than {total:,}" if self.model.capped else f"{total:,}"
            what = f"all {many} row(s) matching the filter"
        hidden = ("; hosts, key fingerprints and profile names hidden (presentation mode)"
                  if self._presenter.active else "; the write key is masked")  # fmt: skip
        return what + hidden

    def confirm_export(self, path: str) -> QMessageBox:
        def export() -> None:
            self.export_to(path)

        return ask_yes_no(self, "Export history",
                          f"Export {self.export_plan()} to {Path(path).name}?", export)  # fmt: skip

    def export_to(self, path: str) -> int:
        """Export the selected rows (all rows matching the filter when none is selected)."""
        fmt: ExportFormat = "json" if path.endswith(".json") else "ndjson"
        rows = self.selected_rows()
        source = iter(rows) if rows else self._store.iter_rows(self.query())
        count = write_rows(
            source, Path(path), fmt, redact=self._presenter.keys(), view=self._presenter.row
        )
        self.count.setText(f"Exported {count} row(s) to {path}")
        return count

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self._store.delete(ids)
            self.reload()

    def confirm_clear(self) -> QMessageBox:
        """Asks with a non-blocking box (`open()`); clears on Yes."""
        return ask_yes_no(
            self,
            "Clear history",
            f"Delete all {self._store.count():,} history rows? This cannot be undone.",
            self._clear,
            warning=True,
        )

    def _clear(self) -> None:
        self._store.clear()
        self.reload()
