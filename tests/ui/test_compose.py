"""Composing an event: type list, form, integration settings, warnings, import, hand edit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.ui.shell.main_window import MainWindow
from tests.support.qt import KEY

ROOT = Path(__file__).resolve().parents[2]


def track(win: MainWindow) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(win.workspace.payload.views["Track"].toPlainText())
    return data


def identify(win: MainWindow) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(win.workspace.payload.views["Identify"].toPlainText())
    return data


def notices(win: MainWindow) -> str:
    return win.workspace.payload.notices.text()


def pick(qtbot: Any, win: MainWindow, label: str) -> None:
    types = win.workspace.event.types
    item = types.findItems(label, Qt.MatchFlag.MatchStartsWith)[0]
    rect = types.visualItemRect(item)
    qtbot.mouseClick(types.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_default_event_is_rendered(window: MainWindow) -> None:
    assert track(window)["event"] == "rc_initial_purchase_event"
    assert identify(window)["traits"]["rc_subscription_status"] == "active"
    assert "32 KB" in window.workspace.payload.size_label.text()
    free = window.screen().availableGeometry()  # the test screen is 800×600
    assert window.width() == min(1280, free.width()) and window.height() <= free.height()


def test_picking_a_type_loads_its_template(qtbot: Any, window: MainWindow) -> None:
    pick(qtbot, window, "Billing Issue")
    assert track(window)["event"] == "rc_billing_issue_event"
    assert "grace_period_expires_at" in track(window)["properties"]
    assert "Billing Issue" in window.workspace.event.description.text()
    form = window.workspace.event.form
    assert form.editor("type").currentText() == "BILLING_ISSUE"  # type: ignore[union-attr]
    pick(qtbot, window, "Subscription Paused")
    assert identify(window)["traits"]["rc_subscription_status"] == "paused"


def test_price_and_revenue_mode_change_revenue(qtbot: Any, window: MainWindow) -> None:
    price = window.workspace.event.form.editor("price")
    price.clear()  # type: ignore[union-attr]
    qtbot.keyClicks(price, "19.99")
    assert track(window)["properties"]["revenue"] == 19.99
    assert window.workspace.state.draft.result is not None  # rendered (its time: bench_startup)
    mode = window.workspace.settings.revenue
    mode.setCurrentIndex(mode.findData("after_commission"))
    assert track(window)["properties"]["revenue"] == 13.993  # 19.99 × (1 − 0.3)
    mode.setCurrentIndex(mode.findData("after_commission_and_taxes"))
    assert track(window)["properties"]["revenue"] == round(19.99 * (1 - 0.3 - 0.0833), 4)


def test_bad_form_value_is_named(qtbot: Any, window: MainWindow) -> None:
    price = window.workspace.event.form.editor("price")
    price.clear()  # type: ignore[union-attr]
    qtbot.keyClicks(price, "abc")
    assert "price: expected a number" in notices(window)
    assert not window.workspace.send.preview.isEnabled()
    assert "border" in price.styleSheet()  # the field itself is outlined
    assert price.text() == "abc"  # and what was typed is kept
    price.setText("4.99")  # type: ignore[union-attr]
    assert price.styleSheet() == ""
    user = window.workspace.event.form.editor("app_user_id")
    user.setText("")  # type: ignore[union-attr]  # the engine's error names the field too
    assert "app_user_id" in notices(window)
    assert "border" in user.styleSheet()


def test_sandbox_toggle_and_override(qtbot: Any, window: MainWindow) -> None:
    window.workspace.connection.key.setText(KEY)
    env = window.workspace.event.form.editor("environment")
    env.setCurrentText("SANDBOX")  # type: ignore[union-attr]
    assert "sandbox events are off" in notices(window)
    assert window.workspace.payload.views["Track"].toPlainText() == ""
    send = window.workspace.send
    assert not send.send.isEnabled()
    assert send.override.isVisible()
    send.override.setChecked(True)  # the explicit override
    assert send.send.isEnabled()
    assert track(window)["context"]["environment"] == "sandbox"
    assert "overrode" in notices(window)
    send.override.setChecked(False)
    window.workspace.settings.sandbox.setChecked(True)  # RevenueCat's toggle
    assert not send.override.isVisible()
    assert send.send.isEnabled()
    assert "sandbox events are off" not in notices(window)


def test_blank_optional_name_skips(qtbot: Any, window: MainWindow) -> None:
    pick(qtbot, window, "Expiration")
    window.workspace.settings.set_name("expiration", "")
    assert "name is blank" in notices(window)
    assert window.workspace.payload.views["Track"].toPlainText() == ""
    window.workspace.settings.set_name("renewal", "")  # mandatory: refused, said plainly
    assert "mandatory" in window.workspace.settings.error.text()
    window.workspace.settings.reset_names()
    assert track(window)["event"] == "rc_expiration_event"


def test_renamed_event(window: MainWindow) -> None:
    window.workspace.settings.set_name("initial_purchase", "Subscribed")
    assert track(window)["event"] == "Subscribed"


def test_attributes_table_edits_properties(window: MainWindow) -> None:
    form = window.workspace.event.form
    form.add_attribute()
    form.attributes.item(2, 0).setText("plan")  # type: ignore[union-attr]
    form.attributes.item(2, 1).setText("gold")  # type: ignore[union-attr]
    assert track(window)["properties"]["subscriber_attributes"]["plan"] == "gold"


def test_import_webhook_fills_form(window: MainWindow) -> None:
    text = (ROOT / "sample_events" / "refund.revenuecat.json").read_text()
    assert window.workspace.event.import_text(text) is None
    form = window.workspace.event.form
    assert form.editor("price").text() == "-9.99"  # type: ignore[union-attr]
    assert form.editor("cancel_reason").currentText() == "CUSTOMER_SUPPORT"  # type: ignore[union-attr]
    assert track(window)["properties"]["revenue"] == -9.99
    item = window.workspace.event.types.currentItem()
    assert item is not None and item.text().startswith("Cancellation")
    error = window.workspace.event.import_text('{"event": {\n  "type": }')
    assert error is not None and "line 2, column" in error


def test_import_dialog_is_non_blocking(qtbot: Any, window: MainWindow) -> None:
    dialog = window.workspace.event.open_import()
    assert dialog.isVisible()
    text = (ROOT / "sample_events" / "renewal.revenuecat.json").read_text()
    dialog.editor.setPlainText(text)
    dialog.accept()
    assert track(window)["event"] == "rc_renewal_event"


def test_invalid_hand_edit_disables_send(qtbot: Any, window: MainWindow) -> None:
    window.workspace.connection.key.setText(KEY)
    send = window.workspace.send
    assert send.send.isEnabled()
    payload = window.workspace.payload
    qtbot.mouseClick(payload.edit, Qt.MouseButton.LeftButton)
    view = payload.views["Track"]
    assert not view.isReadOnly()
    view.setPlainText('{\n  "type": "track",\n  "event": oops\n}')
    assert payload.hand_error.isVisible()
    assert "line 3, column" in payload.hand_error.text()
    assert not send.send.isEnabled()
    # Python's json takes NaN; Segment would get invalid JSON: refused like any mistake.
    view.setPlainText('{"type": "track",\n "properties": {"revenue": NaN}}')
    assert "line 2, column" in payload.hand_error.text() and "NaN" in payload.hand_error.text()
    assert not send.send.isEnabled()
    view.setPlainText(json.dumps({**track_from_bench(window), "event": "by_hand"}))
    assert not payload.hand_error.isVisible()
    assert send.send.isEnabled()
    assert window.workspace.state.draft.messages()[0]["event"] == "by_hand"  # type: ignore[index]
    qtbot.mouseClick(payload.edit, Qt.MouseButton.LeftButton)  # back to the form: asks
    assert payload.leave_question is not None
    yes = payload.leave_question.button(QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(yes, Qt.MouseButton.LeftButton)
    assert track(window)["event"] == "rc_initial_purchase_event"


def track_from_bench(window: MainWindow) -> dict[str, Any]:
    result = window.workspace.state.draft.result
    assert result is not None and result.track is not None
    return dict(result.track)


def test_copy_shortcut_copies_the_tab(qtbot: Any, window: MainWindow) -> None:
    from PySide6.QtGui import QGuiApplication

    view = window.workspace.payload.views["Track"]
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert json.loads(QGuiApplication.clipboard().text())["type"] == "track"


def test_each_form_edit_renders_once(window: MainWindow) -> None:
    """Every edit re-renders the payload exactly once (its latency is measured in
    tests/bench/bench_startup.py, not timed here)."""
    price = window.workspace.event.form.editor("price")
    draft = window.workspace.state.draft
    renders: list[None] = []
    draft.rendered.connect(lambda: renders.append(None))
    for cents in range(10):
        price.setText(f"9.{cents:02d}")  # type: ignore[union-attr]
    assert len(renders) == 10
    assert track(window)["properties"]["revenue"] == 9.09


def test_import_dialog_keeps_the_paste_on_bad_json(qtbot: Any, window: MainWindow) -> None:
    before = track(window)
    dialog = window.workspace.event.open_import()
    bad = '{"event": {\n  "type": "RENEWAL", "price": NaN}}'
    dialog.editor.setPlainText(bad)
    dialog.accept()  # what OK does
    assert dialog.isVisible() and dialog.editor.toPlainText() == bad
    assert "line 2, column" in dialog.error.text() and "NaN" in dialog.error.text()
    assert track(window) == before  # the form and payload are untouched
    dialog.editor.setPlainText((ROOT / "sample_events" / "renewal.revenuecat.json").read_text())
    dialog.accept()
    assert not dialog.isVisible()
    assert track(window)["event"] == "rc_renewal_event"
