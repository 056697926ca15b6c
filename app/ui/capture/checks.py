"""The receiver's two secrets: the write key the app should send (calls with another
are flagged) and the webhook's Authorization value (other webhooks get 401).

Password-style fields with Show, kept in memory for this session only: never written to
ui.ini, the profiles or the keyring, and masked (the Presenter knows them) in all the
window shows, copies or exports.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

SESSION_NOTE = (
    "Both are kept in memory for this session only: never saved to disk, and masked in "
    "everything the window shows, copies or exports. Blank: any write key is accepted, "
    "and webhooks need no Authorization header."
)


class SecretField(QWidget):
    """A password-style line edit with a Show/Hide toggle."""

    def __init__(self, name: str, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit()
        self.edit.setObjectName(name)
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setPlaceholderText(placeholder)
        self.reveal = QToolButton()
        self.reveal.setText("Show")
        self.reveal.setCheckable(True)
        self.reveal.toggled.connect(self._toggle)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.reveal)
        self.setFocusProxy(self.edit)  # the form's mnemonic lands in the field

    def _toggle(self, on: bool) -> None:
        self.edit.setEchoMode(QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password)
        self.reveal.setText("Hide" if on else "Show")

    def text(self) -> str:
        return self.edit.text().strip()


class ChecksView(QWidget):
    """Signals:
    changed(): either value changed (the running receiver takes it at once).
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.expected_key = SecretField(
            "capture_expected_key", "the write key your app's SDK uses (blank: any)"
        )
        self.expected_key.setToolTip(
            "Segment answers 200 to any write key; the receiver flags calls with another"
        )
        self.webhook_auth = SecretField(
            "capture_webhook_auth", "as set in RevenueCat's webhook settings (blank: none)"
        )
        self.webhook_auth.setToolTip("Webhooks without exactly this Authorization value get 401")
        for field in (self.expected_key, self.webhook_auth):
            field.edit.textChanged.connect(lambda _text: self.changed.emit())
        note = QLabel(SESSION_NOTE)
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&Expected write key:", self.expected_key)
        form.addRow("&Webhook Authorization:", self.webhook_auth)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addStretch(1)

    def secrets(self) -> list[str]:
        """What the Presenter masks."""
        return [self.expected_key.text(), self.webhook_auth.text()]
