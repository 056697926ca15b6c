"""Start-up puts only what the first usable window needs on its critical path."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_ready_window_has_not_loaded_what_it_does_not_show(tmp_path: Path) -> None:
    """`--report-first-paint` prints "ready" followed by any of httpx, keyring, asyncio,
    qasync and the hidden tabs' modules (Integration settings, identity, lifecycles) that
    were imported before the window was usable (they load right after)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHON_KEYRING_BACKEND", None)
    done = subprocess.run(
        [sys.executable, "-m", "app", "gui", "--smoke", "--report-first-paint",
         "--data-dir", str(tmp_path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[:2] == ["first-paint", "ready"]


def test_no_app_module_opts_into_a_pyside_feature() -> None:
    """app.ui.shell.feature_scan answers PySide6's per-import scan without reading the
    sources, which holds only while no module of the app selects a `__feature__`."""
    users = [p for p in (ROOT / "app").rglob("*.py") if "__feature__" in p.read_text("utf-8")]
    assert users == [ROOT / "app" / "ui" / "shell" / "feature_scan.py"]
