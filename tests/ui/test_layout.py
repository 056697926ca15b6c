"""The window at 800×500 (a 1600×1000 screen at 2× scaling, as Qt sees it): on every page
and in presentation mode no two widgets overlap and none sticks out of its parent; the
write key's text never runs under Show; each page keeps the rows it is for (the payload's
JSON, the timeline's labels, the Capture feed, the history's Time and Status); a long
send outcome scrolls instead of being cut or pushing the buttons."""

from __future__ import annotations

import contextlib
from typing import Any

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QTableView, QWidget

from app.state.history_text import COLUMNS
from app.ui.lifecycles.timeline_layout import BLOCK_LINES, LEGEND_LINES
from app.ui.lifecycles.timeline_view import DOT
from app.ui.shell.main_window import MainWindow
from app.ui.widgets.deferred import DeferredTab
from tests.support.layout import cut_off, overlaps


def lines_shown(view: QAbstractScrollArea) -> float:
    return view.viewport().height() / view.fontMetrics().lineSpacing()


def rows_shown(table: QTableView) -> float:
    return table.viewport().height() / table.verticalHeader().defaultSectionSize()


def top_left(widget: QWidget, window: MainWindow) -> QPoint:
    return widget.mapTo(window, QPoint(0, 0))


def assert_laid_out(qtbot: Any, window: MainWindow, where: str) -> None:
    """Layouts settle in posted events: wait for a clean layout, then say what is not."""
    with contextlib.suppress(qtbot.TimeoutError):
        qtbot.waitUntil(lambda: not overlaps(window) and not cut_off(window), timeout=2000)
    assert overlaps(window) == [], where
    assert cut_off(window) == [], where


def history_readable(window: MainWindow, rows: float) -> None:
    table = window.workspace.history.table
    assert rows_shown(table) >= rows
    for name in ("Time", "Status"):  # on screen, not scrolled off or squeezed
        column = COLUMNS.index(name)
        assert table.columnViewportPosition(column) + table.columnWidth(column) <= (
            table.viewport().width()
        ), name
    assert (
        table.columnWidth(COLUMNS.index("Status"))
        >= window.workspace.history.columns.status_width()
    )


def test_at_800_by_500_nothing_overlaps_and_every_page_keeps_its_rows(
    qtbot: Any, window: MainWindow
) -> None:
    ws = window.workspace
    window.setMinimumSize(800, 500)  # what fit_to_screen allows on that screen
    window.resize(800, 500)
    qtbot.waitUntil(lambda: window.size().height() == 500)

    # Compose: the key's text stops before Show, the JSON has room, the history too.
    left = ws.splitters["work_splitter"].widget(0)
    for page in range(left.count()):  # Event / Integration settings / Identity
        left.setCurrentIndex(page)
        assert_laid_out(qtbot, window, left.tabText(page))
    left.setCurrentIndex(0)
    key, show = ws.connection.key, ws.connection.reveal
    text_right = key.mapTo(
        ws.connection, key.rect().adjusted(0, 0, -key.textMargins().right(), 0).topRight()
    )
    assert text_right.x() < show.geometry().left()
    assert not key.geometry().intersects(show.geometry())
    payload = ws.payload.views["Track"]
    assert lines_shown(payload) >= 5
    history_readable(window, 2)

    # A long outcome: at most five lines, then it scrolls; the buttons stay put.
    buttons = [top_left(b, window) for b in (ws.send.preview, ws.send.send)]
    ws.send.show_outcome("<br>".join(f"/track: HTTP 400 · line {n}" for n in range(20)))
    qtbot.waitUntil(lambda: ws.send.outcome.verticalScrollBar().isVisible())
    assert ws.send.outcome.height() <= 6 * ws.send.outcome.label.fontMetrics().lineSpacing()
    assert [top_left(b, window) for b in (ws.send.preview, ws.send.send)] == buttons
    assert lines_shown(payload) >= 2
    assert_laid_out(qtbot, window, "long outcome")
    ws.send.show_outcome("")

    # Lifecycles: the timeline gets its legend and labels; nothing over its payloads.
    ws.tabs.setCurrentWidget(ws.scenario_tab)
    qtbot.waitUntil(ws.scenario.isVisible)
    assert_laid_out(qtbot, window, "Lifecycles")
    view = ws.scenario.view
    assert view.height() >= view.fontMetrics().height() * 10
    below = ws.scenario.payloads.mapTo(window, QPoint(0, 0)).y()
    assert top_left(view, window).y() + view.height() <= below

    # Capture: the feed has rows without dragging the history down.
    ws.tabs.setCurrentWidget(ws.capture_tab)
    qtbot.waitUntil(ws.capture.isVisible)
    assert_laid_out(qtbot, window, "Capture")
    assert rows_shown(ws.capture.feed.table) >= 3
    history_readable(window, 2)

    # Back on Compose, its own split is back: the JSON has its room again.
    ws.tabs.setCurrentIndex(0)
    qtbot.waitUntil(lambda: lines_shown(payload) >= 5)

    # Presentation mode: larger type, still nothing over anything; the history readable.
    ws.actions["presentation"].trigger()
    qtbot.waitUntil(ws.banner.isVisible)
    assert_laid_out(qtbot, window, "presentation")
    history_readable(window, 2)
    assert lines_shown(payload) >= 1
    ws.actions["presentation"].trigger()


