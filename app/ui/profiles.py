"""Profiles and write keys as the connection panel sees them (no Qt).

`ProfileBook` is the one object the panel talks to. It keeps profile data (region,
endpoint, integration settings) in a `ProfileFile` and keys in a `KeyVault`:
the OS keyring when a secure backend exists, else memory for this session only — and it
says which, in words (`storage_note`). Keys are never written to the profile file.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

DEFAULT_PROFILE = "Default"
SERVICE = "rc-segment-tester"


@dataclass(frozen=True)
class Profile:
    """A named target + integration settings (as `IntegrationSettings.model_dump()`)."""

    name: str
    region: str = "us"  # us / eu / custom
    endpoint: str = ""
    settings: dict[str, Any] | None = None


class KeyVault(Protocol):
    persistent: bool
    note: str

    def get(self, profile: str) -> str: ...

    def set(self, profile: str, key: str) -> None: ...

    def delete(self, profile: str) -> None: ...


@dataclass
class SessionVault:
    """Keys in memory only; gone when the app quits."""

    note: str = "Key kept for this session only"
    persistent: bool = False
    keys: dict[str, str] = field(default_factory=dict)

    def get(self, profile: str) -> str:
        return self.keys.get(profile, "")

    def set(self, profile: str, key: str) -> None:
        if key:
            self.keys[profile] = key
        else:
            self.keys.pop(profile, None)

    def delete(self, profile: str) -> None:
        self.keys.pop(profile, None)


class KeyringVault:
    """Keys in the OS keyring (Secret Service, Keychain, Credential Manager)."""

    persistent = True

    def __init__(self, keyring_module: Any, backend_name: str) -> None:
        self._keyring = keyring_module
        self.note = f"Key stored in the system keyring ({backend_name})"

    def get(self, profile: str) -> str:
        return str(self._keyring.get_password(SERVICE, profile) or "")

    def set(self, profile: str, key: str) -> None:
        if key:
            self._keyring.set_password(SERVICE, profile, key)
        else:
            self.delete(profile)

    def delete(self, profile: str) -> None:
        with contextlib.suppress(self._keyring.errors.PasswordDeleteError):
            self._keyring.delete_password(SERVICE, profile)


def open_vault() -> KeyVault:
    """The keyring when it has a usable backend, else a session-only vault saying why."""
    try:
        import keyring
        from keyring.backends import fail, null

        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring | null.Keyring):
            return SessionVault(
                note="Key kept for this session only: no system keyring is available "
                "(no Secret Service on this machine)"
            )
        return KeyringVault(keyring, type(backend).__name__)
    except Exception as exc:  # a broken keyring must not stop the app
        return SessionVault(note=f"Key kept for this session only: the keyring failed ({exc})")


class ProfileFile:
    """profiles.json in the config dir: names → region, endpoint, settings. No keys."""

    def __init__(self, path: Path | None) -> None:
        self._path = path
        self.data: dict[str, Any] = {"last": DEFAULT_PROFILE, "profiles": {}}
        if path is not None and path.exists():
            # A damaged file: start afresh rather than refuse to open.
            with contextlib.suppress(OSError, ValueError):
                self.data = json.loads(path.read_text(encoding="utf-8"))
        self.data.setdefault("profiles", {})

    def write(self) -> None:
        if self._path is None:
            return
        tmp = self._path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.data, indent=2), encoding="utf-8")
        os.replace(tmp, self._path)


class ProfileBook:
    """What the connection panel needs: names, load/save/rename/delete, keys."""

    def __init__(self, file: ProfileFile, vault: KeyVault) -> None:
        self._file = file
        self._vault = vault
        if not self._profiles:
            self.save(Profile(DEFAULT_PROFILE))

    @property
    def _profiles(self) -> dict[str, Any]:
        profiles: dict[str, Any] = self._file.data["profiles"]
        return profiles

    def names(self) -> list[str]:
        return sorted(self._profiles, key=str.lower)

    def load(self, name: str) -> Profile:
        raw = self._profiles.get(name, {})
        return Profile(name, raw.get("region", "us"), raw.get("endpoint", ""), raw.get("settings"))

    def save(self, profile: Profile, *, keep_settings: bool = False) -> None:
        if keep_settings and profile.settings is None:
            profile = replace(profile, settings=self.load(profile.name).settings)
        self._profiles[profile.name] = {
            "region": profile.region,
            "endpoint": profile.endpoint,
            "settings": profile.settings,
        }
        self._file.write()

    def rename(self, old: str, new: str) -> None:
        self._profiles[new] = self._profiles.pop(old)
        key = self._vault.get(old)
        self._vault.delete(old)
        self._vault.set(new, key)
        if self._file.data.get("last") == old:
            self._file.data["last"] = new
        self._file.write()

    def delete(self, name: str) -> None:
        self._profiles.pop(name, None)
        self._vault.delete(name)
        if not self._profiles:
            self.save(Profile(DEFAULT_PROFILE))
        self._file.write()

    def last_used(self) -> str | None:
        last = self._file.data.get("last")
        return last if isinstance(last, str) else None

    def set_last_used(self, name: str) -> None:
        if self._file.data.get("last") != name:
            self._file.data["last"] = name
            self._file.write()

    def key_for(self, name: str) -> str:
        return self._vault.get(name)

    def set_key(self, name: str, key: str) -> None:
        self._vault.set(name, key)

    def key_persistent(self) -> bool:
        return self._vault.persistent

    def storage_note(self) -> str:
        return self._vault.note
