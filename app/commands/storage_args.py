"""`--data-dir` for every command that touches history, profiles or the key file.

Shared by `history` and `send` (and anything later), so the flag reads the same
everywhere and storage problems become one-line CLI errors (exit 2).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.commands.errors import CliError
from app.storage.errors import StorageError
from app.storage.history import HistoryStore
from app.storage.paths import ENV_HOME, config_dir, data_dir


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


def open_history(args: argparse.Namespace, *, check: bool = False) -> HistoryStore:
    """The history store for `--data-dir`; StorageError becomes a CliError. `check`
    refuses a damaged file first (for commands that write)."""
    try:
        return HistoryStore.in_dir(data_dir_from(args), check=check)
    except StorageError as exc:
        raise CliError(str(exc)) from None
