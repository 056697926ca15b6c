"""Between history models and SQLite rows: encoding, decoding, and the last scrub.

The scrub is defence in depth: the store never receives the write key, but if a caller
ever hands it a request with a live `Authorization` header or a `writeKey` body field,
the value is masked here before it can reach the file.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from app.core.redact import MASK
from app.storage.models import HistoryRow, NewEntry, Outcome

#: Header and body fields that carry the write key in Segment requests (SPEC §7).
SECRET_FIELDS = frozenset({"authorization", "writekey", "write_key", "proxy-authorization"})

#: The SELECT list for `FROM history h LEFT JOIN history_payload p ON p.id = h.id`.
COLUMNS = (
    "h.id, h.created_at, h.finished_at, h.mode, h.target, h.event_type, h.event_name, "
    "h.user_id, p.input_json, p.requests_json, p.responses_json, h.status, h.http_status, "
    "h.elapsed_ms, h.attempts, h.message_ids, h.key_fingerprint, h.hand_edited, "
    "h.sandbox_override, h.error_kind, h.error"
)
FROM_JOINED = "history h LEFT JOIN history_payload p ON p.id = h.id"


def ts(value: datetime) -> str:
    """Fixed-width UTC text, so that text order is time order in SQL."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_ts(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def _masked(value: str) -> str:
    if MASK in value:
        return value
    scheme, _, _ = value.partition(" ")
    return f"{scheme} {MASK}" if scheme.lower() == "basic" and " " in value else MASK


def scrub(value: Any) -> Any:
    """`value` (JSON-like) with every secret-bearing field's text masked."""
    if isinstance(value, dict):
        return {
            key: _masked(item)
            if isinstance(key, str) and key.lower() in SECRET_FIELDS and isinstance(item, str)
            else scrub(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [scrub(item) for item in value]
    return value


def safe_target(target: str) -> str:
    """ "us"/"eu" as given; a URL reduced to scheme, host, port and path.

    A custom collector URL can carry credentials (`https://user:pass@host`) or a token
    in its query; neither belongs in history.
    """
    if "://" not in target:
        return target
    parts = urlsplit(target)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


Values = dict[str, Any]


def entry_values(entry: NewEntry) -> tuple[Values, Values]:
    """(history columns, history_payload columns) for a new row; the caller adds
    status and owner."""
    main = {
        "created_at": ts(entry.created_at),
        "mode": entry.mode.value,
        "target": safe_target(entry.target),
        "event_type": entry.event_type,
        "event_name": entry.event_name,
        "user_id": entry.user_id,
        "message_ids": dumps(entry.message_ids),
        "key_fingerprint": entry.key_fingerprint,
        "hand_edited": int(entry.hand_edited),
        "sandbox_override": int(entry.sandbox_override),
    }
    payload = {
        "input_json": dumps(scrub(entry.input)),
        "requests_json": dumps(scrub(entry.requests)),
    }
    return main, payload


def outcome_values(outcome: Outcome, finished_at: datetime) -> tuple[Values, Values]:
    """(history, history_payload) values that complete a row; fields the outcome
    leaves as None ("keep what `begin` stored") are left out."""
    main = {
        "finished_at": ts(finished_at),
        "status": outcome.status.value,
        "http_status": outcome.http_status,
        "elapsed_ms": outcome.elapsed_ms,
        "attempts": outcome.attempts,
        "message_ids": None if outcome.message_ids is None else dumps(outcome.message_ids),
        "error_kind": outcome.error_kind,
        "error": outcome.error,
    }
    payload = {
        "responses_json": dumps(scrub(outcome.responses)),
        "requests_json": None if outcome.requests is None else dumps(scrub(outcome.requests)),
    }
    return _present(main), _present(payload)


def _present(values: Values) -> Values:
    return {k: v for k, v in values.items() if v is not None}


def decode(row: sqlite3.Row | tuple[Any, ...]) -> HistoryRow:
    """A `SELECT {COLUMNS} FROM {FROM_JOINED}` row as a model (a missing payload row
    reads as empty documents rather than failing the whole page)."""
    (
        id_, created_at, finished_at, mode, target, event_type, event_name, user_id,
        input_json, requests_json, responses_json, status, http_status, elapsed_ms,
        attempts, message_ids, key_fingerprint, hand_edited, sandbox_override,
        error_kind, error,
    ) = row  # fmt: skip
    return HistoryRow.model_validate(
        {
            "id": id_,
            "created_at": parse_ts(created_at),
            "finished_at": parse_ts(finished_at) if finished_at else None,
            "mode": mode,
            "target": target,
            "event_type": event_type,
            "event_name": event_name,
            "user_id": user_id,
            "input": json.loads(input_json) if input_json else None,
            "requests": json.loads(requests_json) if requests_json else [],
            "responses": json.loads(responses_json) if responses_json else [],
            "status": status,
            "http_status": http_status,
            "elapsed_ms": elapsed_ms,
            "attempts": attempts,
            "message_ids": json.loads(message_ids) if message_ids else [],
            "key_fingerprint": key_fingerprint,
            "hand_edited": bool(hand_edited),
            "sandbox_override": bool(sandbox_override),
            "error_kind": error_kind,
            "error": error,
        }
    )
