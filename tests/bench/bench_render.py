"""Render 10,000 RevenueCat events: in-process and through the real CLI (NDJSON).

Not a timed test: prints events/s. Target: ≥ 20,000 events/s in-process on 2 cores.
Run: .venv/bin/python tests/bench/bench_render.py
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from app.core.catalogue import CATALOGUE  # noqa: E402
from app.core.model import parse_event  # noqa: E402
from app.core.render import Renderer  # noqa: E402
from app.core.settings import IntegrationSettings, RevenueMode  # noqa: E402
from app.core.templates import template_for, webhook_body  # noqa: E402

N = 10_000


def make_events() -> list[dict[str, object]]:
    keys = list(CATALOGUE)
    base = 1_760_000_000_000
    return [webhook_body(template_for(keys[i % len(keys)], base + i * 1000)) for i in range(N)]


def in_process(bodies: list[dict[str, object]]) -> float:
    renderer = Renderer()
    settings = IntegrationSettings(revenue_mode=RevenueMode.AFTER_COMMISSION_AND_TAXES)
    start = time.perf_counter()
    for body in bodies:
        renderer.render(parse_event(body), settings)
    return time.perf_counter() - start


def render_only(bodies: list[dict[str, object]]) -> float:
    renderer = Renderer()
    settings = IntegrationSettings(revenue_mode=RevenueMode.AFTER_COMMISSION_AND_TAXES)
    events = [parse_event(body) for body in bodies]
    start = time.perf_counter()
    for event in events:
        renderer.render(event, settings)
    return time.perf_counter() - start


def via_cli(path: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "app", "render", str(path)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def main() -> None:
    bodies = make_events()
    runs = [in_process(bodies) for _ in range(5)]
    best, median = min(runs), statistics.median(runs)
    print(
        f"in-process, validate + render: {N / median:,.0f} events/s median, {N / best:,.0f} best "
        f"({median * 1e6 / N:.1f} µs/event) — target ≥ 20,000"
    )
    only = statistics.median(render_only(bodies) for _ in range(5))
    print(
        f"  of which rendering already-validated events: {N / only:,.0f} events/s "
        f"({only * 1e6 / N:.1f} µs/event); validation is the rest"
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "events.ndjson"
        path.write_text("\n".join(json.dumps(b) for b in bodies) + "\n")
        cli = statistics.median(via_cli(path) for _ in range(3))
        print(
            f"CLI (python -m app render, NDJSON, whole process): {N / cli:,.0f} events/s "
            f"({cli:.2f} s)"
        )


if __name__ == "__main__":
    main()
