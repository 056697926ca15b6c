"""Driving the window in tests: run coroutines in the test's qasync loop, wait on a
condition, delete a top-level widget now, point the window at a loopback Segment.

The `loop`, `services` and `window` fixtures are in tests/ui/conftest.py.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import shiboken6

if TYPE_CHECKING:
    from app.ui.shell.main_window import MainWindow

KEY = "wk9f3a7c2e4b1d8a6f0e5c3b2a1d4e7f"  # 32 letters/digits, like a real write key


def run(loop: asyncio.AbstractEventLoop, awaitable: Awaitable[Any], timeout: float = 20) -> Any:
    """Drive a coroutine to completion in the test's qasync loop (with a deadline)."""
    return loop.run_until_complete(asyncio.wait_for(awaitable, timeout))


async def until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Yield to the loop until `condition()` holds (a condition wait, not a fixed sleep)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.005)


def destroy(widget: Any) -> None:
    """Delete a top-level widget now, on this (the GUI) thread. Left to Python's garbage
    collector, it may be destroyed from another thread (the loopback server's) while its
    timers are live, which Qt reports as a warning that fails a later test."""
    shiboken6.delete(widget)
    gc.collect()
    # What survives a full collection here lives on (caches, session fixtures): frozen,
    # the next window's collection walks only what its test made (~10 ms → ~3 ms).
    gc.freeze()


def connect(win: MainWindow, base_url: str, key: str = KEY) -> None:
    """Point the window at a loopback Segment with a key, as a user would."""
    connection = win.workspace.connection  # type: ignore[union-attr]
    connection.region.setCurrentIndex(connection.region.findData("custom"))
    connection.endpoint.setText(base_url)
    connection.key.setText(key)
