"""`python -m app history list|show|export|prune|delete`: the send history from the shell.

Rows come out redacted as stored (the store never holds a write key); exports also mask
$SEGMENT_WRITE_KEY wherever it might appear, belt and braces. Every sub-command takes
`--data-dir DIR`. Bad input is one line on stderr and exit 2, with nothing changed.
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from app.commands.errors import EXIT_OK, CliError
from app.commands.storage_args import add_data_dir_arg, open_history
from app.core.catalogue import CATALOGUE
from app.core.terminal import json_text, safe_text
from app.storage.errors import StorageError
from app.storage.export import ExportFormat
from app.storage.history import HistoryStore
from app.storage.models import HistoryQuery, HistoryRow, Status, StatusClass

ENV_KEY = "SEGMENT_WRITE_KEY"
_CLASSES = ", ".join(c.value for c in StatusClass)
_STATUSES = ", ".join(s.value for s in Status)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "history", help="list, show, export, prune or delete recorded sends",
        description="The history of sends and previews (redacted: no write key is stored).",
    )  # fmt: skip
    commands = parser.add_subparsers(
        dest="history_command", metavar="SUBCOMMAND", parser_class=type(parser)
    )
    parser.set_defaults(func=_missing_subcommand)

    show_list = commands.add_parser("list", help="rows, newest first")
    show_list.add_argument("--json", action="store_true", help="one JSON object per row")
    show_list.add_argument("--limit", type=int, default=50, metavar="N", help="default 50")
    show_list.add_argument("--offset", type=int, default=0, metavar="N", help="skip N rows")
    _add_filters(show_list)
    show_list.set_defaults(func=_reported(run_list))

    show = commands.add_parser("show", help="one row in full (redacted), as JSON")
    show.add_argument("id", type=_row_id, metavar="ID")
    add_data_dir_arg(show)
    show.set_defaults(func=_reported(run_show))

    export = commands.add_parser("export", help="write rows to NDJSON or JSON (redacted)")
    export.add_argument("file", metavar="FILE", help="output file, or - for stdout")
    export.add_argument(
        "--format", choices=["ndjson", "json"], default=None,
        help="default: json for a .json FILE, else ndjson",
    )  # fmt: skip
    _add_filters(export)
    export.set_defaults(func=_reported(run_export))

    prune = commands.add_parser("prune", help="delete old rows")
    prune.add_argument("--older-than", type=float, metavar="DAYS", help="rows older than DAYS")
    prune.add_argument("--keep", type=int, metavar="N", help="but keep the newest N rows")
    prune.add_argument("--all", action="store_true", help="every finished row")
    prune.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    add_data_dir_arg(prune)
    prune.set_defaults(func=_reported(run_prune))

    delete = commands.add_parser("delete", help="delete rows by id")
    delete.add_argument("ids", type=_row_id, nargs="+", metavar="ID")
    add_data_dir_arg(delete)
    delete.set_defaults(func=_reported(run_delete))


def _add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user", metavar="ID", help="exact userId")
    parser.add_argument("--event", metavar="KEY", help="Segment event type key, or event name")
    parser.add_argument("--status", metavar="CLASS", help=f"{_CLASSES}, or a status")
    parser.add_argument("--search", metavar="TEXT", default="", help="text in user/event/ids")
    parser.add_argument("--since", metavar="WHEN", help="ISO date/time (UTC) or 7d, 12h, 30m")
    parser.add_argument("--until", metavar="WHEN", help="same forms; exclusive")
    add_data_dir_arg(parser)


def _reported(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """A storage problem met mid-command (locked, damaged, disk full) is one line, exit 2."""

    def reported(args: argparse.Namespace) -> int:
        try:
            return run(args)
        except StorageError as exc:
            raise CliError(str(exc)) from None

    return reported


def _missing_subcommand(args: argparse.Namespace) -> int:
    raise CliError("history: choose list, show, export, prune or delete (see --help)")


# -- parsing --------------------------------------------------------------------------

_RELATIVE = re.compile(r"^(\d+(?:\.\d+)?)\s*([dhm])$")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


def parse_when(flag: str, text: str, now: datetime | None = None) -> datetime:
    """`2026-05-01`, `2026-05-01T12:00:00Z` (naive means UTC), or `7d`/`12h`/`30m` ago."""
    text = text.strip()
    relative = _RELATIVE.match(text)
    if relative:
        try:
            amount = timedelta(**{_UNITS[relative[2]]: float(relative[1])})
            return (now or datetime.now(UTC)) - amount
        except OverflowError:  # further back than the calendar goes: since the beginning
            return datetime.min.replace(tzinfo=UTC)
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise CliError(
            f"{flag} {text!r}: expected an ISO date/time (2026-05-01, 2026-05-01T12:00Z) "
            "or an age such as 7d, 12h, 30m"
        ) from None
    try:  # in UTC now: 0001-01-01T00:00+01:00 is a valid input but no UTC instant
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except OverflowError:
        raise CliError(
            f"{flag} {text!r}: out of range once converted to UTC (years 1 to 9999)"
        ) from None


def query_from(args: argparse.Namespace) -> HistoryQuery:
    """The filter flags as a HistoryQuery; unknown values are CliErrors."""
    status: Status | None = None
    status_class: StatusClass | None = None
    if args.status:
        value = args.status.strip().lower()
        if value in StatusClass.__members__.values():
            status_class = StatusClass(value)
        elif value in Status.__members__.values():
            status = Status(value)
        else:
            raise CliError(
                f"--status {args.status!r}: expected a class ({_CLASSES}) or a status ({_STATUSES})"
            )
    event = (args.event or "").strip() or None
    return HistoryQuery(
        text=args.search or "",
        user_id=args.user,
        event_type=event if event in CATALOGUE else None,
        event_name=event if event is not None and event not in CATALOGUE else None,
        status=status,
        status_class=status_class,
        since=parse_when("--since", args.since) if args.since else None,
        until=parse_when("--until", args.until) if args.until else None,
    )


# -- list / show ----------------------------------------------------------------------

_COLUMNS = (
    ("ID", 6), ("TIME (UTC)", 19), ("MODE", 7), ("STATUS", 11), ("HTTP", 4),
    ("EVENT", 24), ("USER", 24), ("TARGET", 24), ("MS", 7),
)  # fmt: skip


def _cells(row: HistoryRow) -> list[str]:
    return [
        str(row.id),
        row.created_at.strftime("%Y-%m-%d %H:%M:%S"),
        row.mode.value,
        row.status.value,
        "" if row.http_status is None else str(row.http_status),
        row.event_name or row.event_type,
        row.user_id,
        row.target,
        "" if row.elapsed_ms is None else f"{row.elapsed_ms:.0f}",
    ]


def _fit(text: str, width: int) -> str:
    text = safe_text(" ".join(text.split()))  # no newlines, tabs or ESC from user ids
    return text if len(text) <= width else text[: width - 1] + "…"


def table_lines(rows: Iterable[HistoryRow]) -> Iterator[str]:
    """The table, a line at a time (header first), each ending in a newline."""
    yield "  ".join(name.ljust(width) for name, width in _COLUMNS).rstrip() + "\n"
    for row in rows:
        cells = [_fit(c, w).ljust(w) for c, (_, w) in zip(_cells(row), _COLUMNS, strict=True)]
        yield "  ".join(cells).rstrip() + "\n"


def format_table(rows: list[HistoryRow]) -> str:
    return "".join(table_lines(rows))


#: `history list` counts the matching rows up to this many past the page shown
#: ("of 10,000+" beyond): a full count of a large history costs more than the page.
COUNT_CAP = 10_000

#: SQLite's largest integer; a larger count means "all", a larger id names no row.
_SQLITE_MAX = 2**63 - 1
#: Days back to (about) year 1: "older than" more than that is older than any row.
_MAX_DAYS = 700_000.0


def _positive(flag: str, value: int) -> int:
    if value < 0:
        raise CliError(f"{flag} {value}: must be 0 or more")
    return min(value, _SQLITE_MAX)  # (bigger overflowed sqlite3: a traceback)


def _row_id(text: str) -> int:
    """argparse type for row ids: an int SQLite can hold (else it raised OverflowError)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid int value: {text!r}") from None
    if abs(value) > _SQLITE_MAX:
        raise argparse.ArgumentTypeError(f"no row has id {text}")
    return value


