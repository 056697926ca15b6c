"""The Capture tab with real parts: the receiver on 127.0.0.1 port 0 started from the tab,
Segment's official Python library and RevenueCat webhooks posted to it, the bridge
forwarding to the loopback Segment stand-in with the window's connection, the doctor's
verdict, snippets with the real address, and the close that stops the server."""

from __future__ import annotations

import base64
import copy
import html
import json
import socket
from pathlib import Path
from typing import Any

import httpx
import pytest
import segment.analytics as segment_analytics
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.capture.address import Bind
from app.core.identity import Verdict
from app.core.settings import IntegrationSettings
from app.ui.capture import capture_panel
from app.ui.capture.capture_panel import CapturePanel
from app.ui.capture.controller import Phase
from app.ui.shell.main_window import MainWindow
from tests.support.qt import KEY, connect, run, until
from tests.support.segment_server import SegmentServer

ROOT = Path(__file__).resolve().parents[2]
HOOK_SECRET = "Bearer rc-hook-secret-5531"
APP_KEY = "wkAPPSIDE0123456789abcdefghijklm"  # the app's own source: another key


@pytest.fixture(autouse=True)
def quick_follow(monkeypatch: pytest.MonkeyPatch) -> None:
    """The doctor and history follow traffic within 50 ms (a second in the app)."""
    monkeypatch.setattr(capture_panel, "THROTTLE_MS", 50)


def open_tab(win: MainWindow) -> CapturePanel:
    ws = win.workspace
    assert ws is not None
    ws.tabs.setCurrentWidget(ws.capture_tab)  # type: ignore[attr-defined]
    panel: CapturePanel = ws.capture  # type: ignore[attr-defined]
    return panel


def webhook(event_id: str, user: str) -> dict[str, Any]:
    body = json.loads((ROOT / "sample_events" / "renewal.revenuecat.json").read_text())
    event = copy.deepcopy(body)
    event["event"].update(id=event_id, app_user_id=user, aliases=[user])
    return dict(event)


