"""Send panel: what a click would do (mode, target, key), Preview / Send / Cancel, the
sandbox override, a busy indicator, and the outcome in plain words.

It decides *whether* sending is allowed (`send_block_reason`) and builds the SendJob; the
SendController runs it and SendService does the work.
"""

from __future__ import annotations

from html import escape
from typing import Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.delivery import ACCEPTED_NOTE, SendItem, SendJob, SendReport, Target
from app.delivery.target import TargetError
from app.ui.colours import tone
from app.ui.send_controller import SendController
from app.ui.workbench import Workbench


class ConnectionSource(Protocol):
    """What the send panel needs from the connection panel."""

    def target(self) -> Target: ...

    def write_key(self) -> str: ...

    def key_problem(self) -> str | None: ...

    def describe(self) -> str: ...


class SendPanel(QWidget):
    """Buttons and outcome for the current event.

    Signals:
        recorded(): a preview or send finished and wrote history rows.
    """

    recorded = Signal()

    def __init__(
        self,
        workbench: Workbench,
        connection: ConnectionSource,
        controller: SendController,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._bench = workbench
        self._connection = connection
        self._controller = controller

        self.mode = QLabel()
        self.mode.setObjectName("send_mode")
        self.mode.setWordWrap(True)
        self.override = QCheckBox("Send this SANDBOX event anyway (sandbox events are off)")
        self.override.setObjectName("sandbox_override")
        self.override.setToolTip(
            "RevenueCat would not send it; the override is recorded in the history"
        )
        self.override.toggled.connect(workbench.set_override_sandbox)
        self.preview = QPushButton("Preview")
        self.preview.setObjectName("preview_button")
        self.preview.setToolTip(
            "Build the exact request and record it; nothing is sent (Ctrl+Shift+Enter)"
        )
        self.preview.clicked.connect(lambda: self.start(preview=True))
        self.send = QPushButton("Send to Segment")
        self.send.setObjectName("send_button")
        self.send.setToolTip("Send the track and identify calls now (Ctrl+Enter)")
        self.send.clicked.connect(lambda: self.start(preview=False))
        self.cancel = QPushButton("Cancel")
        self.cancel.setObjectName("cancel_button")
        self.cancel.setToolTip("Stop the send in progress")
        self.cancel.clicked.connect(controller.cancel)
        self.cancel.hide()
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.outcome = QLabel()
        self.outcome.setObjectName("send_outcome")
        self.outcome.setWordWrap(True)
        self.outcome.setTextFormat(Qt.TextFormat.RichText)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Room for two lines from the start, so an outcome never appears clipped.
        self.outcome.setMinimumHeight(self.fontMetrics().lineSpacing() * 2 + 4)

        buttons = QHBoxLayout()
        buttons.addWidget(self.mode, 1)
        buttons.addWidget(self.busy)
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.preview)
        buttons.addWidget(self.send)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.override)
        layout.addLayout(buttons)
        layout.addWidget(self.outcome)
        self.setTabOrder(self.preview, self.send)

        workbench.rendered.connect(self.refresh)
        # An override is for the event it was given to: a newly loaded event starts without.
        workbench.event_loaded.connect(lambda *_: self.override.setChecked(False))
        workbench.settings_changed.connect(self.refresh)
        workbench.hand_edit_changed.connect(self.refresh)
        controller.busy_changed.connect(self._busy)
        controller.finished.connect(self._finished)
        controller.refused.connect(self._refused)
        self.refresh()

    # -- rules ------------------------------------------------------------------------

    def sandbox_blocked(self) -> bool:
        bench = self._bench
        return bench.rc_event.get("environment") == "SANDBOX" and not bench.settings.send_sandbox

    def send_block_reason(self) -> str | None:
        """Why Send is disabled now, or None when it is allowed."""
        if self._controller.busy:
            return "a send is in progress"
        if self._controller.blocked:
            return "a scenario or identify send is in progress"
        problem = self._connection.key_problem()
        if problem:
            return problem
        try:
            self._connection.target()
        except TargetError as exc:
            return str(exc)
        return self._content_problem()

    def _content_problem(self) -> str | None:
        bench = self._bench
        if bench.hand_texts is not None:
            error = bench.hand_error()
            return f"the hand-edited JSON is invalid ({error})" if error else None
        if bench.error:
            return "the event has an error (see the payload panel)"
        if bench.result is not None and bench.result.skipped:
            return "RevenueCat would not send this event (see the payload panel)"
        return None if bench.messages() else "nothing to send"

    def refresh(self) -> None:
        self.override.setVisible(self.sandbox_blocked())
        busy = self._controller.blocked
        reason = self.send_block_reason()
        self.send.setEnabled(reason is None)
        self.send.setToolTip(
            "Send the track and identify calls now (Ctrl+Enter)"
            if reason is None
            else f"Send is disabled: {reason}"
        )
        preview_problem = self._content_problem()
        if preview_problem == "RevenueCat would not send this event (see the payload panel)":
            preview_problem = None  # a preview of a skipped event records why
        self.preview.setEnabled(not busy and preview_problem is None)
        live = self._connection.key_problem() is None
        self.mode.setText(
            ("<b>Live send</b> → " if live else "<b>Preview only</b> (no usable key) → ")
            + escape(self._connection.describe())
        )

    # -- actions ----------------------------------------------------------------------

    def build_job(self, preview: bool) -> SendJob:
        bench = self._bench
        assert bench.result is not None
        hand = bench.hand_texts is not None
        messages = bench.messages() if hand else None
        item = SendItem(
            render=bench.result,
            input={"api_version": "1.0", "event": dict(bench.rc_event)},
            source="desktop app",
            messages=tuple(messages) if messages else None,
            hand_edited=hand,
            sandbox_override=bench.override_sandbox and self.sandbox_blocked(),
        )
        return SendJob(
            items=[item],
            target=self._connection.target(),
            write_key=self._connection.write_key(),
            options=self._controller.options,
            preview=preview,
        )

    def start(self, *, preview: bool) -> bool:
        """Preview or send the current event; False when not allowed right now."""
        button = self.preview if preview else self.send
        if not button.isEnabled() or self._bench.result is None:
            return False
        try:
            job = self.build_job(preview)
        except TargetError as exc:
            self._refused(str(exc))
            return False
        self.outcome.setText("Previewing…" if preview else "Sending…")
        return self._controller.start(job)

    def _busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.cancel.setVisible(busy)
        self.refresh()

    def _refused(self, message: str) -> None:
        self.outcome.setText(_line("error", "Not sent: " + message))

    def _finished(self, report: SendReport) -> None:
        self.outcome.setText(describe_report(report))
        self.recorded.emit()


