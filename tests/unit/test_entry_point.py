"""`python -m app`'s process-wide choices, made before any command runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: What pydantic's plugin loader was asked for, seen from inside a real `python -m app`
#: process: the entry-point scan is replaced by a probe that records each call.
PROBE = """
import importlib.metadata, runpy, sys
calls = []
real = importlib.metadata.entry_points
importlib.metadata.entry_points = lambda **kw: calls.append(kw) or real(**kw)
sys.argv = ["app", *sys.argv[1:]]
try:
    runpy.run_module("app", run_name="__main__")
    code = 0
except SystemExit as exc:  # the command's own exit code, passed on
    code = exc.code
print("scans:", sum(1 for kw in calls if kw.get("group") == "pydantic"), file=sys.stderr)
sys.exit(code)
"""


def scans(env_value: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    if env_value is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = env_value
    event = ROOT / "sample_events" / "initial_purchase.revenuecat.json"
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, "render", str(event)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr  # the render itself succeeded
    return proc.stderr.strip().splitlines()[-1]


def test_pydantic_plugins_are_not_looked_for() -> None:
    """Rendering builds pydantic models; the app's process does not scan the installed
    packages for pydantic plugins while doing so."""
    assert scans(None) == "scans: 0"


def test_a_user_who_wants_pydantic_plugins_gets_the_scan() -> None:
    assert scans("") == "scans: 1"
