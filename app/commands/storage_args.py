"""`--data-dir` for every command that touches history, profiles or the key file.

Shared by `history` and `send` (and anything later), so the flag reads the same
everywhere and storage problems become one-line CLI errors (exit 2).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from app.commands.errors import CliError
from app.storage.errors import StorageError
from app.storage.history import HistoryStore
from app.storage.paths import ENV_HOME, config_dir, data_dir
from app.storage.read_only import directory_read_only, read_only_message


def add_data_dir_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir", metavar="DIR", default=None,
        help=f"keep history, profiles and keys in DIR (default: ${ENV_HOME}, "
        "else the platform's user data/config dirs)",
    )  # fmt: skip


def data_dir_from(args: argparse.Namespace) -> Path:
    try:
        return data_dir(getattr(args, "data_dir", None))
    except StorageError as exc:
        raise CliError(f"--data-dir: {exc}") from None


def config_dir_from(args: argparse.Namespace) -> Path:
    try:
        return config_dir(getattr(args, "data_dir", None))
    except StorageError as exc:
        raise CliError(f"--data-dir: {exc}") from None


S = TypeVar("S")


def open_history(
    args: argparse.Namespace, *, check: bool = False, reads_only: bool = False
) -> HistoryStore:
    """The history store for `--data-dir`; StorageError becomes a CliError. `check`
    refuses a damaged file first (for commands that write). `reads_only`: the command
    only reads, so a directory that cannot be written is read read-only."""
    directory = data_dir_from(args)
    return open_store(
        directory,
        lambda: HistoryStore.in_dir(directory, check=check),
        (lambda: HistoryStore.in_dir(directory, read_only=True)) if reads_only else None,
    )


def open_store(directory: Path, writable: Callable[[], S], read_only: Callable[[], S] | None) -> S:
    """`writable()`, as usual; when that fails because `directory` cannot be written,
    `read_only()` for a command that only reads, else one line saying it is read-only
    (SQLite's own words there, "unable to open database file", blame the file). Every
    line names the field it is about, `--data-dir`, whichever command opens it."""
    try:
        return writable()
    except StorageError as exc:
        if not directory_read_only(directory):
            raise CliError(f"--data-dir: {exc}") from None
    if read_only is None:
        raise CliError(
            "--data-dir: " + read_only_message(directory, "this command writes to its "
                                               "history: use a --data-dir you can write")
        )  # fmt: skip
    try:
        return read_only()
    except StorageError as exc:
        raise CliError(f"--data-dir: {exc}") from None
