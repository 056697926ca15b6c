"""`python -m app serve`: the capture receiver (Segment API + RevenueCat webhook).

stdout: first one JSON object `{"listening", "segment_api", "revenuecat_webhook"}`, then
one JSON line per received call or webhook, each written once its history row is (see
`app.capture.items` for the fields). Notes for people go to stderr. SIGINT / SIGTERM stop
it: what is in flight is answered, processed and recorded, then exit 0. Exit 2 for bad
input (a flag, a port that cannot be bound, an unusable --data-dir).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Mapping
from typing import TextIO

from app.capture import CaptureConfig, CaptureError, CaptureServer, LiveItem, is_loopback
from app.commands.common import add_settings_args, settings_from_args
from app.commands.errors import EXIT_OK, CliError
from app.commands.send import ENV_KEY, _profile, _write_key
from app.commands.storage_args import add_data_dir_arg, data_dir_from
from app.core.terminal import json_text
from app.delivery import Target, TargetError, resolve_target
from app.storage.capture import CaptureStore
from app.storage.errors import StorageError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "serve",
        help="receive the app's Segment calls and RevenueCat's webhooks (and bridge them)",
        description="A local Segment-compatible endpoint and a RevenueCat webhook endpoint; "
        "everything received is recorded in the history. With --forward, each webhook is "
        "sent on to Segment as RevenueCat would (once per event.id). stdout: the address "
        "as JSON, then one JSON line per call or webhook. The forward key comes from "
        f"--write-key, else ${ENV_KEY}, else the profile.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    parser.add_argument("--port", type=int, default=8787, help="port (0: a free one)")
    add_data_dir_arg(parser)
    parser.add_argument("--expect-write-key", metavar="KEY", default=None,
                        help="flag calls that carry another write key")  # fmt: skip
    parser.add_argument("--webhook-auth", metavar="VALUE", default=None,
                        help="the Authorization value set in RevenueCat's dashboard")  # fmt: skip
    parser.add_argument("--forward", metavar="us|eu|URL", default=None,
                        help="bridge webhooks to Segment's US or EU API or a base URL")  # fmt: skip
    key = parser.add_mutually_exclusive_group()
    key.add_argument("--write-key", metavar="KEY", default=None, help="the source's key")
    key.add_argument("--profile", metavar="NAME", help="a saved profile's key and settings")
    add_settings_args(parser)
    parser.set_defaults(func=run)


def _forward(value: str | None) -> Target | None:
    if value is None:
        return None
    try:
        if value in ("us", "eu"):
            return resolve_target(region=value)
        return resolve_target(endpoint=value)
    except TargetError as exc:
        raise CliError(f"--forward: {exc}") from None


def _config(args: argparse.Namespace) -> CaptureConfig:
    if not 0 <= args.port <= 65535:
        raise CliError(f"--port: expected 0 to 65535, got {args.port}")
    for flag in ("expect_write_key", "webhook_auth"):
        value = getattr(args, flag)
        if value is not None and not value.strip():
            raise CliError(f"--{flag.replace('_', '-')}: is empty")
    profile = _profile(args)
    settings = settings_from_args(args, base=profile.settings if profile else None)
    forward = _forward(args.forward)
    key = _write_key(args, profile)
    if forward is not None and not key:
        raise CliError(
            f"--forward: no write key: give --write-key, set {ENV_KEY}, or use a profile "
            "that has one"
        )
    return CaptureConfig(
        settings=settings,
        expect_write_key=args.expect_write_key,
        webhook_auth=args.webhook_auth,
        forward=forward,
        write_key=key,
    )


class _Lines:
    """One JSON line per item, written whole and flushed (the server's thread writes)."""

    def __init__(self, out: TextIO) -> None:
        self._out = out
        self._lock = threading.Lock()
        self.broken = False

    def write(self, data: Mapping[str, object]) -> None:
        line = json_text(data) + "\n"  # a client's ids and names made inert for a terminal
        with self._lock:
            if self.broken:
                return
            try:
                self._out.write(line)
                self._out.flush()
            except (BrokenPipeError, ValueError):  # the reader went away: keep recording
                self.broken = True

    def item(self, item: LiveItem) -> None:
        self.write(item.to_json())


def run(args: argparse.Namespace) -> int:
    config = _config(args)
    data_dir = data_dir_from(args)
    try:  # open (and migrate) the history here, so its problem names --data-dir
        CaptureStore(data_dir).close()
    except StorageError as exc:
        raise CliError(f"--data-dir: {exc}") from None
    server = CaptureServer(data_dir, config)
    lines = _Lines(sys.stdout)
    server.subscribe(lines.item)
    stop = threading.Event()
    previous = {s: signal.signal(s, lambda *_: stop.set()) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        try:
            address = server.start(args.host, args.port)
        except CaptureError as exc:
            raise CliError(f"--host/--port: {exc}") from None
        lines.write(address.to_json())
        if not is_loopback(args.host):
            print(
                f"note: listening on {args.host}, reachable from other machines; the "
                "history records whatever they send",
                file=sys.stderr,
            )
        if config.forward is not None:
            print(f"note: forwarding webhooks to {config.forward.label}", file=sys.stderr)
        stop.wait()
        server.stop()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    recorder, bridge = server.recorder, server.bridge
    if recorder is not None and bridge is not None:
        print(
            f"stopped: {recorder.recorded} call(s) with {recorder.messages} message(s) and "
            f"{bridge.processed} webhook(s) recorded",
            file=sys.stderr,
        )
    return EXIT_OK
