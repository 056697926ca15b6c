"""The one registry of targets: where messages can go, what people call each place, and
the size limits a send there must respect (docs/segment.md, "Regions and hosts" and
"Size limits").

Pure data, no Qt, no httpx: the CLI's `--region` choices, the window's connection panel,
the scrubber (`core.scrub.public_target`), profile validation (`storage.profiles`) and
delivery (`delivery.target.REGIONS`) all read it, so a new target is one entry here.

"custom" is a target too (a proxy, a Segment-compatible collector, a local capture
server): it has no fixed URL; `app.delivery.target.custom_target` checks the one typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, get_args

#: Segment's size limits (docs/segment.md, "Size limits"), checked before anything is sent.
MESSAGE_LIMIT = 32 * 1024  # bytes per message
BATCH_LIMIT = 500 * 1024  # bytes per /batch request body
BATCH_MAX_MESSAGES = 2500  # messages per /batch request

#: Every target key, as profiles.json stores it. Keep in step with `TARGETS` (checked
#: below at import: a key missing from either one is an error, not a silent gap).
TargetKey = Literal["us", "eu", "custom"]

CUSTOM: TargetKey = "custom"


@dataclass(frozen=True)
class Limits:
    """What one send to a target may carry."""

    message_bytes: int = MESSAGE_LIMIT
    batch_bytes: int = BATCH_LIMIT
    batch_messages: int = BATCH_MAX_MESSAGES


@dataclass(frozen=True)
class TargetInfo:
    """One entry of the registry. `base_url` and `host` are "" for the custom target
    (the user types its URL)."""

    key: TargetKey
    label: str  # for people: the connection panel's choice, the CLI help
    public_label: str  # what an audience may see (presentation mode, exported reports)
    base_url: str = ""
    host: str = ""
    limits: Limits = field(default_factory=Limits)

    @property
    def is_custom(self) -> bool:
        return not self.base_url


#: In the order people are offered them (the connection panel lists them so).
TARGETS: tuple[TargetInfo, ...] = (
    TargetInfo(
        key="us",
        label="US (api.segment.io)",
        public_label="Segment US (api.segment.io)",
        base_url="https://api.segment.io/v1",
        host="api.segment.io",
    ),
    TargetInfo(
        key="eu",
        label="EU (events.eu1.segmentapis.com)",
        public_label="Segment EU (events.eu1.segmentapis.com)",
        base_url="https://events.eu1.segmentapis.com/v1",
        host="events.eu1.segmentapis.com",
    ),
    TargetInfo(
        key=CUSTOM,
        label="Custom endpoint…",
        public_label="a custom endpoint (address hidden)",
    ),
)

#: Every target by key.
BY_KEY: dict[str, TargetInfo] = {t.key: t for t in TARGETS}

#: Segment's own regions (the targets with a fixed URL), in offering order: ("us", "eu").
REGION_KEYS: tuple[str, ...] = tuple(t.key for t in TARGETS if not t.is_custom)

#: Region key → base URL, e.g. {"us": "https://api.segment.io/v1", …}.
REGION_URLS: dict[str, str] = {t.key: t.base_url for t in TARGETS if not t.is_custom}

#: Segment's own hosts: public, so never scrubbed; a bare one typed as a URL gets /v1.
SEGMENT_HOSTS: frozenset[str] = frozenset(t.host for t in TARGETS if t.host)

if set(get_args(TargetKey)) != set(BY_KEY) or len(BY_KEY) != len(TARGETS):
    raise RuntimeError("app.core.targets: TargetKey and TARGETS disagree")  # pragma: no cover


def choices() -> list[tuple[str, str]]:
    """(key, label) for every target, custom included, in offering order: what a
    connection panel's region list shows."""
    return [(t.key, t.label) for t in TARGETS]


def target_info(key: str | None) -> TargetInfo | None:
    """The entry for `key`, None when there is none (a custom URL has region None)."""
    return BY_KEY.get(key) if key is not None else None


def region_for_url(base_url: str) -> str | None:
    """The region whose base URL this is exactly, else None."""
    return next((key for key, url in REGION_URLS.items() if url == base_url), None)
