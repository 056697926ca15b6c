"""`python -m app render` in-process (the `run` fixture): the contract other tools rely
on. tests/e2e/test_cli_process.py runs it as a real process too."""

import json
import subprocess
import sys
from collections.abc import Callable

import pytest

from tests.support.cli import ROOT, SAMPLES, InProcessCli, Result


@pytest.fixture
def run(cli: InProcessCli) -> Callable[..., Result]:
    """`python -m app render ARGS…`, in-process."""

    def run(*args: str, stdin: str | None = None) -> Result:
        return cli("render", *args, stdin=stdin or "")

    return run


def test_renders_a_webhook_body_like_the_committed_sample(run):
    proc = run(str(SAMPLES / "renewal.revenuecat.json"))
    assert proc.returncode == 0, proc.stderr
    [line] = proc.stdout.splitlines()
    out = json.loads(line)
    expected = json.loads((SAMPLES / "renewal.segment.json").read_text())
    assert set(out) == {"segment_event", "skipped", "warnings", "messages"}
    assert out["segment_event"] == "renewal"
    for got, want in zip(out["messages"], expected["messages"], strict=True):
        for volatile in ("messageId", "sentAt"):
            assert got.pop(volatile) and want.pop(volatile)
        assert got == want


def test_ndjson_from_stdin_gives_one_line_per_event(run):
    bodies = [
        json.loads((SAMPLES / f"{k}.revenuecat.json").read_text())
        for k in ("initial_purchase", "sandbox_purchase", "expiration")
    ]
    proc = run("-", stdin="\n".join(json.dumps(b) for b in bodies) + "\n")
    assert proc.returncode == 0, proc.stderr
    outs = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o["segment_event"] for o in outs] == [
        "initial_purchase",
        "initial_purchase",
        "expiration",
    ]
    assert outs[1]["skipped"] and outs[1]["messages"] == []
    assert [m["type"] for m in outs[0]["messages"]] == ["track", "identify"]


def test_options_rename_blank_and_revenue_mode(run):
    path = str(SAMPLES / "renewal.revenuecat.json")
    proc = run(path, "--revenue", "after_commission", "--event-name", "renewal=Renewed")
    track = json.loads(proc.stdout)["messages"][0]
    assert track["event"] == "Renewed"
    assert track["properties"]["revenue"] == 6.993
    blank = run(str(SAMPLES / "expiration.revenuecat.json"), "--event-name", "expiration=")
    assert blank.returncode == 0
    assert json.loads(blank.stdout)["skipped"]


def test_send_sandbox_flag(run):
    proc = run(str(SAMPLES / "sandbox_purchase.revenuecat.json"), "--send-sandbox")
    out = json.loads(proc.stdout)
    assert out["skipped"] is None
    assert out["messages"][0]["context"]["environment"] == "sandbox"