def run_list(args: argparse.Namespace) -> int:
    """Rows are written as they are read (stdout flushed every 500), so the first ones
    show at once and memory stays flat for any --limit; the count comes after, capped."""
    query = query_from(args)
    limit, offset = _positive("--limit", args.limit), _positive("--offset", args.offset)
    out = sys.stdout
    with open_history(args, reads_only=True) as store:
        rows = store.iter_rows(query, offset=offset, limit=limit)
        if args.json:
            lines: Iterator[str] = (json_text(row.to_json()) + "\n" for row in rows)
        else:
            first = next(rows, None)
            if first is None:
                print("no history rows match", file=sys.stderr)
                return EXIT_OK
            lines = table_lines(itertools.chain([first], rows))
        written = 0
        for written, line in enumerate(lines, start=1):
            out.write(line)
            if written % 500 == 0:
                out.flush()
        out.flush()
        shown = written if args.json else written - 1  # the table's header is no row
        if not args.json:
            cap = min(offset + shown + COUNT_CAP, _SQLITE_MAX)
            total = store.count(query, cap=cap)
            of = f"{total}" if total < cap else f"{cap:,}+"
            print(f"rows {offset + 1}–{offset + shown} of {of}, newest first", file=sys.stderr)
    return EXIT_OK


def _get(store: HistoryStore, row_id: int) -> HistoryRow:
    row = store.get(row_id)
    if row is None:
        raise CliError(f"history: no row with id {row_id}")
    return row


