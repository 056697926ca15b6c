"""Lifecycles tab: the timeline follows the scenario and the settings, a click shows the
event's payloads, the whole scenario goes to a loopback Segment (in order or batched,
with progress and cancel) with one history row per event, and the report is written."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from app.core.settings import IntegrationSettings, RevenueMode
from app.delivery import DeliveryOptions
from app.storage import Status
from app.ui.lifecycles.scenario_panel import ScenarioPanel
from app.ui.shell.main_window import MainWindow
from tests.support.qt import KEY, connect, run, until
from tests.support.segment_server import SegmentServer, respond, slow


def open_lifecycles(qtbot: Any, win: MainWindow, name: str, renewals: int = 2) -> ScenarioPanel:
    panel: ScenarioPanel = win.workspace.scenario
    win.workspace.tabs.setCurrentWidget(win.workspace.scenario_tab)
    qtbot.waitExposed(panel.view)
    form = panel.form
    form.scenario.setCurrentIndex(form.scenario.findData(name))
    form.renewals.setValue(renewals)
    return panel


def click_event(qtbot: Any, panel: ScenarioPanel, index: int) -> Any:
    panel.view.repaint()  # dot positions come from the last paint
    with qtbot.waitSignal(panel.view.event_clicked) as blocker:
        qtbot.mouseClick(
            panel.view, Qt.MouseButton.LeftButton, pos=panel.view.centre_of(index).toPoint()
        )
    return blocker.args[0]


def track_of(panel: ScenarioPanel) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(panel.payload_views["Track"].toPlainText())
    return data


def test_click_on_the_timeline_shows_the_payloads(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    panel = open_lifecycles(qtbot, window, "purchase_refund")
    assert panel.timeline is not None and len(panel.timeline.points) == 3
    assert "gross $0.00" in panel.summary.text()
    point = click_event(qtbot, panel, 1)
    assert point.refund and point.label == "Cancellation"
    track = track_of(panel)
    assert track["event"] == "rc_cancellation_event"
    assert track["properties"]["revenue"] == -9.99
    assert track["properties"]["cancellation_reason"] == "CUSTOMER_SUPPORT"
    identify = json.loads(panel.payload_views["Identify"].toPlainText())
    assert identify["traits"]["rc_subscription_status"] == "cancelled"
    assert panel.view.selected == 1
    panel.grab().save(str(tmp_path / "lifecycles.png"))

    # The reporting mode in the integration settings reaches the timeline at once.
    window.workspace.state.draft.set_settings(
        IntegrationSettings(revenue_mode=RevenueMode.AFTER_COMMISSION)
    )
    assert track_of(panel)["properties"]["revenue"] == -6.993
    assert "reported (after commission)" in panel.summary.text()  # words, not the identifier


def test_a_clicked_payload_copies_as_an_image(qtbot: Any, window: MainWindow) -> None:
    panel = open_lifecycles(qtbot, window, "trial_to_expiration")
    click_event(qtbot, panel, 1)
    assert panel.copy_payload_image()
    image = QGuiApplication.clipboard().image()
    assert not image.isNull() and image.width() > 300 and image.height() > 300


def test_scenario_sent_in_order_to_loopback_with_history_rows(
    qtbot: Any, loop: asyncio.AbstractEventLoop, window: MainWindow, segment_server: SegmentServer
) -> None:
    connect(window, segment_server.base_url)
    panel = open_lifecycles(qtbot, window, "trial_to_expiration", renewals=1)
    assert panel.timeline is not None
    events = len(panel.timeline.points)
    assert events == 5
    progress: list[tuple[int, int]] = []
    qtbot.mouseClick(panel.send, Qt.MouseButton.LeftButton)
    assert panel.handle is not None  # the scenario's own send: its progress only
    panel.handle.progress.connect(lambda d, t: progress.append((d, t)))
    sender = window.workspace.queue
    run(loop, until(lambda: sender.last_report is not None and not sender.busy))
    received = segment_server.requests
    assert [r.path for r in received] == ["/v1/track", "/v1/identify"] * events
    assert [r.json()["event"] for r in received[::2]] == [
        "rc_trial_started_event",
        "rc_trial_converted_event",
        "rc_renewal_event",
        "rc_cancellation_event",
        "rc_expiration_event",
    ]
    assert progress[-1] == (2 * events, 2 * events)
    assert "HTTP 200" in panel.outcome.text() and "5 events" in panel.outcome.text()
    history = window.workspace.history
    run(loop, until(lambda: history.model.total == events))
    rows = [history.model.row_at(i) for i in range(events)]
    assert {r.status for r in rows} == {Status.ACCEPTED}
    assert {r.user_id for r in rows} == {"user_4821"}


def test_batched_preview_and_cancel(
    qtbot: Any, loop: asyncio.AbstractEventLoop, window: MainWindow, segment_server: SegmentServer
) -> None:
    connect(window, segment_server.base_url)
    panel = open_lifecycles(qtbot, window, "billing_recovered", renewals=1)
    sender = window.workspace.queue
    panel.batch.setChecked(True)
    qtbot.mouseClick(panel.send, Qt.MouseButton.LeftButton)
    run(loop, until(lambda: sender.last_report is not None and not sender.busy))
    (batch,) = segment_server.requests
    assert batch.path == "/v1/batch" and len(batch.json()["batch"]) == 8

    qtbot.mouseClick(panel.preview, Qt.MouseButton.LeftButton)
    run(loop, until(lambda: sender.last_report is not None and sender.last_report.preview))
    assert len(segment_server.requests) == 1  # a preview sends nothing

    panel.batch.setChecked(False)
    segment_server.script(slow(30))
    qtbot.mouseClick(panel.send, Qt.MouseButton.LeftButton)
    run(loop, until(lambda: len(segment_server.requests) == 2))
    assert panel.cancel.isVisible() and panel.progress.isVisible()
    qtbot.mouseClick(panel.cancel, Qt.MouseButton.LeftButton)
    run(loop, until(lambda: not sender.busy))
    assert sender.last_report is not None and sender.last_report.cancelled
    assert "Cancelled" in panel.outcome.text()


def test_export_report_has_the_image_and_no_key_or_host(
    qtbot: Any,
    loop: asyncio.AbstractEventLoop,
    window: MainWindow,
    tmp_path: Path,
    segment_server: SegmentServer,
) -> None:
    connect(window, segment_server.base_url)
    host = segment_server.base_url.split("//")[1].split("/")[0]
    panel = open_lifecycles(qtbot, window, "upgrade")
    out = tmp_path / "report.html"
    assert panel.export_report(str(out)), panel.outcome.text()
    html = out.read_text(encoding="utf-8")
    assert 'src="data:image/png;base64,iVBORw0KGgo' in html  # a PNG, inline
    assert "rc_product_change_event" in html and "Gross revenue" in html
    assert KEY not in html and KEY[-4:] not in html
    assert host not in html and "127.0.0.1" not in html
    assert "a custom endpoint (address hidden)" in html


def test_sandbox_scenario_with_sandbox_off_is_recorded_as_skipped(
    qtbot: Any, loop: asyncio.AbstractEventLoop, window: MainWindow, segment_server: SegmentServer
) -> None:
    connect(window, segment_server.base_url)
    panel = open_lifecycles(qtbot, window, "trial_cancelled")
    panel.form.environment.setCurrentText("SANDBOX")
    assert panel.timeline is not None and all(p.skipped for p in panel.timeline.points)
    assert "(0 sent to Segment)" in panel.summary.text()
    point = click_event(qtbot, panel, 0)
    assert "sandbox" in panel.payload_views["Track"].toPlainText().lower() and point.skipped
    sender = window.workspace.queue
    qtbot.mouseClick(panel.send, Qt.MouseButton.LeftButton)
    run(loop, until(lambda: sender.last_report is not None and not sender.busy))
    assert segment_server.requests == []
    history = window.workspace.history
    run(loop, until(lambda: history.model.total == 3))
    assert {history.model.row_at(i).status for i in range(3)} == {Status.SKIPPED}
    assert "skipped" in panel.outcome.text().lower()


def test_main_send_waits_while_a_scenario_is_sending(
    qtbot: Any, loop: asyncio.AbstractEventLoop, window: MainWindow, segment_server: SegmentServer
) -> None:
    connect(window, segment_server.base_url)
    panel = open_lifecycles(qtbot, window, "trial_cancelled")
    sender = window.workspace.queue
    send = window.workspace.send
    assert send.send.isEnabled() and send.preview.isEnabled()
    segment_server.script(slow(30))
    qtbot.mouseClick(panel.send, Qt.MouseButton.LeftButton)
    run(loop, until(lambda: len(segment_server.requests) == 1))
    assert sender.busy
    assert not send.send.isEnabled() and not send.preview.isEnabled()
    assert "another send is in progress" in send.send.toolTip()
    assert not send.start(preview=False)  # Ctrl+Enter goes through the same check
    assert not window.workspace.queue.start(send.build_job(preview=False))
    qtbot.mouseClick(panel.cancel, Qt.MouseButton.LeftButton)
    run(loop, until(lambda: not sender.busy))
    assert send.send.isEnabled() and send.preview.isEnabled()
    assert len(segment_server.requests) == 1  # the main send never went out


def test_scenario_and_identify_sends_wait_while_the_main_send_runs(
    qtbot: Any, loop: asyncio.AbstractEventLoop, window: MainWindow, segment_server: SegmentServer
) -> None:
    connect(window, segment_server.base_url)
    panel = open_lifecycles(qtbot, window, "trial_cancelled")
    identity = window.workspace.identity
    identity.app_user_id.setText("user_4821")
    buttons = [panel.send, panel.preview, identity.send, identity.preview]
    assert all(b.isEnabled() for b in buttons)
    segment_server.script(slow(30))
    window.workspace.send.start(preview=False)
    run(loop, until(lambda: len(segment_server.requests) == 1))
    assert not any(b.isEnabled() for b in buttons)
    window.workspace.queue.cancel()
    run(loop, window.workspace.queue.wait())
    assert all(b.isEnabled() for b in buttons)


@pytest.mark.parametrize("delivery_options", [DeliveryOptions(retries=0)])
def test_a_scenario_send_uses_the_window_retry_options(
    qtbot: Any, loop: asyncio.AbstractEventLoop, window: MainWindow, segment_server: SegmentServer
) -> None:
    connect(window, segment_server.base_url)
    panel = open_lifecycles(qtbot, window, "one_off")
    segment_server.script(respond(503))
    sender = window.workspace.queue
    qtbot.mouseClick(panel.send, Qt.MouseButton.LeftButton)
    run(loop, until(lambda: sender.last_report is not None and not sender.busy))
    # retries=0: the 503 is not retried (the default would try the /track 4 times).
    assert [r.path for r in segment_server.requests] == ["/v1/track", "/v1/identify"]
    assert [r.attempts for r in sender.last_report.results] == [1, 1]


def test_escape_cancels_a_scenario_send_too(
    qtbot: Any, loop: asyncio.AbstractEventLoop, window: MainWindow, segment_server: SegmentServer
) -> None:
    connect(window, segment_server.base_url)
    panel = open_lifecycles(qtbot, window, "trial_cancelled")
    sender = window.workspace.queue
    segment_server.script(slow(30))
    qtbot.mouseClick(panel.send, Qt.MouseButton.LeftButton)
    run(loop, until(lambda: len(segment_server.requests) == 1))
    assert not window.workspace.send.send.isEnabled()  # one send at a time
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    run(loop, until(lambda: not sender.busy))
    assert sender.last_report is not None and sender.last_report.cancelled


def test_a_refused_scenario_send_is_explained_in_its_own_panel(
    qtbot: Any, window: MainWindow
) -> None:
    panel = open_lifecycles(qtbot, window, "one_off")
    identity_before = window.workspace.identity.outcome.text()
    assert window.workspace.state.connection.write_key == ""  # no key: a live send is refused
    assert not panel.start(preview=False)
    assert panel.outcome.text().startswith("Not sent: enter a write key")
    assert window.workspace.identity.outcome.text() == identity_before


def test_the_timelines_minimum_follows_its_font(qtbot: Any, window: MainWindow) -> None:
    """The lanes of labels are remembered per width (laying them out measures every
    text); larger type (presentation mode) needs more lanes at the same width, so the
    remembered ones go with the old font."""
    ws = window.workspace
    assert ws is not None
    ws.tabs.setCurrentWidget(ws.scenario_tab)  # type: ignore[attr-defined]
    view = ws.scenario.view  # type: ignore[attr-defined]
    qtbot.waitUntil(view.isVisible)
    width = next(w for w in range(300, 2000, 10) if view._lanes(w) == 2)
    before = view.minimumSizeHint().height()
    font = view.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    view.setFont(font)
    assert view._lanes(width) == 3 and view.minimumSizeHint().height() > before