def test_capture_feed_doctor_bridge_snippets_and_close(
    loop: Any, window: MainWindow, segment_server: SegmentServer
) -> None:
    connect(window, segment_server.base_url, KEY)  # the window's connection: the stand-in
    panel = open_tab(window)
    assert panel.bind.currentData() == Bind.LOOPBACK.value and panel.lan_warning.isHidden()
    panel.port.setText("0")
    panel.checks.expected_key.edit.setText(APP_KEY)
    panel.checks.webhook_auth.edit.setText(HOOK_SECRET)
    panel.start_stop.click()
    run(loop, until(lambda: panel.controller.phase is Phase.RUNNING))
    listening = panel.controller.listening
    assert listening is not None and listening.port > 0
    assert panel.address.text() == f"http://127.0.0.1:{listening.port}"
    assert panel.start_stop.text() == "St&op" and not panel.port.isEnabled()

    # The app's own SDK: Segment's official library, and a call with the wrong key.
    client = segment_analytics.Client(
        APP_KEY, host=listening.base_url, max_retries=0, sync_mode=True
    )
    client.identify("user_1", {"plan": "pro"})
    client.track("user_1", "Paywall Shown")
    client.track(anonymous_id="anon_9", event="Opened")
    wrong = "Basic " + base64.b64encode(f"{KEY}:".encode()).decode()
    httpx.post(f"{listening.segment_api}/t", json={"event": "Lost"},
               headers={"Authorization": wrong})  # fmt: skip
    # RevenueCat: refused without the Authorization value; recorded with bridge off.
    url = listening.revenuecat_webhook
    assert httpx.post(url, json=webhook("E-1", "user_1")).status_code == 401
    ok = httpx.post(url, json=webhook("E-1", "user_1"), headers={"Authorization": HOOK_SECRET})
    assert ok.status_code == 200
    run(loop, until(lambda: sum(panel.feed.model.seen.values()) >= 6))

    # The bridge, switched on while running, with settings changed while running.
    assert segment_server.requests == []
    panel.bridge.setChecked(True)
    window.workspace.state.apply_settings(  # type: ignore[union-attr]
        IntegrationSettings(event_names={"renewal": "Renewed!"})
    )
    httpx.post(url, json=webhook("E-2", "user_1"), headers={"Authorization": HOOK_SECRET})
    run(loop, until(lambda: panel.feed.model.seen["revenuecat"] >= 3))
    segment_server.wait_for(1)
    forwarded = segment_server.requests[0]
    assert forwarded.json()["event"] == "Renewed!" and forwarded.json()["userId"] == "user_1"
    assert forwarded.headers["authorization"] == wrong  # the window's key, as Basic auth

    rows = {(r.source, r.type): r for r in panel.feed.model.rows}  # newest first
    feed = [r.cells() for r in panel.feed.model.rows]
    assert any(c[1] == "segment" and c[3] == "user_1" for c in feed)
    assert any(c[3] == "— · anon_9" for c in feed)
    flagged = next(r for r in panel.feed.model.rows if r.tone == "warn")
    assert "wrong key" in flagged.result and "no user id" in flagged.result
    assert panel.feed.model.rows[0].result == "forwarded"
    assert panel.feed.model.rows[0].event == "Renewed!"
    assert any(c[5] == "401: wrong Authorization" for c in feed)
    assert ("revenuecat", "RENEWAL") in rows

    # The detail: the flags in words, the row as JSON, no secret anywhere.
    index = panel.feed.model.rows.index(flagged)
    panel.feed.table.selectRow(index)
    assert panel.feed.flags.isVisible() and "write key" in panel.feed.flags.text()
    detail = panel.feed.detail.toPlainText()
    assert '"Lost"' in detail and KEY not in detail and APP_KEY not in detail
    panel.feed.table.selectRow(0)
    webhook_detail = panel.feed.detail.toPlainText()
    assert "E-2" in webhook_detail and "rc-hook-secret" not in webhook_detail
    # An app that echoes both secrets into what it sends: the tab's Presenter masks them.
    good = "Basic " + base64.b64encode(f"{APP_KEY}:".encode()).decode()
    before = panel.feed.model.seen["segment"]
    httpx.post(f"{listening.segment_api}/t", headers={"Authorization": good},
               json={"userId": "user_1", "event": "Echoed",
                     "properties": {"key": APP_KEY, "auth": HOOK_SECRET}})  # fmt: skip
    run(loop, until(lambda: panel.feed.model.seen["segment"] > before))
    echoed = next(i for i, r in enumerate(panel.feed.model.rows) if r.event == "Echoed")
    panel.feed.table.selectRow(echoed)
    echoed_detail = panel.feed.detail.toPlainText()
    assert '"Echoed"' in echoed_detail
    assert APP_KEY not in echoed_detail and "rc-hook-secret" not in echoed_detail

    # The doctor: RevenueCat's user_1 is the app's identify()'d user_1.
    run(loop, until(lambda: any(d.revenuecat_user_id == "user_1" for d in panel.doctor.diagnoses)))
    (found,) = [d for d in panel.doctor.diagnoses if d.revenuecat_user_id == "user_1"]
    assert found.verdict is Verdict.EXACT and "user_1" in found.app_ids
    assert "Exact match" in panel.doctor.detail.text()
    # … and the history view follows the captured calls.
    run(loop, until(lambda: window.workspace.history.model.total >= 7))  # type: ignore[union-attr]

    # Snippets: the real address, never a key.
    port = str(listening.port)
    for i, snippet in enumerate(panel.snippets.snippets):
        panel.snippets.platform.setCurrentIndex(i)
        text = panel.snippets.text.toPlainText()
        assert port in text and KEY not in text and APP_KEY not in text, snippet.key
    panel.snippets.platform.setCurrentIndex(0)
    assert "127.0.0.1:" + port in panel.snippets.copy_current()
    assert QApplication.clipboard().text().count("YOUR_WRITE_KEY") == 1
    assert panel.copy_url("revenuecat_webhook") == f"http://127.0.0.1:{port}/revenuecat"
    ui_ini = Path(window.ui_settings.fileName())
    window.ui_settings.sync()
    assert "rc-hook-secret" not in ui_ini.read_text() and APP_KEY not in ui_ini.read_text()

    # Closing the window stops the receiver: the port no longer answers.
    run(loop, window.shutdown())
    assert panel.controller.phase is Phase.STOPPED and window._shut_down
    with pytest.raises(httpx.ConnectError):
        httpx.post(f"http://127.0.0.1:{port}/v1/t", json={}, timeout=2)


