"""Preview and live sends from the window to a real loopback Segment (no mocks)."""

from __future__ import annotations

import asyncio
import base64
import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.delivery import DeliveryOptions
from app.storage import Status
from app.ui.shell.main_window import MainWindow
from tests.support.qt import KEY, connect, run, until
from tests.support.segment_server import SegmentServer, respond, slow


def click(qtbot: Any, button: Any) -> None:
    assert button.isEnabled(), button.toolTip()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def finish(loop: asyncio.AbstractEventLoop, win: MainWindow) -> None:
    run(loop, win.workspace.queue.wait())


def test_preview_records_a_row_and_sends_nothing(
    qtbot: Any, loop: asyncio.AbstractEventLoop, window: MainWindow, segment_server: SegmentServer
) -> None:
    connect(window, segment_server.base_url, key="")
    assert not window.workspace.send.send.isEnabled()  # no key: preview only
    assert "Preview only" in window.workspace.send.mode.text()
    click(qtbot, window.workspace.send.preview)
    finish(loop, window)
    history = window.workspace.history
    assert history.model.total == 1
    assert history.model.row_at(0).status is Status.PREVIEWED
    assert "nothing was sent" in window.workspace.send.outcome.text()
    assert segment_server.requests == []


def test_live_send_shows_status_and_response(
    qtbot: Any, loop: asyncio.AbstractEventLoop, window: MainWindow, segment_server: SegmentServer
) -> None:
    connect(window, segment_server.base_url)
    assert "Live send" in window.workspace.send.mode.text()
    click(qtbot, window.workspace.send.send)
    finish(loop, window)
    received = segment_server.requests
    assert [r.path for r in received] == ["/v1/track", "/v1/identify"]
    auth = base64.b64encode(f"{KEY}:".encode()).decode()
    assert received[0].headers["authorization"] == f"Basic {auth}"
    assert received[0].json()["event"] == "rc_initial_purchase_event"
    outcome = window.workspace.send.outcome.text()
    assert "HTTP 200" in outcome and "Segment debugger" in outcome and "attempt" in outcome
    history = window.workspace.history
    row = history.model.row_at(0)
    assert row.status is Status.ACCEPTED and row.http_status == 200
    history.table.selectRow(0)
    detail = json.loads(history.detail.views["Raw"].toPlainText())
    assert detail["responses"][0]["body"] == '{"success": true}'
    # A second send gets fresh messageIds (Segment must not dedupe it).
    click(qtbot, window.workspace.send.send)
    finish(loop, window)
    ids = [r.json()["messageId"] for r in segment_server.requests]
    assert len(set(ids)) == 4


def test_http_400_is_explained_and_recorded(
    qtbot: Any, loop: asyncio.AbstractEventLoop, window: MainWindow, segment_server: SegmentServer
) -> None:
    connect(window, segment_server.base_url)
    segment_server.script(respond(400, {"success": False, "message": "Invalid JSON"}))
    click(qtbot, window.workspace.send.send)
    finish(loop, window)
    outcome = window.workspace.send.outcome.text()
    assert "HTTP 400" in outcome and "http ·" not in outcome  # said once
    row = window.workspace.history.model.row_at(0)
    assert row.status is Status.FAILED and row.http_status == 400
    # A 400 is never retried: one /track, then the identify call as usual.
    assert [r.path for r in segment_server.requests] == ["/v1/track", "/v1/identify"]


# The default retries (3) with a backoff of milliseconds instead of 0.5 s doubling: the
# retries really happen, the test just does not wait seconds between them.
FAST_RETRIES = DeliveryOptions(backoff_base=0.002, backoff_cap=0.01)


@pytest.mark.parametrize("delivery_options", [FAST_RETRIES])
def test_connection_refused_is_explained_and_recorded(
    qtbot: Any, loop: asyncio.AbstractEventLoop, window: MainWindow
) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    connect(window, f"http://127.0.0.1:{port}/v1")
    click(qtbot, window.workspace.send.send)
    finish(loop, window)
    outcome = window.workspace.send.outcome.text()
    # /track and /identify: each the first try + 3 retries.
    assert "refused" in outcome and outcome.count("4 attempt(s)") == 2
    row = window.workspace.history.model.row_at(0)
    assert row.status is Status.FAILED and row.error_kind == "refused"
    assert row.attempts == 8


