"""Presentation mode on screen: the app as it should look on a projector.

The rules (what is hidden, which history rows show) are the window state's `Presenter`;
this is the Qt half. Turning the mode on scales the application's type and spacing (an
app-wide font and style sheet, so every panel follows without knowing), and installs a
guard that scrubs every QLabel (tooltips included) right before it paints, whoever set
its text: the last line of defence for a status line or a panel written later. Text views
(QPlainTextEdit) are not labels: their owners put text through the presenter themselves.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from app.state.presentation import Presenter

#: Type is scaled by this much, and never below MIN_POINT_SIZE (projectors are far away).
SCALE = 1.5
MIN_POINT_SIZE = 14.0
#: A window (or screen) shorter than this, in Qt's units (1600x1000 at 2x scaling is
#: 800x500), has its type scaled by SMALL_SCALE only, without the floor: on such a screen
#: each point is already two pixels, and 1.5x type would leave no room for the payload
#: and the history.
SMALL_SCREEN = 560
SMALL_SCALE = 1.2

#: Extra spacing for a room: bigger click targets, more air between rows.
STYLE_SHEET = """
* { font-size: %(body)dpt; }
QPushButton, QToolButton { padding: 6px 16px; }
QLineEdit, QComboBox, QSpinBox, QDoubleSpinBox, QDateTimeEdit { padding: 4px 6px; }
QTabBar::tab { padding: 8px 18px; }
QTableView::item, QListWidget::item { padding: 4px; }
QPlainTextEdit, QTextEdit { font-size: %(mono)dpt; }
"""


def scaled_point_size(base: float, screen_height: int = SMALL_SCREEN) -> float:
    """The presentation type size for `base` on a screen `screen_height` high (Qt units)."""
    if screen_height < SMALL_SCREEN:
        return base * SMALL_SCALE
    return max(base * SCALE, MIN_POINT_SIZE)


class PresentationStyle(QObject):
    """Follows `presenter.toggled`: larger type and spacing, and the label guard."""

    def __init__(self, app: QApplication, presenter: Presenter, parent: QObject | None = None):
        super().__init__(parent)
        self._app = app
        self._presenter = presenter
        self._base_font = QFont(app.font())
        self._base_sheet = app.styleSheet()
        self._guard = _LabelGuard(presenter, self)
        self._on = False
        presenter.toggled.connect(self.apply)

    def apply(self, on: bool) -> None:
        if on == self._on:
            return
        self._on = on
        if on:
            self._base_font = QFont(self._app.font())
            self._base_sheet = self._app.styleSheet()
            font = QFont(self._base_font)
            font.setPointSizeF(scaled_point_size(self._base_font.pointSizeF(), self._height()))
            self._app.setFont(font)
            # The font goes in the sheet too: once an app style sheet is set, widgets
            # resolve their font through it and ignore QApplication.setFont.
            sizes = {"body": round(font.pointSizeF()), "mono": round(font.pointSizeF() * 0.9)}
            self._app.setStyleSheet(self._base_sheet + STYLE_SHEET % sizes)
            self._app.installEventFilter(self._guard)
            for label in self._app.allWidgets():
                if isinstance(label, QLabel):
                    self._guard.clean(label)
        else:
            self._app.removeEventFilter(self._guard)
            self._app.setFont(self._base_font)
            self._app.setStyleSheet(self._base_sheet)

    def _height(self) -> int:
        """The height the window has: its own, or its screen's free height if less."""
        window = self.parent()
        screen = window.screen() if isinstance(window, QWidget) else None
        screen = screen or self._app.primaryScreen()
        height = screen.availableGeometry().height() if screen is not None else SMALL_SCREEN
        if isinstance(window, QWidget) and window.isVisible():
            height = min(height, window.height())
        return height


class _LabelGuard(QObject):
    """Any QLabel about to paint text that names a secret is scrubbed first. Installed
    on the application only while the mode is on, so it costs nothing else."""

    def __init__(self, presenter: Presenter, parent: QObject) -> None:
        super().__init__(parent)
        self._presenter = presenter

    def clean(self, label: QLabel) -> None:
        text = label.text()
        if text:
            scrubbed = self._presenter.scrub(text)
            if scrubbed != text:
                label.setText(scrubbed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(watched, QLabel):
            self.clean(watched)
        return False
