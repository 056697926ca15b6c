"""`python -m app samples`: list, check or regenerate the files under sample_events/.

The default folder is the checkout's `sample_events/`. An installed copy (a wheel in
site-packages) has no such folder, and must never write into site-packages, so there the
command asks for `--dir` instead of reporting every file as drifted.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from app.commands.errors import EXIT_FAILED, EXIT_OK, CliError
from app.core.samples import readme, sample_files

_ROOT = Path(__file__).resolve().parents[2]
#: The checkout's folder, or None when running from an installed copy.
DEFAULT_DIR: Path | None = _ROOT / "sample_events" if (_ROOT / "pyproject.toml").is_file() else None

NO_CHECKOUT = (
    "samples: no sample_events/ folder here (an installed copy has none; it lives in a "
    "checkout of the source): give --dir DIR (--write --dir DIR creates the samples there)"
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "samples",
        help="list, check or regenerate sample_events/",
        description="Without options, list the samples. --check exits 1 when the files "
        "differ from what the engine renders; --write regenerates them.",
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--write", action="store_true", help="regenerate the files")
    group.add_argument("--check", action="store_true", help="fail when the files drift")
    parser.add_argument(
        "--dir", type=Path, default=None, help="sample folder (default: the checkout's)"
    )
    parser.set_defaults(func=run)


def expected_files() -> dict[str, str]:
    """File name → exact text, README included."""
    texts = {
        name: json.dumps(content, indent=2, ensure_ascii=False) + "\n"
        for name, content in sample_files().items()
    }
    texts["README.md"] = readme()
    return texts


def _folder(args: argparse.Namespace) -> Path:
    """The folder to use, checked: a folder (or, for --write, one whose parent exists)."""
    folder: Path | None = args.dir if args.dir is not None else DEFAULT_DIR
    if folder is None:
        raise CliError(NO_CHECKOUT)
    if folder.exists() and not folder.is_dir():
        raise CliError(f"--dir {folder}: is a file, expected a folder")
    if not folder.exists():
        if not args.write:
            raise CliError(f"--dir {folder}: no such folder")
        if not folder.parent.is_dir():
            raise CliError(f"--dir {folder}: its parent folder {folder.parent} does not exist")
    return folder


def _current(path: Path) -> str | None:
    """The file's text, None when it is missing; not UTF-8 or unreadable is a CliError."""
    if not path.exists():
        return None
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise CliError(f"{path}: not UTF-8 text") from None
    except IsADirectoryError:
        raise CliError(f"{path}: is a folder, expected a file") from None
    except OSError as exc:
        raise CliError(f"{path}: cannot read ({exc.strerror})") from None


def run(args: argparse.Namespace) -> int:
    texts = expected_files()
    folder = _folder(args)
    if args.write:
        try:
            folder.mkdir(exist_ok=True)
            for name, text in texts.items():
                (folder / name).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CliError(f"{exc.filename or folder}: cannot write ({exc.strerror})") from None
        print(f"wrote {len(texts)} files to {folder}")
        return EXIT_OK
    if args.check:
        drifted = [name for name, text in texts.items() if _current(folder / name) != text]
        for name in drifted:
            print(f"drifted: {name}")
        return EXIT_FAILED if drifted else EXIT_OK
    for name in sorted(texts):
        print(folder / name)
    return EXIT_OK
