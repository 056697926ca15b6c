"""The Capture tab: run the local receiver, watch the app's Segment calls and
RevenueCat's webhooks arrive, see whether their users join, bridge webhooks to Segment.

Start/Stop with the address (loopback unless LAN is chosen, with a warning); the live
feed with the selected call's detail; the identity doctor refreshed as traffic arrives;
set-up snippets filled with the real address; the receiver's two secrets. The bridge
forwards with the window's connection (target and key) and the integration settings in
force, and follows them while it runs. Where it listens and whether it bridges are kept
in ui.ini (`capture/bind`, `capture/port`, `capture/bridge`); the secrets are not.
"""

from __future__ import annotations

import asyncio
import json
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.capture import address
from app.capture.address import Bind, Listening
from app.capture.config import CaptureConfig, window_config, workspace_region
from app.capture.doctor_reader import DoctorReader
from app.capture.items import LiveItem
from app.capture.snippets import snippets
from app.delivery.target import TargetError
from app.state.window import WindowState
from app.storage import HistoryStore, StorageError
from app.ui.capture.checks import ChecksView
from app.ui.capture.controller import CaptureController, Phase
from app.ui.capture.doctor_view import DoctorView
from app.ui.capture.feed_view import FeedView
from app.ui.capture.snippets_view import SnippetsView
from app.ui.send_queue import SendQueue
from app.ui.widgets.colours import tone

#: The doctor and the history view follow the traffic at most this often.
THROTTLE_MS = 1000

_BUTTON = {Phase.STOPPED: "&Start", Phase.STARTING: "Starting…", Phase.RUNNING: "St&op",
           Phase.STOPPING: "Stopping…"}  # fmt: skip


