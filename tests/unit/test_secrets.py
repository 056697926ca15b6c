"""Write keys: keyring when usable, session memory otherwise, a 0600 file only by opt-in.

Never the real OS keyring: every test passes an in-memory, null, fail or chainer backend.
"""

from __future__ import annotations

import json
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyring.errors import PasswordDeleteError, PasswordSetError

from app.storage.secrets import SERVICE, KeyStorage, SecretStore

KEY = "wk_live_Q2hlY2tUaGlzT3V0MTIzNDU2Nzg5a1b2"


class MemoryKeyring(KeyringBackend):
    """A secure-looking backend that keeps passwords in a dict."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.data.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.data[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.data[(service, username)]
        except KeyError:
            raise PasswordDeleteError(username) from None


class LockedKeyring(MemoryKeyring):
    """Looks usable, then refuses to store (a locked collection, D-Bus gone)."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise PasswordSetError("collection is locked")


class EmptyChainer(chainer.ChainerBackend):
    """What keyring builds when it finds no backend to chain."""

    backends: ClassVar[list[KeyringBackend]] = []  # type: ignore[assignment]


class ChainedPlainOnly(chainer.ChainerBackend):
    """A chain whose first backend is the null one."""

    backends: ClassVar[list[KeyringBackend]] = [null.Keyring()]  # type: ignore[assignment]


@pytest.fixture(autouse=True)
def no_real_keyring() -> Iterator[None]:
    """Whatever a test does, the process-wide keyring is a harmless one afterwards."""
    previous = keyring.get_keyring()
    keyring.set_keyring(null.Keyring())
    yield
    keyring.set_keyring(previous)


def test_keyring_backend_keeps_the_key_and_says_so(tmp_path: Path) -> None:
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    store = SecretStore(tmp_path)  # picks up the process-wide backend
    status = store.set("Staging", KEY)
    assert status.storage is KeyStorage.KEYRING and status.secure and status.persistent
    assert "system keyring" in status.explanation and status.file_warning == ""
    assert memory.data == {(SERVICE, "Staging"): KEY}
    assert SecretStore(tmp_path).get("Staging") == KEY  # a later session finds it
    assert not (tmp_path / "write-keys.json").exists()
    assert store.persistent and store.note == status.explanation


@pytest.mark.parametrize(
    ("backend", "reason"),
    [
        (fail.Keyring(), "no system keyring was found"),
        (null.Keyring(), "switched off"),
        (EmptyChainer(), "no keyring backend"),
        (ChainedPlainOnly(), "switched off"),
    ],
)
def test_without_a_usable_backend_the_key_is_session_only(
    tmp_path: Path, backend: KeyringBackend, reason: str
) -> None:
    store = SecretStore(tmp_path, backend=backend)
    status = store.set("Default", KEY)
    assert status.storage is KeyStorage.SESSION and not status.persistent
    assert "this session only" in status.explanation and reason in status.explanation
    assert str(tmp_path / "write-keys.json") in status.file_warning
    assert store.get("Default") == KEY
    assert SecretStore(tmp_path, backend=backend).get("Default") == ""  # gone next time
    assert list(tmp_path.iterdir()) == []  # nothing written anywhere


def test_file_opt_in_is_explicit_0600_and_survives_sessions(tmp_path: Path) -> None:
    store = SecretStore(tmp_path, backend=fail.Keyring())
    store.set("Default", KEY)
    with pytest.raises(ValueError, match="acknowledge_plaintext"):
        store.enable_file_storage(acknowledge_plaintext=False)
    assert not (tmp_path / "write-keys.json").exists()
    status = store.enable_file_storage(acknowledge_plaintext=True)
    assert status.storage is KeyStorage.FILE and status.persistent and not status.secure
    assert "plain text" in status.explanation
    path = tmp_path / "write-keys.json"
    if sys.platform != "win32":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text())["keys"] == {"Default": KEY}  # session key moved in
    store.set("Other", "wk_other_key_0000zz99")
    later = SecretStore(tmp_path, backend=fail.Keyring())
    assert later.status.storage is KeyStorage.FILE
    assert later.get("Default") == KEY and later.get("Other") == "wk_other_key_0000zz99"
    later.disable_file_storage()
    assert not path.exists() and later.get("Default") == KEY  # still there for the session
    assert later.status.storage is KeyStorage.SESSION


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX mode bits")
def test_widened_key_file_is_tightened_on_read(tmp_path: Path) -> None:
    store = SecretStore(tmp_path, backend=fail.Keyring())
    store.enable_file_storage(acknowledge_plaintext=True)
    store.set("Default", KEY)
    path = tmp_path / "write-keys.json"
    path.chmod(0o644)
    assert SecretStore(tmp_path, backend=fail.Keyring()).get("Default") == KEY
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_opt_in_is_refused_when_a_keyring_exists(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="keyring is available"):
        SecretStore(tmp_path, backend=MemoryKeyring()).enable_file_storage(
            acknowledge_plaintext=True
        )


def test_keyring_that_fails_at_runtime_falls_back_to_session(tmp_path: Path) -> None:
    store = SecretStore(tmp_path, backend=LockedKeyring())
    assert store.status.storage is KeyStorage.KEYRING
    status = store.set("Default", KEY)
    assert status.storage is KeyStorage.SESSION
    assert "collection is locked" in status.explanation
    assert store.get("Default") == KEY and list(tmp_path.iterdir()) == []


def test_delete_and_rename_follow_the_key(tmp_path: Path) -> None:
    memory = MemoryKeyring()
    store = SecretStore(tmp_path, backend=memory)
    store.set("Old", KEY)
    store.rename("Old", "New")
    assert store.get("Old") == "" and store.get("New") == KEY
    assert memory.data == {(SERVICE, "New"): KEY}
    store.set("New", "   ")  # a blank key deletes
    assert memory.data == {} and store.get("New") == ""
    store.delete("never-there")  # no error


def test_keyring_supersedes_an_old_file_opt_in(tmp_path: Path) -> None:
    headless = SecretStore(tmp_path, backend=fail.Keyring())
    headless.enable_file_storage(acknowledge_plaintext=True)
    headless.set("Default", KEY)
    memory = MemoryKeyring()
    with_keyring = SecretStore(tmp_path, backend=memory)
    assert with_keyring.get("Default") == KEY  # still readable
    with_keyring.set("Default", KEY)  # saving again moves it to the keyring
    assert memory.data == {(SERVICE, "Default"): KEY}
    assert KEY not in (tmp_path / "write-keys.json").read_text()


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS has its Keychain to look up")
def test_finding_the_system_keyring_off_macos_runs_no_library_search(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """keyring's macOS module asks ctypes for three frameworks when imported, which on
    Linux runs ldconfig, gcc and ld for each; off macOS that module is not imported."""
    import ctypes.util

    import keyring.backend
    import keyring.core

    searched: list[str] = []
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: searched.append(name))
    for name in [n for n in sys.modules if n.startswith("keyring.backends.macOS")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(keyring.core, "_keyring_backend", None)  # discover afresh
    keyring.backend.get_all_keyring.reset()  # type: ignore[attr-defined]
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)  # no configured choice

    store = SecretStore(tmp_path)
    assert searched == []
    assert sys.modules["keyring.backends.macOS.api"] is None
    assert "macOS" not in type(store._backend).__module__
