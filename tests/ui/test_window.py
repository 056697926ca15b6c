"""Window-level behaviour: shortcuts, About, remembered state, profiles, smoke run."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import keyring
from keyring.backend import KeyringBackend
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from app.state.profiles import ProfileBook
from app.state.window import WindowState
from app.storage.profiles import ProfileStore
from app.storage.secrets import SecretStore
from app.ui.shell.main_window import MainWindow
from app.ui.shell.root import attach
from app.ui.shell.services import Services
from app.ui.shell.uisettings import open_ui_settings
from tests.support.qt import KEY, connect, destroy, run
from tests.support.segment_server import SegmentServer

ROOT = Path(__file__).resolve().parents[2]


class MemoryKeyring(KeyringBackend):
    """An in-memory keyring backend (tests must never touch a real one)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.store:
            raise keyring.errors.PasswordDeleteError(username)
        del self.store[(service, username)]


def test_shortcuts(qtbot: Any, loop: asyncio.AbstractEventLoop, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.workspace.history.text
    modifiers = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window, Qt.Key.Key_Return, modifiers)  # Ctrl+Shift+Enter: preview
    run(loop, window.workspace.queue.wait())
    assert window.workspace.history.model.total == 1


def test_ctrl_enter_sends(
    qtbot: Any, loop: asyncio.AbstractEventLoop, window: MainWindow, segment_server: SegmentServer
) -> None:
    connect(window, segment_server.base_url)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.workspace.event.types.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    run(loop, window.workspace.queue.wait())
    assert [r.path for r in segment_server.requests] == ["/v1/track", "/v1/identify"]


def test_new_event_ends_hand_edit(qtbot: Any, window: MainWindow) -> None:
    payload = window.workspace.payload
    qtbot.mouseClick(payload.edit, Qt.MouseButton.LeftButton)
    assert window.workspace.state.draft.hand_texts is not None
    window.workspace.event.select_type("renewal")
    assert window.workspace.state.draft.hand_texts is None and not payload.edit.isChecked()
    assert payload.views["Track"].isReadOnly()
    assert '"rc_renewal_event"' in payload.views["Track"].toPlainText()


def test_about_box_shows_version(window: MainWindow) -> None:
    from app import __version__

    box = window.show_about()
    assert box.isVisible() and __version__ in box.text()
    box.close()


def test_key_field_is_masked_with_show_hide(qtbot: Any, window: MainWindow) -> None:
    connection = window.workspace.connection
    connection.key.setText("has space")
    assert "whitespace" in connection.status.text()
    connection.key.setText("short")
    assert "does not look like" in connection.status.text()
    connection.key.setText(KEY)
    assert connection.key.echoMode() == QLineEdit.EchoMode.Password
    qtbot.mouseClick(connection.reveal, Qt.MouseButton.LeftButton)
    assert connection.key.echoMode() == QLineEdit.EchoMode.Normal
    assert "session only" in connection.status.text()
    described = window.workspace.state.connection.describe()
    assert KEY not in described and KEY[-4:] in described


def test_custom_endpoint_is_checked(window: MainWindow) -> None:
    connection = window.workspace.connection
    connection.key.setText(KEY)
    connection.region.setCurrentIndex(connection.region.findData("custom"))
    connection.endpoint.setText("http://example.com/v1")
    assert "refused" in connection.status.text()
    assert not window.workspace.send.send.isEnabled()
    connection.endpoint.setText("collector.example.com/v1/track")
    http = window.workspace.payload.show_tab("HTTP request").toPlainText()
    assert "https://collector.example.com/v1/track" in http


def test_profiles_keep_target_settings_and_key(
    qtbot: Any, window: MainWindow, services: Services
) -> None:
    connection = window.workspace.connection
    connection.key.setText(KEY)
    connection.store_key()
    connection.create_profile("EU workspace")
    assert connection.current_profile() == "EU workspace"
    assert connection.key.text() == ""
    connection.region.setCurrentIndex(connection.region.findData("eu"))
    window.workspace.settings.sandbox.setChecked(True)  # saved with the profile
    connection.profile.setCurrentText("Default")
    assert connection.key.text() == KEY
    assert connection.region.currentData() == "us"
    assert not window.workspace.state.draft.settings.send_sandbox
    connection.profile.setCurrentText("EU workspace")
    assert connection.region.currentData() == "eu"
    assert window.workspace.state.draft.settings.send_sandbox
    connection.create_profile("Default")
    assert "already exists" in connection.status.text()
    connection.rename_to("EU prod")
    assert "EU prod" in services.profiles.names()
    connection._delete()
    assert "EU prod" not in services.profiles.names()
    assert services.profiles.last_used() in (None, "Default")


def test_keyring_with_in_memory_backend(tmp_path: Path) -> None:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        vault = SecretStore(tmp_path)
        assert vault.persistent and "keyring" in vault.note
        book = ProfileBook(ProfileStore.in_dir(tmp_path), vault)
        book.set_key("Default", KEY)
        assert backend.store[("rc-segment-tester", "Default")] == KEY
        assert KEY not in (tmp_path / "profiles.json").read_text()
        assert book.rename("Default", "Main") is None
        assert book.key_for("Main") == KEY
    finally:
        keyring.set_keyring(previous)


def test_no_keyring_session_then_opt_in_file(
    qtbot: Any, window: MainWindow, services: Services, data_dir: Path
) -> None:
    from keyring.backends import fail
    from PySide6.QtWidgets import QMessageBox

    vault = SecretStore(data_dir, backend=fail.Keyring())
    book = ProfileBook(ProfileStore.in_dir(data_dir), vault)
    connection = type(window.workspace.connection)(WindowState(book))
    connection.key.setText(KEY)
    connection.store_key()
    assert "this session only" in connection.status.text()
    assert "no system keyring" in connection.status.toolTip()
    box = connection.offer_key_file()
    assert box is not None and "plain text" in box.text()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    key_file = data_dir / "write-keys.json"
    assert key_file.exists() and (key_file.stat().st_mode & 0o777) == 0o600
    assert "0600 file" in connection.status.text()
    destroy(connection)


def test_state_is_remembered(
    qtbot: Any,
    loop: asyncio.AbstractEventLoop,
    window: MainWindow,
    services: Services,
    data_dir: Path,
) -> None:
    from PySide6.QtWidgets import QSplitter

    window.workspace.event.select_type("renewal")
    work = window.findChild(QSplitter, "work_splitter")
    assert work is not None
    work.setSizes([300, 900])
    sizes = work.sizes()
    run(loop, window.shutdown())
    assert "geometry" in (data_dir / "ui.ini").read_text()
    again = MainWindow(open_ui_settings(data_dir))
    services.history = type(services.history).in_dir(data_dir)
    attach(again, services)
    again.show()
    qtbot.waitExposed(again)
    assert again.workspace.state.draft.type_key == "renewal"
    again_work = again.findChild(QSplitter, "work_splitter")
    # The left pane keeps its width (the offscreen screen is smaller, so the window and
    # the right pane may be clamped).
    assert again_work is not None and again_work.sizes()[0] == sizes[0]
    run(loop, again.shutdown())
    destroy(again)


def test_no_display_prints_one_line() -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    done = subprocess.run(
        [sys.executable, "-m", "app"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "offscreen" in done.stderr
