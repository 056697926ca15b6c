"""The window's history table at 100,000 rows: filter latency, memory per loaded row, and
garbage-collector pauses while scrolling, each beside a baseline from the same run.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_window.py [--rows N]

Baselines: the filter against the plain `LIKE` page run bare on sqlite3 (the SQL the
filter ran before the trigram signature, `app.storage.grams`, stood in front of it, so
the ratio says what the window costs over it and what the signature saves); memory and GC
pauses against holding the whole rows (documents included), which is what the table
held before it held light rows. Rows are realistic in size (bench_history.fill).
Targets: first page after a filter ≤ 25 ms; ≤ 1 KB per loaded row; no GC pause > 30 ms.
"""

from __future__ import annotations

import argparse
import gc
import os
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_history import fill

from app.storage import HistoryStore
from app.storage.query import _like_pattern

FILTERS = ("user-00999", "rc_renewal", "msg-00012345", "nothing-like-this")


def median_ms(action: Callable[[], object], runs: int = 9) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


class Pauses:
    """Every garbage collection's duration, via gc.callbacks."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self._started = 0.0

    def __call__(self, phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.times.append((time.perf_counter() - self._started) * 1000)

    def __enter__(self) -> Pauses:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *_: object) -> None:
        gc.callbacks.remove(self)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    rows = parser.parse_args().rows
    from PySide6.QtCore import QModelIndex
    from PySide6.QtWidgets import QApplication

    from app.state.presentation import Presenter
    from app.ui.history.history_panel import HistoryPanel

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "history.sqlite3"
        fill(path, rows)
        store = HistoryStore(path)
        panel = HistoryPanel(store, Presenter())
        panel.resize(1200, 400)
        panel.show()
        app.processEvents()
        raw = sqlite3.connect(path)
        print(f"history table over {rows:,} rows")
        print(
            "  filter → first page shown (count capped, light rows, paint) vs the bare LIKE page:"
        )
        for text in FILTERS:

            def shown(text: str = text) -> None:
                panel.text.setText(text)
                panel.apply_filter()
                app.processEvents()

            def bare(text: str = text) -> None:
                raw.execute(
                    "SELECT * FROM history WHERE search LIKE ? ESCAPE '\\' "
                    "ORDER BY created_at DESC, id DESC LIMIT 100",
                    (_like_pattern(text),),
                ).fetchall()

            ours, base = median_ms(shown), median_ms(bare)
            print(f"    {text!r:16} {ours:6.1f} ms   bare LIKE {base:6.1f} ms   ratio "
                  f"{ours / base:5.2f}   ({panel.count.text()})   target ≤ 25 ms")  # fmt: skip
        panel.text.setText("")
        panel.apply_filter()

        model = panel.model
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        while model.canFetchMore(QModelIndex()):
            model.fetchMore(QModelIndex())
        light = (tracemalloc.get_traced_memory()[0] - before) / max(model.rowCount(), 1)
        tracemalloc.stop()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        full = [r for offset in range(0, rows, 500) for r in store.query(offset=offset, limit=500)]
        whole = (tracemalloc.get_traced_memory()[0] - before) / max(len(full), 1)
        tracemalloc.stop()
        print(f"  memory per loaded row: {light:,.0f} B (light rows, {model.rowCount():,} "
              f"loaded)   whole rows {whole:,.0f} B   ratio {light / whole:.2f}   "
              f"target ≤ 1,024 B")  # fmt: skip

        for label, holding in (("light rows", None), ("whole rows held too", full)):
            panel.apply_filter()  # back to the first page
            with Pauses() as pauses:
                steps = 0
                while model.canFetchMore(QModelIndex()):
                    model.fetchMore(QModelIndex())
                    panel.table.scrollToBottom()
                    app.processEvents()
                    steps += 1
            worst = max(pauses.times, default=0.0)
            print(f"  GC while scrolling ({label}): {len(pauses.times)} collections over "
                  f"{steps} pages, longest {worst:.1f} ms   target: none > 30 ms")  # fmt: skip
            del holding
        del full
        raw.close()
        panel.close()
        store.close()


if __name__ == "__main__":
    main()
