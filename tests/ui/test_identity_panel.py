"""Identity panel: a verdict for each way the ids can differ, shown in words and as a
chip; the app's stand-in identify previewed into history and sent to a loopback Segment."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QScrollArea, QTabWidget

from app.core.identity import APP_IDENTIFY_LIBRARY
from app.storage import Mode, Status
from app.ui.identity.identity_panel import STAND_IN_NAME, IdentityPanel
from app.ui.shell.main_window import MainWindow
from tests.support.qt import connect, run, until
from tests.support.segment_server import SegmentServer

ANON = "$RCAnonymousID:9f8e7d6c5b4a49382716f5e4d3c2b1a0"


def panel(win: MainWindow) -> IdentityPanel:
    identity: IdentityPanel = win.workspace.identity
    return identity


def type_text(widget: QLineEdit, text: str) -> None:
    """Key events carrying the text (keyClicks aborts on non-ASCII; QT_NOTES)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(widget, event)


def set_rc_event(win: MainWindow, **fields: Any) -> None:
    bench = win.workspace.state.draft
    bench.set_event({**bench.rc_event, **fields})


def verdict(win: MainWindow) -> str:
    return panel(win).verdict.text()


def test_typed_ids_get_a_verdict_in_words_and_at_a_glance(qtbot: Any, window: MainWindow) -> None:
    identity = panel(window)
    set_rc_event(
        window,
        app_user_id="user_4821",
        original_app_user_id=ANON,
        aliases=[ANON, "legacy_77", "user_4821"],
    )
    assert "Enter the userId" in verdict(window)
    qtbot.keyClicks(identity.app_user_id, "user_4821")
    assert "Exact match" in verdict(window) and "<code>exact</code>" in verdict(window)
    assert "#1e6b34" in verdict(window)  # green chip
    assert identity.fix.text() == "What to change — Nothing to change."

    identity.app_user_id.clear()
    qtbot.keyClicks(identity.app_user_id, "USER_4821")
    assert "differs_by_case" in verdict(window) and "#b3261e" in verdict(window)
    assert "letter case" in identity.message.text()
    assert identity.fix.text().startswith("What to change — App side:")

    identity.app_user_id.setText("user_4821\u00a0")  # a no-break space pasted from a doc
    assert "differs_by_whitespace" in verdict(window)
    assert "\\u00a0" in identity.message.text()  # the invisible difference made visible

    identity.app_user_id.setText("legacy_77")
    assert "alias_only" in verdict(window) and "#8a4b00" in verdict(window)
    identity.app_user_id.setText(ANON)
    assert "original_only" in verdict(window)
    identity.app_user_id.setText("someone_else")
    assert "no_match" in verdict(window)


