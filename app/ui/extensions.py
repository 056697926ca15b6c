"""Identity check, lifecycles and presentation mode, added to a wired main window.

Kept out of `wiring.py` so the two features can evolve apart; the main window calls
`attach_extensions(window, services)` once, right after `build_panels`. What it adds:

* an "Identity" tab beside the event form (it checks the current event), with the
  user timeline of both ids under it;
* a "Lifecycles" tab beside the compose area (the work splitter moves into a tab);
* View → Presentation mode (Ctrl+Shift+P), File → Export scenario report…,
  Edit-like "Copy payload as image" (Ctrl+Shift+C) in the View menu;
* the presentation hooks on the issue-4 panels: the connection row is replaced by a
  public banner, the HTTP request/cURL tabs and the history detail are scrubbed, the
  history's Target column is hidden and its rows limited to this session.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QBoxLayout, QLabel, QSplitter, QTabWidget

from app.core.scrub import Scrubber, public_target, scrubber_for
from app.delivery.target import TargetError
from app.ui.identity_panel import IdentityPanel
from app.ui.json_view import JsonView
from app.ui.payload_panel import RequestRenderer
from app.ui.presentation import PresentationMode
from app.ui.report import copy_json_image
from app.ui.scenario_panel import ScenarioPanel
from app.ui.send_controller import SendController
from app.ui.user_timeline import UserTimeline
from app.ui.wiring import request_renderer

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow
    from app.ui.services import Services
    from app.ui.wiring import Panels

TARGET_COLUMN = 4  # history table: Time, Mode, Event, userId, Target, Status, Latency


@dataclass
class Extensions:
    sender: SendController
    identity: IdentityPanel
    scenario: ScenarioPanel
    presentation: PresentationMode
    presentation_action: QAction
    banner: QLabel
    tabs: QTabWidget
    user_timeline: UserTimeline

    async def aclose(self) -> None:
        """Stop a running scenario send; give the application its own type back (it
        outlives the window in tests and in `--smoke`)."""
        await self.sender.aclose()
        self.presentation.set_active(False)


def secrets_of(panels: Panels, services: Services) -> Scrubber:
    """What must not be shown right now: the key in the field, the custom endpoint
    (whatever is typed, even before it is valid) and every profile name."""
    endpoint = panels.connection.endpoint.text().strip()
    if endpoint and "://" not in endpoint:
        endpoint = "https://" + endpoint
    return scrubber_for(
        keys=[panels.connection.write_key(), panels.connection.key.text()],
        base_urls=[endpoint] if endpoint else [],
        profiles=services.profiles.names(),
    )


def attach_extensions(window: MainWindow, services: Services) -> Extensions:
    panels = window.panels
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    presentation = PresentationMode(app, window)
    presentation.set_secrets(lambda: secrets_of(panels, services))
    panels.connection.changed.connect(presentation.invalidate)
    sender = SendController(
        services.sender, services.options, other_busy=lambda: panels.controller.busy
    )
    # Both ways: the main Send/Preview wait while a scenario or the app's identify runs.
    panels.controller.other_busy = lambda: sender.busy
    panels.other_senders.append(sender)  # Esc cancels it too
    sender.busy_changed.connect(lambda _busy: panels.send.refresh())
    identity = IdentityPanel(panels.workbench, panels.connection, sender)
    scenario = ScenarioPanel(
        panels.workbench,
        panels.connection,
        sender,
        lambda: secrets_of(panels, services),
        services.renderer,
    )
    identity.recorded.connect(panels.history.reload)
    scenario.recorded.connect(panels.history.reload)
    timeline = UserTimeline(services.history, lambda: presentation.history_since)
    identity.add_section(timeline)
    identity.checked.connect(lambda _check: timeline.show_users(identity.user_ids()))
    for recorded in (identity.recorded, scenario.recorded, panels.send.recorded):
        recorded.connect(timeline.refresh)
    presentation.toggled.connect(lambda _on: timeline.refresh())
    timeline.show_users(identity.user_ids())
    for refresh in (identity.update_actions, scenario.update_actions):
        panels.connection.changed.connect(refresh)
        panels.controller.busy_changed.connect(lambda _busy, refresh=refresh: refresh())

    left = window.findChild(QTabWidget, "left_tabs")
    if left is not None:
        left.addTab(identity, "Identit&y")
    tabs = _tab_compose_area(window, scenario)
    banner = _banner(panels)
    _hook_presentation(
        presentation, panels, banner, request_renderer(services.sender, panels.connection)
    )

    menu = window.view_menu
    menu.addSeparator()
    action = QAction("Presentation &mode", window)
    action.setCheckable(True)
    action.setShortcut(QKeySequence("Ctrl+Shift+P"))
    action.setStatusTip("Larger type; write key, endpoint host and profile names hidden")
    action.toggled.connect(presentation.set_active)
    presentation.toggled.connect(action.setChecked)
    menu.addAction(action)
    window.add_menu_action(
        menu, "&Lifecycles", lambda: tabs.setCurrentWidget(scenario), "Ctrl+3", "Scenario timeline"
    )
    window.add_menu_action(
        menu,
        "Copy payload as &image",
        lambda: _copy_image(window, tabs, scenario),
        "Ctrl+Shift+C",
        "PNG of the shown JSON (or its selection) on the clipboard",
    )
    window.add_menu_action(
        window.file_menu,
        "Export scenario &report…",
        scenario._choose_report,
        "",
        "One HTML file: timeline, payloads and settings (no key, no endpoint)",
    )
    return Extensions(sender, identity, scenario, presentation, action, banner, tabs, timeline)


def _tab_compose_area(window: MainWindow, scenario: ScenarioPanel) -> QTabWidget:
    """Put the compose area (the work splitter) and the lifecycles panel in tabs, in the
    place the work splitter had inside the main splitter."""
    tabs = QTabWidget()
    tabs.setObjectName("area_tabs")
    work = window.findChild(QSplitter, "work_splitter")
    main = window.findChild(QSplitter, "main_splitter")
    if work is not None and main is not None:
        index = main.indexOf(work)
        main.replaceWidget(index, tabs)
        tabs.addTab(work, "&Compose")
    tabs.addTab(scenario, "Life&cycles")
    return tabs


def _banner(panels: Panels) -> QLabel:
    banner = QLabel()
    banner.setObjectName("presentation_banner")
    banner.setStyleSheet("background:#1a5fb4; color:white; padding:6px; font-weight:600;")
    banner.hide()
    parent = panels.connection.parentWidget()
    layout = parent.layout() if parent is not None else None
    if isinstance(layout, QBoxLayout):
        layout.insertWidget(0, banner)
    return banner


def _hook_presentation(
    mode: PresentationMode, panels: Panels, banner: QLabel, renderer: RequestRenderer
) -> None:
    """The issue-4 panels' presentation hooks, applied from outside (see module doc)."""

    def describe() -> str:
        try:
            where = public_target(panels.connection.target().region)
        except TargetError:
            where = "a custom endpoint (address hidden)"
        return f"Presentation mode · sending to {where} · write key, endpoint and profiles hidden"

    def toggled(on: bool) -> None:
        panels.connection.setVisible(not on)
        banner.setText(describe())
        banner.setVisible(on)
        panels.history.table.setColumnHidden(TARGET_COLUMN, on)
        panels.history.apply_filter()
        panels.payload.refresh()
        panels.send.refresh()  # its mode line was scrubbed in place while presenting

    panels.history.since = lambda: mode.history_since
    panels.connection.changed.connect(lambda: banner.setText(describe()))

    def scrubbed(messages: list[dict[str, Any]]) -> tuple[str, str]:
        http, curl = renderer(messages)
        mode.invalidate()  # may run before the window's own invalidate slot
        return mode.scrub(http), mode.scrub(curl)

    panels.payload.set_request_renderer(scrubbed)
    detail = panels.history.detail
    detail.textChanged.connect(lambda: _scrub_view(mode, detail))
    mode.toggled.connect(toggled)


def _scrub_view(mode: PresentationMode, view: JsonView) -> None:
    if mode.active:
        mode.invalidate()
        text = view.toPlainText()
        clean = mode.scrub(text)
        if clean != text:
            view.set_text(clean)


def _copy_image(window: MainWindow, tabs: QTabWidget, scenario: ScenarioPanel) -> None:
    if tabs.currentWidget() is scenario:
        scenario.copy_payload_image()
        return
    payload = window.panels.payload
    view = payload.views[payload.tabs.tabText(payload.tabs.currentIndex())]
    if copy_json_image(view) is not None:
        window.statusBar().showMessage("Payload copied as an image", 3000)
