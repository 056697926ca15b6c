"""Fixtures for end-to-end tests: a real Segment-like server on 127.0.0.1, and the CLI.

`segment_server` is a started `tests.support.segment_server.SegmentServer`, stopped after
the test. `cli(*argv, stdin=, env=)` runs `python -m app ARGV…` in-process
(`tests.support.cli.InProcessCli`); `send(*args, data_dir=, key=KEY, env=)` is
`cli("send", *args, "--data-dir", data_dir)` with SEGMENT_WRITE_KEY=key (None: unset).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from tests.support.cli import InProcessCli, Result
from tests.support.segment_server import SegmentServer
from tests.support.webhooks import KEY


@pytest.fixture
def segment_server() -> Iterator[SegmentServer]:
    with SegmentServer() as server:
        yield server


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> InProcessCli:
    return InProcessCli(capsys, monkeypatch)


@pytest.fixture
def send(cli: InProcessCli) -> Callable[..., Result]:
    def send(
        *args: str, data_dir: Path, key: str | None = KEY, env: Mapping[str, str] | None = None
    ) -> Result:
        environ = {} if key is None else {"SEGMENT_WRITE_KEY": key}
        environ.update(env or {})
        return cli("send", *args, "--data-dir", str(data_dir), env=environ)

    return send
