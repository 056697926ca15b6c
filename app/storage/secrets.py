"""Where the Segment write key is kept, and saying so plainly.

Three places, in order of preference:

* the OS keyring (Secret Service, macOS Keychain, Windows Credential Locker) when the
  `keyring` package finds a secure backend;
* otherwise this session's memory only: the key is forgotten when the app quits, and the
  status says so and why (a headless Linux box has no Secret Service);
* a plain-text file `write-keys.json` (mode 0600) in the config dir, only after the user
  opted in knowing what it means (`enable_file_storage(acknowledge_plaintext=True)`).

Nothing is ever written in plain text silently. `keyring` is imported lazily: it costs
~0.17 s and the window paints first (docs/qt-notes.md, "Start-up cost"). Tests pass a
backend instead of touching the real keyring.

`SecretStore` has the `get`/`set`/`delete` + `persistent`/`note` shape of the GUI's
`KeyVault` protocol, so it can stand in for it directly.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import sys
import tempfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

SERVICE = "rc-segment-tester"
KEY_FILENAME = "write-keys.json"

FILE_WARNING = (
    "The write key will be saved in plain text in {path}, readable only by your user "
    "account (mode 0600) but by any program running as you, and copied by your backups. "
    "Anyone with the key can send events into your Segment source. Use this only on a "
    "machine without a system keyring, and prefer a key for a test source."
)


class KeyStorage(StrEnum):
    KEYRING = "keyring"
    SESSION = "session"
    FILE = "file"


@dataclass(frozen=True, slots=True)
class SecretStatus:
    """Where keys go now, in words for the UI (`explanation`) and flags for logic."""

    storage: KeyStorage
    backend: str  # the keyring backend's name, for the curious
    explanation: str
    file_path: Path
    file_warning: str  # what to show before `enable_file_storage`; "" when not offered

    @property
    def persistent(self) -> bool:
        return self.storage is not KeyStorage.SESSION

    @property
    def secure(self) -> bool:
        return self.storage is KeyStorage.KEYRING


def unusable_reason(backend: Any) -> str:
    """Why a keyring backend cannot keep a key safely, or "" if it can."""
    from keyring.backends import chainer, fail, null

    if isinstance(backend, fail.Keyring):
        return "no system keyring was found (no Secret Service, Keychain or Credential Locker)"
    if isinstance(backend, null.Keyring):
        return "the keyring is switched off (null backend)"
    if isinstance(backend, chainer.ChainerBackend):
        # A chain writes to its first backend: that one decides.
        chained = list(backend.backends)
        return unusable_reason(chained[0]) if chained else "no keyring backend is available"
    kind = type(backend)
    if kind.__module__.startswith("keyrings.alt") and "crypt" not in kind.__name__.lower():
        return f"the only keyring ({kind.__name__}) stores keys unencrypted"
    return ""


def system_keyring() -> Any:
    """The backend the `keyring` package picks, or the one its configuration names.

    Off macOS the Keychain backend can never be picked, yet importing its module looks up
    three macOS frameworks with `ctypes.util.find_library`, which on Linux runs
    `ldconfig -p` and then gcc and ld for each: ~0.1 s of the start-up's warm-up, and
    three compiler runs, for nothing. A None entry in `sys.modules` makes that one import
    fail; keyring's macOS package catches the failure, and its backend then declines
    ("Security API unavailable") as it would have anyway ("macOS required").
    """
    if sys.platform != "darwin":
        sys.modules.setdefault("keyring.backends.macOS.api", None)  # type: ignore[arg-type]
    import keyring

    return keyring.get_keyring()


class SecretStore:
    """Write keys per profile name; see the module docstring for where they go."""

    def __init__(self, config_dir: str | Path, *, backend: Any = None) -> None:
        if backend is None:
            backend = system_keyring()
        self._backend = backend
        self.file_path = Path(config_dir) / KEY_FILENAME
        self._session: dict[str, str] = {}
        self._keyring_error = unusable_reason(backend)
        self.status = self._status()
        self.persistent = self.status.persistent
        self.note = self.status.explanation

    # -- status -----------------------------------------------------------------------

    def _status(self) -> SecretStatus:
        name = type(self._backend).__name__
        module = type(self._backend).__module__.removeprefix("keyring.backends.")
        backend = f"{module}.{name}"
        warning = FILE_WARNING.format(path=self.file_path)
        if not self._keyring_error:
            return SecretStatus(
                KeyStorage.KEYRING, backend,
                f"Write keys are kept in the system keyring ({backend}).",
                self.file_path, "",
            )  # fmt: skip
        if self.file_path.exists():
            return SecretStatus(
                KeyStorage.FILE, backend,
                f"Write keys are saved in plain text in {self.file_path} (mode 0600), as "
                f"you chose: {self._keyring_error}.",
                self.file_path, "",
            )  # fmt: skip
        return SecretStatus(
            KeyStorage.SESSION, backend,
            f"Write keys are kept in memory for this session only and forgotten when the "
            f"app quits: {self._keyring_error}. You can opt in to saving them in a "
            "plain-text file readable only by you.",
            self.file_path, warning,
        )  # fmt: skip

    def _refresh(self) -> SecretStatus:
        self.status = self._status()
        self.persistent = self.status.persistent
        self.note = self.status.explanation
        return self.status

    def _keyring_failed(self, exc: BaseException) -> None:
        """A backend that looked usable refused (locked, D-Bus gone): fall back."""
        self._keyring_error = f"the system keyring failed ({type(exc).__name__}: {exc})"
        self._refresh()

    # -- keys -------------------------------------------------------------------------

    def get(self, profile: str) -> str:
        """The key for `profile`, or "" when none is known."""
        if profile in self._session:
            return self._session[profile]
        if not self._keyring_error:
            try:
                found = self._backend.get_password(SERVICE, profile)
            except Exception as exc:  # any backend error: degrade, never crash
                self._keyring_failed(exc)
            else:
                if found:
                    return str(found)
        return self._read_file().get(profile, "")

    def set(self, profile: str, key: str) -> SecretStatus:
        """Keep `key` for `profile` (a blank key deletes it); where it went."""
        key = key.strip()
        if not key:
            self.delete(profile)
            return self.status
        if not self._keyring_error:
            try:
                self._backend.set_password(SERVICE, profile, key)
            except Exception as exc:
                self._keyring_failed(exc)
            else:
                self._session.pop(profile, None)
                self._drop_from_file(profile)  # the keyring supersedes an old opt-in
                return self.status
        if self.status.storage is KeyStorage.FILE:
            keys = self._read_file()
            keys[profile] = key
            self._write_file(keys)
            self._session.pop(profile, None)
        else:
            self._session[profile] = key
        return self.status

    def delete(self, profile: str) -> None:
        """Forget the key everywhere it may be."""
        self._session.pop(profile, None)
        if not self._keyring_error:
            with contextlib.suppress(Exception):
                self._backend.delete_password(SERVICE, profile)
        self._drop_from_file(profile)

    def rename(self, old: str, new: str) -> None:
        """Move a key to a profile's new name."""
        key = self.get(old)
        self.delete(old)
        if key:
            self.set(new, key)

    # -- the opt-in file --------------------------------------------------------------

    def enable_file_storage(self, *, acknowledge_plaintext: bool) -> SecretStatus:
        """Opt in to the 0600 plain-text file (only when no keyring is usable).

        The caller must have shown `status.file_warning` and passes
        `acknowledge_plaintext=True` to say the user accepted it. Keys held for this
        session move into the file.
        """
        if not acknowledge_plaintext:
            raise ValueError("storing keys in plain text needs acknowledge_plaintext=True")
        if not self._keyring_error:
            raise ValueError("a system keyring is available; keys are kept there instead")
        self._write_file({**self._read_file(), **self._session})
        self._session.clear()
        return self._refresh()

    def disable_file_storage(self) -> SecretStatus:
        """Delete the file; its keys stay in memory for this session."""
        self._session.update(self._read_file())
        with contextlib.suppress(FileNotFoundError):
            self.file_path.unlink()
        return self._refresh()

    def _read_file(self) -> dict[str, str]:
        try:
            text = self.file_path.read_text(encoding="utf-8")
        except OSError:
            return {}
        _tighten(self.file_path)
        try:
            keys = json.loads(text).get("keys", {})
        except (ValueError, AttributeError):
            return {}
        return {str(k): str(v) for k, v in keys.items()} if isinstance(keys, dict) else {}

    def _write_file(self, keys: dict[str, str]) -> None:
        self.file_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # mkstemp creates the file 0600 from the start: the key is never readable by
        # others, not even between create and chmod.
        fd, tmp = tempfile.mkstemp(prefix=f".{KEY_FILENAME}.", dir=self.file_path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump({"version": 1, "keys": keys}, out, indent=2)
            _tighten(Path(tmp))
            os.replace(tmp, self.file_path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    def _drop_from_file(self, profile: str) -> None:
        keys = self._read_file()
        if profile in keys:
            del keys[profile]
            self._write_file(keys)


def _tighten(path: Path) -> None:
    """Reset the key file to 0600 if something widened it."""
    if sys.platform == "win32":  # pragma: no cover - NTFS ACLs, not mode bits
        return
    with contextlib.suppress(OSError):
        if stat.S_IMODE(path.stat().st_mode) != 0o600:
            path.chmod(0o600)
