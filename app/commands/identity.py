"""`python -m app identity FILE --app-user-id ID`: will RevenueCat's events join that user?

`identity --report` answers the same question from real traffic: for every RevenueCat
user the history has seen, the app-side ids the capture receiver recorded, the verdict,
and the fix (`app.capture.doctor`).
"""

from __future__ import annotations

import argparse

from app.commands.common import read_events
from app.commands.errors import EXIT_OK, CliError
from app.core.identity import check_identity
from app.core.terminal import json_text


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from app.commands.storage_args import add_data_dir_arg

    parser = sub.add_parser(
        "identity",
        help="check that RevenueCat's userId matches the one your app identifies",
        description='Prints {"verdict", "match", "segment_user_id", "message", "fix"} per '
        "event. Verdicts: exact, differs_by_case, differs_by_whitespace, alias_only, "
        "original_only, anonymous_revenuecat_id, no_match. With --report: "
        '{"users": [{"revenuecat_user_id", "verdict", "app_ids", "message", "fix"}, …]} '
        "for every RevenueCat user in the history, against the app's captured calls.",
    )
    parser.add_argument(
        "file", metavar="FILE", nargs="?", help="JSON webhook body/event, NDJSON, or -"
    )
    parser.add_argument(
        "--app-user-id",
        metavar="ID",
        help="the userId your app passes to Segment's identify()",
    )
    parser.add_argument("--anonymous-id", metavar="ID", help="the app's Segment anonymousId")
    parser.add_argument(
        "--report", action="store_true", help="diagnose every user seen (see `serve`)"
    )
    add_data_dir_arg(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.report:
        if args.file or args.app_user_id:
            raise CliError("--report: reads the history; give no FILE or --app-user-id")
        return report(args)
    if not args.file:
        raise CliError("identity: FILE is required (or use --report)")
    if args.app_user_id is None:
        raise CliError("identity: --app-user-id is required (or use --report)")
    for item in read_events([args.file]):
        check = check_identity(item.event, args.app_user_id, args.anonymous_id)
        print(json_text(check.to_json()))
    return EXIT_OK


def report(args: argparse.Namespace) -> int:
    from app.capture.doctor import diagnose
    from app.commands.storage_args import data_dir_from, open_store
    from app.storage.capture import CaptureStore
    from app.storage.errors import StorageError

    directory = data_dir_from(args)
    # It only reads: a directory that cannot be written is read read-only.
    opened = open_store(
        directory,
        lambda: CaptureStore(directory),
        lambda: CaptureStore(directory, read_only=True),
    )
    try:
        with opened as store:
            users, app_ids = store.revenuecat_users(), store.app_ids()
    except StorageError as exc:
        raise CliError(f"--data-dir: {exc}") from None
    found = diagnose(users, app_ids)
    print(json_text({"users": [d.to_json() for d in found]}))
    return EXIT_OK
