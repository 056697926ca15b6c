"""The CLI's exit codes and the one exception a command raises to report bad input.

They live here, not in `app.cli`, so that command modules never import the dispatcher
that imports them (no `cli` ↔ `commands` cycle); `app.cli` re-exports them.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2


class CliError(Exception):
    """A problem to report in one line, with the exit code to use."""

    def __init__(self, message: str, code: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.code = code
