"""Bad input at the edges, through the CLI (in-process, `tests.support.cli`): one line on
stderr that names the field and the problem, exit 2, never a traceback (an exception
escaping `app.cli.run` fails the test), and no JSON that is not JSON on stdout with
exit 0. tests/e2e/test_cli_process.py shows the same for the real process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import ROOT, InProcessCli, assert_one_clean_error
from tests.support.webhooks import KEY

SAMPLE = ROOT / "sample_events" / "renewal.revenuecat.json"
PROXY_VARS = ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY")


@pytest.fixture
def app(cli: InProcessCli, monkeypatch: pytest.MonkeyPatch) -> InProcessCli:
    """The CLI with no proxy variable from the developer's environment."""
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    return cli


def _event(**changes: object) -> dict[str, object]:
    body = json.loads(SAMPLE.read_text())
    body["event"].update(changes)
    return body


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    big = json.dumps(_event()).replace('"price": 9.99', '"price": ' + "9" * 5000)
    (tmp_path / "big.json").write_text(big)
    inf = _event(subscriber_attributes={"a": {"value": 1, "updated_at_ms": 1}})
    (tmp_path / "inf.json").write_text(json.dumps(inf).replace('"value": 1,', '"value": 1e400,'))
    (tmp_path / "pretty.json").write_text(
        '{\n  "event": {\n    "type": "RENEWAL"\n    "x": 1\n}}\n'
    )
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "profiles.json").write_text('{"profiles": {"staging": 5}}')
    samples = tmp_path / "samples"
    samples.mkdir()
    (samples / "README.md").write_bytes(b"\xff\xfe not text")
    return {"dir": str(tmp_path)}


CASES = [
    # (argv, what the one line must contain)
    (["render", "{dir}/big.json"], "4,300 digits"),
    (["render", "{dir}/inf.json"], "1e400 is too large"),
    (["render", "{dir}/pretty.json"], "line 4: invalid JSON"),
    (["history", "list", "--since", "0001-01-01T00:00:00+01:00", "--data-dir", "{dir}/d"],
     "--since"),
    (["history", "export", "-", "--until", "9999-12-31T23:59:59-01:00", "--data-dir", "{dir}/d"],
     "--until"),
    (["scenario", "render", "trial_to_expiration", "--start", "9999-12-31T23:30:00-01:00"],
     "--start"),
    (["send", str(SAMPLE), "--profile", "staging", "--data-dir", "{dir}/data", "--preview"],
     "not a JSON object"),
    (["samples", "--dir", str(SAMPLE), "--write"], "is a file"),
    (["samples", "--dir", "{dir}/no/such/parent/samples", "--write"], "parent folder"),
    (["samples", "--dir", "{dir}/samples", "--check"], "README.md: not UTF-8 text"),
]  # fmt: skip

HOSTS = [
    ("https://a..b.example.com/v1", "empty label"),
    ("https://-a.example.com/v1", "hyphen"),
    ("https://a-.example.com/v1", "hyphen"),
    (f"https://{'a' * 64}.example.com/v1", "longer than 63"),
    ("https://xn--a.example.com/v1", "international name"),
    ("https://ü..example.com/v1", "empty label"),
    ("http:/127.0.0.1:8080", "missing a slash: did you mean 'http://127.0.0.1:8080'"),
]

PROXIES = [
    ("HTTPS_PROXY", "foo://proxy.example:3128", "unknown proxy scheme foo://"),
    ("ALL_PROXY", "socks5://127.0.0.1:1080", "socksio"),
    ("HTTPS_PROXY", "garbage", "not a proxy URL"),
    ("HTTPS_PROXY", "http://[::1", "not a valid proxy URL"),
    ("HTTP_PROXY", "foo://x:1", "HTTP_PROXY"),
]


@pytest.mark.parametrize(("argv", "words"), CASES)
def test_bad_input_is_one_line_and_exit_2(app, files, argv, words):
    proc = app(*(a.format(**files) for a in argv))
    assert_one_clean_error(proc, words)
    assert words in proc.stderr


@pytest.mark.parametrize(("endpoint", "words"), HOSTS)
def test_malformed_host_names_are_one_line(app, tmp_path, endpoint, words):
    proc = app("send", str(SAMPLE), "--endpoint", endpoint, "--data-dir", str(tmp_path),
               env={"SEGMENT_WRITE_KEY": KEY})  # fmt: skip
    assert_one_clean_error(proc)
    assert words in proc.stderr and "endpoint" in proc.stderr


@pytest.mark.parametrize(("variable", "value", "words"), PROXIES)
def test_malformed_proxy_variables_are_one_line(app, tmp_path, variable, value, words):
    proc = app("send", str(SAMPLE), "--region", "us", "--data-dir", str(tmp_path),
               env={"SEGMENT_WRITE_KEY": KEY, variable: value})  # fmt: skip
    assert_one_clean_error(proc)
    assert words in proc.stderr and variable in proc.stderr


def test_non_utf8_stdin_is_refused_like_a_file(app, tmp_path):
    raw = SAMPLE.read_bytes().replace(b"user_4821", b"user_\xff")
    proc = app("render", "-", stdin=raw)
    assert_one_clean_error(proc)
    assert "stdin: not UTF-8 text" in proc.stderr
    (tmp_path / "bad.json").write_bytes(raw)
    assert "not UTF-8 text" in app("render", str(tmp_path / "bad.json")).stderr


def test_a_damaged_profiles_file_is_not_reported_as_none_saved(app, tmp_path):
    (tmp_path / "profiles.json").write_text('{"profiles": {')
    proc = app("send", str(SAMPLE), "--profile", "staging", "--data-dir", str(tmp_path),
               "--preview")  # fmt: skip
    assert_one_clean_error(proc)
    assert "profiles.json cannot be read" in proc.stderr
    assert "none saved yet" not in proc.stderr
