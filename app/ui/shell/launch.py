"""Start the desktop app: paint the frame first, then load the engine and services in
the qasync loop, and stop cleanly (docs/qt-notes.md, qasync: tasks cancelled and the client closed
before the loop ends; quitting on the last window is off for that reason).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from app.ui.shell.feature_scan import skip_feature_scan
from app.ui.shell.main_window import MainWindow

if TYPE_CHECKING:
    from app.ui.shell.root import Workspace
    from app.ui.shell.services import Services
from app.ui.shell.uisettings import UiSettingsError, open_ui_settings

#: Loaded after the window is usable: the HTTP client, the keyring, the event loop, and
#: the hidden tabs (the Integration settings, the identity check, the lifecycles).
_LATE = ("httpx", "keyring", "asyncio", "qasync", "uvicorn", "app.capture.server",
         "app.ui.compose.settings_panel", "app.ui.identity.identity_panel",
         "app.ui.lifecycles.scenario_panel", "app.ui.capture.capture_panel")  # fmt: skip


def _wait_painted(window: MainWindow, timeout_ms: int = 10_000) -> None:
    """Run Qt's events until the window's first paint. A local event loop is safe here:
    asyncio is not running yet (the rule against nested loops is about coroutines)."""
    if window.painted:
        return
    loop = QEventLoop()
    window.first_painted.connect(loop.quit)
    timer = QTimer(loop)
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    timer.start(timeout_ms)
    loop.exec()


def run(
    data_override: str | None,
    *,
    smoke: bool = False,
    screenshot: Path | None = None,
    report_paint: bool = False,
    exit_at_ready: bool = False,
    presentation: bool = False,
    print_state: bool = False,
    qt_args: list[str] | None = None,
) -> int:
    """The `gui` command. Returns the exit code (smoke: 0 ok, 1 on any error)."""
    skip_feature_scan()  # before the hundreds of modules the window's content imports
    app = QApplication.instance() or QApplication([sys.argv[0], *(qt_args or [])])
    assert isinstance(app, QApplication)
    unknown = app.arguments()[1:] if qt_args else []
    if unknown:  # Qt took the options it knows; nobody knows these
        print(f"error: unknown option(s) for gui: {' '.join(unknown)}", file=sys.stderr)
        return 2
    app.setApplicationName("rc-segment-tester")
    app.setDesktopFileName("rc-segment-tester")  # the .desktop entry in resources/
    app.setApplicationDisplayName("RevenueCat → Segment tester")
    app.setQuitOnLastWindowClosed(False)
    try:
        ui_settings = open_ui_settings(data_override)
    except UiSettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    window = MainWindow(ui_settings)
    window.show()
    _wait_painted(window)
    if report_paint:
        print("first-paint", flush=True)

    # Then the window's content, still before asyncio and qasync (~0.1 s to import): a
    # usable window needs neither.
    from app.ui.shell.root import attach
    from app.ui.shell.services import make_services

    try:
        services = make_services(data_override)
        workspace = attach(window, services)
        if presentation:
            workspace.state.presenter.set_active(True)
    except Exception as exc:
        print(f"error: could not start: {exc}", file=sys.stderr)
        if smoke:
            return 1
        raise
    if report_paint:  # start-up benchmark: panels built, default event rendered
        window.repaint()
        # What the critical path loaded that it should not need (a test holds it).
        late = [m for m in _LATE if m in sys.modules]
        print("ready", *late, flush=True)
        if exit_at_ready:  # the start-up benchmark's instruction count ends here, not
            os._exit(0)  # at a quit (the smoke run's exit figure times that one)

    import asyncio

    import qasync

    with asyncio.Runner(loop_factory=qasync.QEventLoop) as runner:
        return runner.run(_main(window, workspace, services, smoke, screenshot, print_state))


async def _main(
    window: MainWindow,
    workspace: Workspace,
    services: Services,
    smoke: bool,
    screenshot: Path | None,
    print_state: bool = False,
) -> int:
    import asyncio

    try:
        await asyncio.sleep(0)  # the ready window takes input before the warm-up
        if await services.warm():  # HTTP client, then the system keyring
            workspace.state.connection.reload_key()
        await asyncio.sleep(0)
        workspace.build_hidden()  # the identity and lifecycles tabs
    except Exception as exc:
        print(f"error: could not start: {exc}", file=sys.stderr)
        if smoke:
            return 1
        raise
    closed = asyncio.get_running_loop().create_future()

    def _closed() -> None:
        if not closed.done():
            closed.set_result(None)

    window.closed.connect(_closed)
    if smoke:
        try:
            return await _smoke(window, workspace, screenshot, print_state)
        except Exception as exc:  # the smoke contract: exit 1 with one line, no traceback
            print(f"error: smoke run failed: {type(exc).__name__}: {exc}", file=sys.stderr)
            return 1
    await closed
    return 0


async def _smoke(
    window: MainWindow, workspace: Workspace, screenshot: Path | None, print_state: bool = False
) -> int:
    """Default event loaded, payload rendered, window painted (and saved), then close.
    `print_state`: the state in force (what Send would use) as one JSON line on stdout."""
    import asyncio
    import json

    code = 0
    if workspace.state.draft.result is None or not workspace.payload.views["Track"].toPlainText():
        print("error: the default event did not render", file=sys.stderr)
        code = 1
    if print_state:
        print(json.dumps(workspace.state.snapshot(), ensure_ascii=False), flush=True)
    window.repaint()
    await asyncio.sleep(0.05)  # let layouts settle before grabbing
    if screenshot is not None and code == 0:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(screenshot)):
            print(f"error: could not write {screenshot}", file=sys.stderr)
            code = 1
    await window.shutdown()
    return code
