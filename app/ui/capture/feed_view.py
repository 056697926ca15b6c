"""The live feed: a bounded table of calls and webhooks as they arrive, and the detail
of the selected one (its flags in words, then its history row as JSON).

The detail text comes from the panel's `detail(item)`, which reads the history row and
passes it through the window's Presenter: the write key, the expected key and the
webhook's Authorization value never reach this view unmasked.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.capture.feed import COLUMNS, IDS, FeedRow, flags_text
from app.capture.items import LiveItem
from app.ui.capture.feed_model import FeedModel
from app.ui.widgets.json_view import JsonView

_WIDTHS = {"Time": 90, "Source": 80, "Type": 130, "Event": 140}
_LONG_RESULT = "200 ⚠ wrong key, no user id"


class FeedView(QWidget):
    def __init__(self, detail: Callable[[LiveItem], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._detail = detail
        self.model = FeedModel()
        self.count = QLabel()
        self.count.setObjectName("capture_feed_count")
        self.clear = QPushButton("Clear feed")
        self.clear.setToolTip("Empty this table (everything stays in the history)")
        self.clear.clicked.connect(self._clear)
        self.table = QTableView()
        self.table.setObjectName("capture_feed")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        # The ids stretch (they elide in the middle, where ids differ least); the result
        # keeps the width of its longest usual words.
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        widths = {**_WIDTHS, "Result": self.fontMetrics().horizontalAdvance(_LONG_RESULT) + 16}
        for column, name in enumerate(COLUMNS):
            if name in widths:
                self.table.setColumnWidth(column, widths[name])
        header.setSectionResizeMode(COLUMNS.index(IDS), QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.flags = QLabel()
        self.flags.setObjectName("capture_flags")
        self.flags.setWordWrap(True)
        self.flags.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.flags.hide()
        self.detail = JsonView()
        self.detail.setObjectName("capture_detail")
        self.detail.setPlaceholderText("Select a call or webhook to see what arrived")

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.count, 1)
        bar.addWidget(self.clear)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.flags)
        right_layout.addWidget(self.detail, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("capture_feed_splitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([800, 420])  # the table first: its Result column matters
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)
        self.show_count(0)

    def add(self, items: list[LiveItem], dropped: int = 0) -> None:
        self.model.add(items)
        self.show_count(dropped)

    def show_count(self, dropped: int) -> None:
        seen, shown = self.model.seen, len(self.model.rows)
        text = f"{seen['segment']:,} call(s) · {seen['revenuecat']:,} webhook(s)"
        if shown < sum(seen.values()):
            text += f" · showing the newest {shown:,} (all are in the history)"
        if dropped:
            text += f" · {dropped:,} not shown live (the window fell behind; see the history)"
        self.count.setText(text)

    def selected(self) -> FeedRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def _selected(self, _new: QItemSelection, _old: QItemSelection) -> None:
        row = self.selected()
        if row is None:
            self.flags.hide()
            self.detail.set_text("")
            return
        words = flags_text(row.item)
        self.flags.setText(words)
        self.flags.setVisible(bool(words))
        self.detail.set_text(self._detail(row.item))

    def _clear(self) -> None:
        self.model.clear()
        self.detail.set_text("")
        self.flags.hide()
        self.show_count(0)
