"""The history database's schema, as a list of forward migrations.

The schema version is SQLite's `PRAGMA user_version`: 0 for a new file, then the number
of migrations applied. Each migration runs in its own transaction together with the
version bump, so a crash mid-upgrade leaves the previous version intact. Never edit a
released migration; append a new one (vorta's `store/migrations.py` habit).

Timestamps are ISO-8601 UTC text with microseconds and a "Z" (fixed width), so text order
is time order and the file stays readable in any SQLite shell.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from app.storage import grams
from app.storage.errors import StorageError

Migration = Callable[[sqlite3.Connection], None]


def _v1_history(conn: sqlite3.Connection) -> None:
    """The first schema: one row per send or preview.

    The JSON documents live in a side table keyed by the same id, so the main table
    stays narrow: filters, counts and text search scan a few hundred bytes per row,
    never the kilobytes of input and requests (which would spill onto overflow pages).
    """
    conn.execute(
        """
        CREATE TABLE history (
            id               INTEGER PRIMARY KEY,
            created_at       TEXT NOT NULL,
            finished_at      TEXT,
            mode             TEXT NOT NULL,
            target           TEXT NOT NULL,
            event_type       TEXT NOT NULL DEFAULT '',
            event_name       TEXT NOT NULL DEFAULT '',
            user_id          TEXT NOT NULL DEFAULT '',
            status           TEXT NOT NULL,
            http_status      INTEGER,
            elapsed_ms       REAL,
            attempts         INTEGER NOT NULL DEFAULT 0,
            message_ids      TEXT NOT NULL DEFAULT '[]',
            key_fingerprint  TEXT NOT NULL DEFAULT '',
            hand_edited      INTEGER NOT NULL DEFAULT 0,
            sandbox_override INTEGER NOT NULL DEFAULT 0,
            error            TEXT NOT NULL DEFAULT ''
        )
        """
    )
    conn.execute(
        """
        CREATE TABLE history_payload (
            id             INTEGER PRIMARY KEY REFERENCES history (id) ON DELETE CASCADE,
            input_json     TEXT NOT NULL DEFAULT 'null',
            requests_json  TEXT NOT NULL DEFAULT '[]',
            responses_json TEXT NOT NULL DEFAULT '[]'
        )
        """
    )
    conn.execute("CREATE INDEX history_created ON history (created_at)")


_STATUS_CLASS_SQL = """CASE new.status
    WHEN 'sending' THEN 'pending'
    WHEN 'accepted' THEN 'ok'
    WHEN 'previewed' THEN 'ok'
    WHEN 'failed' THEN 'error'
    WHEN 'skipped' THEN 'skipped'
    ELSE 'unknown' END"""

_SEARCH_SQL = """new.user_id || char(31) || new.event_type || char(31) || new.event_name
    || char(31) || new.target || char(31) || new.message_ids || char(31) || new.error"""


def _v2_recovery_and_filters(conn: sqlite3.Connection) -> None:
    """Who owns an in-flight row, the failure kind, and what fast filtering needs.

    `owner` names the process that wrote a "sending" row (see `app.storage.owner`), so
    opening the store from a second process no longer mistakes its sends for crashed
    ones. `status_class` and `search` are derived by triggers (one definition, whoever
    writes): a class filter becomes one ordered index walk, and text search one `LIKE`
    over a covering `(created_at, search)` index instead of six over the table.
    The mapping must match `app.storage.models.STATUS_CLASSES` (a test checks it).
    """
    for column in (
        "owner TEXT",
        "error_kind TEXT NOT NULL DEFAULT ''",
        "status_class TEXT NOT NULL DEFAULT ''",
        "search TEXT NOT NULL DEFAULT ''",
    ):
        conn.execute(f"ALTER TABLE history ADD COLUMN {column}")
    derive = f"""UPDATE history SET status_class = {_STATUS_CLASS_SQL},
        search = {_SEARCH_SQL} WHERE id = new.id;"""
    conn.execute(f"CREATE TRIGGER history_derive_insert AFTER INSERT ON history BEGIN {derive} END")
    conn.execute(
        "CREATE TRIGGER history_derive_update AFTER UPDATE OF status, user_id, event_type, "
        f"event_name, target, message_ids, error ON history BEGIN {derive} END"
    )
    backfill = f"UPDATE history SET status_class = {_STATUS_CLASS_SQL}, search = {_SEARCH_SQL}"
    conn.execute(backfill.replace("new.", ""))
    conn.execute("DROP INDEX history_created")
    conn.execute("CREATE INDEX history_time_search ON history (created_at, search)")
    conn.execute("CREATE INDEX history_user ON history (user_id, created_at)")
    conn.execute("CREATE INDEX history_event_type ON history (event_type, created_at)")
    conn.execute("CREATE INDEX history_event_name ON history (event_name, created_at)")
    conn.execute("CREATE INDEX history_status_class ON history (status_class, created_at)")


def _v3_cheaper_writes(conn: sqlite3.Connection) -> None:
    """Cheaper history writes: derived columns written by the store, responses apart.

    The triggers of migration 2 ran an extra UPDATE (and index rewrites) for every row
    inserted or finished, most of a row's SQL cost. The store now writes `status_class`
    and `search` itself, from one Python definition (`app.storage.rows`), on insert,
    finish and interrupt; the values already stored stay valid.

    Responses move to `history_response`: finishing a row inserts a small row there
    instead of rewriting its kilobytes of input and requests in `history_payload`. A
    row without one has no responses yet. Existing responses are copied over; the old
    `history_payload.responses_json` column is no longer read or written (dropping or
    clearing it would rewrite every payload row of a large history during the upgrade).
    """
    conn.execute("DROP TRIGGER history_derive_insert")
    conn.execute("DROP TRIGGER history_derive_update")
    conn.execute(
        """
        CREATE TABLE history_response (
            id             INTEGER PRIMARY KEY REFERENCES history (id) ON DELETE CASCADE,
            responses_json TEXT NOT NULL
        )
        """
    )
    conn.execute(
        "INSERT INTO history_response (id, responses_json) "
        "SELECT id, responses_json FROM history_payload WHERE responses_json != '[]'"
    )


def _v4_newest_first_index(conn: sqlite3.Connection) -> None:
    """Newest first without a sort: an index in exactly `ORDER BY created_at, id` order.

    Every list and page reads `ORDER BY created_at DESC, id DESC`. The `(created_at,
    search)` index of migration 2 orders by time but not by id within a timestamp, so
    SQLite sorted every matching row in a temporary B-tree before returning the first
    page. `(created_at, id, search)` walks in the page's order and still covers the text
    search, so it replaces that index (one index to keep up on every write, not two).
    """
    conn.execute("CREATE INDEX history_newest ON history (created_at, id, search)")
    conn.execute("DROP INDEX history_time_search")


def _v5_capture(conn: sqlite3.Connection) -> None:
    """What the capture receiver needs beyond a history row (modes "captured" and
    "webhook"; `app.storage.capture` writes and reads these tables).

    `capture_ids`: the distinct (userId, anonymousId) pairs of one captured call, and
    whose they are ("app": the app's own SDK; "revenuecat": messages RevenueCat's
    integration, or this tool on its behalf, sent). A /batch call of 2,500 messages is
    one history row (its body is the input) and a handful of rows here, which is what
    lets the receiver record tens of thousands of messages a second and the identity
    doctor find every id without reading the bodies again.

    `capture_webhook`: the RevenueCat `event.id` of each webhook row, indexed, so a
    redelivery of the same event (RevenueCat delivers at least once) is forwarded once,
    also across restarts.

    IF NOT EXISTS: a file rolled back to an earlier version number (a test does that
    to replay migration 4) may still hold these, and they need no rebuilding.
    """
    conn.execute(
        """
        CREATE TABLE IF NOT EXISTS capture_ids (
            id           INTEGER NOT NULL REFERENCES history (id) ON DELETE CASCADE,
            user_id      TEXT NOT NULL DEFAULT '',
            anonymous_id TEXT NOT NULL DEFAULT '',
            side         TEXT NOT NULL,
            messages     INTEGER NOT NULL DEFAULT 1
        )
        """
    )
    conn.execute("CREATE INDEX IF NOT EXISTS capture_ids_row ON capture_ids (id)")
    conn.execute(
        """
        CREATE TABLE IF NOT EXISTS capture_webhook (
            id       INTEGER PRIMARY KEY REFERENCES history (id) ON DELETE CASCADE,
            event_id TEXT NOT NULL
        )
        """
    )
    conn.execute("CREATE INDEX IF NOT EXISTS capture_webhook_event ON capture_webhook (event_id)")
    conn.execute("CREATE INDEX IF NOT EXISTS history_mode ON history (mode, created_at)")


def _v6_search_signature(conn: sqlite3.Connection) -> None:
    """Text search that skips most rows unread: each row's trigram signature (`g0` to
    `g3`; `app.storage.grams`), in the covering newest-first index with `search`.

    The `(created_at, id, g0, g1, g2, g3, search)` index replaces migration 4's `(created_at,
    id, search)`: it still walks in the page's order and covers the text search, and the
    signature test on the four integers refuses most entries before the `LIKE` reads
    their text. The columns default to `grams.UNKNOWN` (every bit set), so a row some
    other writer adds without a signature is always a candidate, never missed.

    Existing rows are backfilled here, 2,000 at a time in id order (memory stays flat
    on a large history: 37 MiB peak; 2.6 s for 100,000 rows, measured once, on a 2-core
    machine).
    """
    for column in grams.COLUMNS:
        conn.execute(
            f"ALTER TABLE history ADD COLUMN {column} INTEGER NOT NULL DEFAULT {grams.UNKNOWN}"
        )
    last = 0
    while rows := conn.execute(
        "SELECT id, search FROM history WHERE id > ? ORDER BY id LIMIT 2000", (last,)
    ).fetchall():
        conn.executemany(
            "UPDATE history SET g0 = ?, g1 = ?, g2 = ?, g3 = ? WHERE id = ?",
            [(*grams.columns(search), row_id) for row_id, search in rows],
        )
        last = rows[-1][0]
    conn.execute(
        "CREATE INDEX history_newest_grams ON history (created_at, id, g0, g1, g2, g3, search)"
    )
    conn.execute("DROP INDEX history_newest")


#: Migration N+1 upgrades a database at version N. Append only.
MIGRATIONS: tuple[Migration, ...] = (
    _v1_history,
    _v2_recovery_and_filters,
    _v3_cheaper_writes,
    _v4_newest_first_index,
    _v5_capture,
    _v6_search_signature,
)

SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(conn: sqlite3.Connection) -> int:
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    return version


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Bring the database up to `target`; returns the number of migrations applied.

    `conn` must be in autocommit mode (`isolation_level=None`). A database from a newer
    version of the app is refused rather than guessed at.
    """
    applied = 0
    while True:
        # Read the version inside the write transaction: another process opening the
        # same new file at the same moment must not run a migration twice.
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = schema_version(conn)
            if current > SCHEMA_VERSION:
                raise StorageError(
                    f"the history database is schema version {current}, newer than this "
                    f"app understands ({SCHEMA_VERSION}); upgrade the app or use another "
                    "--data-dir"
                )
            if current >= min(target, SCHEMA_VERSION):
                conn.execute("COMMIT")
                return applied
            MIGRATIONS[current](conn)
            conn.execute(f"PRAGMA user_version = {current + 1}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        applied += 1
