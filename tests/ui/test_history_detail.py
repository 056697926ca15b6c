"""The history detail as an HTTP client shows it (summary per request, Request /
Response / Headers), JSON folding and find, the diff of two rows or a row and the draft,
and the table's layout on a 2× screen."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication

from app.core.redact import MASK
from app.core.scrub import HOST_STAND_IN, KEY_STAND_IN
from app.state.history_text import STATUS_COLUMN
from app.storage import Mode, NewEntry, Outcome, Status
from app.ui.history.compare import PICK_TWO, table_menu
from app.ui.shell.main_window import MainWindow
from tests.support.qt import KEY, connect, run
from tests.support.segment_server import SegmentServer


def send(qtbot: Any, loop: asyncio.AbstractEventLoop, window: MainWindow, preview: bool) -> None:
    workspace = window.workspace
    assert workspace is not None
    button = workspace.send.preview if preview else workspace.send.send  # type: ignore[attr-defined]
    assert button.isEnabled(), button.toolTip()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    run(loop, workspace.queue.wait())  # type: ignore[attr-defined]


def row_point(history: Any, row: int) -> QPoint:
    return history.table.visualRect(history.model.index(row, STATUS_COLUMN)).center()


def test_the_detail_shows_each_request_its_response_and_masked_headers(
    qtbot: Any, loop: asyncio.AbstractEventLoop, window: MainWindow, segment_server: SegmentServer
) -> None:
    connect(window, segment_server.base_url)
    send(qtbot, loop, window, preview=False)  # a track and an identify: two requests
    workspace = window.workspace
    assert workspace is not None and window.services is not None
    history, detail = workspace.history, workspace.history.detail  # type: ignore[attr-defined]
    qtbot.mouseClick(history.table.viewport(), Qt.MouseButton.LeftButton,
                     pos=row_point(history, 0))  # fmt: skip
    assert detail.requests.isVisibleTo(detail) and detail.requests.count() == 2
    assert detail.requests.itemText(0) == "1. POST /v1/track — HTTP 200"
    summary = detail.summary.text()  # "HTTP 200 · 85 ms · 942 B → 17 B · 1 attempt"
    assert re.fullmatch(r"HTTP 200 · \d+ ms · \d+ B → \d+ B · 1 attempt", summary), summary
    assert '"event": "rc_initial_purchase_event"' in detail.show_tab("Request").toPlainText()
    assert '"success": true' in detail.show_tab("Response").toPlainText()
    detail.requests.setCurrentIndex(1)  # the identify: the chosen tab stays
    assert detail.tabs.tabText(detail.tabs.currentIndex()) == "Response"
    assert '"type": "identify"' in detail.show_tab("Request").toPlainText()
    headers = detail.show_tab("Headers").toPlainText()
    assert f"Authorization: Basic {MASK}{KEY[-4:]}:" in headers
    assert "Response headers" in headers and "content-type: application/json" in headers.lower()
    host = segment_server.base_url.split("://")[1].split("/")[0]
    assert f"Host: {host}" in headers
    workspace.state.presenter.set_active(True)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: history.model.total == 1)
    history.table.selectRow(0)
    detail.requests.setCurrentIndex(1)
    shown = detail.texts()
    assert f"Authorization: Basic {KEY_STAND_IN}" in shown["Headers"]
    assert f"Host: {HOST_STAND_IN}" in shown["Headers"]
    for text in shown.values():
        assert KEY not in text and KEY[-4:] not in text and host not in text
    workspace.state.presenter.set_active(False)  # type: ignore[attr-defined]

    # An old row, recorded before sizes, latency and headers: dashes, never a guess.
    window.services.history.record(
        NewEntry(mode=Mode.LIVE, target="us", requests=[{"url": "https://api.segment.io/v1/t"}]),
        Outcome(status=Status.ACCEPTED, http_status=200, responses=[{"status": 200}]),
    )
    history.reload()
    history.table.selectRow(0)
    assert not detail.requests.isVisibleTo(detail)  # one request: no selector
    assert detail.summary.text() == "POST /v1/t · HTTP 200 · — · — · —"
    assert "(none recorded)" in detail.show_tab("Headers").toPlainText()


def test_json_folds_and_the_find_box_counts_and_steps_through_matches(
    qtbot: Any, loop: asyncio.AbstractEventLoop, window: MainWindow
) -> None:
    workspace = window.workspace
    assert workspace is not None
    send(qtbot, loop, window, preview=True)
    history, detail = workspace.history, workspace.history.detail  # type: ignore[attr-defined]
    history.table.selectRow(0)
    view = detail.show_tab("Raw")
    lines = view.toPlainText().split("\n")
    requests = next(i for i, line in enumerate(lines) if line.startswith('  "requests": ['))
    assert requests in view.ranges
    visible = lambda n: view.document().findBlockByNumber(n).isVisible()  # noqa: E731
    # A click on the gutter's ▾ folds the requests array; its inside is hidden.
    top = view.blockBoundingGeometry(view.document().findBlockByNumber(requests))
    y = int(top.translated(view.contentOffset()).center().y())
    qtbot.mouseClick(view.gutter, Qt.MouseButton.LeftButton, pos=QPoint(4, y))
    assert requests in view.folded and not visible(requests + 1) and visible(requests)
    assert not visible(view.ranges[requests]) and visible(view.ranges[requests] + 1)
    view.unfold_all()
    assert visible(requests + 1)
    view.fold_all()  # the top level stays open, everything inside folds
    assert visible(requests) and not visible(requests + 1)

    # Ctrl+F in the detail opens its find box, not the history filter.
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    where = detail.tabs.geometry()
    qtbot.keyClick(view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    find = detail.find_bar
    assert find.isVisible() and find.box.hasFocus() and not history.text.hasFocus()
    assert not detail.summary.isVisible() and detail.tabs.geometry() == where  # in its place
    total = view.toPlainText().count("user_4821")
    assert total >= 3
    qtbot.keyClicks(find.box, "USER_4821")  # case does not matter
    assert find.count_text() == f"1 of {total}"
    first = view.textCursor().blockNumber()
    assert visible(first)  # the match was folded away: it is shown now
    qtbot.keyClick(find.box, Qt.Key.Key_Return)
    assert find.count_text() == f"2 of {total}"
    qtbot.keyClick(find.box, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert find.count_text() == f"1 of {total}" and view.textCursor().blockNumber() == first
    assert len([m for m in view.extraSelections()]) == total  # every match highlighted
    detail.show_tab("Request")  # another view: searched again
    assert find.count_text().endswith(
        f"of {detail.views['Request'].toPlainText().count('user_4821')}"
    )
    qtbot.keyClick(find.box, Qt.Key.Key_Escape)
    assert not find.isVisible() and not workspace.queue.busy  # type: ignore[attr-defined]
    assert detail.summary.isVisible()


def test_compare_two_rows_and_a_row_with_the_draft(
    qtbot: Any, loop: asyncio.AbstractEventLoop, window: MainWindow
) -> None:
    workspace = window.workspace
    assert workspace is not None
    draft = workspace.state.draft  # type: ignore[attr-defined]
    send(qtbot, loop, window, preview=True)
    draft.set_event({**draft.rc_event, "price": 4.99, "store": "PLAY_STORE"})
    send(qtbot, loop, window, preview=True)
    history = workspace.history  # type: ignore[attr-defined]
    history.table.setFocus()
    history.table.selectRow(0)
    qtbot.mouseClick(history.table.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.ControlModifier, row_point(history, 1))  # fmt: skip
    assert len(history.selected_ids()) == 2
    menu = table_menu(history, history, row_point(history, 1))  # right-click inside the selection
    compare_rows, compare_draft = menu.actions()[:2]
    assert compare_rows.isEnabled() and not compare_draft.isEnabled()
    menu.close()
    # The Menu key asks for the menu at the current row, and keeps the selection.
    history.table.menu_requested.disconnect(history._context_menu)  # no popup offscreen
    with qtbot.waitSignal(history.table.menu_requested) as asked:
        at = history.table.mapToGlobal(QPoint(0, 0))
        QApplication.sendEvent(history.table, QContextMenuEvent(
            QContextMenuEvent.Reason.Keyboard, QPoint(0, 0), at,
            Qt.KeyboardModifier.NoModifier))  # fmt: skip
    assert asked.args == [row_point(history, 1), True]
    table_menu(history, history, QPoint(4, 4), keyboard=True).close()
    assert len(history.selected_ids()) == 2
    workspace.actions["compare_history"].trigger()  # type: ignore[attr-defined]  # Ctrl+D
    dialog = history.last_diff
    assert dialog is not None and dialog.isVisible()
    pane = dialog.panes["Payload"]
    left, right = pane.left.toPlainText().split("\n"), pane.right.toPlainText().split("\n")
    styles = pane.styles[1]
    changed = {right[n].strip() for n, style in styles.items() if style == "changed"}
    assert '"store": "PLAY_STORE",' in changed and '"revenue": 4.99,' in changed
    dimmed = {right[n].split(":")[0].strip() for n, s in styles.items() if s == "volatile"}
    assert {'"messageId"', '"sentAt"', '"timestamp"'} <= dimmed
    assert not any('"messageId"' in right[n] for n, s in styles.items() if s == "changed")
    assert '"store": "APP_STORE",' in {line.strip() for line in left}  # older on the left
    assert "volatile line(s) dimmed" in pane.note.text()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog, Qt.Key.Key_F7)  # to the first difference, both sides at one line
    assert dialog.position.text() == "Difference 1 of 1"  # revenue and store: adjacent
    assert pane.left.textCursor().blockNumber() == pane.right.textCursor().blockNumber()
    assert pane.diff.lines[pane.right.textCursor().blockNumber()].real
    assert "was not sent" in dialog.panes["Response"].note.text()  # previews
    dialog.close()

    # One row: against the current draft, back in the App Store (at the new price).
    draft.set_event({**draft.rc_event, "store": "APP_STORE"})
    qtbot.mouseClick(
        history.table.viewport(), Qt.MouseButton.LeftButton, pos=row_point(history, 1)
    )  # the first row: App Store, the old price
    dialog = history.compare()
    assert dialog is not None and "Current draft" in dialog.panes["Payload"].titles[1].text()
    real = [line for line in dialog.panes["Payload"].diff.lines if line.real]
    assert real and all("revenue" in (line.right or "") for line in real)  # price 4.99 kept
    dialog.close()
    history.table.clearSelection()
    assert history.compare() is None and history.count.text() == PICK_TWO


def test_status_stays_on_screen_on_a_2x_screen_and_in_presentation_mode(
    qtbot: Any, window: MainWindow
) -> None:
    workspace = window.workspace
    assert workspace is not None and window.services is not None
    window.services.history.record(
        NewEntry(mode=Mode.LIVE, target="https://collector.example.internal/v1",
                 event_name="rc_non_renewing_purchase_event", user_id="user_with_a_long_id",
                 requests=[{"url": "https://collector.example.internal/v1/track"},
                           {"url": "https://collector.example.internal/v1/identify"}]),
        Outcome(status=Status.INTERRUPTED, error_kind="connection"),
    )  # fmt: skip
    workspace.state.presenter.session_start = datetime(2000, 1, 1, tzinfo=UTC)  # type: ignore[attr-defined]
    history = workspace.history  # type: ignore[attr-defined]
    history.reload()
    history.table.selectRow(0)  # a detail with a request selector, beside the table
    table = history.table
    window.resize(800, 500)  # a 1600×1000 screen at 2×, as Qt sees it
    qtbot.waitUntil(lambda: table.viewport().width() < 600)

    def on_screen() -> bool:
        x = table.columnViewportPosition(STATUS_COLUMN)
        return x >= 0 and x + table.columnWidth(STATUS_COLUMN) <= table.viewport().width()

    needed = table.fontMetrics().horizontalAdvance("interrupted (connection)")
    assert on_screen() and table.columnWidth(STATUS_COLUMN) >= needed
    table.setColumnWidth(STATUS_COLUMN, 20)  # a person drags it narrow: it stays readable
    assert table.columnWidth(STATUS_COLUMN) >= needed
    workspace.state.presenter.set_active(True)  # type: ignore[attr-defined]  # larger type
    qtbot.waitUntil(lambda: table.fontMetrics().height() > 20)
    history.table.selectRow(0)
    history.detail.find_bar.open_bar()  # the widest the detail gets
    assert history.detail.requests.isVisibleTo(history.detail)
    assert table.columnWidth(STATUS_COLUMN) >= table.fontMetrics().horizontalAdvance(
        "interrupted (connection)"
    )
    assert table.rowHeight(0) >= table.fontMetrics().height()  # rows are not clipped
    qtbot.waitUntil(on_screen)
    workspace.state.presenter.set_active(False)  # type: ignore[attr-defined]
    QApplication.processEvents()
