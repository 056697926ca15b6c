"""Presentation mode: the app as it should look on a projector in front of a room.

One `PresentationMode` object per window. Turning it on scales the application's type
and spacing (an app-wide font and style sheet, so every panel follows without knowing),
and flips a flag that panels consult through these hooks:

* `scrub(text)`: run any text that may name the write key, a custom endpoint's host or a
  profile before showing it (a no-op when the mode is off). Secrets come from the
  `secrets` callable the window installs with `set_secrets`; the window calls
  `invalidate()` whenever the key, endpoint or profiles change, so a key typed a second
  ago is covered without rebuilding the scrubber on every paint.
* `history_since`: the start of this session while on, else None; a history view adds it
  to its query, so rows from earlier sessions stay off the screen.
* every QLabel (tooltips included) is scrubbed right before it paints while the mode is
  on, whoever set its text; text views (QPlainTextEdit) are not, so they need `scrub`.
* `toggled(bool)`: panels that hide widgets (the key field, the endpoint, the profile
  picker) or re-filter connect to it and redraw.

`app.ui.extensions` (`attach_extensions` → `_hook_presentation`) connects the existing
panels from the outside: the connection row is hidden behind a public banner, the HTTP
request / cURL tabs go through a scrubbing request renderer, the history detail is
scrubbed on change, the history's Target column is hidden and `HistoryPanel.since`
returns `history_since`. A panel written later should call the hooks itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QLabel

from app.core.scrub import Scrubber

#: Type is scaled by this much, and never below MIN_POINT_SIZE (projectors are far away).
SCALE = 1.5
MIN_POINT_SIZE = 14.0

#: Extra spacing for a room: bigger click targets, more air between rows.
STYLE_SHEET = """
* { font-size: %(body)dpt; }
QPushButton, QToolButton { padding: 6px 16px; }
QLineEdit, QComboBox, QSpinBox, QDoubleSpinBox, QDateTimeEdit { padding: 4px 6px; }
QTabBar::tab { padding: 8px 18px; }
QTableView::item, QListWidget::item { padding: 4px; }
QPlainTextEdit, QTextEdit { font-size: %(mono)dpt; }
"""


def scaled_point_size(base: float) -> float:
    return max(base * SCALE, MIN_POINT_SIZE)


class PresentationMode(QObject):
    """The flag, the scaling and the scrubbing; see the module docstring for the hooks.

    Signals:
        toggled(bool): the mode was switched on (True) or off (False).
    """

    toggled = Signal(bool)

    def __init__(self, app: QApplication, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self._active = False
        self._base_font = QFont(app.font())
        self._base_sheet = app.styleSheet()
        self._secrets: Callable[[], Scrubber] = Scrubber
        self._scrubber: Scrubber | None = None  # built once per change, not per paint
        self._guard = _LabelGuard(self)
        self.session_start = datetime.now(UTC)

    @property
    def active(self) -> bool:
        return self._active

    @property
    def history_since(self) -> datetime | None:
        """Only this session's history is shown while presenting."""
        return self.session_start if self._active else None

    def set_secrets(self, secrets: Callable[[], Scrubber]) -> None:
        """Where the current secrets come from; read again after `invalidate`."""
        self._secrets = secrets
        self._scrubber = None

    def invalidate(self) -> None:
        """The key, endpoint or profiles changed (the connection panel's `changed`)."""
        self._scrubber = None

    def scrub(self, text: str) -> str:
        if not self._active:
            return text
        if self._scrubber is None:
            self._scrubber = self._secrets()
        return self._scrubber.scrub(text)

    def set_active(self, on: bool) -> None:
        if on == self._active:
            return
        self._active = on
        self._scrubber = None
        if on:
            self._base_font = QFont(self._app.font())
            self._base_sheet = self._app.styleSheet()
            font = QFont(self._base_font)
            font.setPointSizeF(scaled_point_size(self._base_font.pointSizeF()))
            self._app.setFont(font)
            # The font goes in the sheet too: once an app style sheet is set, widgets
            # resolve their font through it and ignore QApplication.setFont.
            sizes = {"body": round(font.pointSizeF()), "mono": round(font.pointSizeF() * 0.9)}
            sheet = STYLE_SHEET % sizes
            self._app.setStyleSheet(self._base_sheet + sheet)
            self._app.installEventFilter(self._guard)
            for label in self._app.allWidgets():
                if isinstance(label, QLabel):
                    self._guard.clean(label)
        else:
            self._app.removeEventFilter(self._guard)
            self._app.setFont(self._base_font)
            self._app.setStyleSheet(self._base_sheet)
        self.toggled.emit(on)


class _LabelGuard(QObject):
    """The last line of defence while presenting: any QLabel about to paint text that
    names a secret (a status line, a tooltip, a panel written later) is scrubbed first.
    Installed on the application only while the mode is on, so it costs nothing else."""

    def __init__(self, mode: PresentationMode) -> None:
        super().__init__(mode)
        self._mode = mode

    def clean(self, label: QLabel) -> None:
        text = label.text()
        if text:
            scrubbed = self._mode.scrub(text)
            if scrubbed != text:
                label.setText(scrubbed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(watched, QLabel):
            self.clean(watched)
        return False
