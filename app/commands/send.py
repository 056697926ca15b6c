"""`python -m app send FILE...`: send (or preview) what RevenueCat would send to Segment.

stdout: one JSON line per HTTP request, as each finishes:
``{"url", "status", "attempts", "elapsed_ms", "message_ids", "response", "error"}``.
In `--preview` nothing is sent: `status` is null, `attempts` 0, and a "preview" key
holds the would-be request with the key masked (method, url, headers, body, and a
masked "curl" command). Skipped events (a sandbox event with sandbox off, a switched-off
optional event, a type RevenueCat never sends) are reported on stderr, one line each,
and change nothing else. Every send and preview is recorded in history.

Exit codes: 0 every request accepted by the Segment API (or previewed), 1 any request
failed after its retries, 2 bad input or anything refused before sending (unknown file,
bad endpoint, missing key, a message over 32 KB, a damaged history file) or history that
could not be written mid-send (disk full, lock file unusable, database locked too long:
the send stops there; nothing goes out that is not recorded), 130 interrupted.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import sys
from collections.abc import Iterator

from app.commands.common import InputEvent, add_settings_args, read_blocks, settings_from_args
from app.commands.errors import EXIT_FAILED, EXIT_OK, CliError
from app.commands.send_output import Output
from app.commands.storage_args import add_data_dir_arg, config_dir_from, open_history
from app.core import targets
from app.core.render import Renderer
from app.core.settings import IntegrationSettings
from app.delivery import (
    DeliveryOptions,
    MissingKeyError,
    SendItem,
    SendJob,
    SendReport,
    SendService,
    Target,
    TargetError,
    TooLargeError,
    resolve_target,
)
from app.delivery.builders import event_item
from app.delivery.packing import InvalidMessageError
from app.storage.errors import StorageError
from app.storage.profiles import Profile

ENV_KEY = "SEGMENT_WRITE_KEY"
EXIT_INTERRUPTED = 130


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "send",
        help="send RevenueCat events to Segment as RevenueCat would (or --preview)",
        description="Render each RevenueCat event to Segment track + identify and send them "
        "(one call per message, or --batch). stdout: one JSON line per HTTP request. "
        f"The write key comes from --write-key, else ${ENV_KEY}, else the profile "
        f"(prefer ${ENV_KEY}: command lines are visible to other users).",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="JSON or NDJSON, or -")
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument(
        "--region",
        choices=targets.REGION_KEYS,
        help="Segment's API: "
        + ", ".join(f"{key} = {targets.BY_KEY[key].label}" for key in targets.REGION_KEYS),
    )
    target.add_argument(
        "--endpoint", metavar="URL", help="custom base URL (https://, or http:// to loopback)"
    )
    target.add_argument("--profile", metavar="NAME", help="a saved profile's target + settings")
    parser.add_argument("--write-key", metavar="KEY", default=None, help="the source's key")
    parser.add_argument("--preview", action="store_true", help="build the requests, send none")
    parser.add_argument("--batch", action="store_true", help="pack messages into /batch calls")
    add_settings_args(parser)
    parser.add_argument(
        "--retries", type=int, default=3, metavar="N", help="retries per request (default 3)"
    )
    parser.add_argument(
        "--timeout", type=float, default=None, metavar="SECONDS",
        help="connect/read/write timeout per attempt (default: 5 s connect, 15 s read)",
    )  # fmt: skip
    parser.add_argument(
        "--deadline", type=float, default=None, metavar="SECONDS",
        help="total time per attempt, however the server trickles its answer (default 60 s)",
    )  # fmt: skip
    add_data_dir_arg(parser)
    parser.set_defaults(func=run)


def _profile(args: argparse.Namespace) -> Profile | None:
    if not args.profile:
        return None
    from app.storage.profiles import ProfileStore

    try:
        return ProfileStore.in_dir(config_dir_from(args)).get(args.profile)
    except StorageError as exc:
        raise CliError(f"--profile: {exc}") from None


def _target(args: argparse.Namespace, profile: Profile | None) -> Target:
    try:
        if profile is None:
            return resolve_target(args.region, args.endpoint)
        if profile.region == targets.CUSTOM:
            return resolve_target(endpoint=profile.endpoint)
        return resolve_target(region=profile.region)
    except TargetError as exc:
        raise CliError(f"--{exc}") from None


def _write_key(args: argparse.Namespace, profile: Profile | None) -> str:
    key = (args.write_key or os.environ.get(ENV_KEY, "")).strip()
    if not key and profile is not None:
        from app.storage.secrets import SecretStore

        key = SecretStore(config_dir_from(args)).get(profile.name).strip()
    if any(ch.isspace() for ch in key):  # as the window says: a copy-paste slip
        raise CliError("the write key contains whitespace (a copy-paste slip?)")
    return key


def _options(args: argparse.Namespace) -> DeliveryOptions:
    if not 0 <= args.retries <= 20:
        raise CliError(f"--retries: expected 0 to 20, got {args.retries}")
    options = DeliveryOptions(batch=args.batch, retries=args.retries)
    if args.timeout is not None:
        if not 0 < args.timeout <= 600:
            raise CliError(f"--timeout: expected seconds between 0 and 600, got {args.timeout}")
        options = options.with_timeout(args.timeout)
    if args.deadline is not None:
        if not 0 < args.deadline <= 3600:
            raise CliError(f"--deadline: expected seconds between 0 and 3600, got {args.deadline}")
        options = options.model_copy(update={"attempt_deadline": args.deadline})
    return options


def _blocks(
    first: list[InputEvent], rest: Iterator[list[InputEvent]], settings: IntegrationSettings,
    args: argparse.Namespace,
) -> Iterator[list[SendItem]]:  # fmt: skip
    renderer = Renderer()
    for events in itertools.chain([first], rest):
        yield [
            event_item(renderer.render(e.event, settings), e.raw, e.source,
                       override_requested=args.send_sandbox)
            for e in events
        ]  # fmt: skip


def run(args: argparse.Namespace) -> int:
    """Events are read, rendered, sent and recorded a block at a time (one read of the
    input, app.commands.reading), each block checked whole before any of it is sent."""
    profile = _profile(args)
    settings = settings_from_args(args, base=profile.settings if profile else None)
    target = _target(args, profile)
    blocks = read_blocks(args.files)
    first = next(blocks)  # bad input is refused before the key is looked at, as ever
    key = _write_key(args, profile)
    job = SendJob([], target, key, _options(args), args.preview)
    output = Output(sys.stdout, sys.stderr)
    for note in target.notes:
        output.note(f"endpoint: {note} ({target.base_url})")
    with open_history(args, check=True) as history:
        service = SendService(history=history)

        async def main() -> SendReport:
            async with service:
                return await service.send_stream(
                    _blocks(first, blocks, settings, args), job, on_result=output.result,
                    on_skipped=lambda item: output.skipped(item.source, item.skipped or ""),
                    on_progress=output.progress,
                )  # fmt: skip

        try:
            report = asyncio.run(main())
        except (MissingKeyError, TooLargeError, InvalidMessageError) as exc:
            raise CliError(str(exc)) from None
        except StorageError as exc:
            # Rows written so far stay; the request whose row could not be written was
            # not sent, and nothing after it is.
            raise CliError(f"{exc}; stopped sending") from None
    output.summary(report)
    if report.cancelled:
        return EXIT_INTERRUPTED
    return EXIT_OK if output.all_accepted else EXIT_FAILED
