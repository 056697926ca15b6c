"""`python -m app …` as tests run it.

`InProcessCli` calls `app.cli.run(argv)` in the test's own process, with stdout/stderr
captured by pytest's `capsys` and the environment and stdin set with `monkeypatch` for
that one call: no interpreter start-up per call, and coverage sees the commands.
`run_process` starts the real `python -m app` instead; it is kept for what only a real
process shows (the exit status of the process, that no traceback reaches the user,
signals). Both return something with `returncode`, `stdout` and `stderr`.

Each call starts from the test process's environment without SEGMENT_WRITE_KEY and
RC_SEGMENT_TESTER_HOME (so a developer's own settings never leak in), plus `env`.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_events"
#: Variables the CLI reads that a developer may have set: never inherited by a test.
UNSET = ("SEGMENT_WRITE_KEY", "RC_SEGMENT_TESTER_HOME")


class Outcome(Protocol):
    """What a CLI run left: a `Result` or a `subprocess.CompletedProcess`."""

    @property
    def returncode(self) -> int: ...
    @property
    def stdout(self) -> str: ...
    @property
    def stderr(self) -> str: ...


@dataclass(frozen=True)
class Result:
    """One in-process run: the exit code `python -m app` would exit with, and its output."""

    returncode: int
    stdout: str
    stderr: str


class InProcessCli:
    """`cli("render", path)`, `cli("render", "-", stdin=text)`, `cli(..., env={...})`.

    `stdin` as str is a replaced sys.stdin with no byte layer (read as text); as bytes it
    is a text stream over those bytes, so the command reads `sys.stdin.buffer` and
    decodes it itself, as in a real process."""

    def __init__(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
        self._capsys = capsys
        self._monkeypatch = monkeypatch

    def __call__(
        self, *argv: str, stdin: str | bytes = "", env: Mapping[str, str] | None = None
    ) -> Result:
        from app.cli import run

        self._capsys.readouterr()  # only this call's output is returned
        with self._monkeypatch.context() as patch:
            for name in UNSET:
                patch.delenv(name, raising=False)
            for name, value in (env or {}).items():
                patch.setenv(name, value)
            stream = (
                io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
                if isinstance(stdin, bytes)
                else io.StringIO(stdin)
            )
            patch.setattr(sys, "stdin", stream)  # not a tty, like a pipe
            code = run(list(argv))
        out, err = self._capsys.readouterr()
        return Result(code, out, err)


def run_process(
    *argv: str, stdin: str | None = None, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The real `python -m app ARGV…` in a subprocess (stdin: `stdin`, else empty)."""
    environ = {k: v for k, v in os.environ.items() if k not in UNSET}
    environ.update(env or {})
    feed: dict[str, Any] = {"input": stdin} if stdin is not None else {"stdin": subprocess.DEVNULL}
    return subprocess.run(
        [sys.executable, "-m", "app", *argv],
        capture_output=True, text=True, cwd=ROOT, timeout=120, env=environ, **feed,
    )  # fmt: skip


def write_events(path: Path, bodies: list[dict[str, Any]]) -> str:
    """NDJSON file of webhook bodies; returns its path as a CLI argument."""
    path.write_text("".join(json.dumps(b) + "\n" for b in bodies))
    return str(path)


def json_lines(outcome: Outcome) -> list[Any]:
    return [json.loads(line) for line in outcome.stdout.splitlines()]


def assert_one_clean_error(outcome: Outcome, *words: str) -> None:
    """Exit 2, nothing on stdout, one `error: …` line on stderr containing `words`."""
    assert outcome.returncode == 2, outcome.stderr
    assert outcome.stdout == ""
    assert outcome.stderr.startswith("error: ") and outcome.stderr.count("\n") == 1, outcome.stderr
    assert "Traceback" not in outcome.stderr
    for word in words:
        assert word in outcome.stderr
