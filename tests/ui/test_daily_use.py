"""Daily-use habits of a desktop tool: the wheel scrolls forms, the status stays
readable, the filter knows status words, labels say a thing once, the shortcuts are
listed, and the app has an icon and a desktop entry (Qt's own options: test_startup.py)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QFont, QWheelEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QScrollArea,
)

from app.storage import Mode, NewEntry, Outcome, Status
from app.ui.shell.main_window import MainWindow
from app.ui.widgets.outcome import describe_report

ROOT = Path(__file__).resolve().parents[2]


def wheel(widget: Any, steps: int = -3) -> None:
    """A real wheel event (down) at the widget's centre, as a mouse would send it."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0),
        QPoint(0, 120 * steps), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase, False,
    )  # fmt: skip
    QApplication.sendEvent(widget, event)


def test_the_wheel_scrolls_the_form_and_leaves_combos_alone(qtbot: Any, window: MainWindow) -> None:
    window.resize(1000, 640)
    store = window.findChild(QComboBox, "field_store")
    assert store is not None
    scroll = next(a for a in window.findChildren(QScrollArea) if a.isAncestorOf(store))
    qtbot.waitUntil(lambda: scroll.verticalScrollBar().maximum() > 0)
    before, top = store.currentText(), scroll.verticalScrollBar().value()
    wheel(store)
    assert store.currentText() == before  # passing over it changed nothing
    assert scroll.verticalScrollBar().value() > top  # the form scrolled instead
    store.setFocus()  # once the user is in it, the wheel is the combo's again
    qtbot.waitUntil(store.hasFocus)
    wheel(store, steps=-1)
    assert store.currentText() != before

    # The tabs built later are guarded too (the Capture tab's were not).
    ws = window.workspace
    ws.tabs.setCurrentWidget(ws.capture_tab)
    bind = ws.capture.bind
    qtbot.waitUntil(bind.isVisible)
    chosen = bind.currentIndex()
    wheel(bind)
    assert bind.currentIndex() == chosen


def test_the_status_column_keeps_its_width_in_a_narrow_window(window: MainWindow) -> None:
    table = window.workspace.history.table  # type: ignore[union-attr]
    needed = table.fontMetrics().horizontalAdvance("interrupted (connection)")
    window.resize(960, 640)
    assert table.columnWidth(5) >= needed


def test_the_history_filter_understands_status_words(window: MainWindow) -> None:
    assert window.services is not None
    store = window.services.history
    for status in (Status.FAILED, Status.PREVIEWED, Status.FAILED):
        store.record(NewEntry(mode=Mode.LIVE, target="us", user_id="u"), Outcome(status=status))
    history = window.workspace.history  # type: ignore[union-attr]
    history.text.setText("failed")
    history.apply_filter()
    assert history.model.total == 2
    history.text.setText("Previewed")
    history.apply_filter()
    assert history.model.total == 1


def test_labels_say_a_thing_once(window: MainWindow) -> None:
    from app.delivery import Failure, FailureKind, SendReport, SendResult
    from app.state.history_text import status_text

    assert window.services is not None
    store = window.services.history
    store.record(NewEntry(mode=Mode.LIVE, target="us"),
                 Outcome(status=Status.CANCELLED, error_kind="cancelled"))  # fmt: skip
    (row,) = store.query()
    assert status_text(row) == "cancelled"
    refusal = Failure(kind=FailureKind.HTTP, message="Segment said no")
    failed = SendResult(
        endpoint="track", url="https://api.segment.io/v1/track", status=400,
        attempts=1, elapsed_ms=12.0, error=refusal,
    )  # fmt: skip
    text = describe_report(SendReport(outcomes=[], results=[failed], preview=False))
    assert "HTTP 400" in text and "http ·" not in text


def test_help_lists_every_shortcut(qtbot: Any, window: MainWindow) -> None:
    from app.ui.shell.actions import ACTIONS

    window.workspace.actions["shortcuts"].trigger()  # type: ignore[union-attr]
    box = window.findChild(QDialog, "shortcuts_box")
    assert box is not None
    text = box.findChild(QLabel, "shortcuts_text").text()
    for spec in ACTIONS:
        for keys in filter(None, spec.shortcut.split("|")):
            assert keys in text, keys
    box.close()


