"""The capture receiver with real clients: Segment's official library, RevenueCat's
sample webhooks, the bridge to the loopback Segment stand-in. No mocks: sockets,
uvicorn, SQLite."""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from app.capture import CallItem, CaptureConfig, FlagCode, WebhookItem, WebhookOutcome
from app.core.model import parse_event
from app.core.render import Renderer
from app.core.settings import IntegrationSettings, RevenueMode
from app.core.wire import BATCH_LIMIT
from app.delivery import DeliveryOptions
from app.delivery.target import custom_target
from app.storage import HistoryQuery, HistoryStore, Mode, Status
from tests.support.capture import REFERENCE, running, samples
from tests.support.http import http_client, http_post
from tests.support.segment_server import SegmentServer, respond
from tests.support.webhooks import KEY

ROOT = Path(__file__).resolve().parents[2]


def rows(data_dir: Path, mode: Mode) -> list[Any]:
    with HistoryStore.in_dir(data_dir) as store:
        return list(reversed(store.query(HistoryQuery(mode=mode), limit=10_000)))


def _messages(items: list[Any]) -> int:
    return sum(i.messages for i in items if isinstance(i, CallItem))


@pytest.mark.parametrize("compress", [False, True], ids=["plain", "gzip"])
def test_segments_official_library_is_received_and_recorded(tmp_path, compress):
    # Imported here: the library (and requests, which it loads) costs each test process
    # ~0.4 s at collection otherwise.
    import segment.analytics as segment_analytics

    config = CaptureConfig(expect_write_key=KEY)
    with running(tmp_path, config) as (server, items):
        assert server.address is not None
        # upload_interval: how long the library's thread waits for a batch to fill (and,
        # once joined, for the next message); its 0.5 s default would be idle time here.
        client = segment_analytics.Client(KEY, host=server.address.base_url, gzip=compress,
                                          max_retries=0, upload_size=10,
                                          upload_interval=0.02)  # fmt: skip
        client.identify("user_1", {"plan": "pro"})
        for i in range(24):
            client.track("user_1", "Button Clicked", {"i": i})
        client.track(anonymous_id="anon_9", event="Opened")
        client.flush()
        client.join()
        got = items.wait_until(lambda got: _messages(got) == 26, "26 messages")
    calls = [i for i in got if isinstance(i, CallItem)]
    assert len(calls) >= 3 and all(c.messages <= 10 for c in calls)  # upload_size
    assert all(c.status == 200 and c.path == "/v1/batch" and not c.flags for c in calls)
    recorded = rows(tmp_path, Mode.CAPTURED)
    messages = [m for r in recorded for m in r.input["batch"]]
    assert [m["properties"].get("i") for m in messages if m["type"] == "track"][:24] == list(
        range(24)
    )
    assert {m["type"] for m in messages} == {"identify", "track"}
    text = json.dumps([r.to_json() for r in recorded])
    assert KEY not in text  # neither the Basic auth value nor a writeKey is kept
    assert all(r.key_fingerprint == KEY[-4:] for r in recorded)
    if compress:
        assert recorded[0].requests[0]["headers"]["content-encoding"] == "gzip"


def test_paths_short_forms_text_plain_chunked_metrics_and_settings(tmp_path):
    with running(tmp_path) as (server, items), http_client() as http:
        assert server.address is not None
        api = server.address.segment_api
        for path, call in [("t", "track"), ("i", "identify"), ("p", "page"), ("s", "screen"),
                           ("g", "group"), ("a", "alias"), ("screen", "screen")]:  # fmt: skip
            answer = http.post(f"{api}/{path}", content=json.dumps(
                {"userId": "u", "name": "Home", "writeKey": "wk"}
            ), headers={"Content-Type": "text/plain"})  # fmt: skip
            assert answer.status_code == 200 and answer.json() == {"success": True}
            assert items.wait_for(1)[-1].call == call  # type: ignore[union-attr]
            items.items.clear()

        def chunks():
            body = json.dumps({"batch": [{"type": "track", "userId": "k", "event": "E"}]})
            yield body[:10].encode()
            yield body[10:].encode()

        answer = http.post(f"{api}/b", content=chunks(), headers={"Content-Type": "text/plain"})
        assert answer.status_code == 200
        assert http.post(f"{api}/m", content=b'{"series": []}').status_code == 200
        settings = http.get(f"{api}/projects/wk_123/settings").json()
        assert settings["integrations"]["Segment.io"]["apiKey"] == "wk_123"
        assert http.get(f"{api}/track").status_code == 404
        assert http.post(f"{server.address.base_url}/elsewhere", content=b"{}").status_code == 404
        got = items.wait_for(1)
    assert [(i.call, i.messages) for i in got] == [("track", 1)]  # type: ignore[union-attr]


