"""Named profiles: a target (region or custom endpoint) plus integration settings.

One JSON file, `profiles.json` in the config dir (`app.storage.paths.config_dir`)::

    {"version": 1, "last": "Staging",
     "profiles": {"Staging": {"region": "eu", "endpoint": "", "settings": {...}}}}

The file never holds a write key: keys live in `app.storage.secrets.SecretStore`, which
`ProfileStore` keeps in step on rename and delete when it is given one. The file is
re-read on every call and replaced atomically on every change, so the GUI and a CLI run
side by side see each other's edits and a crash never leaves half a file. A damaged
file does not stop the app: it reads as empty, `problem` says why, and the next save
first moves it aside to `profiles.json.damaged` so nothing is lost silently.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from app.core.settings import IntegrationSettings
from app.core.targets import TargetKey
from app.storage.errors import StorageError

PROFILES_FILENAME = "profiles.json"
FILE_VERSION = 1

#: A target key of the registry (app.core.targets): a Segment region or "custom".
Region = TargetKey


_CREDENTIALS = re.compile(r"(//)[^/?#]*@")


def savable_endpoint(endpoint: str) -> str:
    """The endpoint minus what must not reach a plain file: a `user:password@` part, a
    query and a fragment (a write key pasted there). The panel saves on every keystroke;
    a URL with any of them is refused for sending anyway (app.delivery.target), so
    nothing usable is lost."""
    return _CREDENTIALS.sub(r"\1", endpoint).split("#", 1)[0].split("?", 1)[0]


class Profile(BaseModel):
    """A named target + the integration's dashboard settings.

    `region` is a key of `app.core.targets.TARGETS`: "us" or "eu" (Segment's hosts,
    docs/segment.md, "Regions and hosts") or "custom", in which case
    `endpoint` holds the base URL as the user typed it; `app.delivery` validates and
    normalises it when sending.
    """

    model_config = ConfigDict(frozen=True)

    name: str
    region: Region = "us"
    endpoint: str = ""
    settings: IntegrationSettings = Field(default_factory=IntegrationSettings)

    @field_validator("name")
    @classmethod
    def _valid_name(cls, name: str) -> str:
        return check_name(name)

    @field_validator("settings", mode="before")
    @classmethod
    def _default_settings(cls, value: Any) -> Any:
        return IntegrationSettings() if value is None else value


def check_name(name: str) -> str:
    """A profile name, stripped; ValueError for blank, overlong or control characters."""
    name = name.strip()
    if not name:
        raise ValueError("a profile name cannot be blank")
    if len(name) > 100:
        raise ValueError("a profile name is at most 100 characters")
    if any(ord(c) < 32 for c in name):
        raise ValueError("a profile name cannot contain control characters")
    return name


class KeyMover(Protocol):
    """The part of `SecretStore` profiles need: keys follow their profile."""

    def rename(self, old: str, new: str) -> None: ...

    def delete(self, profile: str) -> None: ...


class ProfileStore:
    """CRUD over profiles.json; see the module docstring for the guarantees."""

    def __init__(self, path: str | Path, *, keys: KeyMover | None = None) -> None:
        self.path = Path(path)
        self.keys = keys
        self.problem: str | None = None
        self.damage = ""  # the file and what is wrong with it, when `problem` is set

    @classmethod
    def in_dir(cls, config_dir: str | Path, *, keys: KeyMover | None = None) -> ProfileStore:
        return cls(Path(config_dir) / PROFILES_FILENAME, keys=keys)

    # -- file -------------------------------------------------------------------------

    def _load(self) -> tuple[dict[str, Profile], str | None]:
        self.problem = None
        self.damage = ""
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}, None
        except (OSError, ValueError) as exc:
            return self._damaged(f"cannot be read ({exc})")
        if not isinstance(raw, dict) or not isinstance(raw.get("profiles", {}), dict):
            return self._damaged("is not a profiles file")
        profiles: dict[str, Profile] = {}
        for name, data in raw.get("profiles", {}).items():
            if data is not None and not isinstance(data, dict):
                return self._damaged(f"has a profile {name!r} that is not a JSON object")
            try:
                profile = Profile.model_validate({**(data or {}), "name": name})
            except ValidationError as exc:
                return self._damaged(f"has an invalid profile {name!r} ({exc.errors()[0]['msg']})")
            profiles[profile.name] = profile
        last = raw.get("last")
        return profiles, last if isinstance(last, str) else None

    def _damaged(self, why: str) -> tuple[dict[str, Profile], None]:
        self.damage = f"{self.path} {why}"
        self.problem = f"{self.damage}; starting with no profiles (kept as .damaged on save)"
        return {}, None

    def _write(self, profiles: dict[str, Profile], last: str | None) -> None:
        if self.problem is not None and self.path.exists():
            os.replace(self.path, self.path.with_name(self.path.name + ".damaged"))
            self.problem = None
        data = {
            "version": FILE_VERSION,
            "last": last,
            "profiles": {
                name: p.model_dump(mode="json", exclude={"name"})
                for name, p in sorted(profiles.items(), key=lambda item: item[0].lower())
            },
        }
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out, indent=2, ensure_ascii=False)
                out.write("\n")
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    # -- API --------------------------------------------------------------------------

    def names(self) -> list[str]:
        """Profile names, case-insensitively sorted."""
        return sorted(self._load()[0], key=str.lower)

    def profiles(self) -> list[Profile]:
        """Every profile, in `names()` order."""
        profiles = self._load()[0]
        return [profiles[name] for name in sorted(profiles, key=str.lower)]

    def find(self, name: str) -> Profile | None:
        return self._load()[0].get(name.strip())

    def get(self, name: str) -> Profile:
        """The profile, or a StorageError naming the ones that exist."""
        profiles, _ = self._load()
        profile = profiles.get(name.strip())
        if profile is None and self.problem is not None:  # not "none saved yet": damaged
            raise StorageError(f"{self.damage}; no profile can be read from it")
        if profile is None:
            known = ", ".join(sorted(profiles, key=str.lower)) or "none saved yet"
            raise StorageError(f"no profile named {name.strip()!r} (profiles: {known})")
        return profile

    def save(self, profile: Profile) -> None:
        """Create or replace the profile of that name."""
        profiles, last = self._load()
        profiles[profile.name] = profile.model_copy(
            update={"endpoint": savable_endpoint(profile.endpoint)}
        )
        self._write(profiles, last)

    def rename(self, old: str, new: str) -> Profile:
        """Rename a profile (and move its key); the renamed profile."""
        profiles, last = self._load()
        old = old.strip()
        try:
            new = check_name(new)
        except ValueError as exc:
            raise StorageError(str(exc)) from None
        if old not in profiles:
            raise StorageError(f"no profile named {old!r}")
        if new != old and new in profiles:
            raise StorageError(f"a profile named {new!r} already exists")
        renamed = profiles.pop(old).model_copy(update={"name": new})
        profiles[new] = renamed
        self._write(profiles, new if last == old else last)
        if self.keys is not None and new != old:
            self.keys.rename(old, new)
        return renamed

    def delete(self, name: str) -> bool:
        """Delete a profile and its key; False when there was no such profile."""
        profiles, last = self._load()
        name = name.strip()
        if profiles.pop(name, None) is None:
            return False
        self._write(profiles, None if last == name else last)
        if self.keys is not None:
            self.keys.delete(name)
        return True

    @property
    def last_used(self) -> str | None:
        """The profile used last, if it still exists."""
        profiles, last = self._load()
        return last if last in profiles else None

    def set_last_used(self, name: str) -> None:
        profiles, last = self._load()
        name = name.strip()
        if name not in profiles:
            raise StorageError(f"no profile named {name!r}")
        if last != name:
            self._write(profiles, name)
