"""Progress you can read: a send says which attempt is out, how long it has run and why
it waits ("waiting 30 s (Retry-After)"), without moving a button; a scenario says "3 of
6", lists each event's result and marks the timeline. Against the loopback Segment."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt

from app.delivery import DeliveryOptions
from app.state.progress_text import StepState
from app.ui.shell.main_window import MainWindow
from tests.support.qt import connect, run, until
from tests.support.segment_server import SegmentServer, held, respond

FAST = DeliveryOptions(backoff_base=0.01)  # real retries, without waiting seconds


def where(widget: Any, window: MainWindow) -> tuple[QPoint, int]:
    return widget.mapTo(window, QPoint(0, 0)), widget.width()


@pytest.mark.parametrize("delivery_options", [FAST])
def test_a_send_shows_its_attempt_its_wait_and_its_time_and_nothing_moves(
    qtbot: Any, loop: asyncio.AbstractEventLoop, window: MainWindow, segment_server: SegmentServer
) -> None:
    connect(window, segment_server.base_url)
    panel = window.workspace.send
    line = panel.progress_line
    buttons = (panel.send, panel.preview)
    before = [where(b, window) for b in buttons]
    line_height = line.height()

    # 500, then an answer the test releases: the retry is seen while it is out.
    gate = threading.Event()
    segment_server.script(respond(500), held(gate))
    qtbot.mouseClick(panel.send, Qt.MouseButton.LeftButton)
    run(loop, until(lambda: "attempt 2 of 4" in line.text()))
    assert line.text().startswith("Sending /track · attempt 2 of 4") and "elapsed" in line.text()
    assert panel.cancel.isVisible() and panel.busy.isVisible()
    assert [where(b, window) for b in buttons] == before and line.height() == line_height
    first = line.text()
    run(loop, until(lambda: line.text() != first))  # the elapsed time ticks on its own
    gate.set()
    run(loop, until(lambda: line.text().startswith("Finished")))
    assert "2 request(s)" in line.text()
    assert "/track: HTTP 200" in panel.outcome.text() and "2 attempt(s)" in panel.outcome.text()
    assert [where(b, window) for b in buttons] == before  # a long outcome grows upwards

    # 429 with Retry-After: the wait and its reason are shown until it ends (or Cancel).
    segment_server.script(respond(429, headers={"Retry-After": "30"}))
    qtbot.mouseClick(panel.send, Qt.MouseButton.LeftButton)
    run(loop, until(lambda: "waiting 30 s (Retry-After)" in line.text()))
    assert "attempt 1 of 4: HTTP 429" in line.text()
    window.resize(900, window.height())  # narrow: the long line is cut, never wrapped
    run(loop, until(lambda: line.shown().endswith("…")))
    assert line.height() == line_height and line.toolTip() == line.text()
    qtbot.mouseClick(panel.cancel, Qt.MouseButton.LeftButton)
    run(loop, until(lambda: line.text().startswith("Cancelled")))
    assert "cancelled while waiting to retry" in panel.outcome.text()
    assert len(segment_server.requests) == 4  # 3 for the first send; the wait sent nothing


def test_steps_are_marked_for_the_timeline() -> None:
    assert StepState.SENT.tone == "ok" and StepState.FAILED.tone == "error"
