"""Builds the panels over the services and connects them; the only place that knows
which panel talks to which. Panels themselves only see the Workbench and what their
constructor was given.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings
from PySide6.QtGui import QKeySequence, QShortcut

from app.core.catalogue import CATALOGUE
from app.core.render import RenderResult
from app.delivery import SendItem, SendJob, SendService
from app.delivery.target import TargetError
from app.storage import HistoryRow
from app.ui.connection_panel import ConnectionPanel
from app.ui.event_panel import EventPanel
from app.ui.history_panel import HistoryPanel
from app.ui.payload_panel import PayloadPanel
from app.ui.profiles import Profile
from app.ui.send_controller import SendController
from app.ui.send_panel import SendPanel
from app.ui.settings_panel import SettingsPanel
from app.ui.workbench import Workbench

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow
    from app.ui.services import Services


@dataclass
class Panels:
    workbench: Workbench
    connection: ConnectionPanel
    event: EventPanel
    settings: SettingsPanel
    payload: PayloadPanel
    send: SendPanel
    history: HistoryPanel
    controller: SendController
    #: Further senders (scenario, app identify), added by the extensions: Esc cancels them too.
    other_senders: list[SendController] = field(default_factory=list)

    def cancel_sends(self) -> None:
        """Cancel whichever send of the window is running (there is at most one)."""
        for sender in (self.controller, *self.other_senders):
            sender.cancel()

    def remember(self, ui: QSettings) -> None:
        ui.setValue("last/event_type", self.workbench.type_key)
        ui.setValue("last/profile", self.connection.current_profile())
        self.connection.store_key()

    async def aclose(self) -> None:
        await self.controller.aclose()


def request_renderer(sender: SendService, connection: ConnectionPanel) -> Any:
    """messages → (HTTP request preview, cURL), from delivery's own request model."""

    def render(messages: list[dict[str, Any]]) -> tuple[str, str]:
        try:
            target = connection.target()
        except TargetError as exc:
            raise ValueError(exc.problem) from None
        item = SendItem(render=RenderResult(None, None), messages=tuple(messages))
        job = SendJob(items=[item], target=target, write_key=connection.write_key(), preview=True)
        requests = [r for outcome in sender.plan(job) for r in outcome.requests]
        http = "\n\n".join(json.dumps(r.preview(), indent=2, ensure_ascii=False) for r in requests)
        curl = "\n\n".join(r.to_curl() for r in requests)
        return http, curl

    return render


def build_panels(window: MainWindow, services: Services) -> Panels:
    ui = window._ui
    bench = Workbench(services.renderer)
    connection = ConnectionPanel(services.profiles)
    event = EventPanel(bench)
    settings = SettingsPanel(bench)
    payload = PayloadPanel(bench)
    controller = SendController(services.sender, services.options)
    send = SendPanel(bench, connection, controller)
    history = HistoryPanel(services.history, connection.write_key)
    panels = Panels(bench, connection, event, settings, payload, send, history, controller)

    payload.set_request_renderer(request_renderer(services.sender, connection))
    connection.changed.connect(payload.refresh)
    connection.changed.connect(send.refresh)
    connection.profile_loaded.connect(lambda p: _apply_profile(bench, p))
    bench.settings_changed.connect(  # a profile keeps its integration settings
        lambda: services.profiles.save_settings(connection.current_profile(), bench.settings)
    )
    send.recorded.connect(history.reload)
    history.resend_requested.connect(lambda row: _resend(panels, row))

    # Menus and shortcuts (window-wide, so they work from any panel).
    window.add_menu_action(
        window.file_menu,
        "&Import webhook JSON…",
        event.open_import,
        "Ctrl+O",
        "Fill the form from a RevenueCat webhook body",
    )
    window.add_menu_action(
        window.send_menu,
        "&Send",
        lambda: send.start(preview=False),
        "Ctrl+Return|Ctrl+Enter",
        "Send the current event to Segment",
    )
    window.add_menu_action(
        window.send_menu,
        "&Preview",
        lambda: send.start(preview=True),
        "Ctrl+Shift+Return|Ctrl+Shift+Enter",
        "Build and record the exact request; nothing is sent",
    )
    window.add_menu_action(window.send_menu, "&Cancel send", panels.cancel_sends, "Esc")
    window.add_menu_action(
        window.view_menu, "Filter &history", _focus(history), "Ctrl+F", "Focus the history filter"
    )
    window.add_menu_action(window.view_menu, "&Event form", _focus_widget(event.types), "Ctrl+1")
    window.add_menu_action(window.view_menu, "&Payload", _focus_widget(payload.tabs), "Ctrl+2")
    QShortcut(QKeySequence("Ctrl+L"), window, connection.key.setFocus)

    last = ui.value("last/event_type")
    start_type = last if isinstance(last, str) and last in CATALOGUE else "initial_purchase"
    event.select_type(start_type)
    if bench.type_key != start_type or not bench.rc_event:
        bench.load_type(start_type)
    return panels


def _focus(history: HistoryPanel) -> Any:
    def focus() -> None:
        history.text.setFocus()
        history.text.selectAll()

    return focus


def _focus_widget(widget: Any) -> Any:
    return lambda: widget.setFocus()


def _apply_profile(bench: Workbench, profile: Profile) -> None:
    if profile.settings != bench.settings:
        bench.set_settings(profile.settings)


def _resend(panels: Panels, row: HistoryRow) -> None:
    """Re-send a history row's messages to the current target, with fresh messageIds."""
    messages: list[dict[str, Any]] = []
    seen: set[Any] = set()
    for request in row.requests:
        body = request.get("body") or {}
        for message in body.get("batch", [body]) if isinstance(body, dict) else []:
            # An event whose track and identify fell into two /batch requests has both
            # messages stored under each request: send each message once.
            if message.get("messageId") not in seen:
                seen.add(message.get("messageId"))
                messages.append(message)
    if not messages:
        panels.send.outcome.setText("This row has no messages to re-send.")
        return
    try:
        target = panels.connection.target()
    except TargetError as exc:
        panels.send.outcome.setText(f"Not sent: {exc}")
        return
    item = SendItem(
        render=RenderResult(row.event_type or None, row.event_name or None),
        input=row.input,
        source=f"history #{row.id}",
        messages=tuple(messages),
        hand_edited=row.hand_edited,
        sandbox_override=row.sandbox_override,
    )
    job = SendJob(
        items=[item],
        target=target,
        write_key=panels.connection.write_key(),
        options=panels.controller.options,
    )
    # History keeps a custom host masked, so a re-send cannot go back to where the row
    # went: it goes to the connection shown now, and says so.
    where = panels.connection.describe()
    if panels.controller.blocked:
        panels.send.outcome.setText(f"Not re-sent: another send is in progress ({where}).")
        return
    problem = panels.connection.key_problem()
    if problem:  # in the window's words, not the CLI's "give --write-key …"
        panels.send.outcome.setText(f"Not re-sent: {problem}.")
        return
    panels.send.outcome.setText(f"Re-sending history #{row.id} to {where}…")
    panels.controller.start(job)
