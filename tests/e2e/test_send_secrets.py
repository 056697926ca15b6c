"""After a full run — preview, live, failures, batch, export, cURL — the write key (raw or
Basic-encoded) is in no file under the data dir and in no output (the CLI runs in-process:
the `send` and `cli` fixtures capture everything it writes to stdout and stderr)."""

from __future__ import annotations

import base64

from tests.support.cli import write_events
from tests.support.segment_server import drop, respond
from tests.support.webhooks import KEY, make_events


def _forms(key: str) -> list[bytes]:
    """The key as text, and base64 of "key:" (the Authorization credential) at each of
    the three byte alignments it can take inside a longer base64 string."""
    forms = [key.encode(), base64.b64encode(f"{key}:".encode())]
    for shift in (1, 2):
        encoded = base64.b64encode(b"\0" * shift + key.encode())
        forms.append(encoded[4 : len(encoded) - 4])  # the part fixed by the key alone
    return forms


def test_the_key_leaks_nowhere(cli, send, segment_server, tmp_path):
    data = tmp_path / "data"
    events = write_events(tmp_path / "e.ndjson", make_events(3))
    outputs: list[str] = []

    def run(*args: str) -> None:
        proc = send(events, *args, data_dir=data)
        outputs.extend([proc.stdout, proc.stderr])
        assert "Traceback" not in proc.stderr

    base = segment_server.base_url
    run("--endpoint", base, "--preview")  # preview (with its masked cURL)
    run("--endpoint", base)  # live, accepted
    segment_server.script(
        respond(500, {"echo": f"Basic {base64.b64encode(f'{KEY}:'.encode()).decode()}"}),
        respond(400, {"message": f"bad key {KEY}"}),  # a server that echoes the key
        drop(),
    )
    run("--endpoint", base, "--retries", "0")  # failures, with echoed keys
    run("--endpoint", base, "--batch")
    run("--endpoint", "http://example.com/v1")  # refused before sending
    run("--endpoint", f"{base}/track", "--write-key", KEY, "--preview")
    export = data / "export.ndjson"
    exported = cli("history", "export", str(export), "--data-dir", str(data))
    assert exported.returncode == 0, exported.stderr
    outputs.extend([exported.stdout, exported.stderr])
    assert export.stat().st_size > 0
    assert any("7f8a" in o for o in outputs)  # the masked form is there...

    files = [p for p in data.rglob("*") if p.is_file()]
    assert any(p.name.endswith(".sqlite3") for p in files)
    for form in _forms(KEY):
        for path in files:  # ...the key is not: DB, WAL, export, anything else
            assert form not in path.read_bytes(), f"{form!r} found in {path}"
        for text in outputs:
            assert form.decode() not in text
    # The live runs did send, with the real key: the check above looks for the right bytes.
    token = _forms(KEY)[1].decode()
    assert all(r.headers["authorization"] == f"Basic {token}" for r in segment_server.requests)
