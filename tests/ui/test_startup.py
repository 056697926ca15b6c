"""Start-up puts only what the first usable window needs on its critical path."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_ready_window_has_not_loaded_httpx_keyring_or_asyncio(tmp_path: Path) -> None:
    """`--report-first-paint` prints "ready" followed by any of httpx, keyring, asyncio
    and qasync that were imported before the window was usable (they load right after)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHON_KEYRING_BACKEND", None)
    done = subprocess.run(
        [sys.executable, "-m", "app", "gui", "--smoke", "--report-first-paint",
         "--data-dir", str(tmp_path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[:2] == ["first-paint", "ready"]
