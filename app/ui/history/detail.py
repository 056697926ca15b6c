"""The selected history row as an HTTP client shows an exchange: a summary line per
request (status · latency · size · attempts), and Request / Response / Headers / Raw
views with folding and a find box (Ctrl+F inside the detail, F3 / Shift+F3).

A row with several requests (an event's track and identify, a batch, a scenario step)
gets a selector listing each with its status; the views show the chosen one. Text comes
from `app.state.exchanges`, through the window's presenter: the key masked, an
Authorization header never more than its masked form, hosts hidden while presenting.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QSizePolicy,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.redact import mask_fingerprint
from app.state.exchanges import Exchange, exchanges
from app.state.history_text import STATUS_TONES
from app.state.presentation import Presenter
from app.storage import HistoryRow
from app.ui.widgets.colours import tone
from app.ui.widgets.elided_label import ElidedLabel
from app.ui.widgets.find_bar import FindBar
from app.ui.widgets.json_view import JsonView

TABS = ("Request", "Response", "Headers", "Raw")


class HistoryDetail(QWidget):
    """Shows one row (`show_row`); keeps the chosen tab, and the chosen request when
    the next row has as many, so rows can be read side by side one after another."""

    def __init__(self, presenter: Presenter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("history_detail")
        self._presenter = presenter
        self._row: HistoryRow | None = None
        self._exchanges: list[Exchange] = []
        self.requests = QComboBox()
        self.requests.setObjectName("detail_requests")
        self.requests.setToolTip("This row's requests, each with its status")
        self.requests.currentIndexChanged.connect(self._show_request)
        # Neither may widen the detail (and move the table) when a longer row is chosen.
        self.requests.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.requests.setMinimumContentsLength(10)
        self.summary = ElidedLabel()
        self.summary.setObjectName("detail_summary")
        self.tabs = QTabWidget()
        self.tabs.setObjectName("detail_tabs")
        self.tabs.setDocumentMode(True)
        self.views: dict[str, JsonView] = {}
        for name in TABS:
            view = JsonView(highlight=name != "Headers", folding=name != "Headers")
            view.setObjectName(f"detail_{name.lower()}")
            view.installEventFilter(self)
            self.views[name] = view
            self.tabs.addTab(view, name)
        self.find_bar = FindBar()
        self.tabs.currentChanged.connect(lambda _i: self.find_bar.set_target(self.current_view()))
        self.find_bar.set_target(self.current_view())
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.requests)
        # The find box opens in the summary's place: nothing below it moves.
        line = QStackedWidget()
        line.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        line.addWidget(self.summary)
        line.addWidget(self.find_bar)
        self.find_bar.toggled.connect(lambda on: line.setCurrentIndex(1 if on else 0))
        top.addWidget(line, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.show_row(None)

    def current_view(self) -> JsonView:
        return self.views[self.tabs.tabText(self.tabs.currentIndex())]

    def show_tab(self, name: str) -> JsonView:
        self.tabs.setCurrentIndex(TABS.index(name))
        return self.views[name]

    def texts(self) -> dict[str, str]:
        """Every view's text and the summary (what a person can see or copy)."""
        shown = {name: view.toPlainText() for name, view in self.views.items()}
        shown["summary"] = self.summary.text() + "\n" + self.summary.toolTip()
        items = range(self.requests.count())
        shown["requests"] = "\n".join(self.requests.itemText(i) for i in items)
        return shown

    # -- content ------------------------------------------------------------------------

    def show_row(self, row: HistoryRow | None) -> None:
        self._row = row
        keep = self.requests.currentIndex()
        self.requests.blockSignals(True)
        self.requests.clear()
        if row is None:
            self._exchanges = []
            self.requests.hide()
            self.summary.setText("Select a row to see its request and response")
            self.summary.setToolTip(
                "Ctrl+click a second row, then Ctrl+D, to compare the two (one row: with "
                "the current draft)"
            )
            self.summary.setStyleSheet("")
            for view in self.views.values():
                view.set_text("")
            self.requests.blockSignals(False)
            return
        data = self._presenter.row(row.to_json())
        self._exchanges = exchanges(data)
        for exchange in self._exchanges:
            self.requests.addItem(self._safe(f"{exchange.index + 1}. {exchange.title()} — "
                                             f"{exchange.status_text()}"))  # fmt: skip
        self.requests.setVisible(len(self._exchanges) > 1)
        self.requests.setCurrentIndex(keep if 0 <= keep < len(self._exchanges) else 0)
        self.requests.blockSignals(False)
        raw = self._presenter.row(_raw(row))
        self.views["Raw"].set_text(self._safe(json.dumps(raw, indent=2, ensure_ascii=False)))
        self._show_request(self.requests.currentIndex())

    def _show_request(self, index: int) -> None:
        row = self._row
        if row is None:
            return
        colour = tone(STATUS_TONES[row.status_class], self.palette())
        self.summary.setStyleSheet(f"color: {colour};")
        if not self._exchanges:
            why = row.error or "nothing went out for this row"
            self.summary.setText(self._safe(f"{row.status.label} · {why}"))
            self.summary.setToolTip("")
            for name in ("Request", "Response", "Headers"):
                self.views[name].set_text(self._safe(f"Nothing was sent: {why}"))
            return
        exchange = self._exchanges[max(index, 0)]
        title = "" if len(self._exchanges) > 1 else exchange.title() + " · "
        self.summary.setText(self._safe(title + exchange.summary()))
        self.summary.setToolTip(self._safe(self._tooltip(exchange)))
        body = exchange.body
        self.views["Request"].set_text(self._safe(
            json.dumps(body, indent=2, ensure_ascii=False) if body is not None
            else "No request body recorded."))  # fmt: skip
        self.views["Response"].set_text(self._safe(exchange.response_text()))
        headed = replace(exchange, request=_with_headers(exchange.request, self._presenter),
                         response=_with_headers(exchange.response, self._presenter))  # fmt: skip
        self.views["Headers"].set_text(self._safe(headed.headers_text()))

    def _tooltip(self, exchange: Exchange) -> str:
        lines = [exchange.summary(), f"{exchange.method} {exchange.url}"]
        if exchange.error:
            lines.append(f"error: {exchange.error}")
        sent, back = exchange.request_bytes, exchange.response_bytes
        lines.append("request: " + (f"{sent:,} bytes" if sent is not None else "size unknown"))
        if not exchange.preview:
            more = " (truncated; at least)" if exchange.truncated else ""
            lines.append("response: " + (f"{back:,} bytes{more}" if back is not None
                                         else "size unknown"))  # fmt: skip
        return "\n".join(lines)

    def _safe(self, text: str) -> str:
        return self._presenter.text(text)

    # -- keys ---------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Ctrl+F and F3 in a view are the find box's, not the window's history filter."""
        if isinstance(event, QKeyEvent) and watched in self.views.values():
            find = event.matches(QKeySequence.StandardKey.Find)
            step = event.key() == Qt.Key.Key_F3
            if event.type() == QEvent.Type.ShortcutOverride and (find or step):
                event.accept()
                return True
            if event.type() == QEvent.Type.KeyPress and find:
                self.find_bar.open_bar()
                return True
            if event.type() == QEvent.Type.KeyPress and step:
                shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                if shift:
                    self.find_bar.previous()
                else:
                    self.find_bar.next()
                return True
        return super().eventFilter(watched, event)


def _with_headers(record: dict[str, Any] | None, presenter: Presenter) -> Any:
    if record is None or not isinstance(record.get("headers"), dict):
        return record
    return {**record, "headers": presenter.headers(record["headers"])}


def _raw(row: HistoryRow) -> dict[str, Any]:
    """The whole row, as the detail always showed it (redacted; the presenter's next)."""
    return {
        "status": row.status.label,
        "error": row.error or None,
        "requests": row.requests,
        "responses": row.responses,
        "message_ids": row.message_ids,
        "key": mask_fingerprint(row.key_fingerprint) or None,
        "hand_edited": row.hand_edited,
        "sandbox_override": row.sandbox_override,
        "input": row.input,
    }
