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


#: Runs each argv of a JSON list in this one process (`app.cli.run`) and prints a JSON list
#: of [exit code, stdout, stderr]: one interpreter start for many commands.
_DRIVER = """
import io, json, sys
from app.cli import run
results = []
for argv in json.loads(sys.argv[1]):
    out, err = io.BytesIO(), io.BytesIO()
    sys.stdout = io.TextIOWrapper(out, encoding="utf-8", newline="")
    sys.stderr = io.TextIOWrapper(err, encoding="utf-8", newline="")
    sys.stdin = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    try:
        code = run(argv)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 2
    sys.stdout.flush()
    sys.stderr.flush()
    results.append([code, out.getvalue().decode(), err.getvalue().decode()])
sys.__stdout__.write(json.dumps(results))
"""


def apps(directory: Path, *commands: tuple[str, ...]) -> list[subprocess.CompletedProcess[str]]:
    """`app(directory, *argv)` for each argv, all in one process under one read-only mount
    (the commands run as `app.cli.run`, one after another, as the in-process tests do)."""
    import json

    env = {k: v for k, v in os.environ.items() if k not in ("RC_SEGMENT_TESTER_HOME",)}
    argvs = [[*argv, "--data-dir", str(directory)] for argv in commands]
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", _MOUNT, str(directory),
         sys.executable, "-c", _DRIVER, json.dumps(argvs)],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return [
        subprocess.CompletedProcess(argv, code, out, err)
        for argv, (code, out, err) in zip(argvs, json.loads(done.stdout), strict=True)
    ]
