"""The Qt-free controller the window will use: start/stop, an asyncio queue in another
loop, a config swapped while serving, a port already taken, RevenueCat's own messages
told apart from the app's."""

from __future__ import annotations

import asyncio

import pytest

from app.capture import CallItem, CaptureConfig, CaptureError, CaptureServer, WebhookItem
from app.core.render import LIBRARY
from app.core.settings import IntegrationSettings
from app.storage.capture import CaptureStore
from tests.support.capture import running
from tests.support.http import http_async_client, http_client, http_post


def test_items_reach_an_asyncio_queue_of_another_loop(tmp_path):
    server = CaptureServer(tmp_path)
    address = server.start("127.0.0.1", 0)

    async def main() -> list[object]:
        queue, unsubscribe = server.subscribe_queue(asyncio.get_running_loop())
        async with http_async_client() as http:
            for i in range(3):
                await http.post(f"{address.segment_api}/t", json={"userId": f"u{i}", "event": "E"})
        got = [await asyncio.wait_for(queue.get(), 20) for _ in range(3)]
        unsubscribe()
        await server.stop_async()
        return got

    got = asyncio.run(main())
    assert not server.running
    assert [i.user_ids for i in got if isinstance(i, CallItem)] == [("u0",), ("u1",), ("u2",)]
    assert all(isinstance(i, CallItem) and i.history_id for i in got)


def test_a_config_swapped_while_serving_applies_to_the_next_webhook(tmp_path):
    body = {"api_version": "1.0", "event": {
        "type": "RENEWAL", "id": "E1", "event_timestamp_ms": 1_700_000_000_000,
        "app_user_id": "u", "environment": "PRODUCTION",
    }}  # fmt: skip
    with running(tmp_path) as (server, items), http_client() as http:
        assert server.address is not None
        http.post(server.address.revenuecat_webhook, json=body)
        items.wait_for(1)
        renamed = IntegrationSettings(event_names={"renewal": "Renewed!"})
        server.update(CaptureConfig(settings=renamed))
        http.post(server.address.revenuecat_webhook, json=body)
        got = items.wait_for(2)
    names = [i.event_name for i in got if isinstance(i, WebhookItem)]
    assert names == ["rc_renewal_event", "Renewed!"]


def test_a_taken_port_is_a_capture_error(tmp_path):
    with running(tmp_path / "a") as (first, _):
        assert first.address is not None
        with pytest.raises(CaptureError, match="cannot listen"):
            CaptureServer(tmp_path / "b").start("127.0.0.1", first.address.port)


def test_revenuecats_own_messages_are_not_app_ids(tmp_path):
    rc_track = {"type": "track", "userId": "user_1", "event": "rc_renewal_event",
                "context": {"library": LIBRARY},
                "properties": {"aliases": ["a1"], "original_app_user_id": "o1"}}  # fmt: skip
    app_identify = {"type": "identify", "userId": "USER_1", "anonymousId": "anon"}
    with running(tmp_path) as (server, items):
        assert server.address is not None
        http_post(f"{server.address.segment_api}/batch", json={"batch": [rc_track, app_identify]})
        items.wait_for(1)
    with CaptureStore(tmp_path) as store:
        assert [(a.user_id, a.anonymous_id) for a in store.app_ids()] == [("USER_1", "anon")]
        (seen,) = store.revenuecat_users()
    assert (seen.user_id, seen.aliases, seen.original_app_user_id) == ("user_1", ("a1",), "o1")
