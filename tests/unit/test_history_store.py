"""HistoryStore on real SQLite files: writes, recovery, filters, deletes, exports."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.core.redact import basic_auth_token, key_fingerprint
from app.storage import (
    HistoryQuery,
    HistoryStore,
    Mode,
    NewEntry,
    Outcome,
    Status,
    StatusClass,
    StorageError,
)
from app.storage.models import STATUS_CLASSES

KEY = "wk_test_9f8e7d6c5b4a39281706ZZa1b2"
T0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def entry(**changes: object) -> NewEntry:
    base: dict[str, object] = {
        "mode": Mode.LIVE,
        "target": "us",
        "event_type": "renewal",
        "event_name": "rc_renewal_event",
        "user_id": "user-1",
        "input": {"event": {"type": "RENEWAL", "app_user_id": "user-1"}},
        "requests": [{"method": "POST", "url": "https://api.segment.io/v1/track",
                      "headers": {"Authorization": "Basic ••••a1b2"}, "body": {"type": "track"}}],
        "message_ids": ["m-1", "m-2"],
        "key_fingerprint": key_fingerprint(KEY),
        "created_at": T0,
    }  # fmt: skip
    base.update(changes)
    return NewEntry.model_validate(base)


ACCEPTED = Outcome(
    status=Status.ACCEPTED, http_status=200, elapsed_ms=41.5, attempts=2,
    responses=[{"status": 200, "body": {"success": True}}],
)  # fmt: skip


@pytest.fixture
def store(tmp_path: Path) -> HistoryStore:
    s = HistoryStore(tmp_path / "history.sqlite3")
    yield s  # type: ignore[misc]
    s.close()


def test_begin_is_committed_before_finish_and_finish_completes(
    store: HistoryStore, tmp_path: Path
) -> None:
    row_id = store.begin(entry())
    # Another connection sees the "sending" row at once: it was committed, not buffered.
    with sqlite3.connect(tmp_path / "history.sqlite3") as other:
        assert other.execute("SELECT status FROM history WHERE id = ?", (row_id,)).fetchone() == (
            "sending",
        )
    assert store.finish(row_id, ACCEPTED) is True
    row = store.get(row_id)
    assert row is not None
    assert (row.status, row.status_class, row.http_status, row.attempts) == (
        Status.ACCEPTED, StatusClass.OK, 200, 2,
    )  # fmt: skip
    assert row.message_ids == ["m-1", "m-2"]
    assert row.responses == [{"status": 200, "body": {"success": True}}]
    assert row.input == {"event": {"type": "RENEWAL", "app_user_id": "user-1"}}
    assert row.key_fingerprint == "a1b2" and row.finished_at is not None
    assert row.created_at == T0


def test_finish_only_completes_rows_in_progress(store: HistoryStore) -> None:
    row_id = store.begin(entry())
    assert store.finish(row_id, ACCEPTED)
    assert store.finish(row_id, Outcome(status=Status.FAILED)) is False
    assert store.get(row_id).status is Status.ACCEPTED  # type: ignore[union-attr]
    gone = store.begin(entry())
    store.delete([gone])
    assert store.finish(gone, ACCEPTED) is False


def test_finish_many_and_replaced_requests(store: HistoryStore) -> None:
    ids = store.begin_many([entry(user_id=f"u{i}") for i in range(3)])
    sent = [{"method": "POST", "body": {"sentAt": "2026-05-01T12:00:01.000Z"}}]
    assert store.finish_many(ids, ACCEPTED.model_copy(update={"requests": sent})) == 3
    assert all(store.get(i).requests == sent for i in ids)  # type: ignore[union-attr]


def test_outcome_cannot_be_sending() -> None:
    with pytest.raises(ValueError, match="sending"):
        Outcome(status=Status.SENDING)


def test_record_preview_is_final_at_once(store: HistoryStore) -> None:
    row_id = store.record(entry(mode=Mode.PREVIEW), Outcome(status=Status.PREVIEWED))
    row = store.get(row_id)
    assert row is not None and row.mode is Mode.PREVIEW and row.status is Status.PREVIEWED
    assert row.finished_at == T0
    assert store.count(HistoryQuery(status_class=StatusClass.PENDING)) == 0


def test_every_status_gets_the_class_the_model_promises(store: HistoryStore) -> None:
    for status in Status:
        if status is Status.SENDING:
            store.begin(entry(event_name=status.value))
        else:
            store.record(entry(event_name=status.value), Outcome(status=status))
    for status, status_class in STATUS_CLASSES.items():
        rows = store.query(HistoryQuery(status_class=status_class))
        assert status.value in {r.event_name for r in rows}
        assert all(r.status.status_class is status_class for r in rows)


def test_connection_is_wal_with_synchronous_normal(store: HistoryStore) -> None:
    conn = store._conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL


def test_key_material_is_scrubbed_and_target_reduced(store: HistoryStore, tmp_path: Path) -> None:
    leaky = entry(
        target=f"https://user:{KEY}@collector.example:8443/v1?token={KEY}",
        requests=[{"headers": {"Authorization": f"Basic {basic_auth_token(KEY)}"},
                   "body": {"writeKey": KEY, "type": "track"}}],
    )  # fmt: skip
    row = store.get(store.record(leaky, ACCEPTED))
    assert row is not None
    assert row.target == "https://collector.example:8443/v1"
    assert row.requests == [{"headers": {"Authorization": "Basic ••••"},
                             "body": {"writeKey": "••••", "type": "track"}}]  # fmt: skip
    store.close()
    for file in tmp_path.iterdir():
        if file.is_file():
            assert KEY.encode() not in file.read_bytes(), file


def test_fingerprint_longer_than_four_is_refused() -> None:
    with pytest.raises(ValueError, match="last 4"):
        entry(key_fingerprint=KEY)


def test_naive_timestamps_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone"):
        entry(created_at=datetime(2026, 1, 1))


# -- queries --------------------------------------------------------------------------


def filled(store: HistoryStore) -> list[int]:
    """Ten rows, one a minute: users u0/u1, alternating event types, two failures."""
    ids = []
    for i in range(10):
        e = entry(
            user_id=f"u{i % 2}",
            event_type="renewal" if i % 2 else "cancellation",
            event_name=f"evt_{i}",
            message_ids=[f"msg-{i}"],
            created_at=T0 + timedelta(minutes=i),
        )
        outcome = (
            Outcome(status=Status.FAILED, error="HTTP 400: payload 50_000% too big")
            if i in (3, 7)
            else ACCEPTED
        )
        ids.append(store.record(e, outcome))
    return ids


def test_query_newest_first_with_paging(store: HistoryStore) -> None:
    ids = filled(store)
    page = store.query(limit=4)
    assert [r.id for r in page] == ids[::-1][:4]
    assert [r.id for r in store.query(offset=8, limit=4)] == ids[1::-1]
    assert store.count() == 10


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (HistoryQuery(user_id="u1"), [9, 7, 5, 3, 1]),
        (HistoryQuery(event_type="cancellation"), [8, 6, 4, 2, 0]),
        (HistoryQuery(event_name="evt_4"), [4]),
        (HistoryQuery(status_class=StatusClass.ERROR), [7, 3]),
        (HistoryQuery(status=Status.FAILED, user_id="u1"), [7, 3]),
        (HistoryQuery(since=T0 + timedelta(minutes=7)), [9, 8, 7]),
        (HistoryQuery(until=T0 + timedelta(minutes=2)), [1, 0]),
        (HistoryQuery(text="MSG-5"), [5]),  # case-insensitive, in messageIds
        (HistoryQuery(text="50_000%"), [7, 3]),  # % and _ are literal, in the error
        (HistoryQuery(text="msg_5"), []),  # "_" is not a wildcard
        (HistoryQuery(text="evt_", user_id="u0", until=T0 + timedelta(minutes=5)), [4, 2, 0]),
        (HistoryQuery(mode=Mode.PREVIEW), []),
    ],
)
def test_filters(store: HistoryStore, query: HistoryQuery, expected: list[int]) -> None:
    ids = filled(store)
    assert [r.id for r in store.query(query)] == [ids[i] for i in expected]
    assert store.count(query) == len(expected)


def test_user_timeline_is_oldest_first(store: HistoryStore) -> None:
    ids = filled(store)
    store.record(entry(user_id="u1", mode=Mode.PREVIEW, created_at=T0 - timedelta(days=1)),
                 Outcome(status=Status.PREVIEWED))  # fmt: skip
    timeline = store.user_timeline("u1", live_only=True)
    assert [r.id for r in timeline] == [ids[i] for i in (1, 3, 5, 7, 9)]
    assert store.user_timeline("u1")[0].mode is Mode.PREVIEW
    assert [r.id for r in store.user_timeline("u1", limit=2)] == [ids[7], ids[9]]


# -- deleting -------------------------------------------------------------------------


def test_delete_prune_clear(store: HistoryStore) -> None:
    ids = filled(store)
    assert store.delete([ids[0], ids[1], 999_999]) == 2
    now = T0 + timedelta(minutes=10)
    # older than 5 minutes: rows 2..4 go, 5..9 stay
    assert store.prune(older_than=timedelta(minutes=5), now=now) == 3
    assert [r.id for r in store.query()] == ids[:4:-1]
    assert store.prune(keep_last=2) == 3
    assert [r.id for r in store.query()] == [ids[9], ids[8]]
    in_flight = store.begin(entry(created_at=T0 - timedelta(days=400)))
    assert store.prune(older_than=timedelta(0), now=now) == 2
    assert store.clear() == 0
    assert [r.id for r in store.query()] == [in_flight]  # never pruned while sending
    with pytest.raises(ValueError, match="older_than"):
        store.prune()


def test_prune_combines_age_and_keep(store: HistoryStore) -> None:
    ids = filled(store)
    now = T0 + timedelta(minutes=10)
    # delete what is older than 5 min AND outside the newest 8: rows 0 and 1 only
    assert store.prune(older_than=timedelta(minutes=5), keep_last=8, now=now, dry_run=True) == 2
    assert store.count() == 10
    assert store.prune(older_than=timedelta(minutes=5), keep_last=8, now=now) == 2
    assert store.get(ids[2]) is not None and store.get(ids[1]) is None


def test_deleting_a_row_deletes_its_documents(store: HistoryStore) -> None:
    row_id = store.record(entry(), ACCEPTED)
    assert store._conn.execute("SELECT count(*) FROM history_response").fetchone()[0] == 1
    store.delete([row_id])
    for table in ("history_payload", "history_response"):
        assert store._conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table


# -- export ---------------------------------------------------------------------------


def test_export_ndjson_and_json(store: HistoryStore, tmp_path: Path) -> None:
    ids = filled(store)
    out = tmp_path / "out.ndjson"
    assert store.export(HistoryQuery(user_id="u0"), out, "ndjson") == 5
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [d["id"] for d in lines] == [ids[i] for i in (8, 6, 4, 2, 0)]
    assert lines[0]["status_class"] == "ok" and lines[0]["input"]["event"]["type"] == "RENEWAL"
    out_json = tmp_path / "out.json"
    assert store.export([ids[3], ids[1], 12345], out_json, "json") == 2
    assert [d["id"] for d in json.loads(out_json.read_text(encoding="utf-8"))] == [ids[3], ids[1]]
    assert store.export(HistoryQuery(user_id="nobody"), out_json, "json") == 0
    assert json.loads(out_json.read_text(encoding="utf-8")) == []
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_export_contains_no_key(store: HistoryStore, tmp_path: Path) -> None:
    # A hand-edited input that happens to quote the key, and a leaky header.
    store.record(
        entry(input={"note": f"key is {KEY}"}, hand_edited=True,
              requests=[{"headers": {"authorization": f"Basic {basic_auth_token(KEY)}"}}]),
        ACCEPTED,
    )  # fmt: skip
    out = tmp_path / "export.json"
    store.export(None, out, "json", redact=[KEY])
    text = out.read_text(encoding="utf-8")
    assert KEY not in text and basic_auth_token(KEY) not in text
    assert "••••a1b2" in text  # the fingerprint survives, masked


def test_export_rejects_unknown_format(store: HistoryStore, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="ndjson or json"):
        store.export(None, tmp_path / "x", "csv")  # type: ignore[arg-type]


def test_sqlite_failures_become_storage_errors(store: HistoryStore, tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / "history.sqlite3") as other:
        other.execute("DROP TABLE history_payload")  # the file changed under our feet
    with pytest.raises(StorageError, match=r"history\.sqlite3: cannot record the send"):
        store.begin(entry())
    assert store.count() == 0  # the half-written row was rolled back