def test_segments_answers_and_the_flags(tmp_path):
    config = CaptureConfig(expect_write_key="expected_key_0001", region="eu")
    with running(tmp_path, config) as (server, items), http_client() as http:
        assert server.address is not None
        api = server.address.segment_api
        wrong = "Basic " + base64.b64encode(b"another_key_9999:").decode()
        assert http.post(f"{api}/track", json={"event": "E"}, headers={"Authorization": wrong,
                         "Host": "api.segment.io"}).status_code == 200  # fmt: skip
        assert http.post(f"{api}/track", content=b"{not json").status_code == 400
        big = {"userId": "u", "event": "E", "properties": {"x": "y" * 33_000}}
        answer = http.post(f"{api}/track", json=big)
        assert answer.status_code == 400 and "32 KB" in answer.json()["message"]
        many = {"batch": [{"type": "track", "userId": "u", "event": "e"}] * 2501}
        assert "2,500" in http.post(f"{api}/batch", json=many).json()["message"]
        huge = {"batch": [{"type": "track", "userId": "u", "p": "z" * 30_000}] * 20}
        assert http.post(f"{api}/batch", json=huge).status_code == 400
        got = items.wait_for(5)
    flagged = got[0]
    assert isinstance(flagged, CallItem)
    codes = {f.code for f in flagged.flags}
    assert codes == {FlagCode.UNEXPECTED_WRITE_KEY, FlagCode.NO_USER, FlagCode.WRONG_REGION}
    assert [i.status for i in got] == [200, 400, 400, 400, 400]
    recorded = rows(tmp_path, Mode.CAPTURED)
    assert recorded[0].error_kind == "flagged" and "another_key" not in recorded[0].error
    assert [r.status for r in recorded[1:]] == [Status.FAILED] * 4
    with HistoryStore.in_dir(tmp_path) as store:  # flags are searchable
        assert store.count(HistoryQuery(text="neither userId")) == 1


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="RevenueCat sample webhooks not present")
def test_revenuecat_sample_webhooks_are_recorded_and_rendered(tmp_path):
    bodies = samples()
    settings = IntegrationSettings(revenue_mode=RevenueMode.AFTER_COMMISSION)
    with running(tmp_path, CaptureConfig(settings=settings)) as (server, items):
        assert server.address is not None
        with http_client() as http:
            for body in bodies.values():
                answer = http.post(server.address.revenuecat_webhook, json=body)
                assert answer.status_code == 200
        got = items.wait_for(len(bodies))
    hooks = [i for i in got if isinstance(i, WebhookItem)]
    assert len(hooks) == len(bodies)
    by_type = {h.type: h for h in hooks}
    assert by_type["TRANSFER"].outcome is WebhookOutcome.SKIPPED
    assert by_type["RENEWAL"].outcome is WebhookOutcome.RECORDED
    recorded = rows(tmp_path, Mode.WEBHOOK)
    assert len(recorded) == len(bodies)
    for row in recorded:
        if row.status is Status.PREVIEWED:
            want = Renderer().render(parse_event(row.input), settings)
            sent = [r["body"] for r in row.requests]
            assert [_stable(m) for m in sent] == [_stable(m) for m in want.messages]
        else:
            assert row.status is Status.SKIPPED and row.error


def _stable(message: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in message.items() if k not in ("messageId", "sentAt")}


def test_test_event_is_skipped_not_forwarded(tmp_path):
    test_event = {"api_version": "1.0", "event": {
        "type": "TEST", "id": "T1", "event_timestamp_ms": 1_700_000_000_000,
        "app_user_id": "u", "environment": "PRODUCTION",
    }}  # fmt: skip
    with SegmentServer() as segment:
        config = CaptureConfig(forward=custom_target(segment.base_url), write_key=KEY)
        with running(tmp_path, config) as (server, items):
            assert server.address is not None
            assert http_post(server.address.revenuecat_webhook, json=test_event).status_code == 200
            (item,) = items.wait_for(1)
        assert segment.requests == []
    assert isinstance(item, WebhookItem) and item.outcome is WebhookOutcome.SKIPPED


