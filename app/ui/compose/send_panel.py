"""Send panel: what a click would do (mode, target, key), Preview / Send, the sandbox
override, the send in progress on one line (attempt, wait before a retry, time so far)
with its Cancel, and the outcome in plain words.

Whether sending is allowed is the window state's answer (`send_block`, a code with
words); the job comes from delivery's builders and runs in the window's send queue.
"""

from __future__ import annotations

import time
from html import escape

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.delivery import SendJob, SendReport
from app.state.progress_text import finished_line, send_line
from app.state.window import WindowState
from app.ui.send_queue import SendHandle, SendQueue
from app.ui.widgets.elided_label import ElidedLabel
from app.ui.widgets.message_area import MessageArea
from app.ui.widgets.outcome import describe_report, line

SEND_TIP = "Send the track and identify calls now (Ctrl+Enter)"


class SendPanel(QWidget):
    """Buttons and outcome for the current event.

    Signals:
        recorded(): a preview or send of this panel finished and wrote history rows.
    """

    recorded = Signal()

    def __init__(self, state: WindowState, queue: SendQueue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._queue = queue
        self.handle: SendHandle | None = None

        self.mode = MessageArea("send_mode", lines=2)  # past two lines it scrolls
        self.override = QCheckBox("Send this SANDBOX event anyway (sandbox events are off)")
        self.override.setObjectName("sandbox_override")
        self.override.setToolTip(
            "RevenueCat would not send it; the override is recorded in the history"
        )
        self.override.toggled.connect(state.draft.set_override_sandbox)
        self.preview = QPushButton("Preview")
        self.preview.setObjectName("preview_button")
        self.preview.setToolTip(
            "Build the exact request and record it; nothing is sent (Ctrl+Shift+Enter)"
        )
        self.preview.clicked.connect(lambda: self.start(preview=True))
        self.send = QPushButton("Send to Segment")
        self.send.setObjectName("send_button")
        self.send.setToolTip(SEND_TIP)
        self.send.clicked.connect(lambda: self.start(preview=False))
        self.cancel = QPushButton("Cancel")
        self.cancel.setObjectName("cancel_button")
        self.cancel.setToolTip("Stop the send in progress")
        self.cancel.clicked.connect(queue.cancel)
        self.cancel.hide()
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(64)
        self.busy.setTextVisible(False)
        self.busy.hide()
        # What the send is doing now (attempt, wait, elapsed): one elided line beside
        # the buttons, always there, so nothing moves as it changes.
        self.progress_line = ElidedLabel()
        self.progress_line.setObjectName("send_progress")
        self._ticker = QTimer(self)
        self._ticker.setInterval(100)
        self._ticker.timeout.connect(self._tick)
        self.outcome = MessageArea("send_outcome", lines=5)  # then it scrolls: never cut
        # Bottom up, so that nothing that changes length moves the buttons: they sit on
        # the bottom edge with the progress line; where a click goes is the line above
        # them (the width of the column: one line, two at most), the outcome above that
        # grows upwards into the payload's room. No room is held for an empty outcome:
        # a short screen keeps those lines for the payload.
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress_line, 1)
        for widget in (self.busy, self.cancel, self.preview, self.send):
            buttons.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.override)
        layout.addWidget(self.outcome)
        layout.addWidget(self.mode)
        layout.addLayout(buttons)
        self.setTabOrder(self.preview, self.send)

        draft = state.draft
        draft.rendered.connect(self.refresh)
        draft.event_loaded.connect(self._new_event)
        draft.hand_edit_changed.connect(self.refresh)
        state.connection.changed.connect(self.refresh)
        state.busy_changed.connect(self._busy)
        self.refresh()

    # -- drawing ----------------------------------------------------------------------

    def refresh(self) -> None:
        state = self._state
        self.override.setVisible(state.draft.sandbox_blocked())
        block = state.send_block()
        self.send.setEnabled(block is None)
        self.send.setToolTip(SEND_TIP if block is None else f"Send is disabled: {block}")
        self.preview.setEnabled(state.send_block(preview=True) is None)
        live = state.connection.key_problem() is None
        self.mode.setText(
            ("<b>Live send</b> → " if live else "<b>Preview only</b> (no usable key) → ")
            + escape(state.connection.describe())
        )

    def _new_event(self) -> None:
        """An outcome is about the event it was given for: a new event starts clean."""
        if self.override.isChecked():
            self.override.setChecked(False)
        self.outcome.clear()
        if self.handle is None or not self.handle.running:
            self.progress_line.clear()
        self.refresh()

    def show_outcome(self, html: str) -> None:
        self.outcome.setText(html)

    # -- actions ----------------------------------------------------------------------

    def build_job(self, preview: bool) -> SendJob:
        return self._state.event_job(self._queue.options, preview=preview)

    def start(self, *, preview: bool) -> bool:
        """Preview or send the current event; False when not allowed right now."""
        block = self._state.send_block(preview=preview)
        if block is not None or self._state.draft.result is None:
            if block is not None:
                self.outcome.setText(line("error", f"Not sent: {block}"))
            return False
        handle = self._queue.start(self.build_job(preview))
        if handle is None:
            self.outcome.setText(line("error", f"Not sent: {self._queue.last_refusal}"))
            return False
        self.outcome.clear()  # the progress line says what is happening
        self.follow(handle)
        handle.finished.connect(self._finished)
        return True

    def follow(self, handle: SendHandle) -> None:
        """Show `handle`'s progress on the progress line (its own sends, and re-sends)."""
        self.handle = handle
        handle.attempt.connect(self._tick)
        handle.finished.connect(lambda report: self._done(handle, report))
        self._ticker.start()
        self._tick()

    def _tick(self) -> None:
        handle = self.handle
        if handle is None or not handle.running:
            return
        since = time.monotonic() - handle.started
        self.progress_line.setText(
            send_line(handle.last_attempt, since, preview=handle.job.preview)
        )

    def _done(self, handle: SendHandle, report: SendReport) -> None:
        if handle is not self.handle:
            return
        self._ticker.stop()
        took = time.monotonic() - handle.started
        self.progress_line.setText(
            finished_line(report.cancelled, took, f"{len(report.results)} request(s)")
        )

    def _busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.cancel.setVisible(busy)
        self.refresh()

    def _finished(self, report: SendReport) -> None:
        self.outcome.setText(describe_report(report))
        self.recorded.emit()
