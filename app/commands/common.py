"""Pieces several commands share: reading RevenueCat events, integration-settings flags."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from app.commands.errors import CliError
from app.commands.reading import Input, documents
from app.core import strict_json
from app.core.errors import EventInputError
from app.core.event_json import parse_event_json
from app.core.model import RevenueCatEvent, parse_event
from app.core.settings import IntegrationSettings, RevenueMode, settings_from


@dataclass(frozen=True, slots=True)
class InputEvent:
    """One RevenueCat event read from a file, with where it came from."""

    source: str  # "events.ndjson line 3", for messages
    raw: dict[str, Any]  # the JSON as given (webhook body or bare event)
    event: RevenueCatEvent


def _is_ndjson(text: str, exc: json.JSONDecodeError) -> bool:
    """Whether a document that failed to parse whole is meant as one JSON value per line:
    "Extra data" after a first value, or a first line that is a value by itself. Else it
    is one (pretty-printed) document, and its error's line and column are the ones to show."""
    if exc.msg == "Extra data":
        return True
    first = text.lstrip().split("\n", 1)[0]
    try:
        strict_json.loads(first)
    except json.JSONDecodeError:
        return False
    return True


def _documents(label: str, text: str) -> Iterator[tuple[str, Any]]:
    """One JSON document (object or array of objects), or NDJSON: one per line."""
    try:
        whole = strict_json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg != "Extra data" and "\n" not in text.strip():
            raise CliError(f"{label}: invalid JSON ({exc.msg} at column {exc.colno})") from None
        if not _is_ndjson(text, exc):
            raise CliError(
                f"{label} line {exc.lineno}: invalid JSON ({exc.msg} at column {exc.colno})"
            ) from None
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                yield f"{label} line {number}", strict_json.loads(line)
            except json.JSONDecodeError as line_exc:
                raise CliError(
                    f"{label} line {number}: invalid JSON "
                    f"({line_exc.msg} at column {line_exc.colno})"
                ) from None
        return
    if isinstance(whole, list):
        for index, item in enumerate(whole):
            yield f"{label} item {index}", item
    else:
        yield label, whole


def _whole(label: str, text: str) -> Iterator[tuple[str, Any]]:
    """The documents of a whole text, decided the way the stream cannot (app.commands.reading)."""
    if not text.strip():
        raise CliError(f"{label}: empty, expected a RevenueCat webhook event")
    yield from _documents(label, text)


def read_blocks(paths: list[str]) -> Iterator[list[InputEvent]]:
    """The events of the given files, validated, a block at a time (one read of the input,
    see app.commands.reading); the first bad one is a CliError. Every file is opened
    first, so a missing one is refused before anything is read, rendered or sent."""
    for block in _blocks(paths, strict_json.loads):
        yield [
            InputEvent(where, document, _validated(where, document)) for where, document in block
        ]


def read_rendered_blocks(
    paths: list[str], render: Callable[[RevenueCatEvent, int | None], str]
) -> Iterator[list[str]]:
    """`render(event, text_chars)` of every event, a block at a time, with the events,
    blocks and errors of `read_blocks` (`render` needs no more than the events).

    NDJSON lines are validated from their text in one pass (app.core.event_json), and
    each event is rendered as soon as it is read: a block holds its output, not its
    events. Holding a block of ~900 events (~3 MB of objects) until all were read cost
    a third more than rendering each while its objects are fresh in the CPU's cache.
    Rendering is pure (the output goes nowhere until the block is read whole), so a bad
    event later in the block still leaves the block unwritten, as before; events are
    rendered in input order, whichever way they are read (messageIds count up).
    `text_chars` is the length of the line an event was validated from, or None."""

    def line(text: str) -> Any:
        # An output comes back in a 1-tuple (no JSON value is a tuple); a document that
        # is no valid event comes back as it is, for `_validated` to refuse with its source.
        event = parse_event_json(text)
        if event is not None:
            return (render(event, len(text)),)
        document = strict_json.loads(text)
        try:
            return (render(parse_event(document), None),)
        except EventInputError:
            return document

    for block in _blocks(paths, line):
        yield [
            document[0] if type(document) is tuple else render(_validated(where, document), None)
            for where, document in block
        ]


def _validated(where: str, document: Any) -> RevenueCatEvent:
    try:
        return parse_event(document)
    except EventInputError as exc:
        raise CliError(f"{where}: {exc}") from None


def _blocks(paths: list[str], parse: Callable[[str], Any]) -> Iterator[list[tuple[str, Any]]]:
    """Each file's (source, document) blocks, every file opened first; an input without
    a document is a CliError."""
    inputs = []
    try:
        for path in paths:
            inputs.append(Input(path))
        for source in inputs:
            found = 0
            for block in documents(source.label, source.chunks(), _whole, parse):
                found += len(block)
                yield block
            if not found:
                raise CliError(
                    f"{source.label}: holds no events, expected a RevenueCat webhook event"
                )
    finally:
        for source in inputs:
            source.close()


def read_events(paths: list[str]) -> list[InputEvent]:
    """Every event in the given files, validated; the first bad one is a CliError."""
    return [event for block in read_blocks(paths) for event in block]


def add_settings_args(parser: argparse.ArgumentParser) -> None:
    """--revenue, --send-sandbox, --event-name: the integration's dashboard settings."""
    parser.add_argument(
        "--revenue",
        choices=[m.value for m in RevenueMode],
        default=None,
        help="sales reporting mode (default: gross)",
    )
    parser.add_argument(
        "--send-sandbox",
        action="store_true",
        default=None,
        help="send SANDBOX events too (RevenueCat's toggle; default off)",
    )
    parser.add_argument(
        "--event-name",
        action="append",
        default=[],
        metavar="KEY=NAME",
        help="rename a Segment event (KEY=NAME); KEY= blanks an optional event",
    )


def parse_event_names(pairs: list[str]) -> dict[str, str]:
    names = {}
    for pair in pairs:
        key, sep, name = pair.partition("=")
        if not sep:
            raise CliError(f"--event-name {pair!r}: expected KEY=NAME, e.g. renewal=Renewed")
        names[key.strip()] = name
    return names


def settings_from_args(
    args: argparse.Namespace, base: IntegrationSettings | None = None
) -> IntegrationSettings:
    """Flags over `base` (a profile's settings, or the defaults)."""
    base = base or IntegrationSettings()
    names = {**base.event_names, **parse_event_names(args.event_name)}
    try:
        return settings_from(
            names=names,
            revenue_mode=args.revenue or base.revenue_mode,
            send_sandbox=base.send_sandbox if args.send_sandbox is None else args.send_sandbox,
        )
    except EventInputError as exc:
        raise CliError(f"--{exc}") from None
