"""The main window: a frame that paints at once, then panels wired to services.

Two steps on purpose. `MainWindow(...)` builds only the frame (title, size, menus, status
bar) from Qt alone, so it can be shown and painted before the engine (pydantic), storage
(sqlite3, keyring) and delivery (httpx) are imported. The composition root
(`app.ui.shell.root.attach`) then builds every feature, places it in the frame and hands
the frame its `WindowContent`; the frame itself knows none of the features.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

# Not `Qt`: importing that namespace costs 50–90 ms, so methods that run after the first
# paint import it themselves.
from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, Signal
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QMessageBox, QSplitter, QWidget

from app import __version__

if TYPE_CHECKING:  # asyncio too: importing it costs ~60 ms the first paint does not need
    import asyncio

    from app.ui.shell.services import Services
    from app.ui.widgets.focus_chain import TabCycle


class WindowContent(Protocol):
    """What the frame needs of what was built into it: state to save, and a shutdown."""

    splitters: dict[str, QSplitter]

    def remember(self, ui: QSettings) -> None: ...

    async def aclose(self) -> None: ...


DEFAULT_SIZE = (1280, 820)
MIN_SIZE = (960, 640)  # cut down further on a screen smaller than this
#: The app's icon (resources/, beside the .desktop entry that names it).
ICON = Path(__file__).resolve().parents[3] / "resources" / "icons" / "rc-segment-tester.png"


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
        self.workspace: WindowContent | None = None
        #: Closes the window's Tab order into a loop (set by the composition root).
        self.tab_cycle: TabCycle | None = None
        self.setObjectName("main_window")
        self.setWindowTitle("RevenueCat → Segment tester")
        if ICON.exists():
            self.setWindowIcon(QIcon(str(ICON)))
        self.resize(*DEFAULT_SIZE)
        geometry = ui_settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        self.fit_to_screen()
        self.loading = QLabel("  Loading…")
        self.setCentralWidget(self.loading)
        self.statusBar().showMessage("Loading the payload engine…")
        self.menus: dict[str, QMenu] = {
            name: self.menuBar().addMenu(title)
            for name, title in (("file", "&File"), ("send", "&Send"), ("view", "&View"),
                                ("help", "&Help"))
        }  # fmt: skip
        self.menus["help"].addAction("&About", self.show_about)
        # Its shortcut is set in attach(): resolving a standard key binding costs ~30 ms.
        self.quit_action = QAction("&Quit", self)
        self.quit_action.triggered.connect(self.close)
        self.installEventFilter(self)

    def fit_to_screen(self) -> None:
        """Never larger than the screen's free area (a 1366×768 laptop, or 1600×1000 at
        2× scaling, which is 800×500 to Qt): a saved or default size that does not fit
        is cut down and the window moved fully onto the screen."""
        screen = self.screen()
        if screen is None:
            return
        free = screen.availableGeometry()
        self.setMinimumSize(min(MIN_SIZE[0], free.width()), min(MIN_SIZE[1], free.height()))
        width, height = min(self.width(), free.width()), min(self.height(), free.height())
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)
        x = min(max(self.x(), free.left()), free.right() - width + 1)
        y = min(max(self.y(), free.top()), free.bottom() - height + 1)
        if (x, y) != (self.x(), self.y()):
            self.move(x, y)

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

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab from the last field of the window's order goes to its first (and
        Shift+Tab back); every other step is Qt's focus chain."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication

        cycle = self.tab_cycle
        target = cycle.wrap(QApplication.focusWidget(), next) if cycle is not None else None
        if target is None:
            return super().focusNextPrevChild(next)
        reason = Qt.FocusReason.TabFocusReason if next else Qt.FocusReason.BacktabFocusReason
        target.setFocus(reason)
        return True

    # -- panels -----------------------------------------------------------------------

    @property
    def ui_settings(self) -> QSettings:
        return self._ui

    def adopt(self, content: WindowContent, services: Services) -> None:
        """Take what the composition root built (it has placed it with `set_content`)."""
        self.services = services
        self.workspace = content
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.menus["file"].addSeparator()
        self.menus["file"].addAction(self.quit_action)
        self._restore_splitters()
        self.statusBar().clearMessage()

    def set_content(self, widget: QWidget) -> None:
        """Replace the "Loading…" placeholder with the built window content."""
        self.setCentralWidget(widget)

    def _restore_splitters(self) -> None:
        assert self.workspace is not None
        for name, splitter in self.workspace.splitters.items():
            state = self._ui.value(f"splitters/{name}")
            if isinstance(state, QByteArray):
                splitter.restoreState(state)

    def save_state(self) -> None:
        self._ui.setValue("window/geometry", self.saveGeometry())
        if self.workspace is not None:
            for name, splitter in self.workspace.splitters.items():
                self._ui.setValue(f"splitters/{name}", splitter.saveState())
            self.workspace.remember(self._ui)
        self._ui.sync()

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
        # close, finish async work in a task, then close for real (docs/qt-notes.md, qasync).
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
        if self.workspace is not None:
            await self.workspace.aclose()
        if self.services is not None:
            await self.services.aclose()
        self._shut_down = True
        self.close()
        self.closed.emit()
