"""`python -m app`: the desktop app by default, CLI sub-commands otherwise."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        args = ["gui"]
    from app.cli import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
