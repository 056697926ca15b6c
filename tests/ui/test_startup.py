"""The real `python -m app gui` process: start-up puts only what the first usable window
needs on its critical path, Qt's own options reach Qt, the smoke run paints and saves
the window (in presentation mode, on a 1366×768 laptop screen), `--print-state` prints
the state in force from existing data (a version-1 profiles.json and a ui.ini written
before this version), and an option nobody knows is one line (one GUI process for all
but the last, which stops before a window: each GUI process costs about a second)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def existing_data(data: Path) -> None:
    """A Staging profile (EU, net revenue, sandbox sent, renewal renamed) chosen last."""
    data.mkdir()
    settings = {"revenue_mode": "after_commission_and_taxes", "send_sandbox": True,
                "event_names": {"renewal": "Renewed"}}  # fmt: skip
    (data / "profiles.json").write_text(json.dumps({
        "version": 1, "last": "Staging",
        "profiles": {"Default": {"region": "us", "endpoint": "", "settings": {}},
                     "Staging": {"region": "eu", "endpoint": "", "settings": settings}},
    }))  # fmt: skip
    (data / "ui.ini").write_text("[last]\nevent_type=renewal\nprofile=Staging\n")


def check_state(line: str) -> None:
    """`--print-state`: what Send would use, from the existing data."""
    state = json.loads(line)
    assert set(state) == {"profile", "settings", "segment_event", "messages", "presentation"}
    assert state["profile"] == "Staging" and state["presentation"] is True
    assert state["settings"]["revenue_mode"] == "after_commission_and_taxes"
    assert state["settings"]["send_sandbox"] is True
    assert state["settings"]["event_names"]["renewal"] == "Renewed"
    assert state["segment_event"] == "renewal"
    track, identify = state["messages"]
    assert track["type"] == "track" and identify["type"] == "identify"
    assert track["event"] == "Renewed"
    price = track["properties"]["revenue"]
    assert 0 < price < 9.99  # net of commission and tax, as the profile says


def test_first_paint_qt_options_print_state_and_the_smoke_screenshot(tmp_path: Path) -> None:
    """`--report-first-paint` prints "ready" followed by any of httpx, keyring, asyncio,
    qasync, uvicorn and the hidden tabs' modules (Integration settings, identity,
    lifecycles, capture) that were imported before the window was usable (they load
    right after). The same run takes Qt's own options and `--presentation`, prints the
    state in force (`--print-state`) and writes the smoke screenshot: the window fits
    the screen, the presentation banner on top."""
    screen = tmp_path / "laptop.json"  # a 1366×768 laptop screen for the offscreen window
    screen.write_text(json.dumps({"screens": [
        {"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpi": 96}
    ]}))  # fmt: skip
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={screen}"}
    env.pop("PYTHON_KEYRING_BACKEND", None)
    existing_data(tmp_path / "data")
    base = [sys.executable, "-m", "app", "gui", "--smoke", "--data-dir", str(tmp_path / "data")]
    shot = tmp_path / "shot.png"
    done = subprocess.run(
        [*base, "--report-first-paint", "--presentation", "--print-state",
         "--screenshot", str(shot), "-style", "fusion", "-reverse"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:2] == ["first-paint", "ready"] and len(lines) == 3
    check_state(lines[2])
    from PySide6.QtGui import QColor, QImage

    image = QImage(str(shot))
    assert (image.width(), image.height()) == (1280, 768)  # cut to the screen's height
    # The presentation banner's blue runs across the top of the window.
    assert image.pixelColor(image.width() // 2, 45) == QColor("#1a5fb4")
    bad = subprocess.run([*base, "-no-such-option"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60)  # fmt: skip
    assert bad.returncode == 2 and bad.stderr.strip().count("\n") == 0
    assert "-no-such-option" in bad.stderr and "Traceback" not in bad.stderr


def test_the_benchmark_count_ends_at_ready(tmp_path: Path) -> None:
    """`--exit-at-ready` (the start-up benchmark's instruction count) ends the process
    right after "ready", exit 0; without the smoke run it reports it is for, one line."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    base = [sys.executable, "-m", "app", "gui", "--data-dir", str(tmp_path / "data")]
    done = subprocess.run(
        [*base, "--smoke", "--report-first-paint", "--exit-at-ready"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["first-paint", "ready"]
    alone = subprocess.run([*base, "--exit-at-ready"], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=60)  # fmt: skip
    assert alone.returncode == 2
    assert alone.stderr == "error: --exit-at-ready needs --smoke --report-first-paint\n"


def test_no_app_module_opts_into_a_pyside_feature() -> None:
    """app.ui.shell.feature_scan answers PySide6's per-import scan without reading the
    sources, which holds only while no module of the app selects a `__feature__`."""
    users = [p for p in (ROOT / "app").rglob("*.py") if "__feature__" in p.read_text("utf-8")]
    assert users == [ROOT / "app" / "ui" / "shell" / "feature_scan.py"]
