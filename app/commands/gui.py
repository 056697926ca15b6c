"""`python -m app gui [--data-dir DIR] [--smoke [--print-state] [--screenshot FILE.png]]
[--presentation]`: the desktop app.

Imports no Qt until it knows Qt can start: on Linux without a display (no DISPLAY, no
WAYLAND_DISPLAY) and with no QT_QPA_PLATFORM chosen, Qt would abort with a long
"could not connect to display" message; we print one line saying how to run instead and
exit 2 (the CLI's "cannot run as asked" code).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from app import __version__, prog_name
from app.commands import display_check

NO_DISPLAY = (
    "error: no display found (DISPLAY/WAYLAND_DISPLAY unset): run the GUI offscreen with "
    "QT_QPA_PLATFORM=offscreen python -m app gui --smoke --screenshot out.png, under "
    "xvfb-run, or use the CLI (python -m app --help)"
)


def display_problem(platform: str = sys.platform, env: dict[str, str] | None = None) -> str | None:
    """The one-line message when Qt cannot open a window here, else None."""
    env = dict(os.environ) if env is None else env
    if not platform.startswith("linux"):
        return None
    if env.get("QT_QPA_PLATFORM") or env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    return NO_DISPLAY


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--version", action="version", version=f"{prog_name()} {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=None,
        help="keep history, profiles and window state in DIR",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="start, render the default event, paint, exit 0 (1 on error)",
    )
    parser.add_argument(
        "--screenshot",
        metavar="FILE.png",
        type=Path,
        default=None,
        help="with --smoke: save the painted window to FILE.png",
    )
    parser.add_argument(
        "--print-state",
        action="store_true",
        help="with --smoke: print the state in force (profile, settings, Segment event, the "
        "messages Send would use, presentation) as one JSON object on stdout",
    )
    parser.add_argument(
        "--presentation",
        action="store_true",
        help="start in presentation mode (larger type; write key, endpoint host and "
        "profile names hidden; history of this session only)",
    )
    parser.add_argument(
        "--report-first-paint", action="store_true", help=argparse.SUPPRESS
    )  # prints "first-paint" (start-up benchmark)
    parser.add_argument(
        "--exit-at-ready", action="store_true", help=argparse.SUPPRESS
    )  # prints "ready" and ends there, unclean: the benchmark's instruction count to ready


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "gui", help="the desktop app (the default command)", description="Open the desktop app."
    )
    add_arguments(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, qt_args: list[str] | None = None) -> int:
    problem = display_problem() or display_check.problem()  # X libraries, unreachable display
    if problem:
        print(problem, file=sys.stderr)
        return 2
    if args.screenshot is not None and not args.smoke:
        print("error: --screenshot needs --smoke", file=sys.stderr)
        return 2
    if args.exit_at_ready and not (args.smoke and args.report_first_paint):
        print("error: --exit-at-ready needs --smoke --report-first-paint", file=sys.stderr)
        return 2
    if args.print_state and not args.smoke:
        print("error: --print-state needs --smoke", file=sys.stderr)
        return 2
    from app.ui.shell.launch import run as launch

    return launch(
        args.data_dir,
        smoke=args.smoke,
        screenshot=args.screenshot,
        report_paint=args.report_first_paint,
        exit_at_ready=args.exit_at_ready,
        presentation=args.presentation,
        print_state=args.print_state,
        qt_args=qt_args or [],
    )


def main(argv: list[str]) -> int:
    """Fast path used by `python -m app` / `python -m app gui`: parses only the gui flags,
    so starting the window does not import the other commands (and the engine) first."""
    parser = argparse.ArgumentParser(prog=f"{prog_name()} gui", description="Open the desktop app.")
    add_arguments(parser)
    # Qt's own options (-style fusion, -platform offscreen, -reverse …) go to Qt, which
    # takes the ones it knows; what neither knows is refused there, in one line.
    args, qt_args = parser.parse_known_args(argv)
    return run(args, qt_args)
