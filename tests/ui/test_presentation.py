"""Presentation mode: larger type; the write key, the custom endpoint's host and profile
names gone from every rendered widget (and from a screenshot's labels); history limited
to this session; all of it undone when the mode is switched off. (The real
`gui --smoke --presentation --screenshot` process is in test_startup.py.)"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from app.storage import Mode, NewEntry, Outcome, Status
from app.ui.shell.main_window import MainWindow
from app.ui.shell.presentation import MIN_POINT_SIZE
from tests.support.qt import KEY, run, until

ROOT = Path(__file__).resolve().parents[2]
HOST = "collector.acme-internal.example"
PROFILE = "acme-prod"
KEY2 = "wk0a1b2c3d4e5f60718293a4b5c6d7e8f"


def visible_texts(win: MainWindow) -> list[str]:
    """Every text a person could read on screen now (labels, fields, buttons, combo
    items shown, text views, table cells and tooltips of visible widgets)."""
    texts: list[str] = [win.windowTitle()]
    for widget in win.findChildren(QWidget):
        if not widget.isVisible():
            continue
        texts.append(widget.toolTip())
        readable = isinstance(widget, QLabel | QAbstractButton) or (
            isinstance(widget, QLineEdit) and widget.echoMode() == QLineEdit.EchoMode.Normal
        )
        if readable:
            texts.append(widget.text())  # type: ignore[attr-defined]
        elif isinstance(widget, QComboBox):
            texts.append(widget.currentText())
        elif isinstance(widget, QPlainTextEdit):
            texts.append(widget.toPlainText())
    return texts


def leaks(win: MainWindow) -> list[str]:
    found = []
    for text in visible_texts(win):
        for secret in (KEY, KEY[-4:], HOST, PROFILE):
            if secret in text:
                found.append(f"{secret!r} in {text[:80]!r}")
    return found


def setup_secrets(win: MainWindow) -> None:
    connection = win.workspace.connection
    connection.create_profile(PROFILE)
    connection.region.setCurrentIndex(connection.region.findData("custom"))
    connection.endpoint.setText(f"https://{HOST}/v1")
    connection.key.setText(KEY)
    connection.reveal.setChecked(True)  # the worst case: the key shown in clear


def test_presentation_hides_key_host_and_profiles(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    setup_secrets(window)
    payload = window.workspace.payload
    payload.show_tab("HTTP request")
    assert leaks(window), "the setup should expose the secrets before presenting"
    base_size = QApplication.font().pointSizeF()

    action = window.workspace.actions["presentation"]
    action.trigger()
    assert window.workspace.state.presenter.active
    assert QApplication.font().pointSizeF() >= max(base_size * 1.5, MIN_POINT_SIZE)
    assert not window.workspace.connection.isVisible()
    banner = window.workspace.banner
    assert banner.isVisible() and "custom endpoint (address hidden)" in banner.text()
    assert "custom-endpoint.invalid" in payload.views["HTTP request"].toPlainText()
    assert "(write key hidden)" in payload.views["HTTP request"].toPlainText()
    assert "$SEGMENT_WRITE_KEY" in payload.views["cURL"].toPlainText()  # holds no key
    assert window.workspace.history.table.isColumnHidden(4)  # Target
    screenshot = window.grab()  # paints every label (the label guard runs on paint)
    shot = tmp_path / "presentation.png"
    assert screenshot.save(str(shot))
    assert leaks(window) == []
    # The screenshot shows the banner (its blue) where the connection row was.
    spot = banner.mapTo(window, banner.rect().center())
    assert screenshot.toImage().pixelColor(spot.x() + banner.width() // 3, spot.y()) == QColor(
        "#1a5fb4"
    )

    # A key changed while presenting (another profile's, say) is hidden at once too.
    window.workspace.connection.key.setText(KEY2)
    window.grab()
    assert (
        KEY2
        not in payload.views["HTTP request"].toPlainText() + payload.views["cURL"].toPlainText()
    )
    assert KEY2[-4:] not in window.workspace.send.mode.text()

    # Lifecycles and identity tabs are clean too.
    window.workspace.tabs.setCurrentWidget(window.workspace.scenario_tab)
    window.grab().save(str(tmp_path / "presentation_lifecycles.png"))
    assert leaks(window) == []

    action.trigger()
    assert not window.workspace.state.presenter.active
    assert window.workspace.connection.isVisible() and not banner.isVisible()
    assert QApplication.font().pointSizeF() == base_size
    assert not window.workspace.history.table.isColumnHidden(4)
    assert HOST in window.workspace.send.mode.text()  # the developer's own view is back


def test_history_is_limited_to_the_session(
    qtbot: Any, loop: asyncio.AbstractEventLoop, window: MainWindow
) -> None:
    store = window.services.history if window.services else None
    assert store is not None
    mode = window.workspace.state.presenter
    before = mode.session_start - timedelta(days=1)
    store.record(
        NewEntry(mode=Mode.PREVIEW, target="us", user_id="old_session_user", created_at=before),
        Outcome(status=Status.PREVIEWED),
    )
    store.record(
        NewEntry(mode=Mode.PREVIEW, target="us", user_id="this_session_user"),
        Outcome(status=Status.PREVIEWED),
    )
    history = window.workspace.history
    history.reload()
    assert history.model.total == 2
    window.workspace.actions["presentation"].trigger()
    run(loop, until(lambda: history.model.total == 1))
    assert history.model.row_at(0).user_id == "this_session_user"
    history.text.setText("user")  # filtering keeps the session limit
    assert history.model.total == 1
    window.workspace.actions["presentation"].trigger()
    assert history.model.total == 2
