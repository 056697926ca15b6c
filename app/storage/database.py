"""How the history talks to SQLite: the connection settings that make it crash-safe, one
committed transaction per write, and SQLite failures turned into one-line StorageErrors.

Autocommit (`isolation_level=None`, Python 3.11 has no `Connection.autocommit`) with an
explicit `BEGIN IMMEDIATE … COMMIT` per write; `journal_mode=WAL` persists in the file but
`synchronous` resets per connection, so both are set on every open (docs/qt-notes.md,
"SQLite"). `HistoryStore` (app.storage.history) owns what is stored; this module owns how.
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import ParamSpec, TypeVar

from app.storage.errors import StorageError
from app.storage.migrations import migrate

CHUNK = 500  # ids per `IN (...)`: well under SQLite's 32,766 parameter limit

P = ParamSpec("P")
R = TypeVar("R")


def guarded(action: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """SQLite failures (disk full, locked for more than 5 s, file damaged meanwhile)
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


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating) the history file, set it up for crash safety and migrate it."""
    try:
        # Autocommit (isolation_level=None): each write commits on its own; the
        # 5 s timeout makes a second process wait for the write lock, not fail.
        conn = sqlite3.connect(path, isolation_level=None, timeout=5.0)
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
