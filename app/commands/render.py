"""`python -m app render FILE`: print what RevenueCat would send, one JSON line per event."""

from __future__ import annotations

import argparse
import sys

from app.commands.common import add_settings_args, read_events, settings_from_args
from app.commands.errors import EXIT_OK
from app.core.render import Renderer
from app.core.terminal import json_text


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
    events = read_events([args.file])
    renderer = Renderer()
    out = sys.stdout
    for item in events:
        result = renderer.render(item.event, settings)
        out.write(json_text(result.to_json()) + "\n")
    out.flush()
    return EXIT_OK
