"""History for the capture receiver: captured Segment calls and RevenueCat webhooks.

A captured call is one history row (mode "captured") whatever its size: the body as
received is its input, so a /batch of 2,500 messages costs one row and a few rows of
`capture_ids` instead of 2,500 indexed history rows (SQLite here manages ~25,000 indexed
history rows a second, the receiver has to keep up with twice that in messages).
Webhook rows (mode "webhook") are written by `SendService` through `HistoryStore`, the
same path as sends, plus one `capture_webhook` row naming the RevenueCat `event.id`.

`CaptureStore` keeps a `HistoryStore` (schema, recovery, the sends' write path) and a
second connection to the same file for the bulk inserts; both belong to the thread
that made the store. Nothing here ever receives a write key or an Authorization value:
only the key's fingerprint, as for sends, and the store's scrub still runs on bodies.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.storage import database
from app.storage.errors import StorageError
from app.storage.history import HistoryStore
from app.storage.models import Mode, NewEntry, Outcome, Status
from app.storage.read_only import connect_read_only
from app.storage.rows import MAIN_COLUMNS, new_row

#: Who sent a captured message: the app's own Segment SDK, or RevenueCat's integration
#: (recognised by its library name; this tool's sends carry the same one).
APP_SIDE = "app"
REVENUECAT_SIDE = "revenuecat"

#: Webhook rows whose event reached (or may have reached) Segment: a redelivery of the
#: same event.id is not forwarded again. Previews and skips sent nothing, so they do not
#: count.
_ATTEMPTED = (
    Status.SENDING.value,
    Status.ACCEPTED.value,
    Status.FAILED.value,
    Status.CANCELLED.value,
    Status.INTERRUPTED.value,
)

_INSERT_MAIN = (
    f"INSERT INTO history ({', '.join(MAIN_COLUMNS)}) VALUES ({', '.join('?' * len(MAIN_COLUMNS))})"
)
_INSERT_PAYLOAD = "INSERT INTO history_payload (id, input_json, requests_json) VALUES (?, ?, ?)"
_INSERT_RESPONSE = "INSERT INTO history_response (id, responses_json) VALUES (?, ?)"
_INSERT_IDS = (
    "INSERT INTO capture_ids (id, user_id, anonymous_id, side, messages) VALUES (?, ?, ?, ?, ?)"
)


@dataclass(frozen=True, slots=True)
class IdPair:
    """One distinct (userId, anonymousId) of a call, whose it is, and how many messages."""

    user_id: str
    anonymous_id: str
    side: str = APP_SIDE
    messages: int = 1


@dataclass(frozen=True, slots=True)
class CapturedCall:
    """A complete captured-call row: what came in, what was answered, the ids in it."""

    entry: NewEntry
    outcome: Outcome
    ids: tuple[IdPair, ...] = ()


@dataclass(frozen=True, slots=True)
class SeenUser:
    """A RevenueCat user the history knows, with its latest RevenueCat-side facts."""

    user_id: str
    input: Any  # the latest webhook / sent event JSON, or None (only captured messages)
    aliases: tuple[str, ...] = ()
    original_app_user_id: str | None = None


@dataclass(frozen=True, slots=True)
class AppIds:
    """An id pair the app's own SDK sent, and how often."""

    user_id: str
    anonymous_id: str
    messages: int


class CallWriter:
    """Writes captured-call rows over a connection of its own (the receiver's, on the
    server's loop; its auto-checkpoint can go to a `Checkpointer` thread).
    The file must exist at the current schema (open a `CaptureStore` first)."""

    def __init__(self, path: Path, *, autocheckpoint: bool = True, read_only: bool = False) -> None:
        self.path = path
        self._conn = connect_read_only(path) if read_only else database.connect(path)
        if not autocheckpoint:  # a `Checkpointer` does it, off this thread
            self._conn.execute("PRAGMA wal_autocheckpoint=0")

    def close(self) -> None:
        self._conn.close()

    @database.guarded("record captured calls")
    def record_calls(self, calls: Sequence[CapturedCall]) -> list[int]:
        """Store complete captured-call rows in one transaction; their ids, in order."""
        if not calls:
            return []
        conn = self._conn
        with database.transaction(conn):
            last: int = conn.execute("SELECT coalesce(max(id), 0) FROM history").fetchone()[0]
            ids = list(range(last + 1, last + 1 + len(calls)))
            rows = [new_row(i, c.entry, outcome=c.outcome) for i, c in zip(ids, calls, strict=True)]
            conn.executemany(_INSERT_MAIN, [main for main, _, _ in rows])
            conn.executemany(_INSERT_PAYLOAD, [payload for _, payload, _ in rows])
            conn.executemany(_INSERT_RESPONSE, [r for _, _, r in rows if r is not None])
            conn.executemany(
                _INSERT_IDS,
                [
                    (i, p.user_id, p.anonymous_id, p.side, p.messages)
                    for i, call in zip(ids, calls, strict=True)
                    for p in call.ids
                ],
            )
        return ids


