"""rc-segment-tester: craft, preview and send the Segment messages RevenueCat would send."""

import os
import sys

# The one place the version is written: pyproject.toml reads it from here (hatch).
__version__ = "0.1.0"

#: The installed entry point's name (pyproject.toml's [project.scripts]).
ENTRY_POINT = "rc-segment-tester"


def prog_name() -> str:
    """What usage lines and --version call the program: the entry point's name when
    started through it, else `python -m app`."""
    started = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    return ENTRY_POINT if started.startswith(ENTRY_POINT) else "python -m app"