def test_a_long_connection_message_moves_nothing_below_it(qtbot: Any, window: MainWindow) -> None:
    """Typing a custom endpoint shows problem lines of every length: the line under the
    key stays one line (elided, all of it in the tooltip), so the send buttons and the
    page/history split stay put (a wrapping message moved them a line each time, and the
    splitter kept the history taller)."""
    ws = window.workspace
    window.resize(1000, 700)
    send, main = ws.send.send, ws.splitters["main_splitter"]
    qtbot.waitUntil(lambda: send.isVisible() and main.sizes()[0] > 0)
    connection = ws.connection
    connection.region.setCurrentIndex(connection.region.findData("custom"))
    qtbot.waitUntil(connection.endpoint.isVisible)
    at, split, height = top_left(send, window), main.sizes(), connection.status.height()
    typed = ("h", "http", "https://", "https://-bad-.example.com/v1", "http://127.0.0.1:9/v1")
    for text in typed:
        connection.endpoint.setText(text)
        QApplication.sendPostedEvents()  # the layout requests the new text posted
        QApplication.processEvents()
        assert connection.status.height() == height, text
        assert top_left(send, window) == at and main.sizes() == split, text
        assert connection.status.toolTip().startswith(connection.status.text()), text
    connection.endpoint.setText("https://-bad-.example.com/v1")
    assert connection.status.shown().endswith("…")  # too long for the line: elided


def test_the_profile_and_region_choices_give_way_to_a_few_letters(window: MainWindow) -> None:
    """As wide as the longest choice when there is room (also one added after the window
    was shown: a new profile's name), but a narrow window may squeeze them to a few
    letters (elided) and no further: what lets the connection row fit at 800×500 with a
    long profile name."""
    connection = window.workspace.connection
    before = connection.profile.sizeHint().width()
    connection.profile.addItem("a-profile-name-far-longer-than-the-row-has-room-for")
    assert connection.profile.sizeHint().width() > before  # room for it where there is room
    for combo, letters in ((connection.profile, 6), (connection.region, 9)):
        least = combo.minimumWidth() or combo.minimumSizeHint().width()  # as layouts do
        assert least < combo.sizeHint().width(), combo.objectName()
        assert least >= letters * combo.fontMetrics().horizontalAdvance("X"), combo.objectName()


def on_a_short_laptop(qtbot: Any, window: MainWindow, page: DeferredTab[Any]) -> None:
    """The window at 683×384 (a 1366×768 screen at 2×) on `page`, its content shown (a
    page built on its first show shows its content a moment later) and laid out."""
    window.setMinimumSize(683, 384)
    window.resize(683, 384)
    qtbot.waitUntil(lambda: window.size().height() == 384)
    window.workspace.tabs.setCurrentWidget(page)  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: page.content().isVisible())
    assert_laid_out(qtbot, window, f"{type(page.content()).__name__} at 683×384")


def test_on_a_683_by_384_window_the_timeline_scrolls_instead_of_drawing_over_itself(
    qtbot: Any, window: MainWindow
) -> None:
    """A 1366×768 laptop at 2× is 683×384 points: the Lifecycles page is shorter than the
    timeline and its payloads need. The picture keeps its minimum (its labels clear of
    its legend and bars: `TimelineView.minimumSizeHint`) and the column scrolls; before,
    the picture was squeezed to about 60 points (the prices drawn over the legend) and
    the payload tabs hung out below the page."""
    ws = window.workspace
    on_a_short_laptop(qtbot, window, ws.scenario_tab)
    view = ws.scenario.view
    qtbot.waitUntil(lambda: view.height() >= view.minimumSizeHint().height())
    view.repaint()  # the dots sit on the axis: below the legend, above the labels
    line, lanes = view.fontMetrics().height(), view._lanes(view.width())
    assert lanes == 3  # this narrow column needs the third lane: more height than two
    labels_top = view.height() - line * BLOCK_LINES * lanes  # the first lane's text
    assert all(line * LEGEND_LINES < view.centre_of(i).y() - DOT
               and view.centre_of(i).y() + DOT < labels_top
               for i in range(len(view.timeline.points)))  # fmt: skip
    split = view.parentWidget()
    area = scroll_area_of(split)
    assert area.viewport().height() < split.height()
    assert area.verticalScrollBar().maximum() > 0  # the payloads are a scroll away


def test_on_a_683_by_384_window_the_capture_page_scrolls_and_keeps_its_feed_rows(
    qtbot: Any, window: MainWindow
) -> None:
    """The Capture tab on the same short window: its controls and its feed's rows do not
    fit, so the page scrolls; before, the feed was squeezed to a sliver with no row."""
    ws = window.workspace
    on_a_short_laptop(qtbot, window, ws.capture_tab)
    qtbot.waitUntil(lambda: rows_shown(ws.capture.feed.table) >= 3)
    names = ws.capture.tabs.tabBar()  # every tab name whole, no scroll arrows
    assert names.tabRect(names.count() - 1).right() < names.width()
    area = scroll_area_of(ws.capture)
    assert area.verticalScrollBar().maximum() > 0
    # On a 1366×768 screen at 1x the page fits: no scroll bar for a few pixels.
    window.resize(1280, 740)
    qtbot.waitUntil(lambda: window.size().height() == 740)
    qtbot.waitUntil(lambda: area.verticalScrollBar().maximum() == 0)
    assert_laid_out(qtbot, window, "Capture at 1280×740")


def scroll_area_of(widget: QWidget) -> QAbstractScrollArea:
    parent = widget.parentWidget()
    while not isinstance(parent, QAbstractScrollArea):
        assert parent is not None, "not in a scroll area"
        parent = parent.parentWidget()
    return parent
