"""`gui --smoke --print-state`: the state in force after start-up, from existing data (a
version-1 profiles.json and a ui.ini written before this version), printed as JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_print_state_shows_what_send_would_use_from_existing_data(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    settings = {"revenue_mode": "after_commission_and_taxes", "send_sandbox": True,
                "event_names": {"renewal": "Renewed"}}  # fmt: skip
    (data / "profiles.json").write_text(json.dumps({
        "version": 1, "last": "Staging",
        "profiles": {"Default": {"region": "us", "endpoint": "", "settings": {}},
                     "Staging": {"region": "eu", "endpoint": "", "settings": settings}},
    }))  # fmt: skip
    (data / "ui.ini").write_text("[last]\nevent_type=renewal\nprofile=Staging\n")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "app", "gui", "--smoke", "--print-state", "--data-dir", str(data)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    state = json.loads(done.stdout)
    assert set(state) == {"profile", "settings", "segment_event", "messages", "presentation"}
    assert state["profile"] == "Staging" and state["presentation"] is False
    assert state["settings"]["revenue_mode"] == "after_commission_and_taxes"
    assert state["settings"]["send_sandbox"] is True
    assert state["settings"]["event_names"]["renewal"] == "Renewed"
    assert state["segment_event"] == "renewal"
    track, identify = state["messages"]
    assert track["type"] == "track" and identify["type"] == "identify"
    assert track["event"] == "Renewed"
    price = track["properties"]["revenue"]
    assert 0 < price < 9.99  # net of commission and tax, as the profile says