def test_identity_tab_screenshot(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    identity = panel(window)
    left = window.findChild(QTabWidget, "left_tabs")
    assert left is not None
    left.setCurrentWidget(window.workspace.identity_tab)
    qtbot.waitExposed(identity)
    set_rc_event(window, app_user_id=ANON)
    qtbot.keyClicks(identity.app_user_id, "user_4821")
    message = identity.message
    # The wrapped message gets the height its words need once the layout has run.
    qtbot.waitUntil(lambda: message.height() >= message.heightForWidth(message.width()))
    image = window.grab()
    assert image.save(str(tmp_path / "identity.png"))
    chip = identity.verdict.mapTo(window, identity.verdict.rect().topLeft())
    # The red chip is painted where the verdict label is.
    colours = {
        image.toImage().pixelColor(chip.x() + dx, chip.y() + identity.verdict.height() // 2).name()
        for dx in range(0, 60, 2)
    }
    assert "#fdecea" in colours


def test_unicode_case_folding_typed_as_key_events(window: MainWindow) -> None:
    identity = panel(window)
    set_rc_event(window, app_user_id="STRASSE")
    type_text(identity.app_user_id, "Straße")
    assert identity.app_user_id.text() == "Straße"
    assert "differs_by_case" in verdict(window)


def test_anonymous_revenuecat_id_and_anonymous_id_note(qtbot: Any, window: MainWindow) -> None:
    identity = panel(window)
    set_rc_event(window, app_user_id=ANON)
    qtbot.keyClicks(identity.app_user_id, "user_4821")
    assert "anonymous_revenuecat_id" in verdict(window)
    assert "Purchases.logIn" in identity.fix.text()
    assert not identity.note.isVisibleTo(identity)
    qtbot.keyClicks(identity.anonymous_id, "anon-123")
    assert identity.note.isVisibleTo(identity) and "anon-123" in identity.note.text()


def test_changing_the_event_rechecks(qtbot: Any, window: MainWindow) -> None:
    identity = panel(window)
    set_rc_event(window, app_user_id="user_4821")
    qtbot.keyClicks(identity.app_user_id, "user_4821")
    with qtbot.waitSignal(identity.checked) as blocker:
        set_rc_event(window, app_user_id="User_4821")
    assert blocker.args[0].verdict.value == "differs_by_case"
    assert "'User_4821'" in identity.rc_user.text()


def test_preview_of_the_app_identify_goes_to_history(
    qtbot: Any, loop: asyncio.AbstractEventLoop, window: MainWindow
) -> None:
    identity = panel(window)
    qtbot.keyClicks(identity.app_user_id, "user_4821")
    assert not identity.send.isEnabled()  # no key yet; preview needs none
    qtbot.mouseClick(identity.preview, Qt.MouseButton.LeftButton)
    history = window.workspace.history
    run(loop, until(lambda: history.model.total == 1))
    row = history.model.row_at(0)
    assert row.mode is Mode.PREVIEW and row.event_name == STAND_IN_NAME
    assert row.user_id == "user_4821" and row.status is Status.PREVIEWED
    assert "Preview of /identify" in identity.outcome.text()


@pytest.mark.parametrize("traits_edit", [("seats", "3", 3), ("beta", "true", True)])
def test_send_app_identify_to_loopback(
    qtbot: Any,
    loop: asyncio.AbstractEventLoop,
    window: MainWindow,
    segment_server: SegmentServer,
    traits_edit: tuple[str, str, Any],
) -> None:
    connect(window, segment_server.base_url)
    identity = panel(window)
    qtbot.keyClicks(identity.app_user_id, "user_4821")
    qtbot.keyClicks(identity.anonymous_id, "anon-123")
    key, text, value = traits_edit
    identity.traits.add_row(key, text)
    assert identity.send.isEnabled()
    qtbot.mouseClick(identity.send, Qt.MouseButton.LeftButton)
    run(loop, until(lambda: identity.send.isEnabled() and "HTTP 200" in identity.outcome.text()))
    (request,) = segment_server.requests
    body = request.json()
    assert request.path == "/v1/identify"
    assert body["userId"] == "user_4821" and body["anonymousId"] == "anon-123"
    assert body["traits"] == {"email": "ada@example.com", "plan": "pro", key: value}
    assert body["context"]["library"] == APP_IDENTIFY_LIBRARY
    run(loop, until(lambda: window.workspace.history.model.total == 1))
    assert window.workspace.history.model.row_at(0).status is Status.ACCEPTED


def test_user_timeline_shows_both_sides_in_order(
    qtbot: Any,
    loop: asyncio.AbstractEventLoop,
    window: MainWindow,
    segment_server: SegmentServer,
    tmp_path: Path,
) -> None:
    connect(window, segment_server.base_url)
    set_rc_event(window, app_user_id="user_4821")
    send = window.workspace.send
    qtbot.mouseClick(send.send, Qt.MouseButton.LeftButton)  # RevenueCat's side
    run(loop, until(lambda: "HTTP 200" in send.outcome.text()))
    identity = panel(window)
    qtbot.keyClicks(identity.app_user_id, "User_4821")  # the app's side, by case apart
    qtbot.mouseClick(identity.send, Qt.MouseButton.LeftButton)
    run(loop, until(lambda: "HTTP 200" in identity.outcome.text()))
    timeline = window.workspace.user_timeline
    run(loop, until(lambda: timeline.tree.topLevelItemCount() == 2))
    rows = [timeline.tree.topLevelItem(i) for i in range(2)]
    assert [(r.text(1), r.text(3)) for r in rows if r is not None] == [
        ("user_4821", "rc_initial_purchase_event"),
        ("User_4821", STAND_IN_NAME),
    ]
    assert "'user_4821' and 'User_4821'" in timeline.title.text()
    timeline.live_only.setChecked(True)
    assert timeline.tree.topLevelItemCount() == 2
    left = window.findChild(QTabWidget, "left_tabs")
    assert left is not None
    left.setCurrentWidget(window.workspace.identity_tab)
    scroll = identity.findChild(QScrollArea)
    assert scroll is not None
    scroll.ensureWidgetVisible(timeline)
    assert identity.grab().save(str(tmp_path / "user_timeline.png"))


def test_user_timeline_is_not_requeried_while_the_ids_stay_the_same(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    timeline = window.workspace.user_timeline
    store = window.services.history if window.services else None
    assert store is not None
    calls: list[str] = []
    real = store.user_timeline

    def counted(user_id: str, **kwargs: Any) -> Any:
        calls.append(user_id)
        return real(user_id, **kwargs)

    monkeypatch.setattr(store, "user_timeline", counted)
    set_rc_event(window, app_user_id="user_9001")
    assert calls == ["user_9001"]  # a new id: one query
    set_rc_event(window, price=1.99)  # the ids stay: no query, same rows
    set_rc_event(window, price=2.99)
    assert calls == ["user_9001"]
    assert "'user_9001'" in timeline.title.text()
