"""The composition root: builds the window state, the send queue and every feature, places
each once, and connects what crosses features. The only module that knows them all.

Order matters only in one direction, and on purpose: the state is complete (profile in
force, its settings applied, the start event rendered) before any widget exists, and
each view reads the state when it is built. No feature finds another by object name, and
none knows where it sits in the window.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.scrub import public_target
from app.delivery.target import TargetError
from app.state.window import WindowState
from app.ui.compose.connection_panel import ConnectionPanel
from app.ui.compose.event_panel import EventPanel
from app.ui.compose.payload_panel import PayloadPanel
from app.ui.compose.send_panel import SendPanel
from app.ui.history.history_panel import HistoryPanel
from app.ui.send_queue import SendQueue
from app.ui.shell import actions as action_table
from app.ui.shell.delivery_dialog import DeliveryDialog, options_from
from app.ui.shell.main_window import MainWindow
from app.ui.shell.page_splits import PageSplits
from app.ui.shell.presentation import PresentationStyle
from app.ui.shell.requests import request_renderer
from app.ui.shell.resend import resend
from app.ui.shell.theme import THEMES, Theme
from app.ui.widgets.deferred import DeferredTab
from app.ui.widgets.file_dialogs import FOLDERS
from app.ui.widgets.focus_chain import TabCycle, chain
from app.ui.widgets.wheel_guard import WheelGuard

if TYPE_CHECKING:  # the hidden tabs' modules load when those tabs are built
    from app.ui.capture.capture_panel import CapturePanel
    from app.ui.compose.settings_panel import SettingsPanel
    from app.ui.identity.identity_panel import IdentityPanel
    from app.ui.identity.user_timeline import UserTimeline
    from app.ui.lifecycles.scenario_panel import ScenarioPanel
    from app.ui.shell.services import Services


@dataclass
class Workspace:
    """Everything the root built, for the shell (state saving, shutdown) and tests."""

    state: WindowState
    queue: SendQueue
    connection: ConnectionPanel
    event: EventPanel
    settings_tab: DeferredTab[SettingsPanel]
    payload: PayloadPanel
    send: SendPanel
    history: HistoryPanel
    identity_tab: DeferredTab[IdentityPanel]
    scenario_tab: DeferredTab[ScenarioPanel]
    capture_tab: DeferredTab[CapturePanel]  # built when first shown (never at start-up)
    presentation: PresentationStyle
    theme: Theme
    banner: QLabel
    tabs: QTabWidget  # Compose / Lifecycles / Capture
    actions: dict[str, QAction]
    splitters: dict[str, QSplitter]

    #: Made with the identity tab (it lives under the identity check).
    _timeline: UserTimeline | None = None
    tab_order: Callable[[], list[QWidget]] = list  # sets it again (a tab built later)
    #: The open "send a preview live?" question, if any (tests answer it).
    resend_question: QMessageBox | None = None

    @property
    def settings(self) -> SettingsPanel:
        return self.settings_tab.content()

    @property
    def identity(self) -> IdentityPanel:
        return self.identity_tab.content()

    @property
    def user_timeline(self) -> UserTimeline:
        self.identity_tab.content()
        assert self._timeline is not None
        return self._timeline

    @property
    def scenario(self) -> ScenarioPanel:
        return self.scenario_tab.content()

    @property
    def capture(self) -> CapturePanel:
        return self.capture_tab.content()

    def build_hidden(self) -> None:
        """Build the tabs start-up left out (the app calls this once the window is ready)."""
        for tab in (self.settings_tab, self.identity_tab, self.scenario_tab):
            tab.content()

    def remember(self, ui: QSettings) -> None:
        if FOLDERS.last is not None:
            ui.setValue("last/folder", str(FOLDERS.last))
        ui.setValue("view/theme", self.theme.name)
        if self.state.draft.type_key:
            ui.setValue("last/event_type", self.state.draft.type_key)
        ui.setValue("last/profile", self.state.profile)
        self.state.connection.store_key()

    async def aclose(self) -> None:
        if self.capture_tab.built:  # the receiver stops (bounded) before the sends end
            await self.capture.aclose()
        await self.queue.aclose()
        self.state.presenter.set_active(False)  # the application outlives the window
        self.theme.apply("system")


def attach(window: MainWindow, services: Services) -> Workspace:
    """Build every feature over `services`, place it in `window`, and give it the window."""
    workspace = build_workspace(window, services, window.ui_settings)
    window.adopt(workspace, services)
    return workspace


def build_workspace(window: MainWindow, services: Services, ui: QSettings) -> Workspace:
    folder = ui.value("last/folder")
    FOLDERS.last = Path(folder) if isinstance(folder, str) and folder else None
    last = ui.value("last/event_type")
    state = WindowState(
        services.profiles, services.renderer, last if isinstance(last, str) else None
    )
    queue = SendQueue(services.sender, state, options_from(ui, services.options), window)
    app = QApplication.instance()
    assert isinstance(app, QApplication)

    connection = ConnectionPanel(state)
    event = EventPanel(state.draft)
    payload = PayloadPanel(state, request_renderer(services.sender, state))
    send = SendPanel(state, queue)
    history = HistoryPanel(services.history, state.presenter, draft=state.draft.messages)
    style = PresentationStyle(app, state.presenter, window)
    wheel_guard = WheelGuard(window)
    ws_ref: list[Workspace] = []

    def build_identity() -> IdentityPanel:
        from app.ui.identity.identity_panel import IdentityPanel
        from app.ui.identity.user_timeline import UserTimeline

        identity = IdentityPanel(state, queue)
        timeline = UserTimeline(services.history, lambda: state.presenter.history_since)
        identity.add_section(timeline)
        ws_ref[0]._timeline = timeline
        # Who the timeline is about, and that it follows the history.
        identity.checked.connect(lambda _check: timeline.show_users(identity.user_ids()))
        queue.finished.connect(lambda _handle: timeline.refresh())
        state.presenter.toggled.connect(lambda _on: timeline.refresh())
        timeline.show_users(identity.user_ids())
        return identity

    def build_scenario() -> ScenarioPanel:
        from app.ui.lifecycles.scenario_panel import ScenarioPanel

        return ScenarioPanel(state, queue, services.renderer)

    def build_settings() -> SettingsPanel:
        from app.ui.compose.settings_panel import SettingsPanel

        return SettingsPanel(state)

    def build_capture() -> CapturePanel:
        from app.ui.capture.capture_panel import CapturePanel

        capture = CapturePanel(state, queue, services.history, services.data_dir, ui)
        capture.recorded.connect(history.reload)  # captured calls are history rows
        capture.message.connect(lambda text: window.statusBar().showMessage(text, 3000))
        return capture

    settings_tab = DeferredTab(build_settings)
    identity_tab = DeferredTab(build_identity)
    scenario_tab = DeferredTab(build_scenario)
    capture_tab = DeferredTab(build_capture, scroll=True)
    banner, tabs, splitters = _place(window, connection, event, settings_tab, identity_tab,
                                     payload, send, scenario_tab, history)  # fmt: skip
    tabs.addTab(capture_tab, "Cap&ture")
    ws = Workspace(state, queue, connection, event, settings_tab, payload, send, history,
                   identity_tab, scenario_tab, capture_tab, style, Theme(app), banner, tabs,
                   {}, splitters)  # fmt: skip
    ws_ref.append(ws)

    # What crosses features: history changes after any send.
    queue.finished.connect(lambda _handle: history.reload())
    state.presenter.toggled.connect(lambda on: _presenting(ws, on))
    state.connection.changed.connect(lambda: banner.setText(_banner_text(state)))
    history.resend_requested.connect(lambda row: resend(ws, row))

    cycle = window.tab_cycle = TabCycle()  # Tab from the history's end: the first field

    def tab_order() -> list[QWidget]:  # Tab: connection → compose → payload → send → history
        wheel_guard.watch(window)  # at start and for each tab built later: its combos too
        left = splitters["work_splitter"].widget(0) or event  # Event / settings / identity
        pages = [left, payload, send, scenario_tab, capture_tab]  # one of them is shown
        cycle.order = chain([connection, tabs.tabBar(), *pages, history])
        return cycle.order

    ws.tab_order = tab_order
    for deferred in (settings_tab, identity_tab, scenario_tab, capture_tab):
        deferred.after_build = tab_order
    tab_order()
    ws.actions = action_table.install(window, window.menus, _intents(ws, window))
    state.presenter.toggled.connect(ws.actions["presentation"].setChecked)
    saved = ui.value("view/theme")
    theme = saved if isinstance(saved, str) and saved in THEMES else "system"
    ws.actions[f"theme_{theme}"].setChecked(True)  # applies it
    return ws


def _place(window: MainWindow, connection: QWidget, event: QWidget, settings: QWidget,
           identity: QWidget, payload: QWidget, send: QWidget, scenario: QWidget,
           history: HistoryPanel) -> tuple[QLabel, QTabWidget, dict[str, QSplitter]]:  # fmt: skip
    """The one layout: connection row on top, compose/lifecycles tabs, history below."""
    banner = QLabel()
    banner.setObjectName("presentation_banner")
    banner.setStyleSheet("background:#1a5fb4; color:white; padding:6px; font-weight:600;")
    banner.hide()
    left = QTabWidget()
    left.setObjectName("left_tabs")
    left.addTab(event, "&Event")
    left.addTab(settings, "&Integration settings")
    left.addTab(identity, "Identit&y")
    right = QWidget()
    right_layout = QVBoxLayout(right)
    right_layout.setContentsMargins(0, 0, 0, 0)
    right_layout.addWidget(payload, 1)
    right_layout.addWidget(send)
    work = QSplitter(Qt.Orientation.Horizontal)
    work.setObjectName("work_splitter")
    work.addWidget(left)
    work.addWidget(right)
    work.setSizes([640, 620])
    tabs = QTabWidget()
    tabs.setObjectName("area_tabs")
    tabs.addTab(work, "&Compose")
    tabs.addTab(scenario, "Life&cycles")
    main = QSplitter(Qt.Orientation.Vertical)
    main.setObjectName("main_splitter")
    main.addWidget(tabs)
    main.addWidget(history)
    main.setStretchFactor(0, 3)
    main.setStretchFactor(1, 1)
    main.setSizes([560, 200])
    main.setChildrenCollapsible(False)
    splits = PageSplits(main, tabs)  # each page its share of the height
    if isinstance(window.ui_settings.value("splitters/main_splitter"), QByteArray):
        splits.restored()  # the saved split is the start page's
    central = QWidget()
    layout = QVBoxLayout(central)
    layout.setContentsMargins(6, 6, 6, 6)
    layout.addWidget(banner)
    layout.addWidget(connection)
    layout.addWidget(main, 1)
    window.set_content(central)
    event_splitter = getattr(event, "splitter", None)
    splitters = {"main_splitter": main, "work_splitter": work,
                 "history_splitter": history.splitter}  # fmt: skip
    if isinstance(event_splitter, QSplitter):
        splitters["event_splitter"] = event_splitter
    return banner, tabs, splitters


def _intents(ws: Workspace, window: MainWindow) -> dict[str, Any]:
    def focus_history() -> None:
        ws.history.text.setFocus()
        ws.history.text.selectAll()

    return {
        "import_webhook": ws.event.open_import,
        "export_report": lambda: ws.scenario.choose_report(),
        "send": lambda: ws.send.start(preview=False),
        "preview": lambda: ws.send.start(preview=True),
        "cancel": ws.queue.cancel,
        "filter_history": focus_history,
        "compare_history": ws.history.compare,
        "focus_event": ws.event.types.setFocus,
        "focus_payload": ws.payload.tabs.setFocus,
        "lifecycles": lambda: ws.tabs.setCurrentWidget(ws.scenario_tab),
        "capture": lambda: ws.tabs.setCurrentWidget(ws.capture_tab),
        "focus_key": ws.connection.key.setFocus,
        "presentation": ws.state.presenter.set_active,
        "copy_image": lambda: _copy_image(ws, window),
        "shortcuts": lambda: action_table.show_shortcuts(window),
        "delivery_options": lambda: _open(DeliveryDialog(ws.queue, window.ui_settings, window)),
        **{f"theme_{name}": _theme_intent(ws, name) for name in THEMES},
    }


def _open(dialog: QDialog) -> QDialog:
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def _theme_intent(ws: Workspace, name: str) -> Any:
    def chosen(on: bool) -> None:
        if on:
            ws.theme.apply(name)

    return chosen


def _banner_text(state: WindowState) -> str:
    try:
        where = public_target(state.connection.target().region)
    except TargetError:
        where = "a custom endpoint (address hidden)"
    return f"Presentation mode · sending to {where} · write key, endpoint and profiles hidden"


def _presenting(ws: Workspace, on: bool) -> None:
    ws.connection.setVisible(not on)
    ws.banner.setText(_banner_text(ws.state))
    ws.banner.setVisible(on)
    ws.send.refresh()


def _copy_image(ws: Workspace, window: MainWindow) -> None:
    if ws.tabs.currentWidget() is ws.scenario_tab:
        ws.scenario.copy_payload_image()
        return
    view = ws.payload.views[ws.payload.tabs.tabText(ws.payload.tabs.currentIndex())]
    from app.ui.widgets.images import copy_json_image  # the first copy loads it

    if copy_json_image(view) is not None:
        window.statusBar().showMessage("Payload copied as an image", 3000)
