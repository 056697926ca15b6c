"""`python -m app`: the desktop app by default, CLI sub-commands otherwise."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    # The app uses no pydantic plugin; looking for one reads every installed package's
    # entry points when the first model is built (~21 M instructions, 1.2% of the
    # window's path to ready, measured with callgrind). Pydantic's documented switch; a
    # user who wants a plugin sets PYDANTIC_DISABLE_PLUGINS to "" (or to the names to skip).
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if not args or args[0] == "gui":
        # Fast path: the window paints before the engine and other commands are imported.
        from app.commands.gui import main as gui

        return gui(args[1:])
    from app.cli import run

    return run(args, whole_process=True)


if __name__ == "__main__":
    sys.exit(main())
