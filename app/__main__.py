"""`python -m app`: the desktop app by default, CLI sub-commands otherwise."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] == "gui":
        # Fast path: the window paints before the engine and other commands are imported.
        from app.commands.gui import main as gui

        return gui(args[1:])
    from app.cli import run

    return run(args, whole_process=True)


if __name__ == "__main__":
    sys.exit(main())
