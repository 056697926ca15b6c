"""Where the window keeps its own state (geometry, splitters, last profile, last type).

A QSettings INI file in the app's config dir, never Qt's default (the user's global
~/.config/<org>): `--data-dir` and RC_SEGMENT_TESTER_HOME must keep tests and CI runs
hermetic. The precedence copies `app.storage.paths.config_dir` (a unit test checks they
agree) because importing storage pulls in the engine, which the first paint must not wait
for.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

APP_NAME = "rc-segment-tester"
ENV_HOME = "RC_SEGMENT_TESTER_HOME"
FILENAME = "ui.ini"


def ui_config_dir(override: str | Path | None) -> Path:
    """Same answer as `app.storage.paths.config_dir(override)`, without creating it."""
    if override is not None and str(override).strip():
        return Path(override).expanduser()
    env = os.environ.get(ENV_HOME, "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


class UiSettingsError(Exception):
    """The config dir cannot be used (e.g. --data-dir names a file)."""


def open_ui_settings(override: str | Path | None) -> QSettings:
    directory = ui_config_dir(override)
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    except FileExistsError:
        raise UiSettingsError(f"{directory}: exists and is not a directory") from None
    except OSError as exc:
        raise UiSettingsError(
            f"{directory}: cannot create the directory ({exc.strerror})"
        ) from None
    return QSettings(str(directory / FILENAME), QSettings.Format.IniFormat)
