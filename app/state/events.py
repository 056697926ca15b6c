"""A minimal observer: the state model tells its views what changed, without Qt.

Qt signals would tie the model to a QObject (and a QApplication in every unit test).
This is the same idea in a few lines: `connect` a callable, `emit` calls each one in
the order connected. The model never relies on a listener existing: views read the
model when they are built and only then connect, so nothing is lost to ordering.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Event:
    """A list of callbacks with `connect`/`emit`; `connect` returns a disconnector."""

    __slots__ = ("_callbacks",)

    def __init__(self) -> None:
        self._callbacks: list[Callable[..., Any]] = []

    def connect(self, callback: Callable[..., Any]) -> Callable[[], None]:
        self._callbacks.append(callback)

        def disconnect() -> None:
            if callback in self._callbacks:
                self._callbacks.remove(callback)

        return disconnect

    def emit(self, *args: Any) -> None:
        for callback in list(self._callbacks):
            callback(*args)
