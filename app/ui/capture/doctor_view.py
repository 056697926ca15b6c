"""The identity doctor, live: per RevenueCat user seen, the app ids captured and the
verdict at a glance; the selected user's message and fix below.

The diagnoses are `app.capture.doctor`'s (the seven verdicts of the identity check);
this view only draws them, keeping the selected user selected across refreshes.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.capture.doctor import Diagnosis
from app.capture.feed import listed
from app.ui.widgets.sizing import lines_height, table_height
from app.ui.widgets.verdicts import VERDICT_STYLE, verdict_chip

EMPTY = (
    "No RevenueCat user seen yet. Send a webhook to the receiver (or send an event from "
    "this tool), and point the app's Segment SDK at it: the doctor compares the two."
)


class DoctorView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.diagnoses: list[Diagnosis] = []
        self.summary = QLabel()
        self.summary.setObjectName("doctor_summary")
        self.summary.setWordWrap(True)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setObjectName("doctor_refresh")
        self.refresh_button.setToolTip("Read the history again (it also refreshes as calls arrive)")
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("doctor_table")
        self.table.setHorizontalHeaderLabels(["RevenueCat user", "Verdict", "App ids captured"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 200)
        self.table.setColumnWidth(1, 190)
        self.table.itemSelectionChanged.connect(self._show_selected)
        self.detail = QLabel()
        self.detail.setObjectName("doctor_detail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setMinimumHeight(60)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.refresh_button)
        split = QSplitter(Qt.Orientation.Vertical)
        scroll = QScrollArea()  # a long message scrolls instead of being cut
        scroll.setWidget(self.detail)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        split.addWidget(self.table)
        split.addWidget(scroll)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([300, 200])
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        self.show_diagnoses([])

    def minimumSizeHint(self) -> QSize:
        """Two users and two lines of the verdict, in the type in use: no more than the
        feed beside it asks, so this tab does not make the Capture tab taller."""
        bar = self.refresh_button.sizeHint().height()
        height = bar + table_height(self.table, 2) + lines_height(self.detail, 2.5)
        return QSize(super().minimumSizeHint().width(), height)

    def show_diagnoses(self, found: list[Diagnosis], problem: str | None = None) -> None:
        selected = self.selected()
        keep = selected.revenuecat_user_id if selected else None
        self.diagnoses = found
        self.table.setRowCount(len(found))
        for row, diagnosis in enumerate(found):
            symbol, title, background, foreground = VERDICT_STYLE[diagnosis.verdict]
            verdict = QTableWidgetItem(f"{symbol} {title}")
            verdict.setBackground(QColor(background))
            verdict.setForeground(QColor(foreground))
            verdict.setToolTip(diagnosis.message)
            user = QTableWidgetItem(diagnosis.revenuecat_user_id)
            ids = QTableWidgetItem(listed(diagnosis.app_ids, 5) or "(none captured)")
            ids.setToolTip("\n".join(diagnosis.app_ids))
            for column, item in enumerate((user, verdict, ids)):
                self.table.setItem(row, column, item)
        counts: dict[str, int] = {}
        for diagnosis in found:
            title = VERDICT_STYLE[diagnosis.verdict][1]
            counts[title] = counts.get(title, 0) + 1
        if problem:
            self.summary.setText(f"Cannot read the history: {problem}")
        elif not found:
            self.summary.setText(EMPTY)
        else:
            words = ", ".join(f"{n} {title}" for title, n in counts.items())
            self.summary.setText(f"{len(found)} RevenueCat user(s) seen: {words}")
        index = next((i for i, d in enumerate(found) if d.revenuecat_user_id == keep), 0)
        if found:
            self.table.selectRow(index)
        self._show_selected()

    def selected(self) -> Diagnosis | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.diagnoses):
            return None
        return self.diagnoses[rows[0].row()]

    def _show_selected(self) -> None:
        diagnosis = self.selected()
        if diagnosis is None:
            self.detail.setText("")
            return
        self.detail.setText(
            f"{verdict_chip(diagnosis.verdict)}&nbsp; for <b>{escape(diagnosis.revenuecat_user_id)}"
            f"</b><p>{escape(diagnosis.message)}</p>"
            f"<p><b>What to change</b> — {escape(diagnosis.fix)}</p>"
        )
