"""SendService against a real Segment-like server on 127.0.0.1: the bytes that arrive.

No httpx mocking: the requests go through httpx, a socket and the stdlib HTTP server.
Backoff waits are injected (recorded, not slept) so retries are fast and exact.
"""

from __future__ import annotations

import asyncio
import base64
import json
import socket
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.model import parse_event
from app.core.render import Renderer
from app.core.settings import IntegrationSettings
from app.delivery import (
    DeliveryOptions,
    FailureKind,
    SendItem,
    SendJob,
    SendReport,
    SendService,
    TooLargeError,
)
from app.delivery.packing import BATCH_BUDGET, InvalidMessageError
from app.delivery.progress import AttemptProgress, Phase
from app.delivery.target import custom_target
from app.storage import HistoryQuery, HistoryStore, Status
from tests.support.delivery import Waits, items, run
from tests.support.http import http_post
from tests.support.segment_server import SegmentServer, drop, respond, slow
from tests.support.webhooks import KEY, make_events


@pytest.fixture
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    with HistoryStore.in_dir(tmp_path) as history:
        yield history


def test_the_bytes_that_arrive_match_the_preview_and_carry_basic_auth(segment_server, store):
    job_items = items(1)
    preview = run(segment_server, job_items, history=store, preview=True)
    assert segment_server.requests == []  # a preview sends nothing
    report = run(segment_server, job_items, history=store)
    track, identify = segment_server.wait_for(2)
    assert [r.path for r in (track, identify)] == ["/v1/track", "/v1/identify"]
    token = base64.b64encode(f"{KEY}:".encode()).decode()
    for got, shown in zip((track, identify), preview.results, strict=True):
        assert got.headers["authorization"] == f"Basic {token}"
        assert got.headers["content-type"] == "application/json"
        assert shown.request["headers"]["Authorization"] == "Basic ••••7f8a:"
        body = got.json()
        want = shown.request["body"]
        for volatile in ("messageId", "sentAt"):  # fresh per send, by design
            assert body.pop(volatile) != want.pop(volatile)
        assert body == want  # otherwise the preview is exactly what went out
        assert (
            got.body == json.dumps(got.json(), ensure_ascii=False, separators=(",", ":")).encode()
        )
    assert track.client_port == identify.client_port  # one keep-alive connection
    assert all(r.accepted and r.status == 200 and r.attempts == 1 for r in report.results)
    assert report.results[0].message_ids == [track.json()["messageId"]]
    rows = store.query(HistoryQuery())
    assert [r.status for r in rows] == [Status.ACCEPTED, Status.PREVIEWED]
    assert rows[0].message_ids == [track.json()["messageId"], identify.json()["messageId"]]
    assert KEY not in json.dumps([r.to_json() for r in rows])


def test_message_ids_are_fresh_per_send_and_stable_per_retry(segment_server):
    job_items = items(1)  # the same rendered event, sent twice (a re-send)
    segment_server.script(respond(503), drop())
    waits = Waits()
    first = run(segment_server, job_items, waits=waits)
    second = run(segment_server, job_items)
    arrived = segment_server.wait_for(6)
    tracks = [r.json() for r in arrived if r.path == "/v1/track"]
    assert len(tracks) == 4  # 503, dropped, 200 — then the re-send's 200
    assert len({t["messageId"] for t in tracks[:3]}) == 1  # retries keep the id
    assert tracks[3]["messageId"] != tracks[0]["messageId"]  # a new send gets a new one
    assert tracks[0]["messageId"] != job_items[0].render.messages[0]["messageId"]
    sent_ats = [t["sentAt"] for t in tracks[:3]]
    assert len(set(sent_ats)) == 3 and sent_ats == sorted(sent_ats)  # per attempt
    assert first.results[0].attempts == 3 and first.results[0].accepted
    assert second.results[0].attempts == 1
    assert waits.delays == [pytest.approx(0.0075), pytest.approx(0.015)]  # capped exp.


def test_429_retry_after_is_honoured_and_capped(segment_server):
    segment_server.script(
        respond(429, headers={"Retry-After": "7"}), respond(429, headers={"Retry-After": "3600"})
    )
    waits = Waits()
    seen: list[AttemptProgress] = []
    report = run(
        segment_server, items(1)[:1], waits=waits, retry_after_cap=30, on_attempt=seen.append
    )
    assert waits.delays == [7.0, 30.0]
    assert report.results[0].attempts == 3 and report.results[0].accepted
    # A person watching is told each attempt and each wait, with its reason.
    assert [(p.endpoint, p.phase, p.attempt, p.max_attempts) for p in seen] == [
        ("track", Phase.SENDING, 1, 4), ("track", Phase.WAITING, 1, 4),
        ("track", Phase.SENDING, 2, 4), ("track", Phase.WAITING, 2, 4),
        ("track", Phase.SENDING, 3, 4), ("identify", Phase.SENDING, 1, 4),
    ]  # fmt: skip
    waiting = [p for p in seen if p.phase is Phase.WAITING]
    assert [(p.delay, p.reason, p.failure) for p in waiting] == [
        (7.0, "Retry-After", "HTTP 429"), (30.0, "Retry-After", "HTTP 429"),
    ]  # fmt: skip


