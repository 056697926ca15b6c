"""Helpers for the capture receiver's tests: a running server and its items.

`running(tmp_path, ...)` starts a real `CaptureServer` on 127.0.0.1 port 0 and stops it
after the block; `Items.wait_for(n)` blocks (bounded, on a condition, never a sleep)
until n items were recorded and published; `Items.wait_until(done, what)` until
`done(items)` holds.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from app.capture import CaptureConfig, CaptureServer, Limits, LiveItem

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "revenuecat-webhooks"


class Items:
    def __init__(self) -> None:
        self._lock = threading.Condition()
        self.items: list[LiveItem] = []

    def __call__(self, item: LiveItem) -> None:
        with self._lock:
            self.items.append(item)
            self._lock.notify_all()

    def wait_for(self, count: int, timeout: float = 20.0) -> list[LiveItem]:
        return self.wait_until(lambda items: len(items) >= count, f"{count} items", timeout)

    def wait_until(
        self, done: Callable[[list[LiveItem]], bool], what: str, timeout: float = 20.0
    ) -> list[LiveItem]:
        """The items once `done(items)` holds (checked on each new item)."""
        with self._lock:
            if not self._lock.wait_for(lambda: done(self.items), timeout):
                raise AssertionError(f"expected {what} within {timeout} s, got "
                                     f"{len(self.items)}: {self.items[-3:]}")  # fmt: skip
            return list(self.items)


@contextlib.contextmanager
def running(
    data_dir: Path, config: CaptureConfig | None = None, limits: Limits | None = None
) -> Iterator[tuple[CaptureServer, Items]]:
    server = CaptureServer(data_dir, config, limits)
    items = Items()
    server.subscribe(items)
    server.start("127.0.0.1", 0)
    try:
        yield server, items
    finally:
        server.stop()


def samples() -> dict[str, dict[str, Any]]:
    """RevenueCat's public sample webhooks by file stem ({} when absent)."""
    if not REFERENCE.is_dir():
        return {}
    return {p.stem: json.loads(p.read_text()) for p in sorted(REFERENCE.glob("*.json"))}
