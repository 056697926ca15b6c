"""Where the app keeps its files: history (data dir) and profiles/secrets (config dir).

Precedence: an explicit override (`--data-dir DIR`), then the environment variable
`RC_SEGMENT_TESTER_HOME`, then the platform's user dirs (platformdirs). When the data dir
is overridden, the config dir is that same directory: a test, a CI job or a second
"installation" given one directory then touches nothing outside it (no profiles or
key file leaking in from, or out to, the real user config).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from app.storage.errors import StorageError

APP_NAME = "rc-segment-tester"
ENV_HOME = "RC_SEGMENT_TESTER_HOME"


def _override(override: str | Path | None) -> Path | None:
    if override is not None and str(override).strip():
        return Path(override).expanduser()
    env = os.environ.get(ENV_HOME, "").strip()
    return Path(env).expanduser() if env else None


def _ensure(path: Path, create: bool) -> Path:
    if create:
        try:
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
        except FileExistsError:
            raise StorageError(f"{path}: exists and is not a directory") from None
        except OSError as exc:
            raise StorageError(f"{path}: cannot create the directory ({exc.strerror})") from None
    return path


def data_dir(override: str | Path | None = None, *, create: bool = True) -> Path:
    """The directory for history.sqlite3 (created, mode 0700, unless `create=False`)."""
    path = _override(override) or Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return _ensure(path, create)


def config_dir(override: str | Path | None = None, *, create: bool = True) -> Path:
    """The directory for profiles.json and the opt-in key file; see the module docstring."""
    path = _override(override) or Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
    return _ensure(path, create)
