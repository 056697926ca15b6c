"""A bounded fuzz of `render`, `identity` and `send --preview`, in-process: whatever the
input file and flags, the command exits 0 with valid JSON lines on stdout, or exits 2
with one line on stderr, and never raises (a traceback)."""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import cli
from app.core.templates import template_for, webhook_body

BASE = webhook_body(template_for("renewal", 1_767_000_000_000))
FIELDS = [*BASE["event"], "subscriber_attributes", "type", "extra"]

# Values that have broken things before: huge numbers, infinities, controls, odd types.
TRICKY_TEXT = st.sampled_from([
    "", " ", "\x1b[31m", "\x9b", "\u202e", "\ud7ff", "$RCAnonymousID:abc", "é" * 40,
    "9" * 30, "1e400", "SANDBOX", "PRODUCTION", "TRIAL", "INTRO", "PROMOTIONAL", "RENEWAL",
    "INITIAL_PURCHASE", "CANCELLATION", "TRANSFER",
])  # fmt: skip
NUMBERS = st.one_of(
    st.integers(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0, -1, 2**63, -(2**63) - 1, 10**20, 1e308, -1e308, 5e-324]),
)
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, st.text(max_size=20), TRICKY_TEXT)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
# Text-level damage the JSON encoder cannot produce.
RAW_EDITS = st.sampled_from([
    None, ("1767000000000", "1e400"), ("1767000000000", "9" * 4400), ("9.99", "-1e400"),
    ("{", "[", 1), ("}", "", 1), ('"', "'", 1), (":", "::", 1), ("renewal", "\\ud800", 1),
])  # fmt: skip


@st.composite
def documents(draw: st.DrawFn) -> bytes:
    body: Any = json.loads(json.dumps(BASE))
    for _ in range(draw(st.integers(0, 3))):
        body["event"][draw(st.sampled_from(FIELDS))] = draw(VALUES)
    if draw(st.booleans()):
        body = body["event"]  # the bare event form
    text = json.dumps(
        body, ensure_ascii=draw(st.booleans()), indent=draw(st.sampled_from([None, 2]))
    )
    edit = draw(RAW_EDITS)
    if edit is not None:
        text = text.replace(*edit)
    data = text.encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 9)) == 0:
        data += draw(st.binary(min_size=1, max_size=4))  # not UTF-8, or trailing junk
    return data


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.run(argv)
    return code, out.getvalue(), err.getvalue()


def _strict(text: str) -> Any:
    def refuse(name: str) -> Any:
        raise ValueError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse)


def _check(argv: list[str]) -> None:
    code, out, err = _run(argv)
    assert "Traceback" not in err
    if code == 0:
        for line in out.splitlines():
            _strict(line)
        return
    assert code == 2, (argv, code, err)
    errors = [line for line in err.splitlines() if not line.startswith(("note: ", "skipped "))]
    assert len(errors) == 1 and errors[0].startswith("error: "), err


FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


RENDER_FLAGS = st.sampled_from(
    [
        [],
        ["--revenue", "after_commission_and_taxes"],
        ["--send-sandbox"],
        ["--event-name", "renewal="],
    ]
)


@FUZZ
@given(documents(), RENDER_FLAGS)
def test_render(document: bytes, flags: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "event.json"
        path.write_bytes(document)
        _check(["render", str(path), *flags])


@FUZZ
@given(documents(), st.one_of(TRICKY_TEXT, st.text(max_size=30)))
def test_identity(document: bytes, app_user_id: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "event.json"
        path.write_bytes(document)
        _check(["identity", str(path), f"--app-user-id={app_user_id}"])


ENDPOINTS = st.one_of(
    st.sampled_from([
        "--region=us", "--region=eu", "--endpoint=http://127.0.0.1:9/v1",
        "--endpoint=http:/127.0.0.1:8080", "--endpoint=https://a..b/v1",
        "--endpoint=https://xn--a.com", "--endpoint=localhost:1", "--endpoint=https://[::1",
    ]),
    st.text(max_size=30).map(lambda text: f"--endpoint={text}"),
)  # fmt: skip


@FUZZ
@given(documents(), ENDPOINTS, st.sampled_from([[], ["--batch"], ["--deadline", "nan"]]))
def test_send_preview(document: bytes, endpoint: str, flags: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "event.json"
        path.write_bytes(document)
        _check(["send", str(path), "--preview", endpoint, *flags, "--data-dir", tmp])
