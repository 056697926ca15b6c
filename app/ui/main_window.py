"""The main window: a frame that paints at once, then panels wired to services.

Two steps on purpose. `MainWindow(...)` builds only the frame (title, size, menus, status
bar) from Qt alone, so it can be shown and painted before the engine (pydantic), storage
(sqlite3, keyring) and delivery (httpx) are imported. `attach(services)` then builds the
panels, which talk to each other only through the Workbench and the services.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

# Not `Qt`: importing that namespace costs 50–90 ms, so methods that run after the first
# paint import it themselves.
from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import __version__

if TYPE_CHECKING:  # asyncio too: importing it costs ~60 ms the first paint does not need
    import asyncio

    from app.ui.services import Services

DEFAULT_SIZE = (1280, 820)
_SPLITTERS = ("main_splitter", "work_splitter", "event_splitter", "history_splitter")


class MainWindow(QMainWindow):
    """The frame; panels appear in `attach`.

    Signals:
        first_painted(): the window painted for the first time (start-up timing, smoke).
        closed(): shutdown finished (tasks cancelled, client closed, state saved).
    """

    first_painted = Signal()
    closed = Signal()

    def __init__(self, ui_settings: QSettings) -> None:
        super().__init__()
        self._ui = ui_settings
        self._painted = False
        self._shut_down = False
        self._shutdown_task: asyncio.Task[None] | None = None
        self.services: Services | None = None
        self.setObjectName("main_window")
        self.setWindowTitle("RevenueCat → Segment tester")
        self.resize(*DEFAULT_SIZE)
        self.setMinimumSize(960, 640)
        geometry = ui_settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        self.loading = QLabel("  Loading…")
        self.setCentralWidget(self.loading)
        self.statusBar().showMessage("Loading the payload engine…")
        self.file_menu = self.menuBar().addMenu("&File")
        self.send_menu = self.menuBar().addMenu("&Send")
        self.view_menu = self.menuBar().addMenu("&View")
        self.help_menu = self.menuBar().addMenu("&Help")
        self.help_menu.addAction("&About", self.show_about)
        # Its shortcut is set in attach(): resolving a standard key binding costs ~30 ms.
        self.quit_action = self.file_menu.addAction("&Quit", self.close)
        self.installEventFilter(self)

    # -- first paint ------------------------------------------------------------------

    @property
    def painted(self) -> bool:
        return self._painted

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self and event.type() == QEvent.Type.Paint and not self._painted:
            self._painted = True
            self.removeEventFilter(self)
            self.first_painted.emit()
        return super().eventFilter(watched, event)

    # -- panels -----------------------------------------------------------------------

    def attach(self, services: Services) -> None:
        """Build the panels over `services` and wire them (see app.ui.wiring)."""
        from PySide6.QtCore import Qt

        from app.ui.wiring import build_panels

        self.services = services
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.panels = build_panels(self, services)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.panels.connection)

        left = QTabWidget()
        left.setObjectName("left_tabs")
        left.addTab(self.panels.event, "&Event")
        left.addTab(self.panels.settings, "&Integration settings")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.panels.payload, 1)
        right_layout.addWidget(self.panels.send)
        work = QSplitter(Qt.Orientation.Horizontal)
        work.setObjectName("work_splitter")
        work.addWidget(left)
        work.addWidget(right)
        work.setSizes([640, 620])
        main = QSplitter(Qt.Orientation.Vertical)
        main.setObjectName("main_splitter")
        main.addWidget(work)
        main.addWidget(self.panels.history)
        main.setStretchFactor(0, 3)
        main.setStretchFactor(1, 1)
        main.setSizes([560, 200])
        layout.addWidget(main, 1)
        self.setCentralWidget(central)
        from app.ui.extensions import attach_extensions  # identity, lifecycles, presentation

        self.extensions = attach_extensions(self, services)
        self.loading.deleteLater()
        self._restore_splitters()
        self.statusBar().clearMessage()

    def _restore_splitters(self) -> None:
        for name in _SPLITTERS:
            splitter = self.findChild(QSplitter, name)
            state = self._ui.value(f"splitters/{name}")
            if splitter is not None and isinstance(state, QByteArray):
                splitter.restoreState(state)

    def save_state(self) -> None:
        self._ui.setValue("window/geometry", self.saveGeometry())
        for name in _SPLITTERS:
            splitter = self.findChild(QSplitter, name)
            if splitter is not None:
                self._ui.setValue(f"splitters/{name}", splitter.saveState())
        if self.services is not None:
            self.panels.remember(self._ui)
        self._ui.sync()

    def add_menu_action(
        self, menu: QMenu, text: str, slot: object, shortcut: str = "", tip: str = ""
    ) -> None:
        action = menu.addAction(text)
        action.triggered.connect(slot)
        if shortcut:
            from PySide6.QtCore import Qt

            action.setShortcuts([QKeySequence(s) for s in shortcut.split("|")])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)

    # -- about ------------------------------------------------------------------------

    def show_about(self) -> QMessageBox:
        """Non-blocking (`open()`), so a running send is not re-entered."""
        from PySide6.QtCore import Qt

        box = QMessageBox(self)
        box.setWindowTitle("About rc-segment-tester")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(
            f"<b>rc-segment-tester {__version__}</b><br>"
            "Craft, preview and send the exact Segment messages RevenueCat would send.<br>"
            "A 200 from Segment means <i>accepted by the API</i>; the Segment debugger "
            "shows what arrived."
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    # -- shutdown ---------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        # Nothing can be awaited once the loop stops, so close in two steps: ignore this
        # close, finish async work in a task, then close for real (QT_NOTES).
        if self._shut_down:
            event.accept()
            return
        event.ignore()
        if self._shutdown_task is None:
            import asyncio

            self._shutdown_task = asyncio.get_event_loop().create_task(self.shutdown())

    async def shutdown(self) -> None:
        """Cancel a running send, close the HTTP client and the store, save state."""
        self.save_state()
        if self.services is not None:
            await self.panels.aclose()
            await self.extensions.aclose()
            await self.services.aclose()
        self._shut_down = True
        self.close()
        self.closed.emit()
