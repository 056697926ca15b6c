"""Between history models and SQLite rows: encoding, decoding, and the last scrub.

The scrub is defence in depth: the store never receives the write key, but if a caller
ever hands it a request with a live `Authorization` header or a `writeKey` body field,
the value is masked here before it can reach the file.

This is the write path of every send (2,000 rows for a 2,000-event batch), so each
document is JSON-encoded exactly once and scrubbed in its encoded form (`scrubbed_json`);
the derived columns `status_class`, `search` and its trigram signature `g0`…`g3` are
computed here too, in one place (`status_class_of`, `search_text`, `app.storage.grams`),
instead of by triggers (schema versions 3 and 6).
"""

from __future__ import annotations

import functools
import json
import re
import sqlite3
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import pydantic_core

from app.core.redact import MASK
from app.storage import grams
from app.storage.models import STATUS_CLASSES, HistoryRow, NewEntry, Outcome, Status

#: Header and body fields that carry the write key in Segment requests
#: (docs/segment.md, "Authentication").
SECRET_FIELDS = frozenset({"authorization", "writekey", "write_key", "proxy-authorization"})

#: The SELECT list for `FROM_JOINED`.
COLUMNS = (
    "h.id, h.created_at, h.finished_at, h.mode, h.target, h.event_type, h.event_name, "
    "h.user_id, p.input_json, p.requests_json, r.responses_json, h.status, h.http_status, "
    "h.elapsed_ms, h.attempts, h.message_ids, h.key_fingerprint, h.hand_edited, "
    "h.sandbox_override, h.error_kind, h.error"
)
FROM_JOINED = (
    "history h LEFT JOIN history_payload p ON p.id = h.id "
    "LEFT JOIN history_response r ON r.id = h.id"
)

#: Every column a new `history` row is written with, in the order `new_row` gives.
MAIN_COLUMNS = (
    "id", "created_at", "finished_at", "mode", "target", "event_type", "event_name",
    "user_id", "status", "status_class", "http_status", "elapsed_ms", "attempts",
    "message_ids", "key_fingerprint", "hand_edited", "sandbox_override", "error_kind",
    "error", "owner", "search", *grams.COLUMNS,
)  # fmt: skip

#: The columns `search_text` joins, after the row id and before the stored `search`:
#: `UPDATE … RETURNING {SEARCH_RETURNING}` gives what `stale_search` needs.
SEARCH_RETURNING = "id, user_id, event_type, event_name, target, message_ids, error, search"

#: Rewrites a row's `search` and its signature, from a `stale_search` tuple.
SET_SEARCH = (
    f"UPDATE history SET search = ?, {', '.join(f'{g} = ?' for g in grams.COLUMNS)} WHERE id = ?"
)

_SEPARATOR = "\x1f"  # joins the searchable fields: no user text contains it by accident


def ts(value: datetime) -> str:
    """Fixed-width UTC text, so that text order is time order in SQL.

    Formatted by hand: `strftime` cost more than the rest of a captured call's row."""
    d = value.astimezone(UTC)
    return (
        f"{d.year:04d}-{d.month:02d}-{d.day:02d}T{d.hour:02d}:{d.minute:02d}:"
        f"{d.second:02d}.{d.microsecond:06d}Z"
    )


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


@functools.lru_cache(maxsize=64)
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


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _encoded(value: Any) -> bytes | None:
    """Compact UTF-8 JSON from pydantic's Rust serialiser (3-4 times the speed of the
    `json` module on a request), or None for what it cannot write (lone surrogates)."""
    try:
        return pydantic_core.to_json(value)
    except ValueError:
        return None


def dumps(value: Any) -> str:
    """Compact JSON text, non-ASCII kept."""
    raw = _encoded(value)
    return raw.decode() if raw is not None else _ENCODER.encode(value)


#: `"name":` for each secret field, lowercase, as compact JSON writes an object key.
_SECRET_KEYS = tuple(f'"{name}":'.encode() for name in sorted(SECRET_FIELDS))
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
#: KELVIN SIGN: the one non-ASCII character whose `str.lower()` is ASCII ("k"), so a
#: "writeKey" spelt with it is a secret field to `scrub` but not to `bytes.lower()`.
_KELVIN = "\u212a".encode()
_MASK = MASK.encode()  # pydantic_core writes non-ASCII as UTF-8, never as \u escapes


