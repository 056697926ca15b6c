"""`python -m app send` as a real process, for tests that need one (a crash, a full disk,
a server echoing secrets): the key in $SEGMENT_WRITE_KEY, the data in a temp dir."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.support.cli import ROOT
from tests.support.webhooks import KEY


def send(
    *args: str, data_dir: Path, key: str | None = KEY, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "SEGMENT_WRITE_KEY"}
    environ.pop("RC_SEGMENT_TESTER_HOME", None)
    if key is not None:
        environ["SEGMENT_WRITE_KEY"] = key
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "app", "send", *args, "--data-dir", str(data_dir)],
        capture_output=True, text=True, cwd=ROOT, timeout=120, env=environ,
    )  # fmt: skip


def lines(proc: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    return [json.loads(line) for line in proc.stdout.splitlines()]
