"""The history's pure halves: the diff of two rows (aligned lines, real vs volatile
changes) and the per-request summary line, old rows included."""

from __future__ import annotations

from typing import Any

from app.core.redact import MASK
from app.core.scrub import HOST_STAND_IN, KEY_STAND_IN
from app.state.diff import Change, diff_json, diff_lines, field_of, payload_of, responses_of
from app.state.exchanges import UNKNOWN, exchanges
from app.state.presentation import Presenter


def message(**changes: Any) -> dict[str, Any]:
    base = {
        "type": "track",
        "event": "rc_renewal_event",
        "userId": "user_1",
        "properties": {"revenue": 9.99, "currency": "USD", "store": "APP_STORE"},
        "messageId": "m-1",
        "sentAt": "2026-01-15T12:00:00.000Z",
        "timestamp": "2026-01-15T11:59:00.000Z",
    }
    return {**base, **changes}


def test_two_sends_of_one_event_differ_only_in_volatile_fields() -> None:
    diff = diff_json([message()], [message(messageId="m-2", sentAt="2026-01-16T00:00:00.000Z")])
    assert diff.identical and diff.real_lines == [] and diff.hunks == []
    assert diff.volatile_changes == 2
    assert diff.volatile_names() == ["messageId", "sentAt"]
    assert diff.summary() == "no real difference; 2 volatile line(s) dimmed (messageId, sentAt)"
    # Both sides keep every line, aligned: the same number of rows, none blank.
    assert diff.side(left=True).count("\n") == diff.side(left=False).count("\n")
    changed = [line for line in diff.lines if line.change is Change.CHANGED]
    assert all(line.volatile and not line.real for line in changed)


def test_a_real_change_is_counted_aligned_and_located() -> None:
    left = [message()]
    right = [
        message(
            messageId="m-2",
            properties={"revenue": 4.99, "currency": "EUR", "store": "APP_STORE", "trial": True},
        )
    ]
    diff = diff_json(left, right)
    real = [diff.lines[i] for i in diff.real_lines]
    assert [(line.change, field_of(line.left or line.right or "")) for line in real] == [
        (Change.CHANGED, "currency"),
        (Change.CHANGED, "revenue"),
        (Change.ADDED, "trial"),
    ]
    assert real[-1].left is None  # a blank opposite the added line
    # currency and revenue are adjacent, "store" between them and "trial" is the same
    # (its new trailing comma is no difference): two places.
    assert len(diff.hunks) == 2
    assert diff.summary().startswith("3 line(s) differ in 2 place(s); 1 volatile")
    lefts, rights = diff.side(left=True).split("\n"), diff.side(left=False).split("\n")
    assert len(lefts) == len(rights) == len(diff.lines)
    added = diff.lines.index(real[-1])
    assert lefts[added] == "" and '"trial": true' in rights[added]


def test_key_order_is_not_a_difference_and_removed_lines_face_blanks() -> None:
    assert diff_json({"a": 1, "b": 2}, {"b": 2, "a": 1}).identical
    diff = diff_lines(["x", "y", "z"], ["x", "z"])
    assert [(line.change, line.left, line.right) for line in diff.lines] == [
        (Change.SAME, "x", "x"),
        (Change.REMOVED, "y", None),
        (Change.SAME, "z", "z"),
    ]


def test_payloads_and_responses_of_sent_batched_and_captured_rows() -> None:
    sent = {
        "mode": "live",
        "requests": [
            {"body": message()},  # an event's track and identify in two /batch requests:
            {"body": {"batch": [message(messageId="m-2"), message(messageId="m-3")]}},
            {"body": {"batch": [message(messageId="m-2"), message(messageId="m-3")]}},
        ],
        "responses": [
            {"status": 200, "body": '{"success": true}'},
            {"status": 400, "body": "not json", "error": "refused"},
        ],
    }
    assert [m["messageId"] for m in payload_of(sent)] == ["m-1", "m-2", "m-3"]  # each once
    assert responses_of(sent) == [
        {"status": 200, "body": {"success": True}},
        {"status": 400, "body": "not json", "error": "refused"},
    ]
    captured = {
        "mode": "captured",
        "requests": [{"path": "/v1/batch", "bytes": 10}],
        "input": {"batch": [message()]},
    }
    assert payload_of(captured) == [message()]


def test_summary_line_per_request_and_dashes_for_what_an_old_row_lacks() -> None:
    row = {
        "mode": "live",
        "requests": [
            {
                "method": "POST",
                "url": "https://api.segment.io/v1/track",
                "headers": {"Content-Length": "1234", "Authorization": f"Basic {MASK}a1b2:"},
                "body": message(),
            },
            {"method": "POST", "url": "https://api.segment.io/v1/identify", "body": {}},
        ],
        "responses": [
            {
                "status": 200,
                "elapsed_ms": 84.4,
                "attempts": 1,
                "body": '{"success":true}',
                "headers": {"content-type": "application/json"},
            },
            {
                "status": 503,
                "attempts": 3,
                "elapsed_ms": 2500.0,
                "body": "",
                "headers": {},
                "error_kind": "http",
                "error": "Segment is unavailable",
            },
        ],
    }
    track, identify = exchanges(row)
    assert track.title() == "POST /v1/track"
    assert track.summary() == "HTTP 200 · 84 ms · 1.2 KB → 16 B · 1 attempt"
    assert identify.summary() == "HTTP 503 · 2.50 s · — → 0 B · 3 attempts"
    assert identify.response_text().startswith("http: Segment is unavailable")
    assert "Content-Length: 1234" in track.headers_text()
    # An older row: no headers, no latency, no attempts recorded.
    old = exchanges(
        {
            "mode": "live",
            "requests": [{"url": "https://api.segment.io/v1/track"}],
            "responses": [{"status": 200}],
        }
    )[0]
    assert old.summary() == f"HTTP 200 · {UNKNOWN} · {UNKNOWN} · {UNKNOWN}"
    preview = exchanges(
        {
            "mode": "preview",
            "requests": row["requests"][:1],
            "responses": [{"status": None, "elapsed_ms": 0.0}],
        }
    )[0]
    assert preview.summary() == f"preview, not sent · {UNKNOWN} · 1.2 KB · {UNKNOWN}"
    assert "nothing was sent" in preview.response_text()


def test_presenter_masks_authorization_and_hides_hosts_in_headers() -> None:
    presenter = Presenter()
    headers = {"Authorization": "Basic c2VjcmV0Og==", "Host": "collector.internal:8443"}
    assert presenter.headers(headers) == {
        "Authorization": f"Basic {MASK}",
        "Host": "collector.internal:8443",
    }
    assert presenter.headers({"Authorization": f"Basic {MASK}a1b2:"})["Authorization"] == (
        f"Basic {MASK}a1b2:"
    )
    presenter.set_active(True)
    shown = presenter.headers({**headers, "Proxy-Authorization": f"Basic {MASK}a1b2:"})
    assert shown == {
        "Authorization": f"Basic {KEY_STAND_IN}",
        "Host": HOST_STAND_IN,
        "Proxy-Authorization": f"Basic {KEY_STAND_IN}",
    }
    row = presenter.row(
        {
            "requests": [
                {
                    "url": "https://collector.internal/v1/t",
                    "headers": {"Host": "collector.internal"},
                }
            ]
        }
    )
    assert "collector.internal" not in str(row)
