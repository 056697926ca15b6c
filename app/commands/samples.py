"""`python -m app samples`: list, check or regenerate the files under sample_events/."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from app.commands.errors import EXIT_FAILED, EXIT_OK
from app.core.samples import readme, sample_files

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "sample_events"


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
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="sample folder")
    parser.set_defaults(func=run)


def expected_files() -> dict[str, str]:
    """File name → exact text, README included."""
    texts = {
        name: json.dumps(content, indent=2, ensure_ascii=False) + "\n"
        for name, content in sample_files().items()
    }
    texts["README.md"] = readme()
    return texts


def run(args: argparse.Namespace) -> int:
    texts = expected_files()
    folder: Path = args.dir
    if args.write:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in texts.items():
            (folder / name).write_text(text, encoding="utf-8")
        print(f"wrote {len(texts)} files to {folder}")
        return EXIT_OK
    if args.check:
        drifted = [
            name
            for name, text in texts.items()
            if not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != text
        ]
        for name in drifted:
            print(f"drifted: {name}")
        return EXIT_FAILED if drifted else EXIT_OK
    for name in sorted(texts):
        print(folder / name)
    return EXIT_OK
