"""The send history: one SQLite file, every send and preview, nothing lost, no key.

Durability rules (no send may go unrecorded, even if the process is killed): a live send
is written as "sending" *before* its request goes out (`begin`) and completed after
(`finish`); every write is its own committed transaction in WAL mode with
`synchronous=NORMAL` (`app.storage.database`, which also checks and compacts the file),
so killing the process at any moment leaves a file that opens cleanly with every
finished send in it. Rows a dead process
left "sending" become "interrupted" when a store next opens (see `app.storage.owner`
for how "dead" is decided, so a second process never steals a live send).

Threads: a store is one connection and belongs to the thread that made it. The GUI can
open a second `HistoryStore` on the same file in a worker thread for heavy queries.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from app.storage.database import chunks, compact, connect, guarded, quick_check, transaction
from app.storage.errors import StorageError
from app.storage.export import Exports
from app.storage.models import HistoryQuery, HistoryRow, NewEntry, Outcome, Status, utc_now
from app.storage.owner import OwnerLock
from app.storage.query import ORDER_NEWEST_FIRST, where
from app.storage.read_only import connect_read_only
from app.storage.rows import (
    COLUMNS,
    FROM_JOINED,
    MAIN_COLUMNS,
    SEARCH_RETURNING,
    SET_SEARCH,
    decode,
    new_row,
    outcome_values,
    stale_search,
    status_class_of,
    ts,
)
from app.storage.summaries import TableReads

#: The history file's name inside the data dir (`app.storage.paths.data_dir`).
HISTORY_FILENAME = "history.sqlite3"

INTERRUPTED_MESSAGE = (
    "the app stopped before this send finished; the request may or may not have "
    "reached Segment (check the Segment debugger)"
)

_INSERT_MAIN = (
    f"INSERT INTO history ({', '.join(MAIN_COLUMNS)}) VALUES ({', '.join('?' * len(MAIN_COLUMNS))})"
)
_INSERT_PAYLOAD = "INSERT INTO history_payload (id, input_json, requests_json) VALUES (?, ?, ?)"
_UPSERT_RESPONSE = "INSERT OR REPLACE INTO history_response (id, responses_json) VALUES (?, ?)"


class HistoryStore(TableReads, Exports):
    """History of sends and previews in one SQLite file (created on first use).

    `recovered` counts the rows this open turned from "sending" into "interrupted".
    `check` refuses a damaged file (`database.quick_check`; for sends);
    `busy_timeout` is how many seconds a write waits for another process's write lock
    (default `database.BUSY_TIMEOUT`).
    """

    def __init__(
        self, path: str | Path, *, recover: bool = True, check: bool = False,
        busy_timeout: float | None = None, read_only: bool = False,
    ) -> None:  # fmt: skip
        self.path = Path(path)
        self._owner = OwnerLock(self.path.parent / f"{self.path.name}.owners")
        if read_only:  # app.storage.read_only: reads only, nothing recovered
            self._conn = connect_read_only(self.path)
            self.recovered = 0
            return
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"{self.path.parent}: cannot create ({exc.strerror})") from None
        self._conn = connect(self.path, busy_timeout)
        try:
            if check:
                quick_check(self._conn, self.path)
            self.recovered = self.recover_interrupted() if recover else 0
        except BaseException:
            self._conn.close()
            raise

    @classmethod
    def in_dir(
        cls, data_dir: str | Path, *, recover: bool = True, check: bool = False,
        read_only: bool = False,
    ) -> Self:  # fmt: skip
        """The store at `<data_dir>/history.sqlite3`."""
        path = Path(data_dir) / HISTORY_FILENAME
        return cls(path, recover=recover, check=check, read_only=read_only)

    # -- lifecycle --------------------------------------------------------------------

    def close(self) -> None:
        """Mark this store's unfinished sends interrupted, release the lock, close."""
        with contextlib.suppress(sqlite3.Error):
            if self._owner.is_alive(self._owner.token):
                self._interrupt(self._owner.token)
        self._owner.release()
        self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:  # fmt: skip
        self.close()

    @guarded("recover interrupted sends")
    def recover_interrupted(self) -> int:
        """Turn "sending" rows of dead processes into "interrupted"; returns how many."""
        owners = [r[0] for r in self._conn.execute(
            "SELECT DISTINCT owner FROM history WHERE status_class = 'pending'"
        )]  # fmt: skip
        return sum(self._interrupt(o) for o in owners if o is None or not self._owner.is_alive(o))

    def _interrupt(self, owner: str | None) -> int:
        with transaction(self._conn):
            rows = self._conn.execute(
                "UPDATE history SET status = ?, status_class = ?, finished_at = ?, "
                "error_kind = 'interrupted', error = ? WHERE status = ? AND owner IS ? "
                f"RETURNING {SEARCH_RETURNING}",
                (Status.INTERRUPTED.value, status_class_of(Status.INTERRUPTED),
                 ts(utc_now()), INTERRUPTED_MESSAGE, Status.SENDING.value, owner),
            ).fetchall()  # fmt: skip
            self._conn.executemany(SET_SEARCH, stale_search(rows))
        return len(rows)

    # -- writing ----------------------------------------------------------------------

    def _insert(
        self, entries: Sequence[NewEntry], *, owner: str | None = None,
        outcome: Outcome | None = None,
    ) -> list[int]:  # fmt: skip
        """Insert rows (inside a write transaction); their ids.

        The ids are assigned here, as SQLite would (max + 1: no AUTOINCREMENT), so that
        a batch of rows is three prepared `executemany`s instead of a statement per row;
        the write lock `BEGIN IMMEDIATE` took keeps anyone else from taking them.
        """
        last: int = self._conn.execute("SELECT coalesce(max(id), 0) FROM history").fetchone()[0]
        ids = list(range(last + 1, last + 1 + len(entries)))
        rows = [
            new_row(i, e, owner=owner, outcome=outcome) for i, e in zip(ids, entries, strict=True)
        ]
        self._conn.executemany(_INSERT_MAIN, [main for main, _, _ in rows])
        self._conn.executemany(_INSERT_PAYLOAD, [payload for _, payload, _ in rows])
        self._conn.executemany(_UPSERT_RESPONSE, [r for _, _, r in rows if r is not None])
        return ids

    def begin(self, entry: NewEntry) -> int:
        """Record a live send as "sending", committed, *before* it goes out; its row id."""
        return self.begin_many([entry])[0]

    @guarded("record the send")
    def begin_many(self, entries: Sequence[NewEntry]) -> list[int]:
        """`begin` for several entries (e.g. the events of one batch request), one commit."""
        try:
            token = self._owner.acquire()
        except OSError as exc:
            raise StorageError(
                f"{self._owner.directory}: cannot create the send lock ({exc.strerror or exc})"
            ) from None
        with transaction(self._conn):
            return self._insert(entries, owner=token)

    def finish(self, row_id: int, outcome: Outcome) -> bool:
        """Complete a "sending" row. False when it is gone or no longer in progress
        (the user deleted it meanwhile): a send must not fail over its history."""
        return self.finish_many([row_id], outcome) == 1

    @guarded("record the outcome")
    def finish_many(self, row_ids: Sequence[int], outcome: Outcome) -> int:
        """Complete several "sending" rows with one outcome; how many were updated.

        One UPDATE per 500 ids; `search` is rewritten only for rows whose error or
        messageIds changed it (an accepted send leaves it, and its index entry, alone).
        """
        main, payload, responses = outcome_values(outcome, utc_now())
        main_sets = ", ".join(f"{name} = ?" for name in main) + ", owner = NULL"
        updated = 0
        with transaction(self._conn):
            for chunk in chunks(row_ids):
                marks = ", ".join("?" * len(chunk))
                rows = self._conn.execute(
                    f"UPDATE history SET {main_sets} WHERE status = ? AND id IN ({marks}) "
                    f"RETURNING {SEARCH_RETURNING}",
                    [*main.values(), Status.SENDING.value, *chunk],
                ).fetchall()
                done = [row[0] for row in rows]
                self._conn.executemany(SET_SEARCH, stale_search(rows))
                if done and payload:
                    payload_sets = ", ".join(f"{name} = ?" for name in payload)
                    self._conn.execute(
                        f"UPDATE history_payload SET {payload_sets} "
                        f"WHERE id IN ({', '.join('?' * len(done))})",
                        [*payload.values(), *done],
                    )
                if responses is not None:
                    self._conn.executemany(_UPSERT_RESPONSE, [(i, responses) for i in done])
                updated += len(done)
        return updated

    def record(self, entry: NewEntry, outcome: Outcome) -> int:
        """Store a row that is complete at once (preview, skip, refused before sending)."""
        return self.record_many([(entry, outcome)])[0]

    @guarded("record the send")
    def record_many(self, rows: Sequence[tuple[NewEntry, Outcome]]) -> list[int]:
        """`record` for several rows (the events of one /batch preview), one commit."""
        with transaction(self._conn):
            return [self._insert([entry], outcome=outcome)[0] for entry, outcome in rows]

    # -- reading ----------------------------------------------------------------------

    @guarded("read the history")
    def get(self, row_id: int) -> HistoryRow | None:
        row = self._conn.execute(
            f"SELECT {COLUMNS} FROM {FROM_JOINED} WHERE h.id = ?", (row_id,)
        ).fetchone()
        return None if row is None else decode(row)

    @guarded("read the history")
    def query(
        self, query: HistoryQuery | None = None, *, offset: int = 0, limit: int = 50
    ) -> list[HistoryRow]:
        """One page of matching rows, newest first."""
        clause, params = where(query)
        rows = self._conn.execute(
            f"SELECT {COLUMNS} FROM {FROM_JOINED}{clause} {ORDER_NEWEST_FIRST} LIMIT ? OFFSET ?",
            [*params, max(limit, 0), max(offset, 0)],
        )
        return [decode(r) for r in rows]

    @guarded("read the history")
    def count(self, query: HistoryQuery | None = None, *, cap: int | None = None) -> int:
        """How many rows match; with `cap`, at most `cap` (counting stops there, so "of
        10,000+" costs the same on a history of a million rows)."""
        clause, params = where(query)
        if cap is None:
            sql = f"SELECT count(*) FROM history h{clause}"
        else:
            sql = f"SELECT count(*) FROM (SELECT 1 FROM history h{clause} LIMIT ?)"
            params = [*params, max(cap, 0)]
        total: int = self._conn.execute(sql, params).fetchone()[0]
        return total

    def iter_rows(
        self, query: HistoryQuery | None = None, *, offset: int = 0, limit: int | None = None
    ) -> Iterator[HistoryRow]:
        """Matching rows, newest first, decoded one at a time as they are read (exports,
        `history list`): memory does not grow with the number of rows. A storage problem
        met while reading is a StorageError, as from the other methods."""
        clause, params = where(query)
        page = "" if limit is None and not offset else " LIMIT ? OFFSET ?"
        if page:
            params = [*params, -1 if limit is None else max(limit, 0), max(offset, 0)]
        cursor = self._conn.cursor()
        rows = self._fetch(cursor, f"SELECT {COLUMNS} FROM {FROM_JOINED}{clause} "
                           f"{ORDER_NEWEST_FIRST}{page}", params)  # fmt: skip
        while rows:
            yield from map(decode, rows)
            rows = self._fetch(cursor)

    @guarded("read the history")
    def _fetch(self, cursor: sqlite3.Cursor, sql: str = "", params: Sequence[object] = ()) -> Any:
        if sql:
            cursor.execute(sql, params)
        return cursor.fetchmany(100)

    @guarded("read the history")
    def user_timeline(
        self, user_id: str, *, live_only: bool = False, limit: int = 1000
    ) -> list[HistoryRow]:
        """The rows for one userId in time order, oldest first (the last `limit`)."""
        mode = " AND h.mode = 'live'" if live_only else ""
        rows = self._conn.execute(
            f"SELECT * FROM (SELECT {COLUMNS} FROM {FROM_JOINED} WHERE h.user_id = ?{mode} "
            f"{ORDER_NEWEST_FIRST} LIMIT ?) ORDER BY created_at, id",
            (user_id, limit),
        )
        return [decode(r) for r in rows]

    # -- deleting ---------------------------------------------------------------------

    @guarded("delete rows")
    def delete(self, row_ids: Iterable[int]) -> int:
        """Delete rows by id; how many existed."""
        deleted = 0
        with transaction(self._conn):
            for chunk in chunks(list(row_ids)):
                cursor = self._conn.execute(
                    f"DELETE FROM history WHERE id IN ({', '.join('?' * len(chunk))})", chunk
                )
                deleted += cursor.rowcount
        return deleted

    @guarded("prune the history")
    def prune(
        self, *, older_than: timedelta | None = None, keep_last: int | None = None,
        now: datetime | None = None, dry_run: bool = False,
    ) -> int:  # fmt: skip
        """Delete finished rows older than `older_than` and outside the newest
        `keep_last` (each condition applies when given; at least one is required);
        how many. Rows still "sending" are never pruned. `dry_run` only counts them
        (for "delete 1,234 rows?")."""
        if older_than is None and keep_last is None:
            raise ValueError("prune needs older_than, keep_last or both")
        condition = "status != ?"
        params: list[object] = [Status.SENDING.value]
        if older_than is not None:
            condition += " AND created_at < ?"
            params.append(ts((now or utc_now()) - older_than))
        if keep_last is not None:
            condition += f" AND id NOT IN (SELECT h.id FROM history h {ORDER_NEWEST_FIRST} LIMIT ?)"
            params.append(max(keep_last, 0))
        if dry_run:
            found: int = self._conn.execute(
                f"SELECT count(*) FROM history WHERE {condition}", params
            ).fetchone()[0]
            return found
        return self._conn.execute(f"DELETE FROM history WHERE {condition}", params).rowcount

    @guarded("give the freed space back")
    def compact(self) -> bool:
        """Shrink the file after a prune; False when another process had it busy."""
        return compact(self._conn)

    @guarded("clear the history")
    def clear(self) -> int:
        """Delete every finished row (in-flight "sending" rows stay until finished)."""
        return self._conn.execute(
            "DELETE FROM history WHERE status != ?", (Status.SENDING.value,)
        ).rowcount

    # -- export -----------------------------------------------------------------------
