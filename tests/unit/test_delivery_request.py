"""The request model: one source for the wire, the preview and cURL (no network)."""

import base64
import json
import shlex

from hypothesis import given
from hypothesis import strategies as st
from pydantic import SecretStr

from app.delivery.request import SegmentRequest

KEY = "wk_test_0123456789abcdef0123456789ab"


def request(**body: object) -> SegmentRequest:
    message = {
        "type": "track",
        "userId": "u1",
        "event": "rc_renewal_event",
        "messageId": "m1",
        "sentAt": "2026-01-01T00:00:00.000Z",
        "properties": {"name": "Zoë"},
        **body,
    }
    return SegmentRequest(
        endpoint="track",
        url="https://api.segment.io/v1/track",
        write_key=SecretStr(KEY),
        body=message,
    )


def test_wire_form_has_basic_auth_json_and_the_exact_body():
    wire = request().to_httpx()
    assert wire.method == "POST" and str(wire.url) == "https://api.segment.io/v1/track"
    token = base64.b64encode(f"{KEY}:".encode()).decode()
    assert wire.headers["authorization"] == f"Basic {token}"
    assert wire.headers["content-type"] == "application/json"
    assert json.loads(wire.content) == request().body
    assert "Zoë".encode() in wire.content  # UTF-8, not \\u escapes: sizes are real sizes


def test_preview_is_the_wire_request_with_the_key_masked():
    req = request()
    wire, preview = req.to_httpx(), req.preview()
    assert preview["url"] == str(wire.url) and preview["method"] == wire.method
    assert preview["body"] == json.loads(wire.content)
    shown = {k.lower(): v for k, v in preview["headers"].items()}
    assert shown.pop("authorization") == "Basic ••••89ab:"
    assert shown == {k: v for k, v in wire.headers.items() if k != "authorization"}
    text = json.dumps(preview) + repr(req) + str(req.model_dump())
    assert KEY not in text and base64.b64encode(f"{KEY}:".encode()).decode() not in text


def test_curl_is_masked_unless_revealed_and_sends_the_same_bytes():
    req = request()
    masked, revealed = req.to_curl(), req.to_curl(reveal=True)
    assert KEY not in masked and "••••89ab" in masked
    words = shlex.split(revealed)
    assert words[:4] == ["curl", "-X", "POST", "https://api.segment.io/v1/track"]
    token = base64.b64encode(f"{KEY}:".encode()).decode()
    assert f"Authorization: Basic {token}" in words
    assert words[words.index("--data-raw") + 1].encode() == req.to_httpx().content


def test_stamping_sets_sent_at_and_keeps_ids():
    stamped = request().stamped("2026-02-02T02:02:02.222Z")
    assert stamped.body["sentAt"] == "2026-02-02T02:02:02.222Z"
    assert stamped.message_ids == ["m1"]
    batch = SegmentRequest(
        endpoint="batch",
        url="https://x.test/v1/batch",
        write_key=SecretStr(KEY),
        body={"batch": [request().body, request(messageId="m2").body]},
    )
    again = batch.stamped("2026-03-03T03:03:03.333Z")
    assert again.body["sentAt"] == "2026-03-03T03:03:03.333Z"
    assert {m["sentAt"] for m in again.messages} == {"2026-03-03T03:03:03.333Z"}
    assert again.message_ids == ["m1", "m2"]


def test_a_batched_event_split_over_two_requests_is_stored_once_per_message():
    from app.delivery import SendItem, SendJob, SendService
    from app.delivery.jobs import Previews
    from app.delivery.options import DeliveryOptions
    from app.delivery.target import region_target
    from tests.support.engine import render

    result = render()
    lone = SendItem(result, messages=(result.messages[0],))  # shifts the pairs by one
    items = [lone] + [SendItem(result) for _ in range(700)]
    job = SendJob(items, region_target("us"), "k" * 32, DeliveryOptions(batch=True))
    outcomes = SendService().plan(job)
    split = [o for o in outcomes if len(o.requests) > 1]
    assert split, "no event straddles two /batch requests: grow the job"
    previews = Previews()
    for outcome in split:
        stored = [m for r in outcome.requests for m in previews.own(r, outcome)["body"]["batch"]]
        assert [m["messageId"] for m in stored] == [m["messageId"] for m in outcome.messages]


PLANNED = "2026-01-01T00:00:00.000Z"
_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text() | st.just(PLANNED) | st.just({"sentAt": PLANNED}),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(["sentAt", "a", "Zoë", '"sentAt":']) | st.text(), inner,
                      max_size=3),
    max_leaves=12,
)  # fmt: skip
_messages = st.lists(
    st.fixed_dictionaries(
        {"type": st.sampled_from(["track", "identify"]), "messageId": st.text(max_size=8)},
        optional={"properties": _values, "context": _values},
    ).map(lambda m: {**m, "sentAt": PLANNED}),  # restamp puts sentAt last, or keeps its place
    min_size=1, max_size=6,
)  # fmt: skip


@given(_messages, st.sampled_from([PLANNED, "2026-02-02T02:02:02.222Z"]))
def test_a_packed_batch_joins_its_measured_messages_into_the_bytes_dumps_writes(
    messages: list[dict[str, object]], sent_at: str
) -> None:
    """A /batch reuses the bytes packing measured (restamped in place) instead of
    serialising its messages again: byte for byte `dumps` of the body, on the first
    attempt and on a retry, whatever the messages hold (a nested "sentAt" with the very
    value, a key that spells the needle, non-ASCII, floats)."""
    from app.core.wire import dumps
    from app.delivery.packing import batch_requests
    from app.delivery.target import custom_target

    target = custom_target("http://127.0.0.1:9/v1")
    for request in batch_requests(messages, target, KEY):
        assert request._parts is not None  # packed: the measured bytes are kept
        assert request.content() == dumps(request.body)
        once = request.stamped(sent_at)
        assert once.content() == dumps(once.body)
        assert once.stamped(PLANNED).content() == dumps(once.stamped(PLANNED).body)