def scrubbed_json(value: Any) -> str:
    """`dumps(scrub(value))`, without copying `value`: encode once, then mask the string
    values of secret fields in the encoded bytes (walking and copying a request's JSON
    tree was the largest single cost of a history write).

    In compact JSON a `"name":` right after `{` or `,` can only be an object key: the
    quote after `{`/`,` opens a string, the one before `:` closes it, and a quote inside
    a string is escaped. So the bytes are searched, not parsed; `bytes.lower()` folds
    ASCII only and keeps offsets. Text the fast path cannot vouch for takes `scrub`.
    """
    raw = _encoded(value)
    if raw is None or _KELVIN in raw:
        return _ENCODER.encode(scrub(value))
    low = raw.lower()
    spans: list[tuple[int, int]] = []
    for key in _SECRET_KEYS:
        at = low.find(key)
        while at != -1:
            if at > 0 and raw[at - 1] in b"{,":
                match = _JSON_STRING.match(raw, at + len(key))
                # A string value (objects and lists hold their own keys) not masked yet
                # (every stored request's Authorization is, by the sender).
                if match and _MASK not in match.group():
                    spans.append(match.span())
            at = low.find(key, at + len(key))
    if not spans:
        return raw.decode()
    parts: list[bytes] = []
    done = 0
    for start, end in sorted(spans):
        parts += [raw[done:start], dumps(_masked(json.loads(raw[start:end]))).encode()]
        done = end
    parts.append(raw[done:])
    return b"".join(parts).decode()


def status_class_of(status: Status) -> str:
    """The stored `status_class` (the filter the UI offers) of a status."""
    return STATUS_CLASSES[status].value


def search_text(
    user_id: str, event_type: str, event_name: str, target: str, message_ids: str, error: str
) -> str:
    """The stored `search` column: what text search matches (`app.storage.query`).

    Derived here for every writer (insert, finish, interrupt); migration 2 built the
    same text in SQL for the rows it backfilled.
    """
    return _SEPARATOR.join((user_id, event_type, event_name, target, message_ids, error))


def stale_search(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """(search, g0, g1, g2, g3, id) for the rows of `… RETURNING {SEARCH_RETURNING}` whose
    stored `search` no longer matches their fields (an update changed the error or the
    ids): the text and its signature, rewritten together."""
    fresh = ((search_text(*row[1:7]), row[0], row[7]) for row in rows)
    return [(text, *grams.columns(text), row_id) for text, row_id, old in fresh if text != old]


Values = dict[str, Any]


def new_row(
    row_id: int,
    entry: NewEntry,
    *,
    owner: str | None = None,
    outcome: Outcome | None = None,
) -> tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...] | None]:
    """(history row in `MAIN_COLUMNS` order, history_payload row, history_response row
    or None) for a new row: "sending" for `owner` without an outcome, else complete at
    `entry.created_at` (a preview, a skip). An outcome's requests and messageIds, when
    given, replace the entry's."""
    target = safe_target(entry.target)
    status = outcome.status if outcome else Status.SENDING
    ids = entry.message_ids
    requests = entry.requests
    if outcome is not None:
        ids = outcome.message_ids if outcome.message_ids is not None else ids
        requests = outcome.requests if outcome.requests is not None else requests
    message_ids = dumps(ids)
    error = outcome.error if outcome else ""
    search = search_text(
        entry.user_id, entry.event_type, entry.event_name, target, message_ids, error
    )
    main = (
        row_id,
        ts(entry.created_at),
        ts(entry.created_at) if outcome else None,
        entry.mode.value,
        target,
        entry.event_type,
        entry.event_name,
        entry.user_id,
        status.value,
        status_class_of(status),
        outcome.http_status if outcome else None,
        outcome.elapsed_ms if outcome else None,
        outcome.attempts if outcome else 0,
        message_ids,
        entry.key_fingerprint,
        int(entry.hand_edited),
        int(entry.sandbox_override),
        outcome.error_kind if outcome else "",
        error,
        owner,
        search,
        *grams.columns(search),
    )
    payload = (row_id, scrubbed_json(entry.input), scrubbed_json(requests))
    response = (row_id, scrubbed_json(outcome.responses)) if outcome and outcome.responses else None
    return main, payload, response


def outcome_values(outcome: Outcome, finished_at: datetime) -> tuple[Values, Values, str | None]:
    """(history values, history_payload values, history_response JSON or None) that
    complete a row; fields the outcome leaves as None ("keep what `begin` stored") are
    left out, and no responses means no history_response row (it reads as `[]`)."""
    main = {
        "finished_at": ts(finished_at),
        "status": outcome.status.value,
        "status_class": status_class_of(outcome.status),
        "http_status": outcome.http_status,
        "elapsed_ms": outcome.elapsed_ms,
        "attempts": outcome.attempts,
        "message_ids": None if outcome.message_ids is None else dumps(outcome.message_ids),
        "error_kind": outcome.error_kind,
        "error": outcome.error,
    }
    payload = {
        "requests_json": None if outcome.requests is None else scrubbed_json(outcome.requests),
    }
    responses = scrubbed_json(outcome.responses) if outcome.responses else None
    return _present(main), _present(payload), responses


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
