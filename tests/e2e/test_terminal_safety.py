"""Control characters in stored or typed values (a userId with ESC[31m, a C1 CSI, a bidi
override) never reach a terminal raw: every command's stdout and stderr escape them,
and JSON output still decodes to the very same value. The commands run in-process
(`tests.support.cli`): what they write to stdout and stderr is what a terminal gets."""

from __future__ import annotations

import json

from app.core.terminal import json_text, safe_text
from tests.support.cli import ROOT, InProcessCli

SAMPLE = ROOT / "sample_events" / "renewal.revenuecat.json"

HOSTILE = "\x1b[31mred\x9b2J\u202eevil\x07"
RAW = ("\x1b", "\x9b", "\u202e", "\x07")


def test_hostile_user_ids_are_escaped_in_every_output(cli: InProcessCli, tmp_path):
    body = json.loads(SAMPLE.read_text())
    body["event"]["app_user_id"] = HOSTILE
    events = tmp_path / "e.json"
    events.write_text(json.dumps(body))
    data = str(tmp_path / "data")
    runs = {
        "render": cli("render", str(events)),
        "identity": cli("identity", str(events), "--app-user-id", HOSTILE),
        "send": cli("send", str(events), "--preview", "--region", "us", "--data-dir", data),
        "list": cli("history", "list", "--data-dir", data),
        "list --json": cli("history", "list", "--json", "--data-dir", data),
        "show": cli("history", "show", "1", "--data-dir", data),
        "export": cli("history", "export", "-", "--data-dir", data),
        "error": cli("send", str(events), "--profile", HOSTILE, "--preview", "--data-dir", data),
    }
    for name, proc in runs.items():
        assert proc.returncode == (2 if name == "error" else 0), (name, proc.stderr)
        for text in (proc.stdout, proc.stderr):
            assert not any(c in text for c in RAW), (name, text)
    assert json.loads(runs["render"].stdout)["messages"][0]["userId"] == HOSTILE
    assert json.loads(runs["list --json"].stdout)["user_id"] == HOSTILE
    assert json.loads(runs["show"].stdout)["user_id"] == HOSTILE
    assert "\\x1b[31mred" in runs["list"].stdout  # shown, but inert
    assert runs["error"].stderr.count("\n") == 1


def test_the_helpers():
    assert safe_text("a\x1bb\nc", keep="\n") == "a\\x1bb\nc"
    assert safe_text("plain") == "plain"
    assert json.loads(json_text({"u": HOSTILE})) == {"u": HOSTILE}
    assert not any(c in json_text({"u": HOSTILE}) for c in RAW)
