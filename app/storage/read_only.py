"""The history of a data directory that cannot be written: a read-only mount, a
colleague's folder, a backup. The read-only commands (`history list/show/export`,
`identity --report`) read it without writing anything; the others say it is read-only.

A normal open writes: it sets WAL mode, runs migrations and turns dead sends into
"interrupted" rows, and SQLite itself creates the `-wal` and `-shm` files beside the
database. In a read-only directory all of that fails, and SQLite's own words ("unable to
open database file") blame the file. Here the file is opened with `mode=ro` instead, at
the schema it already has.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import tempfile
import urllib.parse
from pathlib import Path

from app.storage.errors import StorageError
from app.storage.migrations import SCHEMA_VERSION, schema_version

_DENIED = (errno.EROFS, errno.EACCES, errno.EPERM)


def directory_read_only(directory: Path) -> bool:
    """Whether no file can be created in `directory`. Tried, not read from its mode: a
    read-only mount refuses even root, and root writes where the mode says no."""
    try:
        handle, name = tempfile.mkstemp(prefix=".write-test-", dir=directory)
    except OSError as exc:
        return exc.errno in _DENIED
    os.close(handle)
    with contextlib.suppress(OSError):
        os.unlink(name)
    return False


def read_only_message(directory: Path, problem: str) -> str:
    return f"{directory}: the data directory is read-only; {problem}"


def _open(path: Path, immutable: bool) -> tuple[sqlite3.Connection, int]:
    """The connection and the file's schema version (reading the header fails here if
    the file cannot be read)."""
    uri = f"file:{urllib.parse.quote(str(path))}?mode=ro" + ("&immutable=1" if immutable else "")
    conn = sqlite3.connect(uri, uri=True, isolation_level=None)
    try:
        return conn, schema_version(conn)
    except BaseException:
        conn.close()
        raise


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that reads the history at `path` and can write nothing.

    A database in WAL mode needs its `-shm` file even to be read; a clean close deletes
    it, and a read-only directory cannot have it made again. Then, and only when no
    `-wal` file holds rows not yet copied into the database, the file is opened as
    immutable (nothing can change it: its directory takes no files, so no write can
    begin)."""
    directory = path.parent
    if not path.exists():
        raise StorageError(read_only_message(directory, f"it holds no history ({path.name})"))
    try:
        try:
            conn, version = _open(path, immutable=False)
        except sqlite3.OperationalError:
            if Path(f"{path}-wal").exists():
                raise
            conn, version = _open(path, immutable=True)
    except sqlite3.Error as exc:
        raise StorageError(
            read_only_message(directory, f"its history cannot be read without writing ({exc})")
        ) from None
    if version != SCHEMA_VERSION:
        conn.close()
        newer = version > SCHEMA_VERSION
        raise StorageError(
            read_only_message(
                directory,
                f"its history is schema version {version}, which this app "
                + ("does not understand (it is newer); upgrade the app"
                   if newer else f"reads only after upgrading it to {SCHEMA_VERSION}, a write; "
                   "run once where the directory can be written, or copy it"),
            )
        )  # fmt: skip
    conn.execute("PRAGMA query_only=ON")  # belt and braces: no statement may write
    return conn
