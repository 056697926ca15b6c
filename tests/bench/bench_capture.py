"""Capture receiver throughput, latency, memory and the webhook answer under a slow Segment.

    .venv/bin/python tests/bench/bench_capture.py [--seconds 60] [--quick]

Each figure is printed beside a baseline measured in the same run with the same load
generator: a bare uvicorn "hello world" (same uvicorn, same httptools parser, same thread
layout, an ASGI app that reads the body and answers 200 with no parsing or recording).
The load comes from a separate process (raw keep-alive sockets, asyncio), so the client
does not share the server's GIL. Targets (2-core machine):

* >= 2,000 single calls/s over keep-alive, every one recorded;
* >= 50,000 messages/s in /v1/batch, every one recorded;
* p99 answer < 20 ms at 1,000 calls/s (open loop: requests go out on schedule);
* memory flat under `--seconds` of load (bounded buffer, backpressure);
* a webhook answered in < 100 ms while the forward target takes seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import resource
import socket
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import httpx
import uvicorn

from app.capture import CaptureConfig, CaptureServer, Limits
from app.delivery import DeliveryOptions
from app.delivery.target import custom_target
from tests.support.segment_server import SegmentServer

MESSAGE = {
    "type": "track", "userId": "user_4821", "anonymousId": "5b1c2f7e-anon",
    "event": "Button Clicked", "properties": {"screen": "paywall", "variant": "b", "n": 1},
    "context": {"library": {"name": "analytics-python", "version": "2.3.4"}},
    "timestamp": "2026-12-01T10:00:00.000Z", "messageId": "m-0000",
}  # fmt: skip
AUTH = b"Authorization: Basic d2tfYmVuY2g6\r\n"


def request(path: str, body: bytes) -> bytes:
    return (
        (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n"
        ).encode()
        + AUTH
        + b"\r\n"
        + body
    )


def batch_body(size: int) -> bytes:
    return json.dumps({"batch": [dict(MESSAGE, messageId=f"m-{i}") for i in range(size)]}).encode()


# -- the load generator (a separate process) ---------------------------------------------


async def _connection(
    port: int, payload: bytes, until: float, interval: float | None, out: list[float]
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    next_at = time.perf_counter()
    while True:
        now = time.perf_counter()
        if now >= until:
            break
        if interval is not None:  # open loop: each request on its schedule
            if next_at > now:
                await asyncio.sleep(next_at - now)
            start, next_at = max(next_at, now), next_at + interval
        else:
            start = now
        writer.write(payload)
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
        await reader.readexactly(length)
        if not head.startswith(b"HTTP/1.1 200"):
            raise RuntimeError(head.decode(errors="replace"))
        out.append((time.perf_counter() - start) * 1000)
    writer.close()


def _load(port: int, payload: bytes, connections: int, seconds: float, rate: float | None,
          results: Any) -> None:  # fmt: skip
    latencies: list[list[float]] = [[] for _ in range(connections)]
    interval = connections / rate if rate else None

    async def main() -> float:
        start = time.perf_counter()
        until = start + seconds
        await asyncio.gather(*(
            _connection(port, payload, until, interval, latencies[i]) for i in range(connections)
        ))  # fmt: skip
        return time.perf_counter() - start

    elapsed = asyncio.run(main())
    results.put((elapsed, [x for part in latencies for x in part]))


def load(port: int, payload: bytes, *, connections: int, seconds: float,
         rate: float | None = None) -> tuple[float, list[float]]:  # fmt: skip
    """(elapsed seconds, latencies in ms) of a load run from another process."""
    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    proc = ctx.Process(target=_load, args=(port, payload, connections, seconds, rate, results))
    proc.start()
    elapsed, latencies = results.get(timeout=seconds + 120)
    proc.join()
    return elapsed, latencies


# -- the two servers ---------------------------------------------------------------------


async def _hello(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    more = True
    while more:
        message = await receive()
        more = message.get("more_body", False)
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json"), (b"content-length", b"16")],
        }
    )
    await send({"type": "http.response.body", "body": b'{"success":true}'})  # fmt: skip


class Bare:
    """uvicorn hello-world in its own thread: the baseline."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        config = uvicorn.Config(_hello, lifespan="off", log_config=None, access_log=False,
                                http="httptools")  # fmt: skip
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self._run)

    def _run(self) -> None:
        try:
            import uvloop
        except ImportError:  # the receiver falls back to asyncio's loop the same way
            asyncio.run(self.server.serve([self.sock]))
            return
        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            runner.run(self.server.serve([self.sock]))

    def __enter__(self) -> Bare:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join()


def recorded_messages(data_dir: Path) -> int:
    conn = sqlite3.connect(data_dir / "history.sqlite3")
    (n,) = conn.execute(
        "SELECT coalesce(sum(CASE WHEN h.event_type = 'batch' THEN "
        "json_array_length(p.input_json, '$.batch') ELSE 1 END), 0) FROM history h "
        "JOIN history_payload p ON p.id = h.id WHERE h.mode = 'captured' AND h.status = 'accepted'"
    ).fetchone()
    conn.close()
    return int(n)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98]


def line(name: str, ours: float, base: float, unit: str, target: str) -> None:
    ratio = ours / base if base else float("nan")
    print(f"{name:<38} {ours:>10,.1f} {unit:<10} bare uvicorn {base:>10,.1f}  ratio {ratio:5.2f}  "
          f"target {target}")  # fmt: skip


# -- the measurements --------------------------------------------------------------------