def run_show(args: argparse.Namespace) -> int:
    with open_history(args, reads_only=True) as store:
        row = _get(store, args.id)
    detail: dict[str, Any] = row.to_json()
    detail["status_label"] = row.status.label
    sys.stdout.write(json_text(detail, indent=2) + "\n")
    return EXIT_OK


# -- export / prune / delete ----------------------------------------------------------


def run_export(args: argparse.Namespace) -> int:
    fmt: ExportFormat = args.format or ("json" if args.file.lower().endswith(".json") else "ndjson")
    query = query_from(args)
    key = os.environ.get(ENV_KEY, "")
    with open_history(args, reads_only=True) as store:
        try:
            if args.file == "-":
                count = store.export(query, sys.stdout, fmt, redact=[key])
            else:
                count = store.export(query, args.file, fmt, redact=[key])
        except OSError as exc:
            raise CliError(f"{args.file}: cannot write ({exc.strerror})") from None
    where = "stdout" if args.file == "-" else args.file
    print(f"exported {count} row{'s' * (count != 1)} to {where} ({fmt})", file=sys.stderr)
    return EXIT_OK


def _confirm(question: str) -> bool:
    answer = input(f"{question} [y/N] ")
    return answer.strip().lower() in ("y", "yes")


def run_prune(args: argparse.Namespace) -> int:
    if args.all and (args.older_than is not None or args.keep is not None):
        raise CliError("history prune: --all cannot be combined with --older-than or --keep")
    if not args.all and args.older_than is None and args.keep is None:
        raise CliError("history prune: give --older-than DAYS, --keep N, or --all")
    if args.older_than is not None and not args.older_than >= 0:  # NaN too
        raise CliError(f"--older-than {args.older_than:g}: must be 0 or more days")
    keep = 0 if args.all else args.keep
    if keep is not None:
        keep = _positive("--keep", keep)
    older = None if args.older_than is None else timedelta(days=min(args.older_than, _MAX_DAYS))
    with open_history(args) as store:
        doomed = store.prune(older_than=older, keep_last=keep, dry_run=True)
        if doomed and not args.yes:
            if not sys.stdin.isatty():
                raise CliError(f"history prune: would delete {doomed} rows; add --yes to confirm")
            if not _confirm(f"Delete {doomed} history rows?"):
                print("nothing deleted", file=sys.stderr)
                return EXIT_OK
        deleted = store.prune(older_than=older, keep_last=keep) if doomed else 0
        compacted = store.compact() if deleted else True
    print(f"deleted {deleted} row{'s' * (deleted != 1)}", file=sys.stderr)
    if not compacted:
        print("note: the file is in use elsewhere, so its size is unchanged; the space "
              "is reused by later sends", file=sys.stderr)  # fmt: skip
    return EXIT_OK


def run_delete(args: argparse.Namespace) -> int:
    with open_history(args) as store:
        missing = [i for i in dict.fromkeys(args.ids) if store.get(i) is None]
        if missing:
            raise CliError(
                f"history delete: no row with id {', '.join(map(str, missing))}; nothing deleted"
            )
        deleted = store.delete(args.ids)
    print(f"deleted {deleted} row{'s' * (deleted != 1)}", file=sys.stderr)
    return EXIT_OK
