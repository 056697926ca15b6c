"""`python -m app render FILE`: print what RevenueCat would send, one JSON line per event."""

from __future__ import annotations

import argparse
import json
import sys

from app.commands.common import add_settings_args, read_event_blocks, settings_from_args
from app.commands.errors import EXIT_OK
from app.core.render import Renderer
from app.core.terminal import safe_json

# json.dumps(..., ensure_ascii=False) builds a new encoder per call; this one is shared (the
# same bytes: the same class and options). A rendered result holds no cycles, so the
# encoder's cycle bookkeeping (a dict insert and delete per container) is skipped.
_encode = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode


def _line(value: object) -> str:
    """One output line: the encoded JSON, terminal-safe (the same data)."""
    return safe_json(_encode(value)) + "\n"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "render",
        help="render RevenueCat events to Segment messages (nothing is sent)",
        description="Print, per event, the Segment track + identify RevenueCat would send: "
        '{"segment_event", "skipped", "warnings", "messages"}.',
    )
    parser.add_argument("file", metavar="FILE", help="JSON webhook body/event, NDJSON, or -")
    add_settings_args(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    renderer = Renderer()
    out = sys.stdout
    # A block at a time (app.commands.reading): validated whole, then written and flushed,
    # so a pipe sees each block's lines at once and memory does not grow with the input.
    for block in read_event_blocks([args.file]):
        out.write("".join(_line(renderer.render(event, settings).to_json()) for event in block))
        out.flush()
    return EXIT_OK
