"""Event panel: the twelve Segment event types, the RevenueCat event form, and
"Import RevenueCat webhook JSON".

Picking a type loads its template into the draft; the form's edits flow back as event
dicts. The type list and description always show the type the draft says the event is.
Dialogs are opened with `open()` (never `exec()`), so a send running in the qasync loop
is never re-entered.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core.catalogue import CATALOGUE, EventSpec
from app.state.draft import Draft
from app.state.formdata import FormError, event_from_form, parse_webhook_text
from app.ui.compose.event_form import EventForm
from app.ui.widgets.colours import tone
from app.ui.widgets.file_dialogs import open_file

_STORE_NAMES = {
    "APP_STORE": "App Store",
    "PLAY_STORE": "Play Store",
    "AMAZON": "Amazon",
    "STRIPE": "Stripe",
    "PROMOTIONAL": "Promo",
}


def stores_text(spec: EventSpec) -> str:
    order = list(_STORE_NAMES)
    names = [_STORE_NAMES[s.value] for s in sorted(spec.stores, key=lambda s: order.index(s))]
    return "Produced by: " + ", ".join(names)


class ImportDialog(QDialog):
    """Paste a webhook body, or load it from a file; `text()` is what to import."""

    def __init__(
        self, parent: QWidget | None = None, check: Callable[[str], str | None] | None = None
    ) -> None:
        super().__init__(parent)
        self._check = check  # text -> what is wrong with it, or None
        self.setWindowTitle("Import RevenueCat webhook JSON")
        self.resize(640, 480)
        self.editor = QPlainTextEdit()
        self.editor.setPlaceholderText(
            'Paste a RevenueCat webhook body ({"api_version": "1.0", "event": {…}}) '
            "or the bare event object"
        )
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {tone('error')};")
        open_file = QPushButton("Open file…")
        open_file.clicked.connect(self._choose_file)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.addButton(open_file, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.editor)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def accept(self) -> None:
        """OK: only text that imports closes the dialog; otherwise it stays open with the
        pasted text and says what is wrong (closing would lose the paste)."""
        problem = self._check(self.editor.toPlainText()) if self._check else None
        if problem:
            self.error.setText(f"Not imported: {problem}")
            return
        super().accept()

    def _choose_file(self) -> QFileDialog:
        return open_file(self, "Open RevenueCat webhook JSON", "JSON (*.json);;All (*)",
                         self.load_file)  # fmt: skip

    def load_file(self, path: str) -> None:
        try:
            self.editor.setPlainText(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            self.error.setText(f"{path}: {exc}")


class EventPanel(QWidget):
    """Type list on the left, the form on the right; writes into the draft."""

    def __init__(self, draft: Draft, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._draft = draft
        self._syncing = False

        self.types = QListWidget()
        self.types.setObjectName("event_types")
        self.types.setAccessibleName("Segment event type")
        for spec in CATALOGUE.values():
            item = QListWidgetItem(spec.label + (" *" if spec.optional else ""))
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            item.setToolTip(f"{spec.description}\n{stores_text(spec)}")
            self.types.addItem(item)
        self.types.setMinimumWidth(self.types.sizeHintForColumn(0) + 28)
        self.types.currentItemChanged.connect(self._type_picked)

        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setObjectName("type_description")
        self.import_button = QPushButton("Import webhook JSON…")
        self.import_button.setToolTip("Paste or open a RevenueCat webhook body; it fills the form")
        self.import_button.clicked.connect(self.open_import)

        self.form = EventForm()
        self.form.changed.connect(self._form_changed)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        # Sideways too, as needed: on a narrow (2x) pane the fields scroll into view
        # instead of being cut off at its edge.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel("Event type"))
        left_layout.addWidget(self.types, 1)
        legend = QLabel("<small>* optional: RevenueCat sends it only while it has a name</small>")
        legend.setWordWrap(True)
        left_layout.addWidget(legend)
        left_layout.addWidget(self.description)
        left_layout.addWidget(self.import_button)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("event_splitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(scroll)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([200, 440])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.setTabOrder(self.types, self.import_button)
        self.setTabOrder(self.import_button, self.form)

        self._event_loaded()
        draft.event_loaded.connect(self._event_loaded)
        draft.rendered.connect(self._show_type)
        draft.rendered.connect(lambda: self.form.mark_invalid(draft.error_field))

    # -- type list --------------------------------------------------------------------

    def select_type(self, key: str) -> None:
        """Pick a type as the user would (loads its template)."""
        self.types.setCurrentRow(list(CATALOGUE).index(key))

    def _type_picked(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        if item is None or self._syncing:
            return
        self._draft.load_type(item.data(Qt.ItemDataRole.UserRole))

    def _show_type(self) -> None:
        """The list and description follow the draft's type: editing period type or trial
        conversion, or importing a webhook, can turn the event into another type."""
        key = self._draft.type_key
        self._syncing = True
        try:
            if key in CATALOGUE:
                spec = CATALOGUE[key]
                self.description.setText(
                    f"<b>{spec.label}</b>: {spec.description}<br><small>{stores_text(spec)}</small>"
                )
                self.types.setCurrentRow(list(CATALOGUE).index(key))
            else:
                self.types.setCurrentRow(-1)
                kind = escape(str(self._draft.rc_event.get("type") or "this event"))
                reason = self._draft.not_sent_reason() or "it does not render"
                self.description.setText(f"<b>{kind}</b>: no Segment event ({escape(reason)})")
        finally:
            self._syncing = False

    def _event_loaded(self) -> None:
        self.form.fill(self._draft.rc_event)
        self._show_type()

    # -- form -------------------------------------------------------------------------

    def _form_changed(self) -> None:
        try:
            event = event_from_form(
                self.form.values(), self.form.rows(), self._draft.rc_event, int(time.time() * 1000)
            )
        except FormError as exc:
            self._draft.set_form_error(str(exc), exc.field)
            return
        self._draft.set_event(event)

    # -- import -----------------------------------------------------------------------

    def open_import(self) -> ImportDialog:
        dialog = ImportDialog(self, check=_import_problem)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.import_text(dialog.editor.toPlainText()))
        dialog.open()
        return dialog

    def import_text(self, text: str) -> str | None:
        """Fill the form from webhook JSON; returns an error message, or None."""
        try:
            event = parse_webhook_text(text)
        except FormError as exc:
            self._draft.set_form_error(f"Import: {exc}")
            return str(exc)
        self._draft.load_event(event)
        return None


def _import_problem(text: str) -> str | None:
    try:
        parse_webhook_text(text)
    except FormError as exc:
        return str(exc)
    return None
