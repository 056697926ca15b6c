"""The live feed: a bounded table of calls and webhooks as they arrive, and the detail
of the selected one (its flags in words, then its history row as JSON).

The detail text comes from the panel's `detail(item)`, which reads the history row and
passes it through the window's Presenter: the write key, the expected key and the
webhook's Authorization value never reach this view unmasked.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelection, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.capture.feed import COLUMNS, IDS, FeedRow, flags_text
from app.capture.items import LiveItem
from app.ui.capture.feed_model import FeedFilter, FeedModel
from app.ui.widgets.json_view import JsonView
from app.ui.widgets.sizing import table_height

#: The text each column is sized for, in the table's font (2x, presentation type).
_SAMPLES = {"Time": "00:00:00.000", "Source": "RevenueCat", "Type": "INITIAL_PURCHASE",
            "Event": "rc_renewal_event", "Result": "200 ⚠ wrong key, no user id"}  # fmt: skip
#: Rows the feed always has room for (the tab asks the window for them).
ROWS = 4


class FeedView(QWidget):
    def __init__(self, detail: Callable[[LiveItem], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._detail = detail
        self.model = FeedModel()
        self.shown = FeedFilter(self.model)
        self.filter = QLineEdit()
        self.filter.setObjectName("capture_feed_filter")
        self.filter.setPlaceholderText("Filter feed: id, event, result…")
        self.filter.setToolTip(
            "Rows holding every word typed, in any case, in any column: also any userId or "
            "anonymousId of a call (not only those its cell lists), its path, a webhook's "
            "event.id"
        )
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filtered)
        self.count = QLabel()
        self.count.setObjectName("capture_feed_count")
        self.clear = QPushButton("Clear feed")
        self.clear.setToolTip("Empty this table (everything stays in the history)")
        self.clear.clicked.connect(self._clear)
        self.table = QTableView()
        self.table.setObjectName("capture_feed")
        self.table.setModel(self.shown)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.verticalHeader().setVisible(False)
        metrics = self.table.fontMetrics()
        self.table.verticalHeader().setDefaultSectionSize(metrics.height() + 8)
        # The ids stretch (they elide in the middle, where ids differ least); the result
        # keeps the width of its longest usual words.
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        for column, name in enumerate(COLUMNS):
            if name in _SAMPLES:
                self.table.setColumnWidth(column, metrics.horizontalAdvance(_SAMPLES[name]) + 16)
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

        # The count: a row of its own, or (the Capture tab does this) beside
        # the tab names, where it costs no height.
        self.bar = QWidget()
        bar = QHBoxLayout(self.bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.count, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.flags)
        right_layout.addWidget(self.detail, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("capture_feed_splitter")
        # The filter and Clear above the table they act on (beside the tab names, at 2x
        # on a 1366×768 laptop, they pushed the names under scroll arrows).
        tools = QHBoxLayout()
        tools.addWidget(self.filter, 1)
        tools.addWidget(self.clear)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(tools)
        left_layout.addWidget(self.table, 1)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([800, 420])  # the table first: its Result column matters
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar)
        layout.addWidget(self.splitter, 1)
        self.show_count(0)

    def minimumSizeHint(self) -> QSize:
        """`ROWS` rows of the table under its filter (and the bar, while it is here), in
        the type in use."""
        bar = self.bar.sizeHint().height() if self.bar.parentWidget() is self else 0
        height = bar + self.filter.sizeHint().height() + table_height(self.table, ROWS)
        return QSize(super().minimumSizeHint().width(), height)

    def add(self, items: list[LiveItem], dropped: int = 0) -> None:
        self.model.add(items)
        self.show_count(dropped)

    def show_count(self, dropped: int) -> None:
        self._dropped = dropped
        seen, shown = self.model.seen, len(self.model.rows)
        text = f"{seen['segment']:,} call(s) · {seen['revenuecat']:,} webhook(s)"
        if shown < sum(seen.values()):
            text += f" · showing the newest {shown:,} (all are in the history)"
        if self.shown.text:
            text += f" · {self.shown.rowCount():,} matching"
        if dropped:
            text += f" · {dropped:,} not shown live (the window fell behind; see the history)"
        self.count.setText(text)

    def selected(self) -> FeedRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.shown.row(rows[0].row()) if rows else None

    def _filtered(self, text: str) -> None:
        self.shown.set_text(text)
        self.show_count(self._dropped)

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