def test_the_shortcuts_list_scrolls_within_the_screen_in_large_type(
    qtbot: Any, window: MainWindow
) -> None:
    """Large type (or 2× scaling on a laptop) makes the list taller than the screen: it
    scrolls, and the dialog and its OK button stay on the screen."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.font()
    big = QFont(before)
    big.setPointSizeF(before.pointSizeF() * 2.5)
    app.setFont(big)
    try:
        window.workspace.actions["shortcuts"].trigger()  # type: ignore[union-attr]
        box = window.findChild(QDialog, "shortcuts_box")
        assert box is not None
        qtbot.waitExposed(box)
        free = window.screen().availableGeometry()
        assert box.frameGeometry().height() <= free.height()
        scroll = box.findChild(QScrollArea)
        assert scroll is not None and scroll.verticalScrollBar().maximum() > 0
        ok = box.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        assert ok.isVisible() and box.rect().contains(QRect(ok.mapTo(box, QPoint()), ok.size()))
        ok.click()
        assert not box.isVisible()
    finally:
        app.setFont(before)


def test_the_app_has_an_icon_and_a_valid_desktop_entry(window: MainWindow) -> None:
    assert not window.windowIcon().isNull()
    entry = ROOT / "resources" / "rc-segment-tester.desktop"
    assert "Icon=rc-segment-tester" in entry.read_text(encoding="utf-8")
    validate = shutil.which("desktop-file-validate")
    if validate is None:
        pytest.skip("desktop-file-validate is not installed (.ci/run installs it)")
    done = subprocess.run([validate, str(entry)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout


def test_the_window_fits_the_screen_it_opens_on(window: MainWindow) -> None:
    free = window.screen().availableGeometry()
    window.resize(free.width() + 400, free.height() + 300)  # a size saved on a big screen
    window.fit_to_screen()
    assert window.width() <= free.width() and window.height() <= free.height()
    assert free.contains(window.geometry().topLeft())
    assert window.minimumWidth() <= free.width() and window.minimumHeight() <= free.height()


def test_curl_reads_the_key_from_the_environment_and_reveals_it_only_on_purpose(
    window: MainWindow,
) -> None:
    from PySide6.QtGui import QGuiApplication

    from tests.support.qt import KEY

    payload = window.workspace.payload  # type: ignore[union-attr]
    window.workspace.connection.key.setText(KEY)  # type: ignore[union-attr]
    view = payload.show_tab("cURL")
    shown = view.toPlainText()
    assert '-u "$SEGMENT_WRITE_KEY:"' in shown and KEY not in shown
    assert shown.count("\\\n") >= 3  # one option per line
    assert payload.copy_key.isVisible()
    QGuiApplication.clipboard().clear()
    payload.copy_current()
    assert KEY not in QGuiApplication.clipboard().text()
    copied = payload.copy_curl_with_key()
    assert copied is not None and QGuiApplication.clipboard().text() == copied
    assert "Authorization: Basic" in copied and "$SEGMENT_WRITE_KEY" not in copied
    window.workspace.state.presenter.set_active(True)  # type: ignore[union-attr]
    assert not payload.copy_key.isVisible() and payload.copy_curl_with_key() is None


def test_file_dialogs_start_at_home_then_where_the_user_last_was(
    window: MainWindow, tmp_path: Path, monkeypatch: Any
) -> None:
    from app.ui.widgets.file_dialogs import FOLDERS

    monkeypatch.setattr(FOLDERS, "last", None)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    history = window.workspace.history  # type: ignore[union-attr]
    chooser = history._choose_export()
    assert Path(chooser.directory().absolutePath()) == home  # never the working copy
    chooser.close()
    elsewhere = tmp_path / "exports"
    elsewhere.mkdir()
    FOLDERS.chosen(str(elsewhere / "rows.ndjson"))
    chooser = window.workspace.scenario.choose_report()  # type: ignore[union-attr]
    assert Path(chooser.directory().absolutePath()) == elsewhere
    chooser.close()


def test_export_says_what_it_will_write_before_writing(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QMessageBox

    assert window.services is not None
    for user in ("a", "b", "c"):
        window.services.history.record(NewEntry(mode=Mode.PREVIEW, target="us", user_id=user),
                                       Outcome(status=Status.PREVIEWED))  # fmt: skip
    history = window.workspace.history  # type: ignore[union-attr]
    history.reload()
    out = tmp_path / "rows.ndjson"
    box = history.confirm_export(str(out))
    assert "all 3 row(s) matching the filter" in box.text() and "rows.ndjson" in box.text()
    assert not out.exists()  # nothing written before the answer
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    assert len(out.read_text().splitlines()) == 3
    history.table.selectRow(0)
    box = history.confirm_export(str(out))
    assert "the 1 selected row(s)" in box.text()
    box.close()


def test_resending_a_preview_row_asks_before_going_live(qtbot: Any, window: MainWindow) -> None:
    from PySide6.QtWidgets import QMessageBox

    from tests.support.qt import KEY

    workspace = window.workspace
    assert workspace is not None
    workspace.connection.key.setText(KEY)  # type: ignore[attr-defined]
    workspace.send.start(preview=True)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: workspace.history.model.total == 1)  # type: ignore[attr-defined]
    row = workspace.history.model.row_at(0)  # type: ignore[attr-defined]
    from app.ui.shell.root import resend

    assert resend(workspace, row) is None  # type: ignore[arg-type]
    question = workspace.resend_question  # type: ignore[attr-defined]
    assert question is not None and "was a preview" in question.text()
    assert not workspace.queue.busy  # type: ignore[attr-defined]  # nothing went out yet
    qtbot.mouseClick(question.button(QMessageBox.StandardButton.No), Qt.MouseButton.LeftButton)
    assert not workspace.queue.busy  # type: ignore[attr-defined]


def test_leaving_hand_edits_asks_and_the_bad_line_is_marked(qtbot: Any, window: MainWindow) -> None:
    from PySide6.QtWidgets import QMessageBox

    payload = window.workspace.payload  # type: ignore[union-attr]
    draft = window.workspace.state.draft  # type: ignore[union-attr]
    payload.edit.setChecked(True)
    view = payload.views["Track"]
    lines = view.toPlainText().splitlines()
    lines[3] = lines[3].rstrip(",")  # a missing comma on line 4: the error is at line 5
    view.setPlainText("\n".join(lines))
    assert draft.hand_error_line("track") == 5
    (mark,) = view.extraSelections()
    assert mark.cursor.blockNumber() == 4
    payload.edit.setChecked(False)  # leave: asks, still editing meanwhile
    assert payload.leave_question is not None and draft.hand_texts is not None
    qtbot.mouseClick(payload.leave_question.button(QMessageBox.StandardButton.Yes),
                     Qt.MouseButton.LeftButton)  # fmt: skip
    assert draft.hand_texts is None and not payload.edit.isChecked()
    assert view.extraSelections() == []


def test_the_theme_is_chosen_in_the_view_menu_and_remembered(
    loop: Any, window: MainWindow, data_dir: Path
) -> None:
    from PySide6.QtGui import QPalette

    from app.ui.widgets.colours import dark_palette
    from tests.support.qt import run

    actions = window.workspace.actions  # type: ignore[union-attr]
    assert actions["theme_system"].isChecked()
    actions["theme_dark"].trigger()
    assert dark_palette() and QApplication.style().name().lower() == "fusion"
    assert not actions["theme_system"].isChecked()  # one theme at a time
    assert QApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128
    actions["theme_light"].trigger()
    assert not dark_palette()
    run(loop, window.shutdown())
    assert "theme=light" in (data_dir / "ui.ini").read_text()


def test_timeout_and_retries_are_set_in_the_window_and_kept(
    qtbot: Any, window: MainWindow, data_dir: Path
) -> None:
    from app.ui.shell.delivery_dialog import options_from

    window.workspace.actions["delivery_options"].trigger()  # type: ignore[union-attr]
    dialog = window.findChild(object, "delivery_dialog")
    assert dialog is not None
    dialog.timeout.setValue(2.5)
    dialog.retries.setValue(0)
    dialog.accept()
    queue = window.workspace.queue  # type: ignore[union-attr]
    assert queue.options.retries == 0 and queue.options.read_timeout == 2.5
    job = window.workspace.state.event_job(queue.options, preview=True)  # type: ignore[union-attr]
    assert job.options.connect_timeout == 2.5  # what a send uses
    again = options_from(window.ui_settings, type(queue.options)())
    assert (again.retries, again.read_timeout) == (0, 2.5)  # and the next start too
