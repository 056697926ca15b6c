"""`python -m app render FILE`: print what RevenueCat would send, one JSON line per event."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from app.commands.common import add_settings_args, read_rendered_blocks, settings_from_args
from app.commands.errors import EXIT_OK
from app.core.model import RevenueCatEvent
from app.core.render import Renderer
from app.core.terminal import safe_json

#: The options of every line: json.dumps(..., ensure_ascii=False)'s. A rendered result holds
#: no cycles, so the encoder's cycle bookkeeping (a dict insert and delete per container)
#: is skipped.
ENCODER = json.JSONEncoder(ensure_ascii=False, check_circular=False)


def _make_encode(options: json.JSONEncoder) -> Callable[[object], str]:
    """`options.encode`, without its per-call set-up. Each call of JSONEncoder.encode goes
    through iterencode, which builds a float formatter and a new C encoder object with
    these same arguments, then runs it; here that C encoder is built once, with exactly
    the arguments iterencode passes it (so the bytes are its bytes: tests/unit/
    test_render_encoding.py, which is what vouches for it on a new Python:
    `c_make_encoder` is json's private hook). About 1 µs of a ~15 µs line. Without
    json's C accelerator (another Python), or for options this does not need (cycle
    checks keep state per call, indentation is not done in C), `options.encode` itself."""
    make: Any = getattr(json.encoder, "c_make_encoder", None)
    if make is None or options.indent is not None or options.check_circular:
        return options.encode
    encoder = json.encoder.encode_basestring_ascii if options.ensure_ascii else None
    c_encode = make(
        None,  # no cycle checks
        options.default,
        encoder or json.encoder.encode_basestring,
        options.indent,
        options.key_separator,
        options.item_separator,
        options.sort_keys,
        options.skipkeys,
        options.allow_nan,
    )
    return lambda value: "".join(c_encode(value, 0))


_encode = _make_encode(ENCODER)


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

    def render(event: RevenueCatEvent, text_chars: int | None) -> str:
        return _line(renderer.render(event, settings, text_chars=text_chars).to_json())

    out = sys.stdout
    # A block at a time (app.commands.reading): read and rendered whole, then written and
    # flushed, so a pipe sees each block's lines at once and memory does not grow with
    # the input.
    for block in read_rendered_blocks([args.file], render):
        out.write("".join(block))
        out.flush()
    return EXIT_OK
