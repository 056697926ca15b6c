"""Fixtures for the desktop app tests: a qasync loop per test, and a fully wired window
over a temp data dir, a session-only key vault and (when asked) a loopback Segment.

Coroutines are driven with `loop.run_until_complete(...)` (QT_NOTES: `qtbot.waitSignal`
alone does not run them); exceptions from tasks are collected and fail the test.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import qasync
from PySide6.QtWidgets import QApplication

from app.delivery import DeliveryOptions
from app.state.profiles import SessionVault
from app.ui.shell.main_window import MainWindow
from app.ui.shell.root import attach
from app.ui.shell.services import Services, open_services
from app.ui.shell.uisettings import open_ui_settings
from tests.support.qt import destroy, run
from tests.support.segment_server import SegmentServer


@pytest.fixture
def loop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    event_loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(event_loop)
    errors: list[dict[str, Any]] = []
    event_loop.set_exception_handler(lambda _loop, context: errors.append(context))
    yield event_loop
    pending = [t for t in asyncio.all_tasks(event_loop) if not t.done()]
    for task in pending:
        task.cancel()
    if pending:
        event_loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    event_loop.close()
    asyncio.set_event_loop(None)
    assert not errors, f"unhandled errors in tasks: {errors}"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def delivery_options() -> DeliveryOptions:
    """The window's retry/timeout options; a test parametrizes this name to override it
    (e.g. a tiny backoff, so retries are real but do not wait seconds)."""
    return DeliveryOptions()


@pytest.fixture
def services(
    loop: asyncio.AbstractEventLoop, data_dir: Path, delivery_options: DeliveryOptions
) -> Iterator[Services]:
    made: Services = run(
        loop, open_services(data_dir, vault=SessionVault(), options=delivery_options)
    )
    yield made
    with contextlib.suppress(Exception):
        run(loop, made.aclose())


@pytest.fixture
def window(
    qtbot: Any, loop: asyncio.AbstractEventLoop, services: Services, data_dir: Path
) -> Iterator[MainWindow]:
    # As in the app: closing the window must not quit the loop that finishes the close.
    QApplication.setQuitOnLastWindowClosed(False)
    # Not qtbot.addWidget: pytest-qt would close it outside the running loop, and the
    # shutdown coroutine (httpx/anyio) needs a running loop. We close it ourselves.
    # In the app's order (app.ui.shell.launch): the frame is shown, then the panels are
    # attached.
    win = MainWindow(open_ui_settings(data_dir))
    win.show()
    qtbot.waitExposed(win)
    attach(win, services)
    yield win
    if not win._shut_down:
        run(loop, win._shutdown_task or win.shutdown())
    destroy(win)


@pytest.fixture
def segment_server() -> Iterator[SegmentServer]:
    with SegmentServer() as server:
        yield server