class CapturePanel(QWidget):
    """Signals:
    recorded(): new rows reached the history (at most once a second while traffic flows).
    message(str): a short note for the status bar ("copied …").
    """

    recorded = Signal()
    message = Signal(str)

    def __init__(
        self, state: WindowState, queue: SendQueue, history: HistoryStore, data_dir: Path,
        ui: QSettings, parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self._state, self._queue, self._history, self._ui = state, queue, history, ui
        self._presenter = state.presenter
        self.controller = CaptureController(data_dir, self)
        self._reader = DoctorReader(data_dir)
        self._reading: asyncio.Task[None] | None = None
        self._read_again = False
        self._error: str | None = None
        self._bridge_note = ""

        self.bind = QComboBox()
        self.bind.setObjectName("capture_bind")
        for choice in Bind:
            self.bind.addItem(choice.label, choice.value)
        self.bind.setCurrentIndex(self.bind.findData(address.bind_from(ui.value("capture/bind"))))
        self.bind.setToolTip("Loopback: this machine (and its simulators) only")
        self.port = QLineEdit(str(address.port_from(ui.value("capture/port", 8787))))
        self.port.setObjectName("capture_port")
        self.port.setMaximumWidth(70)
        self.port.setToolTip("1 to 65535, or 0 for any free port")
        self.start_stop = QPushButton(_BUTTON[Phase.STOPPED])
        self.start_stop.setObjectName("capture_start")
        self.start_stop.clicked.connect(self.toggle)
        self.bridge = QCheckBox("&Bridge webhooks to Segment")
        self.bridge.setObjectName("capture_bridge")
        self.bridge.setToolTip(
            "Send each webhook on as RevenueCat would, with the connection above and the "
            "integration settings in force (once per event.id)"
        )
        self.bridge.setChecked(str(ui.value("capture/bridge", "false")).lower() == "true")
        self.address = QLineEdit()
        self.address.setObjectName("capture_address")
        self.address.setReadOnly(True)
        self.address.setPlaceholderText("not listening")
        self.copy_api = QPushButton("Copy Segment API URL")
        self.copy_webhook = QPushButton("Copy webhook URL")
        self.copy_api.clicked.connect(lambda: self.copy_url("segment_api"))
        self.copy_webhook.clicked.connect(lambda: self.copy_url("revenuecat_webhook"))
        self.status = QLabel()
        self.status.setObjectName("capture_status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.lan_warning = QLabel(f"⚠ {address.LAN_WARNING}")
        self.lan_warning.setObjectName("capture_lan_warning")
        self.lan_warning.setWordWrap(True)
        self.lan_warning.setStyleSheet(f"color:{tone('warn')}; font-weight:600;")

        self.feed = FeedView(self.detail)
        self.doctor = DoctorView()
        self.snippets = SnippetsView(self._presenter.text)
        self.checks = ChecksView()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("capture_tabs")
        self.tabs.addTab(self.feed, "Live &feed")
        self.tabs.addTab(self.doctor, "Identity &doctor")
        self.tabs.addTab(self.snippets, "Set-up s&nippets")
        self.tabs.addTab(self.checks, "&Keys && checks")
        self.tabs.setCornerWidget(self.feed.bar)  # beside the names: a row more for the feed
        self.tabs.currentChanged.connect(lambda i: self.feed.bar.setVisible(i == 0))

        row = QHBoxLayout()
        caption = QLabel("&Listen on:")
        caption.setBuddy(self.bind)
        port_caption = QLabel("Po&rt:")
        port_caption.setBuddy(self.port)
        for widget in (caption, self.bind, port_caption, self.port, self.start_stop):
            row.addWidget(widget)
        row.addSpacing(12)
        row.addWidget(self.bridge)
        row.addStretch(1)
        where = QHBoxLayout()
        where.addWidget(QLabel("Address:"))
        where.addWidget(self.address, 1)
        where.addWidget(self.copy_api)
        where.addWidget(self.copy_webhook)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(row)
        layout.addLayout(where)
        layout.addWidget(self.status)
        layout.addWidget(self.lan_warning)
        layout.addWidget(self.tabs, 1)

        self._doctor_timer = _single_shot(self, THROTTLE_MS, self.refresh_doctor)
        self._recorded_timer = _single_shot(self, THROTTLE_MS, self.recorded.emit)
        self.controller.phase_changed.connect(lambda _phase: self._redraw())
        self.controller.failed.connect(self._failed)
        self.controller.arrived.connect(self._arrived)
        self.bind.currentIndexChanged.connect(self._bind_picked)
        self.port.textChanged.connect(self._port_typed)
        self.bridge.toggled.connect(self._bridge_toggled)
        # A secret reaches the server once the user pauses typing: each new value costs
        # the Presenter a pattern to mask it with.
        self._typing = _single_shot(self, 300, self.push_config)
        self.checks.changed.connect(self._typing.start)
        self.doctor.refresh_button.clicked.connect(self.refresh_doctor)
        self._presenter.add_secrets(self.checks.secrets)
        for event in (state.connection.changed, state.draft.settings_changed,
                      state.profile_changed):  # fmt: skip
            event.connect(self.push_config)
        self._presenter.toggled.connect(lambda _on: self._redraw())
        queue.finished.connect(lambda _handle: self._doctor_timer.start())
        self.push_config()
        self.refresh_doctor()

    # -- the receiver -----------------------------------------------------------------

    def config(self) -> tuple[CaptureConfig, str]:
        """The receiver's config from the window's connection and settings in force."""
        conn, target = self._state.connection, None
        problem: str | None = None
        try:
            target = conn.target()
        except TargetError as exc:
            problem = str(exc)
        problem = problem or conn.key_problem()
        return window_config(
            settings=self._state.draft.settings, options=self._queue.options,
            bridge=self.bridge.isChecked(), target=target, write_key=conn.write_key,
            connection_problem=problem, expect_write_key=self.checks.expected_key.text(),
            webhook_auth=self.checks.webhook_auth.text(),
            region=workspace_region(conn.region, target),
        )  # fmt: skip

    def push_config(self) -> None:
        config, self._bridge_note = self.config()
        self.controller.update(config)
        self._redraw()

    def toggle(self) -> None:
        if self.controller.phase is Phase.RUNNING:
            self.controller.stop()
        elif self.controller.phase is Phase.STOPPED:
            self.start()

    def start(self) -> bool:
        try:
            port = address.parse_port(self.port.text())
        except address.AddressError as exc:
            self._failed(str(exc))
            return False
        self._error = None
        config, self._bridge_note = self.config()
        return self.controller.start(self._bind(), port, config)

    def _bind(self) -> Bind:
        return address.bind_from(self.bind.currentData())

    def _failed(self, message: str) -> None:
        self._error = message
        self._redraw()

    def _bind_picked(self, _index: int) -> None:
        self._ui.setValue("capture/bind", self._bind().value)
        self._redraw()

    def _port_typed(self, text: str) -> None:
        self._error = None
        try:
            self._ui.setValue("capture/port", address.parse_port(text))
        except address.AddressError as exc:
            self._error = str(exc)
        self._redraw()

    def _bridge_toggled(self, on: bool) -> None:
        self._ui.setValue("capture/bridge", on)
        self.push_config()

    # -- drawing ----------------------------------------------------------------------

    def _shown(self) -> Listening:
        """Where it listens, or would listen (for the snippets before a start)."""
        if self.controller.listening is not None:
            return self.controller.listening
        try:
            port = address.parse_port(self.port.text()) or address.DEFAULT_PORT
        except address.AddressError:
            port = address.DEFAULT_PORT
        bind = self._bind()
        return Listening(bind, port, address.lan_ip() if bind is Bind.LAN else None)

    def _redraw(self) -> None:
        phase, present = self.controller.phase, self._presenter.text
        listening = self.controller.listening
        self.start_stop.setText(_BUTTON[phase])
        self.start_stop.setEnabled(phase in (Phase.STOPPED, Phase.RUNNING))
        for field in (self.bind, self.port):
            field.setEnabled(phase is Phase.STOPPED)
        for button in (self.copy_api, self.copy_webhook):
            button.setEnabled(listening is not None)
        self.address.setText(present(listening.base_url) if listening else "")
        self.lan_warning.setVisible(self._bind() is Bind.LAN)
        if self._error:
            first = f'<span style="color:{tone("error")}">{escape(self._error)}</span>'
        elif listening is not None:
            first = escape(present(listening.summary()))
        else:
            first = "Stopped." if phase is Phase.STOPPED else escape(_BUTTON[phase])
        self.status.setText(f"{first} · {escape(present(self._bridge_note))}")
        shown = self._shown()
        note = (
            f"Filled in for port {shown.port}"
            + ("" if listening else " (not listening yet)")
            + ". The write key stays YOUR_WRITE_KEY."
        )
        self.snippets.set_snippets(snippets(shown.port, shown.lan), note)

    def copy_url(self, which: str) -> str:
        """Copy the Segment API or webhook URL (through the Presenter)."""
        listening = self.controller.listening
        if listening is None:
            return ""
        text = self._presenter.text(str(getattr(listening, which)))
        QGuiApplication.clipboard().setText(text)
        self.message.emit(f"Copied {text}")
        return text

    # -- traffic ----------------------------------------------------------------------

    def _arrived(self, items: list[LiveItem]) -> None:
        self.feed.add(items, self.controller.dropped)
        for timer in (self._doctor_timer, self._recorded_timer):
            if not timer.isActive():
                timer.start()

    def detail(self, item: LiveItem) -> str:
        """The selected item's history row as JSON, as a person may see it."""
        data: dict[str, Any] = item.to_json()
        if item.history_id is not None:
            try:
                row = self._history.get(item.history_id)
            except StorageError as exc:
                row, data["history"] = None, f"cannot read history #{item.history_id}: {exc}"
            if row is not None:
                data = self._presenter.row(row.to_json())
        return self._presenter.text(json.dumps(data, indent=2, ensure_ascii=False))

    def refresh_doctor(self) -> None:
        """Diagnose every RevenueCat user again (in the doctor's thread)."""
        if self._reading is not None and not self._reading.done():
            self._read_again = True
            return
        self._read_again = False
        self._reading = asyncio.get_event_loop().create_task(self._read())

    async def _read(self) -> None:
        try:
            found = await self._reader.read()
        except StorageError as exc:
            self.doctor.show_diagnoses([], str(exc))
        else:
            self.doctor.show_diagnoses(found)
        if self._read_again:
            self._doctor_timer.start()

    async def aclose(self) -> None:
        """The window closes: stop the receiver and the doctor's thread, cleanly."""
        self._doctor_timer.stop()
        self._recorded_timer.stop()
        await self.controller.aclose()
        if self._reading is not None:
            await asyncio.gather(self._reading, return_exceptions=True)
        await self._reader.aclose()


def _single_shot(parent: QWidget, ms: int, slot: Any) -> QTimer:
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(ms)
    timer.timeout.connect(slot)
    return timer
