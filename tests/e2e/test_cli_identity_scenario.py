"""The `identity` and `scenario` commands, in-process (the `cli` fixture, here `app`);
tests/e2e/test_cli_process.py runs `scenario` as a real process too."""

import json

import pytest

from tests.support.cli import ROOT, InProcessCli


@pytest.fixture
def app(cli: InProcessCli) -> InProcessCli:
    """`python -m app ARGS…`, in-process."""
    return cli


def test_identity_contract(app):
    sample = str(ROOT / "sample_events" / "renewal.revenuecat.json")
    proc = app("identity", sample, "--app-user-id", "USER_4821")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["verdict"] == "differs_by_case" and out["match"] is False
    assert out["segment_user_id"] == "user_4821"
    assert set(out) >= {"verdict", "match", "segment_user_id", "message", "fix"}
    exact = json.loads(app("identity", sample, "--app-user-id", "user_4821").stdout)
    assert exact["match"] is True


def test_identity_bad_input_exits_2(app):
    proc = app(
        "identity", "-", "--app-user-id", "x", stdin='{"type": "TRANSFER", "event_timestamp_ms": 1}'
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "event.app_user_id" in proc.stderr
    missing = app("identity", str(ROOT / "sample_events" / "renewal.revenuecat.json"))
    assert missing.returncode == 2 and "--app-user-id" in missing.stderr


def test_scenario_render_feeds_render(app):
    listing = app("scenario", "list", "--json")
    names = [json.loads(line)["name"] for line in listing.stdout.splitlines()]
    assert "trial_to_expiration" in names and len(names) == 8
    events = app(
        "scenario",
        "render",
        "billing_recovered",
        "--start",
        "2026-01-01T00:00:00Z",
        "--renewals",
        "1",
        "--price",
        "4.99",
        "--store",
        "STRIPE",
    )
    assert events.returncode == 0, events.stderr
    lines = events.stdout.splitlines()
    assert len(lines) == 4
    bodies = [json.loads(line) for line in lines]
    assert all(b["api_version"] == "1.0" and b["event"]["store"] == "STRIPE" for b in bodies)
    rendered = app("render", "-", "--revenue", "gross", stdin=events.stdout)
    outs = [json.loads(line) for line in rendered.stdout.splitlines()]
    assert [o["segment_event"] for o in outs] == [
        "initial_purchase",
        "renewal",
        "billing_issue",
        "renewal",
    ]
    assert sum(o["messages"][0]["properties"]["revenue"] for o in outs) == 3 * 4.99


def test_scenario_bad_input(app):
    assert app("scenario", "render", "nope").returncode == 2
    bad = app("scenario", "render", "one_off", "--start", "yesterday")
    assert bad.returncode == 2 and "ISO-8601" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.parametrize("start", ["1969-12-01T00:00:00Z", "9999-12-31T00:00:00Z"])
def test_scenario_start_outside_what_render_accepts_is_refused(app, start):
    # Was clamped silently: negative purchase times, or events `render` then refuses.
    bad = app("scenario", "render", "trial_to_expiration", "--start", start)
    assert bad.returncode == 2 and bad.stdout == ""
    [line] = bad.stderr.splitlines()
    assert line.startswith("error: start:") and "1970–9999" in line


def test_scenario_from_1970_renders(app):
    events = app("scenario", "render", "one_off", "--start", "1970-01-02T00:00:00Z")
    assert events.returncode == 0, events.stderr
    assert app("render", "-", stdin=events.stdout).returncode == 0
