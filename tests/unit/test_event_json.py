"""`parse_event_json` (one NDJSON line validated from its text, what `render` reads) must
give exactly the event the exact path gives, `parse_event(strict_json.loads(text))`, or
None (the caller then takes that path): the same field values of the same types (1 vs
1.0, -0.0, every float bit), the same unknown fields in the same order, the same fields
set. Whenever the exact path raises, it returns None, so every error message stays that
path's. The render bytes depend on it (the same events render the same lines)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.commands.common import CliError, read_blocks, read_rendered_blocks
from app.core import strict_json
from app.core.errors import EventInputError
from app.core.event_json import parse_event_json
from app.core.model import MAX_MS, RevenueCatEvent, parse_event
from tests.support.engine import same


def _exact(text: str) -> RevenueCatEvent | None:
    try:
        return parse_event(strict_json.loads(text))
    except (json.JSONDecodeError, EventInputError):
        return None


def _check(text: str) -> None:
    fast, exact = parse_event_json(text), _exact(text)
    if exact is None:
        assert fast is None, text
        return
    if fast is None:  # allowed (the exact path decides), but not for ordinary events
        return
    assert same(fast.__dict__, exact.__dict__), text
    assert same(fast.__pydantic_extra__, exact.__pydantic_extra__), text
    assert fast.model_fields_set == exact.model_fields_set, text
    assert fast == exact


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)
maybe = st.none
ms = st.integers(min_value=-1, max_value=MAX_MS + 1)
number = st.one_of(maybe(), st.integers(-5, 5), st.floats(allow_nan=False), st.just(-0.0))
event_fields = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["RENEWAL", "INITIAL_PURCHASE", "TRANSFER", "X", ""]),
        "event_timestamp_ms": st.one_of(ms, st.just(1.0), st.just("1")),
        "app_user_id": st.one_of(maybe(), st.text(max_size=8)),
        "environment": st.sampled_from(["PRODUCTION", "SANDBOX", "production", None]),
    },
    optional={
        "price": number,
        "tax_percentage": number,
        "commission_percentage": number,
        "is_trial_conversion": st.one_of(maybe(), st.booleans(), st.just(1)),
        "aliases": st.one_of(maybe(), st.lists(st.text(max_size=5), max_size=3), st.just([1])),
        "purchased_at_ms": st.one_of(maybe(), ms),
        "subscriber_attributes": st.one_of(
            maybe(),
            st.dictionaries(
                st.text(max_size=5),
                st.dictionaries(st.sampled_from(["value", "updated_at_ms"]), json_values),
                max_size=3,
            ),
        ),
        "unknown": json_values,
        "api_version": json_values,
        "event": json_values,
    },
)


@given(event_fields, st.sampled_from(["bare", "body", "body+extra"]), st.booleans())
def test_any_event_reads_as_the_exact_path_reads_it(
    event: dict[str, Any], shape: str, ascii_only: bool
) -> None:
    document: Any = event
    if shape != "bare":
        document = {"api_version": "1.0", "event": event}
        if shape == "body+extra":
            document["type"] = event["type"]  # then the body is the event (parse_event's rule)
    _check(json.dumps(document, ensure_ascii=ascii_only))


EVENT = '"type": "RENEWAL", "event_timestamp_ms": 1, "app_user_id": "u", "environment": "SANDBOX"'


@pytest.mark.parametrize(
    "extra",
    ['"x": 1e400', '"x": -1E+400', '"x": [1' + "0" * 400 + '.0]', '"x": 1e308',
     '"subscriber_attributes": {"a": {"value": 1e999}}', '"x": "\\ud800"', '"x": "\\udc00x"',
     '"x": "\\ud83d\\ude00"', '"x": ' + "1" * 5000, '"price": "x", "price": 1',
     '"price": 1, "price": "x"', '"x": 1, "y": 2, "x": 3', '"price": 1e2', '"price": -0.0',
     '"price": 18446744073709551616', '"tax_percentage": 1', '"x": "\x7f\u202e"'],
)  # fmt: skip
def test_edges_read_the_same(extra: str) -> None:
    event = f"{{{EVENT}, {extra}}}"
    for text in (event, f'{{"api_version": "1.0", "event": {event}}}'):
        _check(text)


@pytest.mark.parametrize("depth", [*range(94, 103), 150])
@pytest.mark.parametrize("where", ["event", "attribute", "body"])
@pytest.mark.parametrize("inner", ["", "0"])
def test_nesting_at_the_limit_reads_the_same(depth: int, where: str, inner: str) -> None:
    deep = "[" * depth + inner + "]" * depth
    event = f'{{{EVENT}, "x": {deep}}}'
    if where == "attribute":
        event = f'{{{EVENT}, "subscriber_attributes": {{"a": {{"value": {deep}}}}}}}'
    bodies = [f'{{"api_version": {deep if where == "body" else 1}, "event": {event}}}']
    for text in [*bodies, event]:
        _check(text)


def test_a_surrogate_character_in_the_text_itself_is_left_to_the_exact_path() -> None:
    assert parse_event_json(f'{{{EVENT}, "x": "\ud800"}}') is None


def test_ordinary_events_take_the_fast_path() -> None:
    """Not a correctness rule, but the point: a webhook body or a bare event reads in one pass."""
    assert parse_event_json(f'{{"api_version": "1.0", "event": {{{EVENT}}}}}') is not None
    assert parse_event_json(f"{{{EVENT}}}") is not None


LINES = [
    f'{{"api_version": "1.0", "event": {{{EVENT}}}}}',
    f'{{{EVENT}, "price": 1e400}}',
    f'{{{EVENT}, "price": "9.99"}}',
    '{"type": "RENEWAL"}',
    "[1, 2]",
    "{nope",
    f"\ufeff{{{EVENT}}}",
]


def _outcome(read: Any, path: Path) -> Any:
    try:
        blocks = [
            [e.event if hasattr(e, "event") else e for e in block] for block in read([str(path)])
        ]
    except CliError as exc:
        return "error", str(exc)
    return "ok", blocks


@given(st.lists(st.sampled_from(LINES), min_size=1, max_size=6))
def test_render_reads_what_read_blocks_reads(tmp_path_factory: Any, lines: list[str]) -> None:
    """The same events in the same blocks, or the same error, line number and all."""
    path = tmp_path_factory.mktemp("in") / "events.ndjson"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert _outcome(_events_as_rendered, path) == _outcome(read_blocks, path)


def _events_as_rendered(paths: list[str]) -> Any:
    """`read_rendered_blocks` with each event as its own output."""
    return read_rendered_blocks(paths, lambda event, _chars: event)  # type: ignore[arg-type, return-value]