def test_cancel_mid_send(
    qtbot: Any, loop: asyncio.AbstractEventLoop, window: MainWindow, segment_server: SegmentServer
) -> None:
    connect(window, segment_server.base_url)
    segment_server.script(slow(30))
    send = window.workspace.send
    click(qtbot, send.send)
    run(loop, until(lambda: len(segment_server.requests) == 1))
    assert send.cancel.isVisible() and send.busy.isVisible()
    assert not send.send.isEnabled()  # one send at a time
    assert not window.workspace.queue.start(send.build_job(preview=False))
    window.workspace.event.form.editor("price").setText("1.99")  # type: ignore[union-attr]
    click(qtbot, send.cancel)
    finish(loop, window)
    assert not send.cancel.isVisible() and not send.busy.isVisible()
    assert "Cancelled" in send.outcome.text()
    assert window.workspace.history.model.row_at(0).status is Status.CANCELLED


def test_hand_edited_send_is_flagged(
    qtbot: Any, loop: asyncio.AbstractEventLoop, window: MainWindow, segment_server: SegmentServer
) -> None:
    connect(window, segment_server.base_url)
    payload = window.workspace.payload
    click(qtbot, payload.edit)
    track = json.loads(payload.views["Track"].toPlainText())
    payload.views["Track"].setPlainText(json.dumps({**track, "event": "edited_by_hand"}))
    click(qtbot, window.workspace.send.send)
    finish(loop, window)
    assert segment_server.requests[0].json()["event"] == "edited_by_hand"
    row = window.workspace.history.model.row_at(0)
    assert row.hand_edited and "✎" in window.workspace.history.model.index(0, 1).data()


def test_sandbox_override_is_recorded(
    qtbot: Any, loop: asyncio.AbstractEventLoop, window: MainWindow, segment_server: SegmentServer
) -> None:
    connect(window, segment_server.base_url)
    window.workspace.event.form.editor("environment").setCurrentText("SANDBOX")  # type: ignore[union-attr]
    assert not window.workspace.send.send.isEnabled()
    window.workspace.send.override.setChecked(True)
    click(qtbot, window.workspace.send.send)
    finish(loop, window)
    assert segment_server.requests[0].json()["context"]["environment"] == "sandbox"
    assert window.workspace.history.model.row_at(0).sandbox_override


def test_resend_from_history_uses_fresh_ids(
    qtbot: Any, loop: asyncio.AbstractEventLoop, window: MainWindow, segment_server: SegmentServer
) -> None:
    connect(window, segment_server.base_url)
    click(qtbot, window.workspace.send.send)
    finish(loop, window)
    history = window.workspace.history
    history.table.selectRow(0)
    click(qtbot, history.buttons["Re-send"])
    finish(loop, window)
    first, second = segment_server.requests[0].json(), segment_server.requests[2].json()
    assert first["event"] == second["event"] and first["messageId"] != second["messageId"]
    assert history.model.total == 2
    # It goes to the connection shown now (history masks a custom host), and says so.
    assert "current connection" in history.buttons["Re-send"].toolTip()


def test_resend_says_where_it_goes_and_waits_for_a_running_send(
    qtbot: Any, loop: asyncio.AbstractEventLoop, window: MainWindow, segment_server: SegmentServer
) -> None:
    connect(window, segment_server.base_url)
    click(qtbot, window.workspace.send.send)
    finish(loop, window)
    history = window.workspace.history
    history.table.selectRow(0)
    segment_server.script(slow(30))
    click(qtbot, history.buttons["Re-send"])
    run(loop, until(lambda: len(segment_server.requests) == 3))
    host = segment_server.base_url.split("//")[1].split("/")[0]
    outcome = window.workspace.send.outcome.text()
    assert outcome.startswith("Re-sending history #1 to ") and host in outcome
    # A second re-send while the first is in flight is refused in words, not ignored.
    history.resend_requested.emit(history.model.row_at(0))
    assert window.workspace.send.outcome.text().startswith("Not re-sent: another send")
    window.workspace.queue.cancel()
    finish(loop, window)
    assert len(segment_server.requests) == 3
    # Without a key it says so in the window's words (not the CLI's "--write-key").
    window.workspace.connection.key.setText("")
    history.resend_requested.emit(history.model.row_at(0))
    outcome = window.workspace.send.outcome.text()
    assert outcome.startswith("Not re-sent: enter a write key") and "--write-key" not in outcome
    assert len(segment_server.requests) == 3


