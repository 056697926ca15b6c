"""The history write path's encoding: one JSON encoding per document, scrubbed as text,
and the derived columns computed in Python (schema version 3)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from app.core.redact import basic_auth_token
from app.storage import HistoryStore, Mode, NewEntry, Outcome, Status, grams
from app.storage.migrations import migrate
from app.storage.models import STATUS_CLASSES
from app.storage.rows import dumps, scrub, scrubbed_json, search_text

KEY = "wk_live_0123456789abcdefghija1b2"
SECRET_NAMES = ["Authorization", "authorization", "AUTHORIZATION", "writeKey", "write_key",
                "WRITEKEY", "Proxy-Authorization", "proxy-authorization"]  # fmt: skip
NEAR_MISSES = ["x-authorization", "authorization ", "writeKeys", "key", "write-key", "auth"]

keys = st.sampled_from(SECRET_NAMES + NEAR_MISSES) | st.text(max_size=12)
texts = st.sampled_from([KEY, f"Basic {basic_auth_token(KEY)}", "Basic ••••a1b2", "", "basic",
                         '"authorization":"x"', '{"writeKey":"k"}', "\\", '\\"', "•",
                         "İ", "naïve ✓"]) | st.text(max_size=20)  # fmt: skip
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=25,
)


@given(json_values)
def test_scrubbed_json_is_the_structural_scrub_encoded_once(value: Any) -> None:
    assert json.loads(scrubbed_json(value)) == scrub(value)


def test_scrubbed_json_masks_secret_fields_anywhere_and_only_those() -> None:
    note = '"writeKey":"' + KEY + '"'
    value: dict[str, Any] = {
        "headers": {"Authorization": f"Basic {basic_auth_token(KEY)}", "X-Note": KEY},
        "body": {"batch": [{"writeKey": KEY, "note": note}]},
        "nested": [{"proxy-authorization": {"write_key": KEY}}, {"authorization": 7}],
        "masked": {"authorization": "Basic ••••a1b2:"},
        "write\u212aey": KEY,  # KELVIN SIGN: lowercases to "writekey"
    }
    out = json.loads(scrubbed_json(value))
    assert out["headers"] == {"Authorization": "Basic ••••", "X-Note": KEY}  # a key field only
    assert out["body"]["batch"][0]["writeKey"] == "••••"
    assert out["body"]["batch"][0]["note"] == note  # text that only mentions a field
    assert out["nested"] == [{"proxy-authorization": {"write_key": "••••"}}, {"authorization": 7}]
    assert out["masked"] == {"authorization": "Basic ••••a1b2:"}
    assert out["write\u212aey"] == "••••"
    assert out == scrub(value)


def test_lone_surrogates_fall_back_to_the_json_module() -> None:
    value = {"writeKey": KEY, "odd": "\ud800"}
    assert scrubbed_json(value) == json.dumps(scrub(value), ensure_ascii=False,
                                              separators=(",", ":"))  # fmt: skip
    assert dumps(["a", "\ud800"]) == '["a","\ud800"]'


def test_search_text_matches_what_the_v2_triggers_derived(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "v2.sqlite3", isolation_level=None)
    migrate(conn, target=2)
    conn.execute(
        "INSERT INTO history (created_at, mode, target, event_type, event_name, user_id, "
        "status, message_ids, error) VALUES ('t', 'live', 'https://h:8/v1', 'renewal', "
        "'rc_renewal_event', 'ü-1', 'failed', '[\"m\"]', 'HTTP 400')"
    )
    row = conn.execute(
        "SELECT user_id, event_type, event_name, target, message_ids, error, search FROM history"
    ).fetchone()
    conn.close()
    assert search_text(*row[:6]) == row[6]


def test_derived_columns_are_right_after_every_kind_of_write(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.sqlite3")

    def new() -> NewEntry:
        return NewEntry(mode=Mode.LIVE, target="https://u:p@h.example/v1?t=1",
                        event_type="renewal", user_id="u", message_ids=["m-1"])  # fmt: skip

    a, b, c, _interrupted = store.begin_many([new() for _ in range(4)])
    store.finish(a, Outcome(status=Status.ACCEPTED))
    store.finish(b, Outcome(status=Status.FAILED, error="HTTP 400 bad", error_kind="http"))
    store.finish(c, Outcome(status=Status.ACCEPTED, message_ids=["m-2"]))
    store.record(new(), Outcome(status=Status.SKIPPED, error="sandbox"))
    store.record(new(), Outcome(status=Status.PREVIEWED))
    store.close()  # the fourth: interrupted
    conn = sqlite3.connect(tmp_path / "history.sqlite3")
    rows = conn.execute(
        "SELECT user_id, event_type, event_name, target, message_ids, error, search, status, "
        "status_class, g0, g1, g2, g3 FROM history ORDER BY id"
    ).fetchall()
    conn.close()
    assert [r[7] for r in rows] == ["accepted", "failed", "accepted", "interrupted",
                                    "skipped", "previewed"]  # fmt: skip
    for row in rows:
        assert row[6] == search_text(*row[:6])
        assert row[8] == STATUS_CLASSES[Status(row[7])].value
        assert row[9:] == grams.columns(row[6])  # the signature follows every rewrite
    assert rows[0][3] == "https://h.example/v1" and rows[2][4] == '["m-2"]'
    assert "HTTP 400 bad" in rows[1][6] and "m-2" in rows[2][6]
