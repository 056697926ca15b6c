"""Connection panel: profile picker (new / rename / delete), the write key (masked, with
show/hide and validation), region US / EU / custom endpoint, and where the key is kept.

It edits the window state's `ConnectionState` and redraws from it; picking a profile is
`WindowState.pick_profile`, which puts its target, key and integration settings in force
at once. Profiles and keys live behind the state's `ProfileBook`: this widget never
touches files or the keyring itself.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
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

from app.core import targets
from app.state.window import WindowState
from app.ui.widgets.colours import tone
from app.ui.widgets.dialogs import ask_yes_no
from app.ui.widgets.elided_label import ElidedLabel


def _narrowable(combo: QComboBox, chars: int) -> None:
    """As wide as its longest item when there is room (one added later too: a new
    profile's long name), down to `chars` of its widest letter (elided) when not. Qt adds
    the arrow and frame in C++: asking the style for them from Python built QStyle's
    Python type and its enums, ~45 M instructions (2.6%) of the start-up's critical
    path, measured with callgrind."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # a new item too
    combo.setMinimumContentsLength(chars)


class ConnectionPanel(QWidget):
    """Draws `state.connection`; user edits go back to it."""

    def __init__(self, state: WindowState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._conn = state.connection
        self._book = state.book
        self._filling = False

        self.profile = QComboBox()
        self.profile.setObjectName("profile")
        _narrowable(self.profile, 6)
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
        # Made here, with its menu as parent, not by addAction(text, slot): PySide6 could
        # drop the wrapper of an action it made while the window's tabs were built.
        self.file_opt_in = QAction("Save keys in a file…", actions)
        self.file_opt_in.triggered.connect(self.offer_key_file)
        actions.addAction(self.file_opt_in)
        self.file_opt_in.setToolTip("Only when no system keyring exists: plain text, mode 0600")
        self.profile_menu.setMenu(actions)

        self.key = QLineEdit()
        self.key.setObjectName("write_key")
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setPlaceholderText("Segment write key")
        self.key.setToolTip("Your source's write key; shown masked everywhere else")
        self.key.textChanged.connect(self._key_typed)
        self.key.editingFinished.connect(self.store_key)
        self.reveal = QToolButton()
        self.reveal.setObjectName("reveal_key")
        self.reveal.setText("Show")
        self.reveal.setCheckable(True)
        self.reveal.setToolTip("Show or hide the write key")
        self.reveal.toggled.connect(self._toggle_reveal)

        self.region = QComboBox()
        self.region.setObjectName("region")
        for key, label in targets.choices():  # the one registry of targets
            self.region.addItem(label, key)
        self.region.setToolTip(
            "An EU workspace's key sent to the US host gets 200 and the events never appear"
        )
        self.region.currentIndexChanged.connect(self._region_picked)
        _narrowable(self.region, 9)
        self.endpoint = QLineEdit()
        self.endpoint.setObjectName("endpoint")
        self.endpoint.setPlaceholderText("https://collector.example.com/v1")
        self.endpoint.setToolTip("Base URL; the app appends /track, /identify, /batch")
        self.endpoint.textChanged.connect(self._endpoint_typed)
        self.endpoint.hide()

        # One line, elided, never wrapped: a message that wrapped and unwrapped moved every
        # control below it, and the window's splitter kept the history taller each time.
        # The problem comes first (what the line keeps); the tooltip has all of it.
        self.status = ElidedLabel()
        self.status.setObjectName("key_status")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        labelled: tuple[tuple[str | None, QWidget], ...] = (
            ("Profile:", self.profile),
            (None, self.profile_menu),
            ("Write key:", self.key),
            (None, self.reveal),
            ("Region:", self.region),
            (None, self.endpoint),
        )
        for words, widget in labelled:
            if words:
                caption = QLabel(words)
                caption.setBuddy(widget)
                row.addWidget(caption)
            row.addWidget(widget)
        row.addStretch(1)  # past the fields' widest, the room is left empty at the right
        # Widths in characters of the font (a 2x screen, presentation type), and small
        # enough that the row fits an 800-point-wide window (1600 pixels at 2x): a row
        # squeezed below its minimum puts the Show button over the key.
        chars = self.fontMetrics().averageCharWidth()
        for field in (self.key, self.endpoint):
            field.setMinimumWidth(chars * 16)
            field.setMaximumWidth(chars * 44)  # a 32-letter key, and room to spare
            row.setStretchFactor(field, 4)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addLayout(row)
        column.addWidget(self.status)
        self._fill()
        self._conn.changed.connect(self._fill)
        state.profile_changed.connect(self._fill)

    # -- drawing ----------------------------------------------------------------------

    def _fill(self) -> None:
        """Show what the state holds (after a profile pick, or any edit)."""
        conn = self._conn
        self._filling = True
        try:
            names = self._book.names()
            if [self.profile.itemText(i) for i in range(self.profile.count())] != names:
                self.profile.clear()
                self.profile.addItems(names)
            self.profile.setCurrentText(conn.profile)
            self.region.setCurrentIndex(max(self.region.findData(conn.region), 0))
            self.endpoint.setVisible(conn.region == "custom")
            if self.endpoint.text() != conn.endpoint:
                self.endpoint.setText(conn.endpoint)
            if self.key.text() != conn.key_text:
                self.key.setText(conn.key_text)
        finally:
            self._filling = False
        self._show_status()

    def _show_status(self) -> None:
        conn = self._conn
        parts: list[str] = []
        kind = ""  # the line's colour: its most serious part's
        problem = conn.key_problem() or conn.key_warning()
        if problem:
            parts.append(problem)
            kind = "error" if conn.key_problem() else "warn"
        if conn.region == "custom":
            problem = conn.target_problem()
            if problem:
                parts.append(problem)
                kind = "error"
            else:
                parts.extend(conn.target().notes)
        if self._book.vault_pending:
            where = "checking the system keyring…"
        elif not self._book.key_persistent():
            where = "this session only"
        elif self._book.key_in_file():
            where = "a 0600 file"
        else:
            where = "system keyring"
        parts.append(f"Key kept in: {where} (hover for why)")
        self.file_opt_in.setVisible(not self._book.key_persistent())
        self._say(" · ".join(parts), kind, self._book.storage_note())

    def _error(self, message: str) -> None:
        self._say(message, "error")

    def _say(self, text: str, kind: str = "", note: str = "") -> None:
        self.status.setStyleSheet(f"color: {tone(kind)}" if kind else "")
        self.status.setText(text)
        tip = text + (f"\n\n{note}" if note else "")
        self.status.setToolTip(self._state.presenter.scrub(tip))

    # -- edits ------------------------------------------------------------------------

    def _profile_picked(self, name: str) -> None:
        if not self._filling and name and name != self._conn.profile:
            self.store_key()
            self._state.pick_profile(name)

    def _key_typed(self, text: str) -> None:
        if not self._filling:
            self._conn.set_key(text)

    def _region_picked(self, _index: int) -> None:
        if not self._filling:
            self._conn.set_region(str(self.region.currentData()))

    def _endpoint_typed(self, text: str) -> None:
        if not self._filling:
            self._conn.set_endpoint(text)

    def _toggle_reveal(self, on: bool) -> None:
        self.key.setEchoMode(QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password)
        self.reveal.setText("Hide" if on else "Show")

    def store_key(self) -> None:
        """Keep the key (keyring or session) once the user is done typing it."""
        self._conn.store_key()

    def current_profile(self) -> str:
        return self._conn.profile

    # -- profiles ---------------------------------------------------------------------

    def new_profile(self) -> None:
        dialog = QInputDialog(self)
        dialog.setWindowTitle("New profile")
        dialog.setLabelText("Profile name:")
        dialog.textValueSelected.connect(self.create_profile)
        dialog.open()

    def create_profile(self, name: str) -> None:
        error = self._book.create(name)
        if error:
            self._error(error)
            return
        self.store_key()
        self._state.pick_profile(name.strip())

    def rename_profile(self) -> None:
        dialog = QInputDialog(self)
        dialog.setWindowTitle("Rename profile")
        dialog.setLabelText("New name:")
        dialog.setTextValue(self.current_profile())
        dialog.textValueSelected.connect(self.rename_to)
        dialog.open()

    def rename_to(self, name: str) -> None:
        self.store_key()
        error = self._book.rename(self.current_profile(), name)
        if error:
            self._error(error)
            return
        self._state.pick_profile(name.strip())

    def delete_profile(self) -> QMessageBox:
        return ask_yes_no(
            self,
            "Delete profile",
            f"Delete the profile {self.current_profile()!r} and its stored key?",
            self._delete,
        )

    def _delete(self) -> None:
        self._book.delete(self.current_profile())
        self._state.pick_profile("")

    def offer_key_file(self) -> QMessageBox | None:
        """The explicit, warned opt-in to a plain-text 0600 key file (no keyring only)."""
        warning = self._book.file_warning()
        if not warning:
            self._say(f"Keys are already kept persistently ({self._book.storage_note()})")
            return None
        return ask_yes_no(
            self, "Save write keys in a file?", warning, self._enable_key_file, warning=True
        )

    def _enable_key_file(self) -> None:
        self.store_key()
        self._book.enable_key_file()
        self._show_status()