def _line(kind: str, text: str) -> str:
    return f'<span style="color:{tone(kind)}; font-weight:600;">{escape(text)}</span>'


def describe_report(report: SendReport) -> str:
    """The outcome in plain words: status, latency, attempts, and what a 200 means."""
    if report.skipped and not report.results:
        return _line("warn", f"Recorded as skipped: {report.skipped[0].skipped}")
    parts = []
    for result in report.results:
        where = result.endpoint
        if result.preview:
            parts.append(
                _line(
                    "info",
                    f"Preview of /{where}: the exact request is in the history; nothing was sent",
                )
            )
        elif result.accepted:
            parts.append(
                _line(
                    "ok",
                    f"/{where}: HTTP {result.status} · "
                    f"{result.elapsed_ms:.0f} ms · {result.attempts} attempt(s)",
                )
            )
        else:
            error = result.error
            kind = error.kind.value if error else "failed"
            status = f"HTTP {result.status} · " if result.status else ""
            parts.append(
                _line(
                    "error",
                    f"/{where}: {kind} · {status}{result.elapsed_ms:.0f} ms · "
                    f"{result.attempts} attempt(s)",
                )
                + "<br>"
                + escape(error.message if error else "")
            )
    if report.cancelled:
        parts.append(
            _line("warn", "Cancelled: a request in flight may or may not have reached Segment")
        )
    if any(r.accepted for r in report.results):
        parts.append(escape("200 means " + ACCEPTED_NOTE))
    return "<br>".join(parts)
