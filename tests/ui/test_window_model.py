"""What the window shows is what it sends and records: one test per defect found when the
window's state lived in many widgets.

The tests drive real widgets, found by their object names, and read what a person would
see (widget text, the clipboard, an exported file) or what history recorded, so they
hold whatever the window's internals look like.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTabWidget,
)

from app.core.templates import template_for
from app.state.profiles import SessionVault
from app.ui.shell.main_window import MainWindow
from app.ui.shell.root import attach
from app.ui.shell.services import Services, open_services
from app.ui.shell.uisettings import open_ui_settings
from tests.support.qt import KEY, destroy, run, until

NET = "after_commission_and_taxes"


def child(window: MainWindow, kind: type[Any], name: str) -> Any:
    found = window.findChild(kind, name)
    assert found is not None, name
    return found


def open_settings_tab(window: MainWindow) -> None:
    """Show the Integration settings tab, as a click on it does (it is built when shown)."""
    child(window, QTabWidget, "left_tabs").setCurrentIndex(1)


def track(window: MainWindow) -> dict[str, Any]:
    return dict(json.loads(child(window, QPlainTextEdit, "payload_track").toPlainText()))


def click(qtbot: Any, button: QPushButton) -> None:
    assert button.isEnabled(), button.toolTip()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def preview(qtbot: Any, loop: asyncio.AbstractEventLoop, window: MainWindow) -> None:
    click(qtbot, child(window, QPushButton, "preview_button"))
    run(loop, until(lambda: child(window, QPushButton, "preview_button").isEnabled()))


def test_saved_revenue_mode_is_in_force_after_a_restart(
    qtbot: Any, loop: asyncio.AbstractEventLoop, window: MainWindow, services: Services,
    data_dir: Path,
) -> None:  # fmt: skip
    open_settings_tab(window)
    revenue = child(window, QComboBox, "revenue_mode")
    revenue.setCurrentIndex(revenue.findData(NET))
    net = track(window)["properties"]["revenue"]
    assert net < template_for("initial_purchase", 0)["price"]  # commission and tax off
    run(loop, window.shutdown())

    again = MainWindow(open_ui_settings(data_dir))  # a new start over the same data
    attach(again, run(loop, open_services(data_dir, vault=SessionVault())))
    try:
        assert again.findChild(QComboBox, "revenue_mode") is None  # built when first shown
        again.show()
        open_settings_tab(again)
        shown = child(again, QComboBox, "revenue_mode")
        assert shown.currentData() == NET  # the settings tab shows the saved mode
        assert track(again)["properties"]["revenue"] == net  # and the payload carries it
        # The first edit must not save the defaults over the profile.
        child(again, QCheckBox, "send_sandbox").setChecked(True)
        saved = json.loads((data_dir / "profiles.json").read_text())
        (profile,) = saved["profiles"].values()
        assert profile["settings"]["revenue_mode"] == NET
        assert profile["settings"]["send_sandbox"] is True
    finally:
        run(loop, again.shutdown())
        destroy(again)


def test_hand_edited_send_is_recorded_under_its_own_event_name(
    qtbot: Any, loop: asyncio.AbstractEventLoop, window: MainWindow
) -> None:
    click(qtbot, child(window, QPushButton, "edit_by_hand"))
    view = child(window, QPlainTextEdit, "payload_track")
    view.setPlainText(json.dumps({**track(window), "event": "renamed_by_hand"}))
    preview(qtbot, loop, window)
    assert window.services is not None
    (row,) = window.services.history.query()
    assert row.event_name == "renamed_by_hand" and row.hand_edited
    assert [r.id for r in window.services.history.query(_text("renamed_by_hand"))] == [row.id]


def _text(text: str) -> Any:
    from app.storage import HistoryQuery

    return HistoryQuery(text=text)


def test_import_of_another_type_moves_the_type_list_and_description(
    window: MainWindow, tmp_path: Path
) -> None:
    types = child(window, QListWidget, "event_types")
    description = child(window, QLabel, "type_description")
    assert types.currentItem().data(Qt.ItemDataRole.UserRole) == "initial_purchase"
    body = {"api_version": "1.0", "event": template_for("billing_issue", 1_700_000_000_000)}
    workspace = window.workspace
    assert workspace is not None
    workspace.event.import_text(json.dumps(body))  # type: ignore[attr-defined]
    assert types.currentItem().data(Qt.ItemDataRole.UserRole) == "billing_issue"
    assert "Billing Issue" in description.text()
    # A webhook type RevenueCat never sends to Segment selects no type and says why.
    workspace.event.import_text(json.dumps({**body["event"], "type": "TRANSFER"}))  # type: ignore[attr-defined]
    assert types.currentItem() is None or not types.currentItem().isSelected()
    assert "TRANSFER" in description.text() and "Billing Issue" not in description.text()
    # An event with a field still to mend is still of its webhook's type.
    broken = {**template_for("expiration", 1_700_000_000_000), "price": "abc"}
    workspace.event.import_text(json.dumps(broken))  # type: ignore[attr-defined]
    assert types.currentItem().data(Qt.ItemDataRole.UserRole) == "expiration"
    assert "Expiration" in description.text()


def test_history_detail_follows_the_selection_after_a_new_send(
    qtbot: Any, loop: asyncio.AbstractEventLoop, window: MainWindow
) -> None:
    preview(qtbot, loop, window)
    detail = child(window, QPlainTextEdit, "detail_raw")
    workspace = window.workspace
    assert workspace is not None
    history = workspace.history  # type: ignore[attr-defined]
    history.table.selectRow(0)
    first = history.selected_rows()[0]
    assert first.message_ids[0] in detail.toPlainText()

    preview(qtbot, loop, window)  # a new row arrives on top
    selected = history.selected_rows()
    assert [r.id for r in selected] == [first.id]  # still the row it was
    assert first.message_ids[0] in detail.toPlainText()

    history.delete_selected()
    assert history.selected_rows() == [] and detail.toPlainText() == ""


def test_a_skip_outcome_does_not_outlive_its_event(
    qtbot: Any, loop: asyncio.AbstractEventLoop, window: MainWindow
) -> None:
    workspace = window.workspace
    assert workspace is not None
    form = workspace.event.form  # type: ignore[attr-defined]
    form.editor("environment").setCurrentText("SANDBOX")
    preview(qtbot, loop, window)
    outcome = child(window, QLabel, "send_outcome")
    assert "Recorded as skipped" in outcome.text()
    workspace.event.select_type("renewal")  # type: ignore[attr-defined]
    assert "skipped" not in outcome.text()


def test_a_store_tied_scenario_does_not_keep_its_store(window: MainWindow) -> None:
    assert window.workspace is not None
    window.workspace.scenario_tab.content()  # type: ignore[attr-defined]  # built on demand
    scenario = child(window, QComboBox, "scenario_name")
    store = child(window, QComboBox, "scenario_store")
    store.setCurrentText("STRIPE")  # the user's own choice
    scenario.setCurrentIndex(scenario.findData("play_pause"))
    assert store.currentText() == "PLAY_STORE" and not store.isEnabled()
    scenario.setCurrentIndex(scenario.findData("one_off"))
    assert store.currentText() == "STRIPE" and store.isEnabled()


def test_a_blank_mandatory_event_name_is_refused_not_silently_kept(window: MainWindow) -> None:
    open_settings_tab(window)
    names = child(window, QTableWidget, "event_names")
    names.item(0, 1).setText("")  # Initial Purchase, a mandatory type
    error = child(window, QLabel, "settings_error")
    assert "mandatory" in error.text() and not error.isHidden()
    track_view = child(window, QPlainTextEdit, "payload_track")
    assert "rc_initial_purchase_event" not in track_view.toPlainText()
    assert not child(window, QPushButton, "send_button").isEnabled()
    assert not child(window, QPushButton, "preview_button").isEnabled()
    assert "settings" in child(window, QLabel, "notices").text()
    names.item(0, 1).setText("purchase_done")
    assert track(window)["event"] == "purchase_done"
    assert child(window, QPushButton, "preview_button").isEnabled()


def test_presentation_hides_host_and_fingerprint_in_history_copy_and_export(
    qtbot: Any, loop: asyncio.AbstractEventLoop, window: MainWindow, tmp_path: Path
) -> None:
    host = "collector-7f3.internal.example"
    region = child(window, QComboBox, "region")
    region.setCurrentIndex(region.findData("custom"))
    child(window, QLineEdit, "endpoint").setText(f"https://{host}/v1")
    child(window, QLineEdit, "write_key").setText(KEY)
    preview(qtbot, loop, window)
    workspace = window.workspace
    assert workspace is not None
    history = workspace.history  # type: ignore[attr-defined]
    history.table.selectRow(0)
    assert host in history.copy_selected()  # the developer's own view keeps it

    workspace.state.presenter.set_active(True)  # type: ignore[attr-defined]
    history.table.selectRow(0)
    copied = history.copy_selected()
    assert QGuiApplication.clipboard().text() == copied
    out = tmp_path / "rows.ndjson"
    assert history.export_to(str(out)) == 1
    for text in (copied, out.read_text(), child(window, QPlainTextEdit, "detail_raw")
                 .toPlainText()):  # fmt: skip
        assert host not in text
        assert KEY not in text and f"••••{KEY[-4:]}" not in text
        assert f'"key_fingerprint": "{KEY[-4:]}"' not in text