def throughput(seconds: float) -> None:
    single = request("/v1/track", json.dumps(MESSAGE).encode())
    batch_size = 500
    batch = request("/v1/batch", batch_body(batch_size))
    with Bare() as bare:
        cpu = time.process_time()
        base_calls = load(bare.port, single, connections=8, seconds=seconds)
        base_cpu = time.process_time() - cpu
        base_batch = load(bare.port, batch, connections=4, seconds=seconds)
    with tempfile.TemporaryDirectory() as tmp:
        server = CaptureServer(tmp)
        address = server.start("127.0.0.1", 0)
        cpu = time.process_time()
        calls = load(address.port, single, connections=8, seconds=seconds)
        calls_cpu = time.process_time() - cpu
        batches = load(address.port, batch, connections=4, seconds=seconds)
        server.stop()
        stored = recorded_messages(Path(tmp))
    sent = len(calls[1]) + len(batches[1]) * batch_size
    line("single calls/s (keep-alive)", len(calls[1]) / calls[0],
         len(base_calls[1]) / base_calls[0], "calls/s", ">= 2,000")  # fmt: skip
    # CPU time of the server process per call: what the figure above costs, whatever else
    # the machine is doing (the load generator runs in another process).
    line("server CPU per single call", calls_cpu / len(calls[1]) * 1e6,
         base_cpu / len(base_calls[1]) * 1e6, "us", "")  # fmt: skip
    line("batch messages/s (500 per /v1/batch)", len(batches[1]) * batch_size / batches[0],
         len(base_batch[1]) * batch_size / base_batch[0], "msgs/s", ">= 50,000")  # fmt: skip
    print(f"{'recorded':<38} {stored:>10,} of {sent:,} messages sent"
          f"{'  (every one)' if stored == sent else '  MISSING SOME'}")  # fmt: skip


def latency(seconds: float) -> None:
    single = request("/v1/track", json.dumps(MESSAGE).encode())
    with Bare() as bare:
        _, base = load(bare.port, single, connections=10, seconds=seconds, rate=1000)
    with tempfile.TemporaryDirectory() as tmp:
        server = CaptureServer(tmp)
        address = server.start("127.0.0.1", 0)
        elapsed, ours = load(address.port, single, connections=10, seconds=seconds, rate=1000)
        server.stop()
    print(f"{'offered rate':<38} {len(ours) / elapsed:>10,.1f} calls/s")
    line("p99 answer at 1,000 calls/s", p99(ours), p99(base), "ms", "< 20 ms")
    line("p50 answer at 1,000 calls/s", statistics.median(ours), statistics.median(base), "ms", "")


def memory(seconds: float) -> None:
    payload = request("/v1/batch", batch_body(100))
    with tempfile.TemporaryDirectory() as tmp:
        server = CaptureServer(tmp)
        address = server.start("127.0.0.1", 0)
        samples: list[float] = []
        done = threading.Event()

        def sample() -> None:
            while not done.wait(1.0):
                samples.append(rss_mb())

        sampler = threading.Thread(target=sample)
        sampler.start()
        load(address.port, payload, connections=6, seconds=seconds)
        done.set()
        sampler.join()
        server.stop()
    tenth = max(1, len(samples) // 10)
    early, late = statistics.mean(samples[:tenth]), statistics.mean(samples[-tenth:])
    with Bare() as bare:
        before = rss_mb()
        load(bare.port, payload, connections=6, seconds=min(seconds, 10))
        bare_growth = rss_mb() - before
    print(f"{'RSS over ' + f'{seconds:g} s of /v1/batch load':<38} {early:>10,.1f} MB first "
          f"10% -> {late:,.1f} MB last 10% (growth {late - early:+.1f} MB; peak "
          f"{max(samples):,.1f} MB); bare uvicorn grew {bare_growth:+.1f} MB "
          "target: flat")  # fmt: skip


def webhook(delay: float) -> None:
    body = json.loads(
        (
            Path(__file__).resolve().parents[2] / "sample_events" / "renewal.revenuecat.json"
        ).read_text()
    )
    with tempfile.TemporaryDirectory() as tmp, SegmentServer(delay=delay) as segment:
        config = CaptureConfig(forward=custom_target(segment.base_url), write_key="wk_bench",
                               options=DeliveryOptions(read_timeout=delay * 4))  # fmt: skip
        server = CaptureServer(tmp, config, Limits(stop_timeout=2.0))  # then the rest: abandoned
        address = server.start("127.0.0.1", 0)
        times = []
        with httpx.Client() as http:
            for i in range(20):
                event = dict(body["event"], id=f"bench-{i}")
                start = time.perf_counter()
                answer = http.post(address.revenuecat_webhook, json={**body, "event": event})
                times.append((time.perf_counter() - start) * 1000)
                assert answer.status_code == 200
        direct_start = time.perf_counter()
        httpx.post(segment.base_url + "/track", json={"userId": "u"}, timeout=delay * 4)
        direct = (time.perf_counter() - direct_start) * 1000
        server.stop()
    line("webhook answer, Segment taking "
         f"{delay:g} s (max of 20)", max(times), direct, "ms", "< 100 ms")  # fmt: skip
    print(f"{'':<38} (baseline here: one request straight to that Segment stand-in)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="memory run length")
    parser.add_argument("--quick", action="store_true", help="short runs (while developing)")
    args = parser.parse_args()
    phase = 3.0 if args.quick else 10.0
    print(f"capture bench: {phase:g} s per throughput/latency run, {args.seconds:g} s memory run")
    throughput(phase)
    latency(phase)
    webhook(2.0)
    memory(args.seconds)


if __name__ == "__main__":
    main()
