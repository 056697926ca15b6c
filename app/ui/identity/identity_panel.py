"""Identity check panel (docs/revenuecat.md, "Identity"): will RevenueCat's events join the
user the app identifies in Segment? Verdict in words and at a glance, what to change on which side,
and "send the app's identify too" so both sides show up under one user in the debugger.

The comparison itself is `app.core.identity.check_identity`; this widget only gathers
the ids and draws the verdict; the stand-in identify is built by delivery's builders and
runs in the window's send queue.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import EventInputError
from app.core.identity import IdentityCheck, app_identify_message, check_identity
from app.core.model import parse_event
from app.core.wire import iso_now
from app.delivery import SendReport, builders
from app.state.draft import pretty
from app.state.window import WindowState
from app.ui.identity.traits_table import TraitsTable
from app.ui.send_queue import SendQueue
from app.ui.widgets.json_view import JsonView
from app.ui.widgets.outcome import describe_report
from app.ui.widgets.verdicts import chip, verdict_chip

STAND_IN_NAME = builders.STAND_IN_NAME


def chip_html(check: IdentityCheck | None, problem: str | None = None) -> str:
    """The verdict chip as rich text (also used when there is nothing to check yet)."""
    if check is None:
        return chip("…", problem or "Enter the userId your app identifies", "#eef1f4", "#3c4650")
    return verdict_chip(check.verdict)


class IdentityPanel(QWidget):
    """Signals:
    checked(object): a new IdentityCheck (or None when the ids cannot be compared).
    recorded(): the stand-in identify was previewed or sent (history changed).
    """

    checked = Signal(object)
    recorded = Signal()

    def __init__(self, state: WindowState, queue: SendQueue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._bench = state.draft
        self._queue = queue
        self.check: IdentityCheck | None = None

        self.app_user_id = QLineEdit()
        self.app_user_id.setObjectName("identity_user_id")
        self.app_user_id.setPlaceholderText("the userId your app passes to identify()")
        self.anonymous_id = QLineEdit()
        self.anonymous_id.setObjectName("identity_anonymous_id")
        self.anonymous_id.setPlaceholderText("optional: Segment anonymousId")
        self.rc_user = QLabel()
        self.rc_user.setObjectName("identity_rc_user")
        self.rc_user.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.verdict = QLabel()
        self.verdict.setObjectName("identity_verdict")
        self.verdict.setTextFormat(Qt.TextFormat.RichText)
        self.message = _wrapping("identity_message")
        self.fix = _wrapping("identity_fix")
        self.note = _wrapping("identity_note")

        form = QFormLayout()
        form.addRow("RevenueCat sends userId:", self.rc_user)
        form.addRow("Your app's &userId:", self.app_user_id)
        form.addRow("&anonymousId:", self.anonymous_id)

        self.traits = TraitsTable({"email": "ada@example.com", "plan": "pro"})
        self.preview = QPushButton("Preview app identify")
        self.preview.setObjectName("identity_preview")
        self.send = QPushButton("Send app identify")
        self.send.setObjectName("identity_send")
        self.send.setToolTip("Send an identify as your app's SDK would, so both sides share a user")
        self.preview.clicked.connect(lambda: self.start(preview=True))
        self.send.clicked.connect(lambda: self.start(preview=False))
        self.identify_view = JsonView()
        self.identify_view.setObjectName("identity_identify_json")
        self.outcome = _wrapping("identity_outcome")
        self.outcome.setTextFormat(Qt.TextFormat.RichText)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.preview)
        buttons.addWidget(self.send)
        group = QGroupBox("Send the app's identify too")
        inner = QVBoxLayout(group)
        inner.addWidget(QLabel('Traits (values like 3, true or ["a"] are sent as JSON):'))
        inner.addWidget(self.traits, 1)
        inner.addWidget(self.identify_view, 2)
        inner.addLayout(buttons)
        inner.addWidget(self.outcome)

        # The verdict's words must never be cut: the check keeps its height and the
        # identify group below takes what is left (the whole panel scrolls when short).
        self.identify_view.setMinimumHeight(90)
        self.traits.table.setMinimumHeight(70)
        content = QWidget()
        inner_layout = QVBoxLayout(content)
        inner_layout.addLayout(form)
        inner_layout.addWidget(self.verdict)
        for label in (self.message, self.fix, self.note):
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
            inner_layout.addWidget(label)
        inner_layout.addWidget(group, 1)
        self._sections = inner_layout
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

        for field in (self.app_user_id, self.anonymous_id):
            field.textChanged.connect(self.refresh)
        self.traits.changed.connect(self._show_identify)
        state.draft.rendered.connect(self.refresh)
        state.busy_changed.connect(lambda _b: self.update_actions())
        state.connection.changed.connect(self.update_actions)
        self.refresh()

    def add_section(self, widget: QWidget) -> None:
        """Host another view about these users (the window adds the user timeline)."""
        self._sections.addWidget(widget, 1)

    def user_ids(self) -> list[str]:
        """RevenueCat's userId for the current event, then the app's (either may be "")."""
        rc_user = self._bench.rc_event.get("app_user_id")
        return [rc_user if isinstance(rc_user, str) else "", self.app_user_id.text()]

    # -- the check --------------------------------------------------------------------

    def refresh(self) -> None:
        rc_user = self._bench.rc_event.get("app_user_id")
        self.rc_user.setText(repr(rc_user) if isinstance(rc_user, str) else "(none)")
        check, problem = None, None
        if self.app_user_id.text():
            try:
                event = parse_event(self._bench.rc_event)
                check = check_identity(event, self.app_user_id.text(), self.anonymous_id.text())
            except EventInputError as exc:
                problem = str(exc)
        self.check = check
        self.verdict.setText(chip_html(check, problem))
        self.message.setText(check.message if check else "")
        self.fix.setText(f"What to change — {check.fix}" if check else "")
        self.note.setText((check.note or "") if check else "")
        self.note.setVisible(bool(check and check.note))
        self._show_identify()
        self.checked.emit(check)

    # -- the stand-in identify -------------------------------------------------------

    def identify_message(self) -> dict[str, Any] | None:
        user = self.app_user_id.text()
        if not user:
            return None
        now = iso_now(datetime.now(UTC))
        return app_identify_message(
            user,
            timestamp=now,
            message_id=str(uuid.uuid4()),
            sent_at=now,
            traits=self.traits.traits(),
            anonymous_id=self.anonymous_id.text().strip() or None,
        )

    def _show_identify(self) -> None:
        message = self.identify_message()
        self.identify_view.set_text(pretty(message) if message else "")
        self.update_actions()

    def update_actions(self) -> None:
        state = self._state
        ready = bool(self.app_user_id.text())
        self.preview.setEnabled(ready and state.connection_block(live=False) is None)
        self.send.setEnabled(ready and state.connection_block(live=True) is None)

    def start(self, *, preview: bool) -> bool:
        message = self.identify_message()
        block = self._state.connection_block(live=not preview)
        if message is None:
            return False
        if block is not None:
            self.outcome.setText(f"Not sent: {escape(str(block))}")
            return False
        job = self._state.identify_job(message, self._queue.options, preview=preview)
        handle = self._queue.start(job)
        if handle is None:
            self.outcome.setText(f"Not sent: {escape(self._queue.last_refusal or '')}")
            return False
        self.outcome.setText("Previewing…" if preview else "Sending…")
        handle.finished.connect(self._finished)
        return True

    def _finished(self, report: SendReport) -> None:
        self.outcome.setText(describe_report(report))
        self.recorded.emit()


def _wrapping(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
