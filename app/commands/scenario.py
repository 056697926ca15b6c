"""`python -m app scenario list|render`: whole subscription lifecycles as NDJSON."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime

from app.commands.errors import EXIT_OK, CliError
from app.core.scenarios import SCENARIOS, STORES, ScenarioParams, scenario_events
from app.core.templates import webhook_body
from app.core.terminal import json_text


def _iso(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected ISO-8601 like 2026-01-15T12:00:00Z, got {text!r}"
        ) from None
    try:  # in UTC now, so an offset cannot push it past year 1 or 9999 later
        return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    except OverflowError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is out of range once converted to UTC (years 1 to 9999)"
        ) from None


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("scenario", help="subscription lifecycles (list, render)")
    actions = parser.add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=type(parser)
    )
    listing = actions.add_parser("list", help="the built-in lifecycles")
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    listing.set_defaults(func=run_list)
    render = actions.add_parser(
        "render",
        help="print a lifecycle's RevenueCat events as NDJSON",
        description="Prints webhook bodies, one per line, ready for `render` or `send`.",
    )
    render.add_argument("name", metavar="NAME", help=", ".join(SCENARIOS))
    render.add_argument(
        "--start",
        type=_iso,
        help="first event time (default: the lifecycle ends a minute before now)",
    )
    render.add_argument("--store", choices=STORES, default="APP_STORE")
    render.add_argument("--environment", choices=("PRODUCTION", "SANDBOX"), default="PRODUCTION")
    render.add_argument("--product", default="com.example.pro.monthly", metavar="ID")
    render.add_argument("--price", type=float, default=9.99, metavar="USD")
    render.add_argument("--tax", type=float, default=0.0833, metavar="FRACTION")
    render.add_argument("--commission", type=float, default=0.3, metavar="FRACTION")
    render.add_argument("--renewals", type=int, default=2, metavar="N")
    render.add_argument("--app-user-id", default="user_4821", metavar="ID")
    render.set_defaults(func=run_render)


def run_list(args: argparse.Namespace) -> int:
    for scenario in SCENARIOS.values():
        if args.json:
            print(
                json.dumps(
                    {
                        "name": scenario.name,
                        "title": scenario.title,
                        "description": scenario.description,
                    }
                )
            )
        else:
            print(f"{scenario.name:<22} {scenario.title}")
    return EXIT_OK


def run_render(args: argparse.Namespace) -> int:
    if args.name not in SCENARIOS:
        raise CliError(f"scenario: unknown {args.name!r}; expected one of {', '.join(SCENARIOS)}")
    params = ScenarioParams(
        start=args.start,
        store=args.store,
        environment=args.environment,
        product_id=args.product,
        price=args.price,
        tax_percentage=args.tax,
        commission_percentage=args.commission,
        renewals=args.renewals,
        app_user_id=args.app_user_id,
    )
    for event in scenario_events(args.name, params):
        sys.stdout.write(json_text(webhook_body(event)) + "\n")
    return EXIT_OK
