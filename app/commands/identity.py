"""`python -m app identity FILE --app-user-id ID`: will RevenueCat's events join that user?"""

from __future__ import annotations

import argparse

from app.commands.common import read_events
from app.commands.errors import EXIT_OK
from app.core.identity import check_identity
from app.core.terminal import json_text


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "identity",
        help="check that RevenueCat's userId matches the one your app identifies",
        description='Prints {"verdict", "match", "segment_user_id", "message", "fix"} per '
        "event. Verdicts: exact, differs_by_case, differs_by_whitespace, alias_only, "
        "original_only, anonymous_revenuecat_id, no_match.",
    )
    parser.add_argument("file", metavar="FILE", help="JSON webhook body/event, NDJSON, or -")
    parser.add_argument(
        "--app-user-id",
        required=True,
        metavar="ID",
        help="the userId your app passes to Segment's identify()",
    )
    parser.add_argument("--anonymous-id", metavar="ID", help="the app's Segment anonymousId")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    for item in read_events([args.file]):
        check = check_identity(item.event, args.app_user_id, args.anonymous_id)
        print(json_text(check.to_json()))
    return EXIT_OK