class Checkpointer:
    """WAL checkpoints in a thread of their own, every `interval` seconds.

    A commit that crosses SQLite's auto-checkpoint size copies the log into the file and
    syncs it, tens of milliseconds on a busy disk, on whichever thread committed; on the
    receiver's thread that was its slowest answers. The receiver's writer turns its
    auto-checkpoint off and this thread does the work instead (PASSIVE: it never blocks
    a writer; SQLite releases the GIL meanwhile)."""

    def __init__(self, path: Path, interval: float = 1.0) -> None:
        self._path = path
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="capture-checkpoint", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            conn = database.connect(self._path)
        except StorageError:
            return  # the writer reports an unusable file; auto-checkpoints were off only
        with contextlib.closing(conn):
            while not self._stop.wait(self._interval):
                with contextlib.suppress(sqlite3.Error):  # busy: the next round will do
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
            with contextlib.suppress(sqlite3.Error):
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def close(self) -> None:
        self._stop.set()
        self._thread.join()


class CaptureStore(CallWriter):
    """The receiver's side of the history file at `<data_dir>/history.sqlite3`: the
    schema and the sends' write path (`history`), webhook event ids, the doctor's reads."""

    def __init__(self, data_dir: str | Path, *, read_only: bool = False) -> None:
        """`read_only`: for the doctor's reads in a directory that cannot be written."""
        self.history = HistoryStore.in_dir(data_dir, read_only=read_only)
        try:
            super().__init__(self.history.path, read_only=read_only)
        except StorageError:
            self.history.close()
            raise

    def close(self) -> None:
        super().close()
        self.history.close()

    def __enter__(self) -> CaptureStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @database.guarded("record the webhook's event id")
    def mark_webhook(self, row_ids: Sequence[int], event_id: str) -> None:
        """Name the RevenueCat event.id of webhook rows (for the once-per-event rule)."""
        with database.transaction(self._conn):
            self._conn.executemany(
                "INSERT OR REPLACE INTO capture_webhook (id, event_id) VALUES (?, ?)",
                [(int(i), event_id) for i in row_ids],
            )

    def forwarded_row(self, event_id: str) -> int | None:
        """The webhook row that already forwarded (or began forwarding) this event."""
        marks = ", ".join("?" * len(_ATTEMPTED))
        row = self._conn.execute(
            "SELECT h.id FROM capture_webhook w JOIN history h ON h.id = w.id "
            f"WHERE w.event_id = ? AND h.mode = ? AND h.status IN ({marks}) "
            "ORDER BY h.id LIMIT 1",
            (event_id, Mode.WEBHOOK.value, *_ATTEMPTED),
        ).fetchone()
        return None if row is None else int(row[0])

    # -- what the identity doctor reads ----------------------------------------------

    def app_ids(self) -> list[AppIds]:
        """Every id pair the app's own SDK sent, most messages first."""
        rows = self._conn.execute(
            "SELECT user_id, anonymous_id, sum(messages) FROM capture_ids WHERE side = ? "
            "GROUP BY user_id, anonymous_id ORDER BY sum(messages) DESC, user_id, anonymous_id",
            (APP_SIDE,),
        )
        return [AppIds(u, a, int(n)) for u, a, n in rows]

    def revenuecat_users(self) -> list[SeenUser]:
        """Every RevenueCat user seen: in webhooks, in the tool's own sends, or in
        captured messages RevenueCat's integration sent; with the latest event's JSON."""
        latest = self._conn.execute(
            "SELECT h.user_id, p.input_json FROM history h "
            "LEFT JOIN history_payload p ON p.id = h.id "
            "WHERE h.id IN (SELECT max(id) FROM history WHERE mode IN (?, ?) AND user_id != '' "
            "GROUP BY user_id) ORDER BY h.user_id",
            (Mode.WEBHOOK.value, Mode.LIVE.value),
        )
        users: dict[str, SeenUser] = {}
        for user_id, input_json in latest:
            users[user_id] = SeenUser(user_id, _loads(input_json))
        captured = self._conn.execute(
            "SELECT DISTINCT user_id FROM capture_ids WHERE side = ? AND user_id != ''",
            (REVENUECAT_SIDE,),
        )
        for (user_id,) in captured:
            if user_id not in users:
                users[user_id] = self._from_captured(user_id)
        return [users[k] for k in sorted(users)]

    def _from_captured(self, user_id: str) -> SeenUser:
        """A RevenueCat user known only from messages captured on the wire: the track's
        properties carry its aliases and original id."""
        row = self._conn.execute(
            "SELECT p.input_json FROM capture_ids c JOIN history_payload p ON p.id = c.id "
            "WHERE c.side = ? AND c.user_id = ? ORDER BY c.id DESC LIMIT 1",
            (REVENUECAT_SIDE, user_id),
        ).fetchone()
        body = _loads(row[0]) if row else None
        messages = body.get("batch", [body]) if isinstance(body, dict) else []
        for message in messages if isinstance(messages, list) else []:
            props = message.get("properties") if isinstance(message, dict) else None
            if isinstance(props, dict) and message.get("userId") == user_id:
                aliases = props.get("aliases")
                original = props.get("original_app_user_id")
                return SeenUser(
                    user_id,
                    None,
                    tuple(a for a in aliases if isinstance(a, str))
                    if isinstance(aliases, list)
                    else (),
                    original if isinstance(original, str) else None,
                )
        return SeenUser(user_id, None)


def _loads(text: str | None) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None
