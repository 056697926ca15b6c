"""Which process owns an in-flight ("sending") history row, and whether it still lives.

A row is written before its request goes out. If the process dies, the row must become
"interrupted" the next time a store opens — but only then: `history list` run while the
GUI is sending must not mark the GUI's sends as crashed. So every writing store holds an
OS lock on a small file named after a random token, and stamps that token on the rows
it begins. The OS drops the lock when the process ends, however it ends (SIGKILL
included); a token whose file can be locked by someone else belongs to a dead writer.
PIDs are not used: they are reused, and probing one portably is awkward.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sys
from pathlib import Path
from typing import IO

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(handle: IO[bytes]) -> bool:
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

else:
    import fcntl

    def _try_lock(handle: IO[bytes]) -> bool:
        # flock (not lockf): its locks belong to the open file, so a second store in
        # the same process also sees the first one's lock as held.
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True


class OwnerLock:
    """This store's token, locked lazily on the first write (readers create no file)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.token = secrets.token_hex(8)
        self._handle: IO[bytes] | None = None

    def acquire(self) -> str:
        """Lock our token file (once) and return the token to stamp on rows."""
        if self._handle is None:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            path = self.directory / f"{self.token}.lock"
            handle = os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600), "wb")
            if not _try_lock(handle):  # pragma: no cover - a fresh random name
                handle.close()
                raise OSError(f"could not lock {path}")
            self._handle = handle
        return self.token

    def release(self) -> None:
        """Drop the lock and the file; rows still stamped with the token look orphaned."""
        if self._handle is not None:
            path = self.directory / f"{self.token}.lock"
            self._handle.close()
            self._handle = None
            with contextlib.suppress(OSError):
                path.unlink()

    def is_alive(self, token: str) -> bool:
        """Whether the store that wrote `token` is still running (ours always is)."""
        if token == self.token:
            return self._handle is not None
        return owner_alive(self.directory, token)


def owner_alive(directory: Path, token: str) -> bool:
    """True while some process holds the lock on `token`'s file.

    A missing file, or one we manage to lock, means the owner is gone; the file is then
    removed so lock files do not pile up after crashes.
    """
    if not token.isalnum():
        return False
    path = directory / f"{token}.lock"
    try:
        handle = path.open("rb+")
    except OSError:
        return False
    with handle:
        if not _try_lock(handle):
            return True
    with contextlib.suppress(OSError):
        os.unlink(path)
    return False
