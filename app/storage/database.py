"""How the history talks to SQLite: the connection settings that make it crash-safe and
private, one committed transaction per write, SQLite failures turned into one-line
StorageErrors, a check for damaged pages and giving deleted rows' space back.

Autocommit (`isolation_level=None`, Python 3.11 has no `Connection.autocommit`) with an
explicit `BEGIN IMMEDIATE … COMMIT` per write; `journal_mode=WAL` persists in the file but
`synchronous` resets per connection, so both are set on every open (docs/qt-notes.md,
"SQLite"). `HistoryStore` (app.storage.history) owns what is stored; this module owns how.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import ParamSpec, TypeVar

from app.storage.errors import StorageError
from app.storage.migrations import migrate

CHUNK = 500  # ids per `IN (...)`: well under SQLite's 32,766 parameter limit

P = ParamSpec("P")
R = TypeVar("R")


def guarded(action: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """SQLite failures (disk full, locked longer than the busy timeout, damaged meanwhile)
    become one-line StorageErrors that name the file and what was being done (the file
    is the `path` of the method's first argument, the store)."""

    def wrap(method: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(method)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return method(*args, **kwargs)
            except sqlite3.Error as exc:
                where = getattr(args[0], "path", "history")
                raise StorageError(f"{where}: cannot {action} ({exc})") from exc

        return guarded

    return wrap


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """One write transaction, taking the write lock up front; rolled back on any error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    """`ids` in lists of at most CHUNK, for `IN (...)` clauses."""
    for start in range(0, len(ids), CHUNK):
        yield [int(i) for i in ids[start : start + CHUNK]]


def make_private(path: Path) -> None:
    """The database (and so its -wal and -shm, which SQLite creates with the database's
    permissions) readable by its owner only, whatever the umask or the directory's mode:
    history holds user ids and payloads. An existing file is tightened, when it is ours."""
    try:
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    except OSError:
        return  # e.g. a read-only dir: opening it will say what is wrong
    for name in (path.name, f"{path.name}-wal", f"{path.name}-shm"):
        with contextlib.suppress(OSError):
            if stat.S_IMODE((path.parent / name).stat().st_mode) & 0o077:
                (path.parent / name).chmod(0o600)


#: Seconds a write waits for another process's write lock before it fails as "locked"
#: (read by `connect` on each call, so a test can make it short).
BUSY_TIMEOUT = 5.0


def connect(path: Path, busy_timeout: float | None = None) -> sqlite3.Connection:
    """An autocommit connection (each write commits on its own) in WAL mode, migrated.
    `busy_timeout` (default BUSY_TIMEOUT) makes a second process wait that long for the
    write lock, not fail."""
    make_private(path)
    timeout = BUSY_TIMEOUT if busy_timeout is None else busy_timeout
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=timeout)
    except sqlite3.Error as exc:
        raise StorageError(f"{path}: cannot open the history database ({exc})") from None
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")  # per connection, not per file
        conn.execute("PRAGMA foreign_keys=ON")  # payload rows go with their row
        migrate(conn)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StorageError(f"{path}: not a usable history database ({exc})") from None
    except BaseException:
        conn.close()
        raise
    return conn


#: Seconds `quick_check` may take (about 6 MB of history); a bigger file is checked
#: only as far as that, so a send never waits seconds for it.
CHECK_BUDGET = 0.25


def quick_check(conn: sqlite3.Connection, path: Path, budget: float = CHECK_BUDGET) -> None:
    """StorageError when SQLite finds damaged pages. SQLite only notices damage on the
    pages a statement touches, so without this a send could write new rows beside a
    damaged page and report success. Stops unfinished after `budget` seconds."""
    deadline = time.monotonic() + budget
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 20_000)
    try:
        found = [row[0] for row in conn.execute("PRAGMA quick_check(3)")]
    except sqlite3.OperationalError as exc:
        if "interrupted" not in str(exc):
            raise StorageError(f"{path}: cannot check the history database ({exc})") from None
        return  # out of time: not known to be damaged
    except sqlite3.DatabaseError as exc:
        found = [str(exc)]
    finally:
        conn.set_progress_handler(None, 0)
    if found != ["ok"]:
        lines = [ln for text in found for ln in text.splitlines() if not ln.startswith("***")]
        first = (lines or ["unreadable"])[0][:120]
        raise StorageError(
            f"{path}: the history database is damaged ({first}); move it aside "
            "or restore a copy (nothing was written to it)"
        )


def compact(conn: sqlite3.Connection) -> bool:
    """Shrink the file after rows were deleted: their pages otherwise stay in it for
    reuse and the disk space is not returned. VACUUM rewrites the file through the WAL;
    the TRUNCATE checkpoint copies it back and empties the WAL. False when another
    process had the file busy (the space is then reused by later sends instead)."""
    try:
        conn.execute("VACUUM")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            return False
        raise
    busy: int = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    return not busy