@pytest.mark.parametrize(
    ("args", "stdin", "needle"),
    [
        (["--event-name", "renewal="], None, "event-name renewal: is mandatory"),
        (["--event-name", "renewal"], None, "expected KEY=NAME"),
        (["--revenue", "net"], None, "invalid choice"),
        (
            ["-"],
            '{"type": "RENEWAL", "event_timestamp_ms": "yesterday"}',
            'event.event_timestamp_ms: expected an integer (ms since epoch), got "yesterday"',
        ),
        (["-"], "{not json", "invalid JSON"),
        (
            ["-"],
            '{"type":"RENEWAL","event_timestamp_ms":1,"app_user_id":"u",'
            '"environment":"PRODUCTION"}\n{"type": 5, "event_timestamp_ms": 1}\n',
            "stdin line 2: event.type: expected a string, got 5",
        ),
        (["/nonexistent/file.json"], None, "no such file"),
        (["-"], "[]", "stdin: holds no events"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(run, args, stdin, needle):
    if args[0].startswith("--"):
        args = [str(SAMPLES / "renewal.revenuecat.json"), *args]
    proc = run(*args, stdin=stdin)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert needle in lines[0]
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        ('"price": NaN', "NaN is not a JSON number"),
        ('"price": -Infinity', "-Infinity is not a JSON number"),
        ('"app_user_id": "\\ud800"', "unpaired UTF-16 surrogate"),
        ('"x": ' + "[" * 50_000 + "]" * 50_000, "nested too deeply"),
    ],
)
def test_what_is_not_json_is_one_line_exit_2(run, extra, problem):
    body = (
        '{"type": "RENEWAL", "app_user_id": "u", "environment": "PRODUCTION", '
        '"event_timestamp_ms": 1700000000000, ' + extra + "}"
    )
    proc = run("-", stdin=body)
    assert proc.returncode == 2
    assert proc.stdout == ""
    [line] = proc.stderr.splitlines()
    assert problem in line and "Traceback" not in proc.stderr


def test_a_huge_price_renders(run):
    body = (
        '{"type": "RENEWAL", "app_user_id": "u", "environment": "PRODUCTION", '
        '"event_timestamp_ms": 1700000000000, "price": 1e308}'
    )
    proc = run(
        "-",
        stdin=body,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["messages"][0]["properties"]["revenue"] == 1e308


def test_a_file_with_a_byte_order_mark_renders(run, tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + (SAMPLES / "renewal.revenuecat.json").read_bytes())
    proc = run(str(path))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["segment_event"] == "renewal"


def test_render_streams_lines_while_stdin_is_still_open():
    """Each line's output is written as soon as it is read: a consumer gets the first
    results before the producer has finished (or closed) its side of the pipe."""
    bodies = [(SAMPLES / f"{k}.revenuecat.json").read_text() for k in ("renewal", "expiration")]
    lines = [json.dumps(json.loads(b)) + "\n" for b in bodies]
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "render", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert proc.stdin and proc.stdout
        proc.stdin.write(lines[0] + lines[1])
        proc.stdin.flush()
        first = [json.loads(proc.stdout.readline()) for _ in range(2)]
        assert [o["segment_event"] for o in first] == ["renewal", "expiration"]
        proc.stdin.write(lines[0])
        proc.stdin.flush()
        assert json.loads(proc.stdout.readline())["segment_event"] == "renewal"
        proc.stdin.close()
        assert proc.wait(timeout=60) == 0
        assert proc.stdout.read() == ""
    finally:
        proc.kill()
        proc.wait()


def test_events_read_either_way_are_rendered_in_input_order(run):
    """A line whose "event" key is escaped is not read in one pass (app.core.event_json)
    but parsed, then validated; its messages still come between its neighbours', and the
    messageIds count up line after line (each event is rendered as it is read)."""
    event = '{"type": "RENEWAL", "event_timestamp_ms": 1, "app_user_id": "u%d", ' \
        '"environment": "PRODUCTION"}'  # fmt: skip
    lines = [
        '{"event": ' + event % 1 + "}",
        '{"\\u0065vent": ' + event % 2 + "}",
        event % 3,
        '{"event": ' + event % 4 + "}",
    ]
    proc = run("-", stdin="\n".join(lines) + "\n")
    assert proc.returncode == 0, proc.stderr
    outs = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [o["messages"][0]["userId"] for o in outs] == ["u1", "u2", "u3", "u4"]
    ids = [m["messageId"] for o in outs for m in o["messages"]]
    counters = [int(i.rsplit("-", 1)[1], 16) for i in ids]
    assert counters == sorted(counters) and len(set(ids)) == 8


def test_a_bad_event_after_good_ones_in_one_block_leaves_stdout_empty(run):
    """Events are rendered as they are read, but a block is written only once it is read
    whole: an input of one block is still all or nothing."""
    good = (SAMPLES / "renewal.revenuecat.json").read_text().replace("\n", " ")
    bad = '{"event": {"type": "RENEWAL", "event_timestamp_ms": "soon"}}'
    proc = run("-", stdin=f"{good}\n{good}\n{bad}\n")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "stdin line 3: event.event_timestamp_ms" in proc.stderr
