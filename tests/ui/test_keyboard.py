"""Tab from the first field goes connection → compose → payload → send → history, through
the real widgets, leaves the history table instead of walking its cells, and from the
history's last field comes back to the first (not to a tab bar on the way); Shift+Tab
wraps the other way. The Lifecycles page, built later, takes the compose area's turn."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from app.ui.shell.main_window import MainWindow
from tests.support.qt import KEY


def tab_round(qtbot: Any, first: QWidget) -> list[QWidget]:
    """Press Tab from `first` until the focus comes back to a widget it visited, which
    must be `first` itself: the order is a loop."""
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    visited: list[QWidget] = []
    while len(visited) < 150:
        widget = QApplication.focusWidget()
        assert widget is not None
        if widget in visited:
            assert widget is first, f"Tab came back to {widget!r}, not to the first field"
            return visited
        visited.append(widget)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    raise AssertionError("Tab never came round")


def test_tab_goes_connection_compose_payload_send_history_and_out_of_the_table(
    qtbot: Any, window: MainWindow
) -> None:
    ws = window.workspace
    sections: dict[str, list[QWidget]] = {
        "connection": [ws.connection], "compose": [ws.tabs, ws.splitters["work_splitter"]],
        "payload": [ws.payload], "send": [ws.send], "history": [ws.history],
        "lifecycles": [ws.scenario_tab],
    }  # fmt: skip

    def sections_of(visited: list[QWidget]) -> list[str]:
        def inside(roots: list[QWidget], widget: QWidget) -> bool:
            return any(r is widget or r.isAncestorOf(widget) for r in roots)

        # The innermost section: compose holds the payload, send and lifecycles.
        names = [next(n for n in reversed(sections) if inside(sections[n], w)) for w in visited]
        return [n for i, n in enumerate(names) if i == 0 or names[i - 1] != n]

    ws.connection.key.setText(KEY)  # with a key, Send takes part too
    window.activateWindow()
    first = ws.tab_order()[0]
    visited = tab_round(qtbot, first)
    assert sections_of(visited) == ["connection", "compose", "payload", "send", "history"]
    assert visited.count(ws.history.table) == 1  # one Tab in, one Tab out: no cell walk
    assert ws.connection.key in visited and ws.event.types in visited
    assert visited.index(ws.send.preview) < visited.index(ws.send.send)
    fields = [w.objectName() for w in visited if w.objectName().startswith("field_")]
    assert fields[:3] == ["field_type", "field_app_user_id", "field_original_app_user_id"]
    qtbot.keyClick(first, Qt.Key.Key_Backtab)  # Shift+Tab from the first: the last field
    assert QApplication.focusWidget() is visited[-1]

    ws.tabs.setCurrentWidget(ws.scenario_tab)  # built now; its fields join the order
    qtbot.waitUntil(ws.scenario.isVisible)  # (Qt shows a page's new content queued)
    visited = tab_round(qtbot, first)
    assert sections_of(visited) == ["connection", "compose", "lifecycles", "history"]
    assert ws.scenario.form.scenario in visited and ws.scenario.send in visited
