"""Delivery throughput: the app's batched send vs Segment's official Python library.

1. 2,000 RevenueCat events (4,000 Segment messages) to a loopback receiver
   (`tests.support.segment_server`, in its own process), answering at once, then again with
   50 ms of latency before each answer. Contenders, each a whole process,
   timed from spawn to exit, alternating order per round:
   - app: `python -m app send events.ndjson --endpoint … --batch` (reads and renders the
     RevenueCat events, records 2,000 history rows, sends /batch requests);
   - lib: `segment-analytics-python` (the `bench` extra) given the *already rendered*
     messages (a head start: no rendering, no history), `Client(host=…)`, default
     upload_size (100), upload_interval lowered to 10 ms so its last partial batch does
     not wait 0.5 s, then `flush()` and `shutdown()`;
   - lib+render: the same library, but reading and rendering the RevenueCat events with
     `app.core` first, as the app does (the like-for-like comparison);
   - lib defaults+render: lib+render with the library's own settings, as a user's
     program runs it (upload_interval 0.5 s: the last partial batch waits for it);
   - no-history (diagnostic): the app's `SendService` without a history store;
   - floor (diagnostic): what any `send --batch` of this design pays before it sends or
     records anything: importing the send command's modules (the engine, pydantic, httpx,
     asyncio, sqlite3), reading and rendering the events, and encoding the messages as
     they go on the wire. Nothing is sent, so the receiver is not asked.
   All others must get all 4,000 messages to the receiver. Target: app/lib+render ≤ 0.5.
   With no latency every contender is CPU-bound; when floor/lib+render is already over
   0.5, no delivery and history on top of that floor can reach the target there.
2. Per-send overhead: one track message, N sequential sends, in-process, same receiver:
   `SendService.send` (plan, fresh ids, size checks, history row begin + finish) vs a bare
   `httpx.AsyncClient.post` of the same bytes over a keep-alive connection.

Not collected by pytest. Run:
    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python tests/bench/bench_delivery.py
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from app.core.model import parse_event  # noqa: E402
from app.core.render import Renderer  # noqa: E402
from app.core.settings import IntegrationSettings  # noqa: E402
from app.delivery import DeliveryOptions, SendItem, SendJob, SendService  # noqa: E402
from app.delivery.target import custom_target  # noqa: E402
from app.storage import HistoryStore  # noqa: E402
from tests.support.webhooks import KEY, make_events  # noqa: E402

EVENTS = 2000
ROUNDS = 8  # the first is a warm-up
SENDS = 300
LATENCY = 0.050  # seconds the stand-in waits before each answer
LATENCY_ROUNDS = 4

LIB = """
import json, sys
from datetime import datetime
from segment.analytics import Client
host, path, key, mode = sys.argv[1:5]
client = Client(key, host=host, upload_interval=0.01, max_queue_size=100000)
if mode == "rendered":
    messages = (json.loads(line) for line in open(path))
else:  # like the app: read the RevenueCat events and render them with app.core
    from app.commands.common import read_events
    from app.core.render import Renderer
    from app.core.settings import IntegrationSettings
    renderer, settings = Renderer(), IntegrationSettings()
    messages = (m for e in read_events([path]) for m in renderer.render(e.event, settings).messages)
for m in messages:
    when = datetime.fromisoformat(m["timestamp"].replace("Z", "+00:00"))
    if m["type"] == "track":
        client.track(user_id=m["userId"], event=m["event"], properties=m["properties"],
                     context=m["context"], timestamp=when, message_id=m["messageId"])
    else:
        client.identify(user_id=m["userId"], traits=m["traits"], context=m["context"],
                        timestamp=when, message_id=m["messageId"])
client.flush()
client.shutdown()
"""


#: The library as it ships: its own upload_interval (0.5 s).
LIB_DEFAULTS = LIB.replace("upload_interval=0.01, ", "")
assert LIB_DEFAULTS != LIB


#: The app's delivery path without history (diagnostic: how much of the gap is recording).
NO_HISTORY = """
import asyncio, sys
from app.commands.common import read_events
from app.core.render import Renderer
from app.core.settings import IntegrationSettings
from app.delivery import DeliveryOptions, SendItem, SendJob, SendService
from app.delivery.target import custom_target
renderer, settings = Renderer(), IntegrationSettings()
events = read_events([sys.argv[2]])
items = [SendItem(renderer.render(e.event, settings), input=e.raw) for e in events]
job = SendJob(items, custom_target(sys.argv[1]), sys.argv[3], DeliveryOptions(batch=True))
async def main():
    async with SendService() as service:
        return await service.send(job)
