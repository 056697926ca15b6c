"""A data directory that really cannot be written: a read-only bind mount of it, in a
mount namespace of the command's own (`unshare -m`), so it holds for root too (chmod does
not stop root) and only that command sees it. Needs the rights to make a mount
namespace; `available()` says whether this machine gives them."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.support.cli import ROOT

_MOUNT = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'


@functools.cache
def available() -> bool:
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        return False
    probe = Path(f"/tmp/ro-probe-{os.getpid()}")
    probe.mkdir(exist_ok=True)
    try:
        done = subprocess.run(
            ["unshare", "-m", "sh", "-c", _MOUNT, str(probe), "sh", "-c", f": > '{probe}/x'"],
            capture_output=True, text=True, timeout=30,
        )  # fmt: skip
        return done.returncode != 0 and "Read-only file system" in done.stderr
    finally:
        shutil.rmtree(probe, ignore_errors=True)


def app(directory: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m app ARGS --data-dir DIRECTORY` with DIRECTORY mounted read-only."""
    env = {k: v for k, v in os.environ.items() if k not in ("RC_SEGMENT_TESTER_HOME",)}
    return subprocess.run(
        ["unshare", "-m", "sh", "-c", _MOUNT, str(directory),
         sys.executable, "-m", "app", *args, "--data-dir", str(directory)],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
    )  # fmt: skip
