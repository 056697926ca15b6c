"""Where files go: --data-dir, then RC_SEGMENT_TESTER_HOME, then platformdirs."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import platformdirs
import pytest

from app.storage import StorageError, config_dir, data_dir
from app.storage.paths import ENV_HOME


def test_override_beats_env_and_config_follows_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_HOME, str(tmp_path / "env"))
    chosen = tmp_path / "flag" / "nested"
    assert data_dir(chosen) == chosen and chosen.is_dir()
    assert config_dir(chosen) == chosen  # hermetic: nothing outside DIR
    assert data_dir() == tmp_path / "env" == config_dir()
    if sys.platform != "win32":
        assert stat.S_IMODE(chosen.stat().st_mode) == 0o700


def test_platform_dirs_without_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_HOME, "  ")  # blank counts as unset
    expected_data = Path(platformdirs.user_data_dir("rc-segment-tester", appauthor=False))
    expected_config = Path(platformdirs.user_config_dir("rc-segment-tester", appauthor=False))
    assert data_dir(None, create=False) == expected_data
    assert config_dir("", create=False) == expected_config


def test_tilde_is_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv(ENV_HOME, raising=False)
    assert data_dir("~/rcst", create=False) == tmp_path / "rcst"


def test_a_file_in_the_way_is_a_storage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StorageError, match="not a directory"):
        data_dir(blocker)