def test_the_bridge_forwards_what_render_gives_once_per_event_id(tmp_path):
    body = json.loads((ROOT / "sample_events" / "renewal.revenuecat.json").read_text())
    settings = IntegrationSettings(event_names={"renewal": "Subscription Renewed"})
    with SegmentServer() as segment:
        segment.script(respond(503))  # the first attempt fails: the delivery's retry sends it
        config = CaptureConfig(
            settings=settings, forward=custom_target(segment.base_url), write_key=KEY,
            options=DeliveryOptions(backoff_base=0.0, backoff_cap=0.0),
        )  # fmt: skip
        with running(tmp_path, config) as (server, items), http_client() as http:
            assert server.address is not None
            for _ in range(3):  # RevenueCat delivers at least once
                assert http.post(server.address.revenuecat_webhook, json=body).status_code == 200
            got = items.wait_for(3)
        arrived = segment.requests
    outcomes = [i.outcome for i in got]  # type: ignore[union-attr]
    assert outcomes == [WebhookOutcome.FORWARDED, WebhookOutcome.DUPLICATE,
                        WebhookOutcome.DUPLICATE]  # fmt: skip
    assert [r.path for r in arrived] == ["/v1/track", "/v1/track", "/v1/identify"]
    want = Renderer().render(parse_event(body), settings)
    for got_request, message in zip(arrived[1:], want.messages, strict=True):
        sent = got_request.json()
        assert _stable(sent) == _stable(message)
        assert got_request.body == json.dumps(sent, ensure_ascii=False,
                                              separators=(",", ":")).encode()  # fmt: skip
    recorded = rows(tmp_path, Mode.WEBHOOK)
    assert [r.status for r in recorded] == [Status.ACCEPTED, Status.SKIPPED, Status.SKIPPED]
    assert recorded[0].attempts == 3 and recorded[0].event_name == "Subscription Renewed"
    assert KEY not in json.dumps([r.to_json() for r in recorded])


def test_webhook_authorization_is_checked_and_never_stored(tmp_path):
    secret = "Bearer rc-hook-secret-7781"
    body = json.loads((ROOT / "sample_events" / "renewal.revenuecat.json").read_text())
    with running(tmp_path, CaptureConfig(webhook_auth=secret)) as (server, items):
        assert server.address is not None
        url = server.address.revenuecat_webhook
        assert http_post(url, json=body).status_code == 401
        assert (
            http_post(url, json=body, headers={"Authorization": "Bearer nope"}).status_code == 401
        )
        assert http_post(url, json=body, headers={"Authorization": secret}).status_code == 200
        assert (
            http_post(url, content=b"[1, 2", headers={"Authorization": secret}).status_code == 400
        )
        got = items.wait_for(4)
    assert sorted(i.outcome.value for i in got) == [  # type: ignore[union-attr]
        "invalid", "recorded", "unauthorized", "unauthorized"
    ]  # fmt: skip
    with HistoryStore.in_dir(tmp_path) as store:
        text = json.dumps([r.to_json() for r in store.query(limit=100)])
    assert "rc-hook-secret" not in text and "nope" not in text


def test_gzip_bomb_and_oversized_bodies_are_refused(tmp_path):
    bomb = gzip.compress(b"[" + b" " * (20 * BATCH_LIMIT) + b"]")  # 20 times the limit, ~10 KB
    with running(tmp_path) as (server, items), http_client() as http:
        assert server.address is not None
        api = server.address.segment_api
        answer = http.post(f"{api}/batch", content=bomb, headers={"Content-Encoding": "gzip"})
        assert answer.status_code == 400 and "inflates" in answer.json()["message"]
        answer = http.post(f"{api}/batch", content=b"x", headers={"Content-Encoding": "br"})
        assert answer.status_code == 400
        ok = http.post(f"{api}/track", json={"userId": "u", "event": "after"})
        assert ok.status_code == 200
        assert len(items.wait_for(3)) == 3
