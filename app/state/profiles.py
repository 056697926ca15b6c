"""Profiles and write keys as the window sees them (no Qt).

`ProfileBook` is the one object the panel talks to: a thin adapter over storage's
`ProfileStore` (profiles.json: target + integration settings, never a key) and a
`KeyVault` — storage's `SecretStore` in the app (keyring, else this session only, or an
opted-in 0600 file, and it says which), or a `SessionVault` in tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from app.core.settings import IntegrationSettings
from app.storage.errors import StorageError
from app.storage.profiles import Profile, ProfileStore

__all__ = ["DEFAULT_PROFILE", "KeyVault", "Profile", "ProfileBook", "SessionVault"]

DEFAULT_PROFILE = "Default"


class KeyVault(Protocol):
    """What the book needs from a key store (storage's SecretStore has this shape)."""

    persistent: bool
    note: str

    def get(self, profile: str) -> str: ...

    def set(self, profile: str, key: str) -> object: ...

    def delete(self, profile: str) -> None: ...

    def rename(self, old: str, new: str) -> None: ...


@dataclass
class SessionVault:
    """Keys in memory only; gone when the app quits (tests, and the last resort)."""

    note: str = "Write keys are kept in memory for this session only."
    persistent: bool = False
    keys: dict[str, str] = field(default_factory=dict, repr=False)  # never in a repr

    def get(self, profile: str) -> str:
        return self.keys.get(profile, "")

    def set(self, profile: str, key: str) -> None:
        if key.strip():
            self.keys[profile] = key.strip()
        else:
            self.keys.pop(profile, None)

    def delete(self, profile: str) -> None:
        self.keys.pop(profile, None)

    def rename(self, old: str, new: str) -> None:
        if old in self.keys:
            self.keys[new] = self.keys.pop(old)


@dataclass
class PendingVault(SessionVault):
    """Holds keys typed in the moment before the system keyring is ready (the window
    looks for it right after its first usable frame, not before)."""

    note: str = "Looking for the system keyring…"


class ProfileBook:
    """Names, load/save/rename/delete, last used, and keys; always holds one profile."""

    def __init__(self, store: ProfileStore, vault: KeyVault) -> None:
        self._store = store
        self._vault = vault
        store.keys = vault  # keys follow their profile on rename and delete
        if not store.names():
            store.save(Profile(name=DEFAULT_PROFILE))

    @property
    def vault(self) -> KeyVault:
        return self._vault

    @property
    def vault_pending(self) -> bool:
        return isinstance(self._vault, PendingVault)

    def replace_vault(self, vault: KeyVault) -> None:
        """The real vault arrived: keys typed meanwhile move into it (unless it already
        holds one for that profile), and it follows renames and deletes from now on."""
        old, self._vault = self._vault, vault
        self._store.keys = vault
        if isinstance(old, SessionVault):
            for profile, key in old.keys.items():
                if not vault.get(profile):
                    vault.set(profile, key)

    def names(self) -> list[str]:
        return self._store.names()

    def load(self, name: str) -> Profile:
        return self._store.find(name) or Profile(name=name)

    def save_target(self, name: str, region: str, endpoint: str) -> None:
        """Region and endpoint as the panel shows them; the settings are kept."""
        current = self.load(name)
        if (current.region, current.endpoint) != (region, endpoint):
            self._store.save(current.model_copy(update={"region": region, "endpoint": endpoint}))

    def save_settings(self, name: str, settings: IntegrationSettings) -> None:
        self._store.save(self.load(name).model_copy(update={"settings": settings}))

    def create(self, name: str) -> str | None:
        """A new profile (US, default settings); an error message, or None."""
        if self._store.find(name) is not None:
            return f"a profile named {name.strip()!r} already exists"
        try:
            self._store.save(Profile(name=name))
        except ValueError as exc:
            return str(exc)
        return None

    def rename(self, old: str, new: str) -> str | None:
        try:
            self._store.rename(old, new)
        except StorageError as exc:
            return str(exc)
        return None

    def delete(self, name: str) -> None:
        self._store.delete(name)
        if not self._store.names():
            self._store.save(Profile(name=DEFAULT_PROFILE))

    def last_used(self) -> str | None:
        return self._store.last_used

    def set_last_used(self, name: str) -> None:
        if name in self._store.names():
            self._store.set_last_used(name)

    def key_for(self, name: str) -> str:
        return self._vault.get(name)

    def set_key(self, name: str, key: str) -> None:
        if self._vault.get(name) != key:
            self._vault.set(name, key)

    def key_persistent(self) -> bool:
        return self._vault.persistent

    def storage_note(self) -> str:
        return self._vault.note

    def _status(self) -> object:
        return getattr(self._vault, "status", None)

    def key_in_file(self) -> bool:
        """Keys are kept in the opted-in plain-text 0600 file (not a keyring)."""
        from app.storage.secrets import KeyStorage

        return getattr(self._status(), "storage", None) is KeyStorage.FILE

    def file_warning(self) -> str:
        """What to show before opting in to the key file; "" when it is not offered."""
        return str(getattr(self._status(), "file_warning", ""))

    def enable_key_file(self) -> None:
        enable = getattr(self._vault, "enable_file_storage", None)
        if enable is not None:
            enable(acknowledge_plaintext=True)
