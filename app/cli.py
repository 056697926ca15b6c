"""The command-line front end: `python -m app <command> …`. Imports no Qt.

Each command lives in `app/commands/<name>.py` with `register(subparsers)`; this module
only dispatches and turns bad input into one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import sys
from typing import NoReturn

from app import __version__, prog_name
from app.commands.errors import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, CliError
from app.core.errors import EventInputError
from app.core.terminal import safe_text

#: Sub-command modules under app.commands, in the order `--help` lists them.
COMMANDS = ("gui", "render", "send", "history", "identity", "scenario", "samples", "serve")

__all__ = [
    "COMMANDS",
    "EXIT_BAD_INPUT",
    "EXIT_FAILED",
    "EXIT_OK",
    "CliError",
    "build_parser",
    "run",
]


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors in one line, with exit code 2."""

    def error(self, message: str) -> NoReturn:
        raise CliError(f"{self.prog}: {message}")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser; with `only`, just that command's (each command imports what it needs,
    so `render` does not pay for httpx, sqlite3 or the GUI's modules)."""
    parser = _Parser(
        prog=prog_name(),
        description="Craft, preview and send the Segment messages RevenueCat would send.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in (only,) if only else COMMANDS:
        importlib.import_module(f"app.commands.{name}").register(sub)
    return parser


def _collect_less() -> None:
    """The collector, set for a command's process: what the imports built is frozen (a
    full collection no longer walks pydantic's schemas and every module, tens of
    thousands of objects), and the youngest generation is collected every 20,000 new
    containers rather than 700. The bulk of a command's objects form no cycles (JSON
    values, models, messages), so reference counting frees them as before and memory
    stays flat; the collector only ran often (streaming `render` spent ~10% of its time
    in it). The cycles a long `send` or `serve` does make (asyncio futures, exception
    tracebacks) are still collected, each generation just fills up longer first.
    """
    gc.freeze()
    gc.set_threshold(20_000, 10, 10)


def run(argv: list[str], *, whole_process: bool = False) -> int:
    """Parse and run; never lets a traceback reach the user for bad input.
    `whole_process`: this command is the process (`python -m app`), not a call from a
    test or another program, so it may set the process's collector (`_collect_less`)."""
    try:
        command = argv[0] if argv and argv[0] in COMMANDS else None
        args = build_parser(command).parse_args(argv)
        if whole_process:
            _collect_less()
        if not getattr(args, "func", None):
            raise CliError(f"{prog_name()}: choose a command (see --help)")
        code: int = args.func(args)
        return code
    except CliError as exc:
        print(f"error: {safe_text(str(exc))}", file=sys.stderr)
        return exc.code
    except EventInputError as exc:
        print(f"error: {safe_text(str(exc))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