def test_key_never_leaks(
    qtbot: Any,
    loop: asyncio.AbstractEventLoop,
    window: MainWindow,
    segment_server: SegmentServer,
    data_dir: Path,
    tmp_path: Path,
) -> None:
    connect(window, segment_server.base_url)
    encoded = base64.b64encode(f"{KEY}:".encode()).decode()
    click(qtbot, window.workspace.send.preview)
    finish(loop, window)
    click(qtbot, window.workspace.send.send)
    finish(loop, window)
    segment_server.script(respond(400))
    click(qtbot, window.workspace.send.send)
    finish(loop, window)
    payload = window.workspace.payload
    shown = [payload.show_tab(name).toPlainText() for name in payload.views]
    assert '-u "$SEGMENT_WRITE_KEY:"' in payload.show_tab("cURL").toPlainText()
    history = window.workspace.history
    for row in range(history.model.rowCount()):
        history.table.selectRow(row)
        shown.extend(history.detail.texts().values())
    history.table.selectAll()
    shown.append(history.copy_selected())
    export = tmp_path / "export.ndjson"
    assert history.export_to(str(export)) == 3
    shown.append(export.read_text())
    shown.append(window.workspace.send.outcome.text() + window.workspace.send.mode.text())
    run(loop, window.shutdown())
    for path in data_dir.rglob("*"):
        if path.is_file():
            shown.append(path.read_bytes().decode("utf-8", "replace"))
    for text in shown:
        assert KEY not in text and encoded not in text


def test_override_does_not_carry_over_to_the_next_event(
    qtbot: Any, window: MainWindow, segment_server: SegmentServer
) -> None:
    connect(window, segment_server.base_url)
    window.workspace.event.form.editor("environment").setCurrentText("SANDBOX")  # type: ignore[union-attr]
    window.workspace.send.override.setChecked(True)
    window.workspace.event.select_type("renewal")
    assert not window.workspace.send.override.isChecked()
    assert not window.workspace.state.draft.override_sandbox


def test_closing_mid_send_cancels_and_closes_cleanly(
    qtbot: Any, loop: asyncio.AbstractEventLoop, window: MainWindow, segment_server: SegmentServer
) -> None:
    connect(window, segment_server.base_url)
    segment_server.script(slow(30))
    click(qtbot, window.workspace.send.send)
    run(loop, until(lambda: len(segment_server.requests) == 1))
    history = window.services.history  # type: ignore[union-attr]

    async def close_window() -> None:
        window.close()  # closeEvent: ignore, cancel the send, close the client, then close
        await until(lambda: window._shut_down)

    run(loop, close_window())
    assert not window.isVisible()
    reopened = type(history).in_dir(history.path.parent)
    row = reopened.query()[0]
    assert row.status is Status.CANCELLED
    reopened.close()


def test_skipped_sandbox_preview_is_recorded_under_its_user(
    qtbot: Any, loop: asyncio.AbstractEventLoop, window: MainWindow, segment_server: SegmentServer
) -> None:
    connect(window, segment_server.base_url)
    form = window.workspace.event.form
    form.editor("environment").setCurrentText("SANDBOX")  # type: ignore[union-attr]
    user = form.editor("app_user_id").text()  # type: ignore[union-attr]
    assert user
    click(qtbot, window.workspace.send.preview)
    finish(loop, window)
    row = window.workspace.history.model.row_at(0)
    assert row.status is Status.SKIPPED and row.user_id == user
    assert segment_server.requests == []


def test_resend_of_a_row_split_over_two_batches_sends_each_message_once(
    qtbot: Any, loop: asyncio.AbstractEventLoop, window: MainWindow, segment_server: SegmentServer
) -> None:

    connect(window, segment_server.base_url)
    click(qtbot, window.workspace.send.send)
    finish(loop, window)
    row = window.workspace.history.model.row_at(0)
    messages = [r["body"] for r in row.requests]
    # How a batched send stores an event whose track and identify went in two /batch
    # requests: each request's stored body carries the event's messages.
    split = [{**r, "body": {"batch": messages}} for r in row.requests]
    window.workspace.history.resend_requested.emit(row.model_copy(update={"requests": split}))
    finish(loop, window)
    resent = [r.json() for r in segment_server.requests[2:]]
    assert [m["type"] for m in resent] == ["track", "identify"]
