"""The identity doctor's reader for the window: `diagnose` over the history, on a thread
of its own, so the window's paint never waits on SQLite. Apart from `app.capture.doctor`,
which stays pure (values in, verdicts out)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from app.capture.doctor import Diagnosis, diagnose
from app.storage.capture import CaptureStore


class DoctorReader:
    """`diagnose` over the history, off the caller's thread: the window asks it as
    traffic arrives without its paint waiting on SQLite. One thread of its own, so the
    store it opens (a store belongs to its thread) is reused for every reading."""

    def __init__(self, data_dir: str | Path) -> None:
        self._data_dir = Path(data_dir)
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="capture-doctor")
        self._store: CaptureStore | None = None

    def _read(self) -> list[Diagnosis]:
        if self._store is None:
            self._store = CaptureStore(self._data_dir)
        return diagnose(self._store.revenuecat_users(), self._store.app_ids())

    def _close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    async def read(self) -> list[Diagnosis]:
        """Raises StorageError when the history cannot be read."""
        return await asyncio.get_running_loop().run_in_executor(self._pool, self._read)

    async def aclose(self) -> None:
        await asyncio.get_running_loop().run_in_executor(self._pool, self._close)
        self._pool.shutdown(wait=True)
