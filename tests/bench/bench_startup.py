"""Desktop start-up and re-render latency.

1. Time from process start to the first painted main window, for the app
   (`python -m app gui --smoke --report-first-paint`) and for a bare PySide6 QMainWindow
   of the same size, measured in the same run, alternating, several times each. Both
   print "first-paint" from an event filter on the window's first Paint event; the clock
   runs in this (parent) process from just before the spawn to reading that line.
   Target: app ≤ 1.5 × bare. Also reported: time until the app is fully loaded (engine,
   history, HTTP client, default event rendered) and has exited, as --smoke does.
2. Re-render latency: a form edit (the price field) through the Workbench to the
   payload tabs being redrawn, in-process. Target: median < 16 ms.
3. The history table over 100,000 rows: open, fetch pages while scrolling, filter.

Not collected by pytest. Run:
    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_startup.py
"""

from __future__ import annotations

import os

# No display here: the in-process parts (re-render, history) run offscreen like the rest.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
RUNS = 7

BARE = """
import sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1280, 820)
class First(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print("first-paint", flush=True)
            app.exit(0)
        return False
spy = First()
window.installEventFilter(spy)
window.show()
sys.exit(app.exec())
"""


def _first_paint(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(seconds to the "first-paint" line, seconds to the "ready" line — or to process
    exit when the program prints no such line)."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    painted = time.perf_counter() - started
    ready_line = proc.stdout.readline()
    done = time.perf_counter() - started
    _out, err = proc.communicate(timeout=60)
    if "ready" not in ready_line:
        done = time.perf_counter() - started
    if "first-paint" not in line or proc.returncode != 0:
        raise SystemExit(f"{cmd[:4]} failed ({proc.returncode}): {line!r} {err[-500:]}")
    return painted, done


def startup() -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        "QT_API": "pyside6",
    }
    bare: list[float] = []
    app: list[float] = []
    ready: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        app_cmd = [
            sys.executable,
            "-m",
            "app",
            "gui",
            "--smoke",
            "--report-first-paint",
            "--data-dir",
            tmp,
        ]
        _first_paint(app_cmd, env)  # warm the file cache and create the data dir
        _first_paint([sys.executable, "-c", BARE], env)
        for _ in range(RUNS):
            bare.append(_first_paint([sys.executable, "-c", BARE], env)[0])
            painted, done = _first_paint(app_cmd, env)
            app.append(painted)
            ready.append(done)
    b, a, r = statistics.median(bare), statistics.median(app), statistics.median(ready)
    print(f"first paint, median of {RUNS} alternating runs:")
    print(
        f"  bare PySide6 QMainWindow : {b * 1000:7.1f} ms   (all: "
        f"{', '.join(f'{x * 1000:.0f}' for x in bare)})"
    )
    print(
        f"  rc-segment-tester        : {a * 1000:7.1f} ms   (all: "
        f"{', '.join(f'{x * 1000:.0f}' for x in app)})"
    )
    print(f"  ratio app / bare         : {a / b:7.2f}   (target ≤ 1.5)")
    print(
        f"  app ready (panels built over storage/delivery, default event rendered and "
        f"painted): {r * 1000:.1f} ms (median)"
    )


def rerender() -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from app.ui.wiring import request_renderer
    from app.ui.workbench import Workbench

    from app.delivery import SendService
    from app.state.profiles import ProfileBook, SessionVault
    from app.storage.profiles import ProfileStore
    from app.ui.compose.event_panel import EventPanel
    from app.ui.compose.payload_panel import PayloadPanel
    from app.ui.compose.settings_panel import SettingsPanel

    bench = Workbench()
    event = EventPanel(bench)
    SettingsPanel(bench)
    payload = PayloadPanel(bench)
    from app.ui.compose.connection_panel import ConnectionPanel

    scratch = tempfile.mkdtemp()
    connection = ConnectionPanel(ProfileBook(ProfileStore.in_dir(scratch), SessionVault()))
    payload.set_request_renderer(request_renderer(SendService(), connection))
    payload.resize(700, 700)
    payload.show()
    event.select_type("initial_purchase")
    app.processEvents()
    price = event.form.editor("price")
    timings = []
    for i in range(300):
        started = time.perf_counter()
        price.setText(f"{9 + i % 50}.{i % 100:02d}")  # type: ignore[union-attr]
        app.processEvents()  # include the repaint of the visible tab
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    print("re-render after a form edit (form → engine → 4 payload tabs → repaint):")
    print(
        f"  median {statistics.median(timings):.2f} ms, p90 {timings[int(len(timings) * 0.9)]:.2f}"
        f" ms, max {timings[-1]:.2f} ms   (target: median < 16 ms)"
    )
    print(f"  engine render alone (Workbench.render_ms, last): {bench.render_ms:.2f} ms")


def history_model(rows: int = 100_000) -> None:
    """The history table over a big store: opening, scrolling pages, filtering."""
    from PySide6.QtCore import QModelIndex
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from app.storage import HistoryStore, Mode, NewEntry, Outcome, Status
    from app.ui.history.history_model import PAGE
    from app.ui.history.history_panel import HistoryPanel

    with tempfile.TemporaryDirectory() as tmp:
        store = HistoryStore.in_dir(tmp)
        entries = [
            NewEntry(
                mode=Mode.LIVE,
                target="us",
                event_type="renewal",
                event_name="rc_renewal_event",
                user_id=f"user_{i:06d}",
                message_ids=[f"m{i}-a", f"m{i}-b"],
            )
            for i in range(rows)
        ]
        ids = store.begin_many(entries)
        store.finish_many(
            ids, Outcome(status=Status.ACCEPTED, http_status=200, elapsed_ms=40.0, attempts=1)
        )
        started = time.perf_counter()
        panel = HistoryPanel(store, lambda: "")
        panel.resize(1200, 400)
        panel.show()
        app.processEvents()
        opened = (time.perf_counter() - started) * 1000
        model = panel.model
        pages = []
        for _ in range(300):  # scrolling through 30,000 rows: does a deep page cost more?
            t = time.perf_counter()
            model.fetchMore(QModelIndex())
            pages.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        panel.table.scrollToBottom()
        app.processEvents()
        scroll = (time.perf_counter() - t) * 1000
        loaded, total = model.rowCount(), model.total
        t = time.perf_counter()
        panel.text.setText("user_0999")
        panel.apply_filter()  # what the typing pause triggers: count + first page
        app.processEvents()
        filtered = (time.perf_counter() - t) * 1000
        print(f"history table over {rows:,} rows:")
        print(
            f"  open (count + first page + paint): {opened:.1f} ms; after scrolling "
            f"{loaded:,} rows loaded of {total:,}"
        )
        print(
            f"  fetchMore page of {PAGE}: median {statistics.median(pages):.1f} ms, "
            f"last (rows {len(pages) * PAGE:,}) {pages[-1]:.1f} ms, "
            f"max {max(pages):.1f} ms; scroll to bottom + paint {scroll:.1f} ms"
        )
        print(f"  text filter (user_0999 → {model.total} rows): {filtered:.1f} ms")
        panel.close()
        store.close()


if __name__ == "__main__":
    startup()
    rerender()
    history_model()