def test_a_wait_without_retry_after_is_backoff_and_names_the_failure(segment_server):
    segment_server.script(drop(), respond(503))
    seen: list[AttemptProgress] = []
    report = run(segment_server, items(1)[:1], on_attempt=seen.append, retries=1)
    waiting = [p for p in seen if p.phase is Phase.WAITING]
    assert [(p.reason, p.failure, p.max_attempts) for p in waiting] == [
        ("backoff", "connection", 2)
    ]
    assert report.results[0].attempts == 2 and report.results[0].status == 503  # out of retries


def test_5xx_is_retried_until_the_retries_run_out(segment_server, store):
    segment_server.script(*[respond(503, {"message": "busy"})] * 4)
    report = run(segment_server, items(1), history=store, retries=3)
    track = report.results[0]
    assert track.attempts == 4 and track.status == 503
    assert track.error is not None and track.error.kind is FailureKind.HTTP
    assert "503" in track.error.message and "busy" in track.error.message
    assert report.results[1].accepted  # identify still goes out afterwards
    [row] = store.query(HistoryQuery())
    assert row.status is Status.FAILED and row.http_status == 503 and row.attempts == 5


@pytest.mark.parametrize("status", [400, 401, 404, 501, 505])
def test_other_4xx_and_501_505_are_never_retried(segment_server, status):
    segment_server.script(respond(status))
    report = run(segment_server, items(1))
    assert report.results[0].attempts == 1 and report.results[0].status == status
    assert len([r for r in segment_server.requests if r.path == "/v1/track"]) == 1


def test_408_is_retried(segment_server):
    segment_server.script(respond(408))
    assert run(segment_server, items(1)).results[0].attempts == 2


def test_nan_is_refused_before_sending_and_the_server_rejects_bad_json(segment_server):
    job_items = items(1)
    bad = dict(job_items[0].render.messages[0], properties={"revenue": float("nan")})
    with pytest.raises(InvalidMessageError, match="NaN"):
        run(segment_server, [SendItem(job_items[0].render, messages=(bad,))])
    assert segment_server.requests == []
    answer = http_post(f"{segment_server.base_url}/track", content=b'{"revenue": NaN}')
    assert answer.status_code == 400 and answer.json()["message"] == "Invalid JSON"


def test_a_400_from_the_server_is_reported_and_not_retried(segment_server):
    segment_server.script(respond(400, {"success": False, "message": "Invalid JSON"}))
    report = run(segment_server, items(1))
    assert report.results[0].status == 400 and report.results[0].attempts == 1
    assert "Invalid JSON" in report.results[0].error.message  # type: ignore[union-attr]


def test_dropped_connections_are_retried_then_reported(segment_server):
    segment_server.script(drop(), drop())
    report = run(segment_server, items(1)[:1], retries=1)
    track = report.results[0]
    assert track.attempts == 2 and track.status is None
    assert track.error is not None and track.error.kind is FailureKind.CONNECTION


def test_a_slow_answer_past_the_read_timeout_is_a_timeout(segment_server):
    segment_server.script(slow(5.0))
    report = run(segment_server, items(1), retries=0, read_timeout=0.3)
    track = report.results[0]
    assert track.error is not None and track.error.kind is FailureKind.TIMEOUT
    assert "read timeout" in track.error.message and track.attempts == 1
    # The server would have answered 200 after 5 s: no status means the client gave up
    # before any answer came (the timeout fired), on its one request.
    assert track.status is None
    assert [r.path for r in segment_server.requests].count("/v1/track") == 1


def test_connection_refused_names_the_port(store):
    with socket.socket() as sock:  # a port that nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    job = SendJob(
        items(1),
        custom_target(f"http://127.0.0.1:{port}/v1"),
        KEY,
        DeliveryOptions(retries=1, backoff_base=0.01),
    )
    waits = Waits()
    report = asyncio.run(SendService(history=store, sleep=waits).send(job))
    track = report.results[0]
    assert track.error is not None and track.error.kind is FailureKind.REFUSED
    assert f"127.0.0.1:{port}" in track.error.message and track.attempts == 2
    assert store.query(HistoryQuery())[0].error_kind == "refused"


def test_cancelling_a_send_gives_a_cancelled_result_and_row(segment_server, store):
    segment_server.script(slow(10.0))
    job = SendJob(items(3), custom_target(segment_server.base_url), KEY)

    async def go() -> SendReport:
        task = asyncio.create_task(SendService(history=store).send(job))
        await asyncio.to_thread(segment_server.wait_for, 1)
        task.cancel()
        return await task

    report = asyncio.run(go())
    assert report.cancelled and len(report.results) == 1
    assert report.results[0].error.kind is FailureKind.CANCELLED  # type: ignore[union-attr]
    rows = store.query(HistoryQuery())
    assert [r.status for r in rows] == [Status.CANCELLED]  # later events never started