assert asyncio.run(main()).all_accepted
"""


#: The floor: what `send --batch` loads, reads, renders and encodes, and no more.
FLOOR = """
import sys
import app.cli, app.commands.send, app.delivery.service, app.storage.history
from app.commands.common import read_events
from app.core.render import Renderer
from app.core.settings import IntegrationSettings
from app.delivery.packing import encoded
renderer, settings = Renderer(), IntegrationSettings()
events = read_events([sys.argv[1]])
messages = [m for e in events for m in renderer.render(e.event, settings).messages]
assert len(b"".join(encoded(messages))) > 0
assert {"httpx", "asyncio", "sqlite3"} <= set(sys.modules)
"""


class Receiver:
    """The loopback Segment in its own process (so its threads do not share our GIL);
    `delay`: seconds before each answer (a stand-in for the network's latency)."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay

    def __enter__(self) -> Receiver:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.support.segment_server", "--delay", str(self.delay)],
            cwd=ROOT, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert self.proc.stdout is not None
        self.base_url = self.proc.stdout.readline().strip()
        self.origin = self.base_url.removesuffix("/v1")
        return self

    def stats(self) -> dict[str, int]:
        return dict(httpx.get(f"{self.origin}/stats").json())

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def timed(
    cmd: list[str], receiver: Receiver, messages: int, env: dict[str, str]
) -> tuple[float, float]:
    """(wall seconds, CPU seconds user+sys) of one whole child process."""
    before = receiver.stats()["messages"]
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - usage.ru_utime) + (after.ru_stime - usage.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"{cmd[:4]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    if messages == 0:  # sends nothing
        return wall, cpu
    got = receiver.stats()["messages"] - before
    if got != messages:
        raise SystemExit(f"{cmd[:4]}: receiver got {got} messages, expected {messages}")
    return wall, cpu


def throughput(receiver: Receiver, tmp: Path, rounds: int = ROUNDS) -> None:
    bodies = make_events(EVENTS)
    events = tmp / "events.ndjson"
    events.write_text("".join(json.dumps(b) + "\n" for b in bodies))
    renderer = Renderer()
    rendered = tmp / "messages.ndjson"
    with rendered.open("w") as out:
        for body in bodies:
            for message in renderer.render(parse_event(body), IntegrationSettings()).messages:
                out.write(json.dumps(message) + "\n")
    messages = 2 * EVENTS
    env = {**os.environ, "SEGMENT_WRITE_KEY": KEY}
    env.pop("RC_SEGMENT_TESTER_HOME", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # both sides start from .pyc, as installed
    names = ("app", "lib", "lib+render", "lib defaults", "no-history", "floor")
    times: dict[str, list[float]] = {name: [] for name in names}
    cpus: dict[str, list[float]] = {name: [] for name in times}
    for n in range(rounds):
        cmds = {
            "app": [sys.executable, "-m", "app", "send", str(events), "--batch",
                    "--endpoint", receiver.base_url, "--data-dir", str(tmp / f"data{n}")],
            "lib": [sys.executable, "-c", LIB, receiver.origin, str(rendered), KEY, "rendered"],
            "lib+render": [sys.executable, "-c", LIB, receiver.origin, str(events), KEY, "rc"],
            "lib defaults": [sys.executable, "-c", LIB_DEFAULTS, receiver.origin, str(events),
                             KEY, "rc"],
            "no-history": [sys.executable, "-c", NO_HISTORY, receiver.base_url, str(events), KEY],
            "floor": [sys.executable, "-c", FLOOR, str(events)],
        }  # fmt: skip
        order = list(cmds) if n % 2 == 0 else list(cmds)[::-1]
        for name in order:
            wall, cpu = timed(cmds[name], receiver, 0 if name == "floor" else messages, env)
            if n > 0:  # round 0 warms caches and writes .pyc files
                times[name].append(wall)
                cpus[name].append(cpu)
    med = {name: statistics.median(runs) for name, runs in times.items()}
    latency = f", {receiver.delay * 1e3:.0f} ms latency per request" if receiver.delay else ""
    print(
        f"{EVENTS} events / {messages} messages{latency}, {rounds - 1} alternating rounds, "
        "wall time:"
    )
    labels = {
        "app": "app send --batch (read, render, history, send)",
        "lib": "segment-analytics, pre-rendered messages",
        "lib+render": "segment-analytics, read + render with app.core",
        "lib defaults": "the same, the library's own settings",
        "no-history": "app delivery without history (diagnostic)",
        "floor": "floor: imports, read, render, encode (diag.)",
    }
    for name, runs in times.items():
        print(f"  {labels[name]:<48} median {med[name]:.3f} s  "
              f"(runs: {', '.join(f'{x:.2f}' for x in runs)}); "
              f"CPU median {statistics.median(cpus[name]):.3f} s")  # fmt: skip
    print(f"  ratio app / lib (pre-rendered)           {med['app'] / med['lib']:.2f}")
    print(f"  ratio app / lib+render (like for like)   {med['app'] / med['lib+render']:.2f}"
          "  (target ≤ 0.5: at least 2x faster)")  # fmt: skip
    print(f"  ratio app / lib defaults+render          {med['app'] / med['lib defaults']:.2f}"
          "  (the library as a user's program runs it)")  # fmt: skip
    print(f"  ratio no-history / lib+render            {med['no-history'] / med['lib+render']:.2f}"
          "  (the delivery layer alone)")  # fmt: skip
    floor = med["floor"] / med["lib+render"]
    verdict = "over 0.5: the target is out of reach" if floor > 0.5 else "under 0.5: reachable"
    print(f"  ratio floor / lib+render                 {floor:.2f}  ({verdict} at this latency)")


async def overhead(receiver: Receiver, tmp: Path) -> None:
    body = make_events(1)[0]
    result = Renderer().render(parse_event(body), IntegrationSettings())
    item = SendItem(result, input=body, messages=(result.messages[0],))
    job = SendJob([item], custom_target(receiver.base_url), KEY, DeliveryOptions())
    raw = json.dumps(result.messages[0], separators=(",", ":")).encode()
    headers = {"Authorization": "Basic x", "Content-Type": "application/json"}
    url = f"{receiver.base_url}/track"
    with HistoryStore.in_dir(tmp / "overhead") as store:
        async with SendService(history=store) as service, httpx.AsyncClient() as client:
            bare: list[float] = []
            app: list[float] = []
            cpu = {"bare": 0.0, "app": 0.0}
            for _ in range(20):  # warm both paths and the connections
                await client.post(url, content=raw, headers=headers)
                await service.send(job)
            for _ in range(SENDS):
                start, tick = time.perf_counter(), time.process_time()
                response = await client.post(url, content=raw, headers=headers)
                bare.append(time.perf_counter() - start)
                cpu["bare"] += time.process_time() - tick
                assert response.status_code == 200
                start, tick = time.perf_counter(), time.process_time()
                report = await service.send(job)
                app.append(time.perf_counter() - start)
                cpu["app"] += time.process_time() - tick
                assert report.all_accepted
    b, a = statistics.median(bare) * 1e3, statistics.median(app) * 1e3
    print(f"per-send, one track message, {SENDS} sends each (median):")
    cb, ca = (cpu[k] / SENDS * 1e3 for k in ("bare", "app"))
    print(f"  bare httpx POST      {b:.3f} ms wall, {cb:.3f} ms CPU")
    print(
        f"  SendService.send     {a:.3f} ms wall, {ca:.3f} ms CPU  "
        f"(+{a - b:.3f} ms wall, +{ca - cb:.3f} ms CPU: ids, sizes, previews, history row)"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as name, Receiver() as receiver:
        tmp = Path(name)
        throughput(receiver, tmp)
        asyncio.run(overhead(receiver, tmp))
    with tempfile.TemporaryDirectory() as name, Receiver(delay=LATENCY) as receiver:
        throughput(receiver, Path(name), rounds=LATENCY_ROUNDS)


if __name__ == "__main__":
    main()
