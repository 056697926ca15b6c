"""Progress you can read: a send says which attempt is out, how long it has run and why
it waits ("waiting 30 s (Retry-After)"), without moving a button; a scenario says "3 of
6", lists each event's result and marks the timeline. Against the loopback Segment."""

from __future__ import annotations

import asyncio
import base64
import json
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage

from app.delivery import DeliveryOptions
from app.state.progress_text import StepState
from app.ui.lifecycles.timeline_view import REPORT_WIDTH, badge_centre
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
    # The line sits beside the buttons: it costs the payload above no height.
    assert line.mapTo(window, QPoint(0, 0)).y() == panel.send.mapTo(window, QPoint(0, 0)).y()

    # 500, then an answer the test releases: the retry is seen while it is out.
    gate = threading.Event()
    segment_server.script(respond(500), held(gate))
    qtbot.mouseClick(panel.send, Qt.MouseButton.LeftButton)
    # (Until the request is at the server: the test's loop then stops with the send idle.)
    run(loop, until(lambda: len(segment_server.requests) == 2 and "of 4" in line.text()))
    first = line.text()
    assert first.startswith("/track · attempt 2 of 4") and "elapsed" in first
    line_height = line.height()
    run(loop, until(lambda: line.text() != first))  # the elapsed time ticks on its own
    assert panel.cancel.isVisible() and panel.busy.isVisible()
    assert [where(b, window) for b in buttons] == before and line.height() == line_height
    gate.set()
    run(loop, until(lambda: line.text().startswith("Finished")))
    assert "2 request(s)" in line.text()
    assert "/track: HTTP 200" in panel.outcome.text() and "2 attempt(s)" in panel.outcome.text()
    assert [where(b, window) for b in buttons] == before  # a long outcome grows upwards

    # 429 with Retry-After: the wait and its reason are shown until it ends (or Cancel).
    segment_server.script(respond(429, headers={"Retry-After": "30"}))
    qtbot.mouseClick(panel.send, Qt.MouseButton.LeftButton)
    run(loop, until(lambda: "Waiting 30 s (Retry-After)" in line.text()))
    assert line.text().startswith(
        "Waiting 30 s (Retry-After) · attempt 1 of 4 · HTTP 429 on /track"
    )
    window.resize(900, window.height())  # narrow: the long line is cut, never wrapped
    run(loop, until(lambda: line.shown().endswith("…")))
    assert line.height() == line_height and line.toolTip() == line.text()
    qtbot.mouseClick(panel.cancel, Qt.MouseButton.LeftButton)
    run(loop, until(lambda: line.text().startswith("Cancelled")))
    assert "cancelled while waiting to retry" in panel.outcome.text()
    assert len(segment_server.requests) == 4  # 3 for the first send; the wait sent nothing


def colour_at(view: Any, point: QPointF) -> QColor:
    image = view.grab().toImage()
    ratio = image.devicePixelRatio()
    return image.pixelColor(int(point.x() * ratio), int(point.y() * ratio))


def test_a_scenario_says_which_event_ties_each_result_to_it_and_marks_the_timeline(
    qtbot: Any, loop: asyncio.AbstractEventLoop, window: MainWindow, segment_server: SegmentServer,
    tmp_path: Path,
) -> None:  # fmt: skip
    connect(window, segment_server.base_url)
    panel = window.workspace.scenario
    window.workspace.tabs.setCurrentWidget(window.workspace.scenario_tab)
    qtbot.waitExposed(panel.view)
    panel.form.scenario.setCurrentIndex(panel.form.scenario.findData("trial_to_expiration"))
    panel.form.renewals.setValue(1)
    assert panel.timeline is not None and len(panel.timeline.points) == 5
    line, results = panel.progress_line, panel.results
    assert [results.result_of(i) for i in range(5)] == ["not sent yet"] * 5

    # Events 1 and 2 go through; event 3's /track is held, then refused with a 400.
    gate = threading.Event()
    segment_server.script(*[respond()] * 4, held(gate, then=respond(400)))
    qtbot.mouseClick(panel.send, Qt.MouseButton.LeftButton)
    run(loop, until(lambda: len(segment_server.requests) == 5 and "Event 3 of 5" in line.text()))
    assert line.text().startswith("Event 3 of 5 (Renewal) · /track · attempt 1 of 4")
    assert panel.payloads.currentWidget() is results  # the send's own view comes forward
    assert results.result_of(0).startswith("accepted · HTTP 200")
    assert results.result_of(2) == "sending /track · attempt 1 of 4"
    assert results.result_of(4) == "pending"
    assert panel.view.marks == {0: StepState.SENT, 1: StepState.SENT, 2: StepState.SENDING,
                                3: StepState.PENDING, 4: StepState.PENDING}  # fmt: skip
    gate.set()
    run(loop, until(lambda: line.text().startswith("Finished")))
    assert results.result_of(2).startswith("failed: HTTP 400 on /track")
    assert "400" in (results.item(2, 2).toolTip() or "")  # the whole error, on hover
    assert results.result_of(4).startswith("accepted")
    marks = panel.view.marks
    assert marks[2] is StepState.FAILED and [marks[i] for i in (0, 1, 3, 4)] == [StepState.SENT] * 4
    panel.view.repaint()
    ok = colour_at(panel.view, badge_centre(panel.view.centre_of(0)) + QPointF(0, 5))
    bad = colour_at(panel.view, badge_centre(panel.view.centre_of(2)) + QPointF(0, 5))
    assert ok.green() > ok.red() + 40 and bad.red() > bad.green() + 40  # ✓ green, ✗ red

    # A row picks its event on the timeline (and its payloads).
    results.selectRow(3)
    assert panel.view.selected == 3
    assert (
        json.loads(panel.payload_views["Track"].toPlainText())["event"] == "rc_cancellation_event"
    )

    # The report carries the results per event and a picture that reads at its size.
    out = tmp_path / "report.html"
    assert panel.export_report(str(out)), panel.outcome.text()
    html = out.read_text(encoding="utf-8")
    assert "<h2>Send results</h2>" in html and "5 events, 4 sent, 1 failed." in html
    assert '<td class="failed">failed: HTTP 400 on /track' in html
    image = QImage.fromData(base64.b64decode(html.split("base64,")[1].split('"')[0]))
    shown = int(html.split('width="')[1].split('"')[0])  # CSS pixels on the page
    assert shown == REPORT_WIDTH and image.width() == 2 * shown  # sharp on HiDPI
