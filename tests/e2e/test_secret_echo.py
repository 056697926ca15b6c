"""A server that echoes the write key back in every encoding it might use: base64 with
and without the colon, URL-encoded, hex, JSON `\\u`-escaped, inside a longer base64 text,
in a header, and cut by the 64 KB body limit. After live sends, `history show` and an
export, none of those forms is in any file under the data dir or in any output (the
commands run in-process, `tests.support.cli`)."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote

from app.core.redact import MIN_CUT, redact_text
from tests.support.cli import write_events
from tests.support.segment_server import respond
from tests.support.webhooks import KEY, make_events

LIMIT = 64 * 1024  # DeliveryOptions.max_response_bytes


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _escaped(text: str) -> str:
    return "".join(f"\\u{ord(c):04x}" for c in text)


ECHOES = [
    _b64(f"{KEY}:".encode()),
    _b64(KEY.encode()),
    _b64(KEY.encode()).rstrip("="),
    quote(_b64(f"{KEY}:".encode()), safe=""),
    KEY.encode().hex(),
    KEY.encode().hex().upper(),
    _escaped(KEY),
    KEY[:10] + _escaped(KEY[10:20]) + KEY[20:],  # escaped in part
    _b64(b'{"writeKey": "' + KEY.encode() + b'"}'),  # the key inside a longer text
    base64.urlsafe_b64encode(f"{KEY}:".encode()).decode(),
]


def _forms() -> list[str]:
    """What must not survive anywhere: each echo and the key's own text; a 4-character
    window of base64 may be left on either side of the key inside a longer text."""
    inner = _b64(b'{"writeKey": "' + KEY.encode() + b'"}')
    return [*ECHOES[:8], ECHOES[9], KEY, inner[20:-8], KEY[: MIN_CUT + 8]]


def test_an_echoed_key_is_masked_in_every_encoding(cli, send, segment_server, tmp_path):
    data = tmp_path / "data"
    actions = [respond(200, {"echo": echo}) for echo in ECHOES]
    actions.append(respond(200, headers={"X-Echo": KEY.encode().hex()}))
    actions.append(respond(400, {"message": f"bad key {_escaped(KEY)}"}))
    # The key straddles the 64 KB cut: only its first characters are kept.
    actions.append(respond(200, b'{"pad": "' + b"x" * (LIMIT - 9 - 12) + KEY.encode() + b'"}'))
    actions.append(respond(200))
    segment_server.script(*actions)
    events = write_events(tmp_path / "e.ndjson", make_events(len(actions) // 2))
    proc = send(events, "--endpoint", segment_server.base_url, "--retries", "0", data_dir=data)
    assert "Traceback" not in proc.stderr
    assert len(segment_server.requests) == len(actions)
    outputs = [proc.stdout, proc.stderr]
    assert "••••7f8a" in proc.stdout  # the masks are there
    for args in (["history", "export", str(data / "all.json")], ["history", "show", "1"],
                 ["history", "list", "--json"]):  # fmt: skip
        shown = cli(*args, "--data-dir", str(data))
        assert shown.returncode == 0, shown.stderr
        outputs += [shown.stdout, shown.stderr]
    files = [p for p in data.rglob("*") if p.is_file()]
    assert any(p.name == "all.json" for p in files)
    exported = json.loads((data / "all.json").read_text())
    assert len(exported) == len(actions) // 2
    for form in _forms():
        for path in files:
            assert form.encode() not in path.read_bytes(), f"{form!r} in {path.name}"
        for text in outputs:
            assert form not in text, form


def test_redaction_of_a_cut_body_masks_only_the_tail():
    assert redact_text(f"ok {KEY[:6]}", [KEY], truncated=True) == "ok ••••7f8a"
    assert redact_text(f"ok {KEY[:6]}", [KEY]) == f"ok {KEY[:6]}"  # not cut: left alone
    assert redact_text(f"{KEY[:6]} ok", [KEY], truncated=True) == f"{KEY[:6]} ok"
