"""Connection panel: profile picker (new / rename / delete), the write key (masked, with
show/hide and validation), region US / EU / custom endpoint, and where the key is kept.

Profiles and keys come from a `ProfileBook` (see app.ui.profiles), so this widget never
touches files or the keyring itself.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.redact import mask_key
from app.delivery import Target
from app.delivery.target import TargetError, custom_target, region_target
from app.ui.colours import tone
from app.ui.dialogs import ask_yes_no
from app.ui.formdata import check_write_key
from app.ui.profiles import ProfileBook


class ConnectionPanel(QWidget):
    """Signals:
    changed(): key, region or endpoint changed (send rules and the request tabs follow).
    profile_loaded(object): a Profile was picked; its integration settings apply.
    """

    changed = Signal()
    profile_loaded = Signal(object)

    def __init__(self, book: ProfileBook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._book = book
        self._loading = False

        self.profile = QComboBox()
        self.profile.setObjectName("profile")
        self.profile.setMinimumWidth(130)
        self.profile.setToolTip("Saved connection + integration settings")
        self.profile.currentTextChanged.connect(self._profile_picked)
        self.profile_menu = QToolButton()
        self.profile_menu.setText("Profile ▾")
        self.profile_menu.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        actions = QMenu(self.profile_menu)
        actions.addAction("New…", self.new_profile)
        actions.addAction("Rename…", self.rename_profile)
        actions.addAction("Delete", self.delete_profile)
        actions.addSeparator()
        self.file_opt_in = actions.addAction("Save keys in a file…", self.offer_key_file)
        self.file_opt_in.setToolTip("Only when no system keyring exists: plain text, mode 0600")
        self.profile_menu.setMenu(actions)

        self.key = QLineEdit()
        self.key.setObjectName("write_key")
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setPlaceholderText("Segment write key")
        self.key.setToolTip("Your source's write key; shown masked everywhere else")
        self.key.setMinimumWidth(200)
        self.key.textChanged.connect(self._edited)
        self.key.editingFinished.connect(self.store_key)
        self.reveal = QToolButton()
        self.reveal.setObjectName("reveal_key")
        self.reveal.setText("Show")
        self.reveal.setCheckable(True)
        self.reveal.setToolTip("Show or hide the write key")
        self.reveal.toggled.connect(self._toggle_reveal)

        self.region = QComboBox()
        self.region.setObjectName("region")
        self.region.addItem("US (api.segment.io)", "us")
        self.region.addItem("EU (events.eu1.segmentapis.com)", "eu")
        self.region.addItem("Custom endpoint…", "custom")
        self.region.setToolTip(
            "An EU workspace's key sent to the US host gets 200 and the events never appear"
        )
        self.region.currentIndexChanged.connect(self._region_changed)
        self.endpoint = QLineEdit()
        self.endpoint.setObjectName("endpoint")
        self.endpoint.setPlaceholderText("https://collector.example.com/v1")
        self.endpoint.setToolTip("Base URL; the app appends /track, /identify, /batch")
        self.endpoint.textChanged.connect(self._edited)
        self.endpoint.hide()

        self.status = QLabel()
        self.status.setObjectName("key_status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for label, widget in (
            ("Profile:", self.profile),
            (None, self.profile_menu),
            ("Write key:", self.key),
            (None, self.reveal),
            ("Region:", self.region),
            (None, self.endpoint),
        ):
            if label:
                text = QLabel(label)
                text.setBuddy(widget)
                row.addWidget(text)
            row.addWidget(widget)
        row.addStretch(1)
        self.key.setMinimumWidth(260)
        self.endpoint.setMinimumWidth(260)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addLayout(row)
        column.addWidget(self.status)
        self._fill_profiles(book.last_used())

    # -- profiles ---------------------------------------------------------------------

    def _fill_profiles(self, select: str | None) -> None:
        self._loading = True
        self.profile.clear()
        self.profile.addItems(self._book.names())
        self._loading = False
        names = self._book.names()
        name = select if select in names else names[0]
        if self.profile.currentText() == name:
            self._profile_picked(name)
        else:
            self.profile.setCurrentText(name)

    def _profile_picked(self, name: str) -> None:
        if self._loading or not name:
            return
        profile = self._book.load(name)
        self._loading = True
        self.region.setCurrentIndex(max(self.region.findData(profile.region), 0))
        self.endpoint.setText(profile.endpoint)
        self.endpoint.setVisible(profile.region == "custom")
        self.key.setText(self._book.key_for(name))
        self._loading = False
        self._book.set_last_used(name)
        self._show_status()
        self.profile_loaded.emit(profile)
        self.changed.emit()

    def current_profile(self) -> str:
        return self.profile.currentText()

    def new_profile(self) -> None:
        dialog = QInputDialog(self)
        dialog.setWindowTitle("New profile")
        dialog.setLabelText("Profile name:")
        dialog.textValueSelected.connect(self.create_profile)
        dialog.open()

    def create_profile(self, name: str) -> None:
        error = self._book.create(name)
        if error:
            self.status.setText(f'<span style="color:{tone("error")}">{escape(error)}</span>')
            return
        self._fill_profiles(name.strip())

    def rename_profile(self) -> None:
        dialog = QInputDialog(self)
        dialog.setWindowTitle("Rename profile")
        dialog.setLabelText("New name:")
        dialog.setTextValue(self.current_profile())
        dialog.textValueSelected.connect(self.rename_to)
        dialog.open()

    def rename_to(self, name: str) -> None:
        error = self._book.rename(self.current_profile(), name)
        if error:
            self.status.setText(f'<span style="color:{tone("error")}">{escape(error)}</span>')
            return
        self._fill_profiles(name.strip())

    def delete_profile(self) -> QMessageBox:
        return ask_yes_no(
            self,
            "Delete profile",
            f"Delete the profile {self.current_profile()!r} and its stored key?",
            self._delete,
        )

    def _delete(self) -> None:
        self._book.delete(self.current_profile())
        self._fill_profiles(None)

    def offer_key_file(self) -> QMessageBox | None:
        """The explicit, warned opt-in to a plain-text 0600 key file (no keyring only)."""
        status = getattr(self._book.vault, "status", None)
        warning = getattr(status, "file_warning", "")
        if not warning:
            self.status.setText(
                "Keys are already kept persistently (" + escape(self._book.storage_note()) + ")"
            )
            return None
        return ask_yes_no(
            self, "Save write keys in a file?", warning, self._enable_key_file, warning=True
        )

    def _enable_key_file(self) -> None:
        self.store_key()
        self._book.vault.enable_file_storage(acknowledge_plaintext=True)  # type: ignore[attr-defined]
        self._show_status()

    # -- key and target ---------------------------------------------------------------

    def _toggle_reveal(self, on: bool) -> None:
        self.key.setEchoMode(QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password)
        self.reveal.setText("Hide" if on else "Show")

    def store_key(self) -> None:
        """Keep the key (keyring or session) once the user is done typing it."""
        if not self._loading:
            self._book.set_key(self.current_profile(), self.write_key())

    def _region_changed(self, _index: int) -> None:
        self.endpoint.setVisible(self.region.currentData() == "custom")
        self._edited()

    def _edited(self, *_: object) -> None:
        if self._loading:
            return
        self._book.save_target(
            self.current_profile(), str(self.region.currentData()), self.endpoint.text().strip()
        )
        self._show_status()
        self.changed.emit()

    def write_key(self) -> str:
        return self.key.text().strip()

    def key_problem(self) -> str | None:
        error, _warning = check_write_key(self.key.text())
        return error

    def target(self) -> Target:
        region = str(self.region.currentData())
        if region == "custom":
            return custom_target(self.endpoint.text())
        return region_target(region)

    def describe(self) -> str:
        try:
            where = self.target().label
        except TargetError as exc:
            where = f"(invalid endpoint: {exc.problem})"
        key = mask_key(self.write_key())
        return f"{where}" + (f" · key {key}" if key else "")

    def _show_status(self) -> None:
        error, warning = check_write_key(self.key.text())
        parts = []
        if error:
            parts.append(f'<span style="color:{tone("error")}">{error}</span>')
        elif warning:
            parts.append(f'<span style="color:{tone("warn")}">{warning}</span>')
        if self.region.currentData() == "custom":
            try:
                notes = self.target().notes
                parts.extend(notes)
            except TargetError as exc:
                parts.append(f'<span style="color:{tone("error")}">{exc.problem}</span>')
        note = self._book.storage_note()
        if not self._book.key_persistent():
            where = "this session only"
        elif "plain text" in note:
            where = "a 0600 file"
        else:
            where = "system keyring"
        parts.append(f"Key kept in: {where} (hover for why)")
        self.file_opt_in.setVisible(not self._book.key_persistent())
        self.status.setText(" · ".join(parts))
        self.status.setToolTip(self._book.storage_note())