def test_batch_packs_under_500kb_and_2500_messages(segment_server, store):
    job_items = items(400, pad=2000)  # 800 messages of ~3 KB: more than one request
    report = run(segment_server, job_items, history=store, batch=True)
    arrived = segment_server.requests
    assert len(arrived) == len(report.results) >= 3
    assert all(r.path == "/v1/batch" for r in arrived)
    assert all(len(r.body) <= BATCH_BUDGET < 500_000 for r in arrived)
    want = [m["messageId"] for o in report.outcomes for m in o.messages]
    # Requests overlap, so they may arrive in any order; each is a run of the plan.
    runs = sorted(([m["messageId"] for m in r.messages] for r in arrived), key=lambda run:
                  want.index(run[0]))  # fmt: skip
    assert [i for run in runs for i in run] == want  # all, once, in order
    assert all(r.json()["sentAt"] == r.messages[0]["sentAt"] for r in arrived)
    assert all(r.accepted for r in report.results)
    assert store.count(HistoryQuery(status=Status.ACCEPTED)) == 400
    row = store.query(HistoryQuery(), limit=1)[0]
    assert len(row.requests[0]["body"]["batch"]) == 2  # this event's part of the batch
    # The row's headers are its whole request's as previewed (taken from the wire
    # request rather than serialising the batch again): Content-Length included.
    last = report.outcomes[-1].requests[-1]
    (wire,) = [r for r in arrived if r.messages[-1]["messageId"] == want[-1]]
    assert row.requests[0]["headers"] == last.preview()["headers"]
    assert row.requests[0]["headers"]["Content-Length"] == str(len(wire.body))
    assert row.requests[0]["batch_messages"] == len(wire.messages)


def test_batch_caps_messages_per_request(segment_server):
    render = items(1)[0].render
    tiny = [
        SendItem(render, messages=({"type": "track", "userId": f"u{i}", "event": "e"},))
        for i in range(2600)
    ]
    report = run(segment_server, tiny, batch=True)
    sizes = [len(r.messages) for r in segment_server.requests]  # they may arrive in any order
    assert sorted(sizes) == [100, 2500] and all(r.accepted for r in report.results)
    assert [len(r.message_ids) for r in report.results] == [2500, 100]  # results: in order


def test_a_message_over_32kb_is_refused_before_sending(segment_server, store):
    job_items = items(2) + items(1, pad=40_000)
    with pytest.raises(TooLargeError, match=r"32 KB per-message limit \(32768 bytes\)"):
        run(segment_server, job_items, history=store)
    assert segment_server.requests == [] and store.count() == 0


def test_response_bodies_are_bounded(segment_server):
    segment_server.script(respond(200, b"x" * 100_000))
    report = run(segment_server, items(1)[:1], max_response_bytes=1000)
    response = report.results[0].response
    assert response is not None and response.truncated and len(response.body) == 1000


def test_sandbox_events_are_skipped_and_recorded(segment_server, store):
    body = make_events(1)[0]
    body["event"]["environment"] = "SANDBOX"
    result = Renderer().render(parse_event(body), IntegrationSettings())
    report = run(segment_server, [SendItem(result, input=body)], history=store)
    assert report.results == [] and len(report.skipped) == 1
    assert segment_server.requests == []
    [row] = store.query(HistoryQuery())
    assert row.status is Status.SKIPPED and "sandbox" in row.error


def test_an_unknown_host_is_a_dns_failure_and_not_retried():
    job = SendJob(items(1), custom_target("https://collector.invalid/v1"), KEY,
                  DeliveryOptions(retries=3))  # fmt: skip
    report = asyncio.run(SendService(sleep=Waits()).send(job))
    track = report.results[0]
    assert track.error is not None and track.error.kind is FailureKind.DNS
    assert "collector.invalid" in track.error.message and track.attempts == 1


def _self_signed(tmp_path: Path) -> tuple[Path, ssl.SSLContext]:
    """A certificate for 127.0.0.1 and a server context serving it."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        # An EC key: made in milliseconds (an RSA-2048 one takes up to seconds)
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return cert, context


def test_tls_is_verified_a_self_signed_server_is_refused(tmp_path):
    _, context = _self_signed(tmp_path)
    with SegmentServer(tls=context) as server:
        report = run(server, items(1))
        assert server.requests == []  # nothing got past the handshake
    track = report.results[0]
    assert track.error is not None and track.error.kind is FailureKind.TLS
    assert "certificate" in track.error.message and track.attempts == 1


def test_tls_trust_loads_on_first_connection_from_ssl_cert_file(tmp_path, monkeypatch):
    """The shared context loads its CA bundle when it first wraps a connection (a send
    to loopback http:// never pays for it), from $SSL_CERT_FILE as httpx's did: the
    certificate trusted there gets through, verified."""
    from app.delivery import tls, transport

    cert, context = _self_signed(tmp_path)
    fresh = tls.shared_context.__wrapped__()  # the process-wide one may have loaded already
    assert fresh.cert_store_stats()["x509_ca"] == 0
    monkeypatch.setattr(transport, "shared_context", lambda: fresh)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    with SegmentServer(tls=context) as server:
        report = run(server, items(1))
        assert len(server.requests) == 2
    assert report.all_accepted
    assert fresh.cert_store_stats()["x509_ca"] == 1
