"""History query speed over 100,000 rows: one filtered page of 50, newest first.

    .venv/bin/python tests/bench/bench_history.py [--rows N] [--keep DIR]

Rows are realistic in size (a RevenueCat webhook event as input, track + identify
requests, a response) and are written straight into the schema with executemany, which
takes seconds instead of the minutes 100,000 `begin`/`finish` pairs would. Targets
every filtered page < 100 ms, every count < 200 ms. (The test suite checks,
without a clock, that each query reads the index that makes this so:
tests/unit/test_history_paging.py.)
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.storage import HistoryQuery, HistoryStore, Mode, NewEntry, Outcome, Status, StatusClass
from app.storage.grams import columns as signature_columns
from app.storage.rows import search_text, status_class_of, ts

EVENT_TYPES = ("initial_purchase", "renewal", "cancellation", "expiration", "trial_started")
STATUSES = (
    [Status.ACCEPTED] * 80 + [Status.PREVIEWED] * 12 + [Status.FAILED] * 5
    + [Status.SKIPPED] * 2 + [Status.INTERRUPTED]
)  # fmt: skip


def fill(path: Path, rows: int, users: int = 2_000) -> None:
    """Write `rows` history rows (oldest first, one a minute) into the store at `path`."""
    HistoryStore(path).close()  # schema
    start = datetime(2026, 1, 1, tzinfo=UTC)
    event = {"type": "RENEWAL", "app_user_id": "x", "attrs": "v" * 1_200}
    request = {
        "method": "POST",
        "url": "https://api.segment.io/v1/track",
        "headers": {"Authorization": "Basic ••••a1b2"},
        "body": {"p": "w" * 1_000},
    }
    main, payload, responses = [], [], []
    for i in range(1, rows + 1):
        kind = EVENT_TYPES[i % len(EVENT_TYPES)]
        status = STATUSES[i % len(STATUSES)]
        user, ids = f"user-{i % users:05d}", json.dumps([f"msg-{i:08d}-t", f"msg-{i:08d}-i"])
        search = search_text(user, kind, f"rc_{kind}_event", "us", ids, "")
        main.append((
            i, ts(start + timedelta(minutes=i)), ts(start + timedelta(minutes=i, seconds=1)),
            Mode.PREVIEW.value if status is Status.PREVIEWED else Mode.LIVE.value, "us",
            kind, f"rc_{kind}_event", user, status.value, status_class_of(status),
            200 if status is Status.ACCEPTED else None, 120.5, 1, ids, "a1b2",
            "" if status is not Status.FAILED else "http", "",
            search, *signature_columns(search),
        ))  # fmt: skip
        payload.append((i, json.dumps({**event, "id": i}), json.dumps([request, request])))
        responses.append((i, '[{"status": 200, "body": {"success": true}}]'))
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    # The store derives status_class, search and its signature itself (schemas 3 and 6):
    # so does this loader.
    conn.executemany(
        "INSERT INTO history (id, created_at, finished_at, mode, target, event_type, "
        "event_name, user_id, status, status_class, http_status, elapsed_ms, attempts, "
        "message_ids, key_fingerprint, error_kind, error, search, g0, g1, g2, g3) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        main,
    )
    conn.executemany(
        "INSERT INTO history_payload (id, input_json, requests_json) VALUES (?,?,?)", payload
    )
    conn.executemany("INSERT INTO history_response VALUES (?,?)", responses)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()


QUERIES: dict[str, HistoryQuery | None] = {
    "no filter": None,
    "user": HistoryQuery(user_id="user-01234"),
    "event type": HistoryQuery(event_type="renewal"),
    "status class error": HistoryQuery(status_class=StatusClass.ERROR),
    "status class unknown (rare)": HistoryQuery(status_class=StatusClass.UNKNOWN),
    "last 7 days": HistoryQuery(since=datetime(2026, 3, 1, tzinfo=UTC)),
    "text (common)": HistoryQuery(text="user-0"),
    "text (rare)": HistoryQuery(text="msg-00012345"),
    "text (no match)": HistoryQuery(text="nothing-like-this"),
    "user + event + error": HistoryQuery(
        user_id="user-00010", event_type="renewal", status_class=StatusClass.ERROR
    ),
}


def time_page(store: HistoryStore, query: HistoryQuery | None, offset: int, runs: int) -> float:
    """Median ms for one page of 50 rows."""
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        store.query(query, offset=offset, limit=50)
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def time_writes(store: HistoryStore, sends: int = 500) -> float:
    """Mean ms for the two commits a live send costs (begin before, finish after)."""
    entry = NewEntry(
        mode=Mode.LIVE, target="us", event_type="renewal", event_name="rc_renewal_event",
        user_id="bench-user", input={"pad": "v" * 1_500}, requests=[{"body": "w" * 2_000}],
        message_ids=["m1", "m2"], key_fingerprint="a1b2",
    )  # fmt: skip
    outcome = Outcome(status=Status.ACCEPTED, http_status=200, elapsed_ms=50.0, attempts=1)
    t0 = time.perf_counter()
    for _ in range(sends):
        store.finish(store.begin(entry), outcome)
    return (time.perf_counter() - t0) * 1000 / sends


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", metavar="DIR", help="build the DB in DIR and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.keep or tmp) / "history.sqlite3"
        path.unlink(missing_ok=True)
        t0 = time.perf_counter()
        fill(path, args.rows)
        size_mb = path.stat().st_size / 1e6
        print(f"filled {args.rows:,} rows in {time.perf_counter() - t0:.1f} s ({size_mb:.0f} MB)")
        worst = worst_count = 0.0
        with HistoryStore(path) as store:
            for label, query in QUERIES.items():
                first = time_page(store, query, 0, args.runs)
                deep = time_page(store, query, 1_000, args.runs)
                t0 = time.perf_counter()
                total = store.count(query)
                count_ms = (time.perf_counter() - t0) * 1000
                worst = max(worst, first, deep)
                worst_count = max(worst_count, count_ms)
                print(f"{label:30} page 1: {first:6.2f} ms   page 21: {deep:6.2f} ms   "
                      f"count: {count_ms:6.2f} ms ({total:,} rows)")  # fmt: skip
            write_ms = time_writes(store)
        print(f"begin + finish of one live send (WAL, synchronous=NORMAL): {write_ms:.3f} ms")
        ok = worst < 100 and worst_count < 200
        print(f"worst filtered page: {worst:.2f} ms (target < 100 ms), worst count: "
              f"{worst_count:.2f} ms (target < 200 ms): {'OK' if ok else 'TOO SLOW'}")  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