def test_lan_warning_bad_and_busy_ports_are_one_line(
    qtbot: Any, loop: Any, window: MainWindow
) -> None:
    """Opened as a person would from the keyboard (View → Capture, Ctrl+4)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    ws: Any = window.workspace
    assert ws.tabs.currentWidget() is ws.capture_tab and ws.capture_tab.built
    panel: CapturePanel = ws.capture
    panel.bind.setCurrentIndex(panel.bind.findData(Bind.LAN.value))
    assert not panel.lan_warning.isHidden() and "any device on your network" in (
        panel.lan_warning.text()
    )
    assert window.ui_settings.value("capture/bind") == "lan"
    panel.bind.setCurrentIndex(panel.bind.findData(Bind.LOOPBACK.value))
    assert panel.lan_warning.isHidden()
    panel.port.setText("80x")
    assert "Port: '80x' is not a number" in html.unescape(panel.status.text())
    assert not panel.start() and panel.controller.phase is Phase.STOPPED
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        panel.port.setText(str(taken.getsockname()[1]))
        assert window.ui_settings.value("capture/port") == taken.getsockname()[1]
        panel.start_stop.click()
        run(loop, until(lambda: "cannot listen" in panel.status.text()))
    assert panel.controller.phase is Phase.STOPPED and panel.start_stop.isEnabled()
    assert "Port: cannot listen on 127.0.0.1:" in panel.status.text()
    assert QApplication.activeModalWidget() is None


def test_the_feed_keeps_the_newest_rows_only(qapp: QApplication) -> None:
    from datetime import UTC, datetime

    from app.capture.items import CallItem
    from app.ui.capture.feed_model import FeedModel

    model = FeedModel(cap=100)
    inserts: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserts.append((first, last)))
    at = datetime.now(UTC)
    for tick in range(3):  # three ticks of 60 calls: one insert each, the oldest trimmed
        model.add([CallItem(at, "/v1/t", "track", 200, 1, user_ids=(f"u{tick}-{i}",))
                   for i in range(60)])  # fmt: skip
    assert inserts == [(0, 59)] * 3 and model.rowCount() == 100
    assert model.rows[0].ids == "u2-59" and model.rows[-1].ids == "u1-20"
    assert model.seen["segment"] == 180
    model.add([CallItem(at, "/v1/t", "track", 200, 1, user_ids=(f"v{i}",)) for i in range(250)])
    assert model.rowCount() == 100 and model.rows[0].ids == "v249" and model.rows[-1].ids == "v150"


def test_the_feed_filter_shows_matching_rows_as_they_arrive(qtbot: Any) -> None:
    """Typing in the feed's filter keeps the rows holding every word (any id of a call,
    also one its cell does not list); a row selected there shows that row's detail; new
    calls that match appear, others wait in the feed until the filter is cleared."""
    from datetime import UTC, datetime

    from app.capture.items import CallItem
    from app.ui.capture.feed_view import FeedView

    shown: list[object] = []
    view = FeedView(lambda item: shown.append(item) or f"detail of {item.user_ids}")
    qtbot.addWidget(view)
    view.show()
    at = datetime.now(UTC)
    calls = [CallItem(at, "/v1/batch", "batch", 200, 4, user_ids=("a", "b", "c", f"buyer-{i}"))
             for i in range(5)]  # fmt: skip
    view.add(calls)
    qtbot.keyClicks(view.filter, "BUYER-3")
    assert view.shown.rowCount() == 1 and view.model.rowCount() == 5
    assert "1 matching" in view.count.text()
    view.table.selectRow(0)
    assert shown == [calls[3]] and "buyer-3" in view.detail.toPlainText()
    view.add([CallItem(at, "/v1/t", "track", 200, 1, user_ids=("buyer-3",)),
              CallItem(at, "/v1/t", "track", 200, 1, user_ids=("someone",))])  # fmt: skip
    assert view.shown.rowCount() == 2 and view.model.rowCount() == 7
    view.filter.clear()
    assert view.shown.rowCount() == 7 and "matching" not in view.count.text()


def test_a_redraw_with_the_same_address_does_not_refill_the_snippets(
    qtbot: Any, window: Any
) -> None:
    """Every change to the connection (each key typed in the write key, with the tab
    open) pushes the config and redraws the tab; the snippets are the same, so the
    platform list is not emptied and refilled under the reader each time. A new address
    does refill it."""
    panel = open_tab(window)
    qtbot.waitUntil(panel.isVisible)
    platform = panel.snippets.platform
    platform.setCurrentIndex(2)
    refills: list[int] = []
    platform.model().rowsRemoved.connect(lambda *_: refills.append(1))
    qtbot.keyClicks(window.workspace.connection.key, "wk_typed_0123456789")
    for _ in range(5):
        panel.push_config()  # what each connection change calls
    assert refills == [] and platform.currentIndex() == 2
    panel.port.setText("9123")
    assert refills and platform.currentIndex() == 2
    assert "9123" in panel.snippets.current_text()
