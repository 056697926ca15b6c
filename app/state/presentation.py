"""What a person may see: the one choke point for text that is shown, copied or written.

Every path that puts text in front of a person or into a file (payload request tabs,
history detail, history copy and export, outcomes) goes through `Presenter.text` or
`Presenter.row`. The write key is always masked. In presentation mode (a projector, a
screen share) the custom endpoint's host, the key's fingerprint and profile names go too,
also in history rows recorded against an earlier endpoint, which no scrub of the current
secrets could know about: rows are cleaned by structure, not only by search-and-replace.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from app.core.redact import MASK, redact_text
from app.core.scrub import HOST_STAND_IN, KEY_STAND_IN, Scrubber, public_target
from app.core.targets import REGION_KEYS, SEGMENT_HOSTS, region_for_url
from app.state.events import Event


def _public_url(url: Any) -> Any:
    """A URL with a non-Segment host replaced by the stand-in (paths stay readable)."""
    if not isinstance(url, str) or "://" not in url:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return HOST_STAND_IN
    if parts.hostname in SEGMENT_HOSTS:
        return url
    return urlunsplit((parts.scheme, HOST_STAND_IN, parts.path, parts.query, parts.fragment))


#: Headers whose value is a credential (Segment's Basic auth, a proxy's).
_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization"})


class Presenter:
    """Masks the key always; hides hosts, fingerprints and profiles while presenting.

    `secrets` returns a Scrubber of what is current (the key as typed, the endpoint, the
    profile names); it is called again after `invalidate`.

    Events:
        toggled(bool): presentation mode switched on or off.
    """

    def __init__(
        self, secrets: Callable[[], Scrubber] = Scrubber, keys: Callable[[], list[str]] = list
    ) -> None:
        self._secrets = secrets
        self._keys = keys
        self._extra: list[Callable[[], list[str]]] = []
        self._scrubber: Scrubber | None = None
        self._scrubber_extra: tuple[str, ...] = ()  # the added secrets it was built with
        self.active = False
        self.session_start = datetime.now(UTC)
        self.toggled = Event()

    def set_active(self, on: bool) -> None:
        if on != self.active:
            self.active = on
            self._scrubber = None
            self.toggled.emit(on)

    def invalidate(self) -> None:
        """The key, endpoint or profiles changed."""
        self._scrubber = None

    @property
    def history_since(self) -> datetime | None:
        """Only this session's history is shown while presenting."""
        return self.session_start if self.active else None

    def scrub(self, text: str) -> str:
        """Presentation's scrub alone (no-op when off): the current secrets and those
        added with `add_secrets` (asked each time, so also when they changed), in one
        pass: a profile name inside a webhook's secret cannot leave the rest of it."""
        if not self.active:
            return text
        extra = tuple(self._added())
        if self._scrubber is None or self._scrubber_extra != extra:
            self._scrubber = self._secrets().with_secrets(extra)
            self._scrubber_extra = extra
        return self._scrubber.scrub(text)

    def add_secrets(self, source: Callable[[], list[str]]) -> None:
        """More secrets to mask wherever the key is, and to hide while presenting (the
        capture receiver's expected write key and webhook Authorization value):
        `source()` is asked each time."""
        self._extra.append(source)

    def _added(self) -> list[str]:
        return [k for source in self._extra for k in source() if k.strip()]

    def keys(self) -> list[str]:
        """The secrets to mask in anything written (the key as typed and as sent, and
        any added with `add_secrets`)."""
        return [k for k in self._keys() if k.strip()] + self._added()

    def text(self, text: str) -> str:
        """Any text for a person: the key masked, and scrubbed while presenting."""
        return self.scrub(redact_text(text, self.keys()))

    def headers(self, headers: dict[str, Any]) -> dict[str, str]:
        """Headers as a person may see them: an Authorization value is never more than
        its scheme and the masked key (the key's fingerprint goes too while presenting),
        a Host header is hidden while presenting unless it is Segment's, then the text
        scrub. Applied to whatever a row holds, however old."""
        shown: dict[str, str] = {}
        for name, value in headers.items():
            text = str(value)
            lower = str(name).lower()
            if lower in _SECRET_HEADERS:
                scheme = text.partition(" ")[0] if " " in text else ""
                masked = MASK in text and not self.active
                hidden = KEY_STAND_IN if self.active else MASK
                text = text if masked else f"{scheme} {hidden}".strip()
            elif lower == "host" and self.active and text.split(":")[0] not in SEGMENT_HOSTS:
                text = HOST_STAND_IN
            shown[str(name)] = self.text(text)
        return shown

    def _public_item(self, item: Any) -> Any:
        """A request or response record of a row, hosts hidden (presentation mode)."""
        if not isinstance(item, dict):
            return item
        clean = {**item, "url": _public_url(item.get("url"))} if "url" in item else dict(item)
        if isinstance(clean.get("headers"), dict):
            clean["headers"] = self.headers(clean["headers"])
        if "host" in clean and str(clean["host"]).split(":")[0] not in SEGMENT_HOSTS:
            clean["host"] = HOST_STAND_IN
        return clean

    def row(self, data: dict[str, Any]) -> dict[str, Any]:
        """A history row's JSON as a person may see it (structure first, then text)."""
        if not self.active:
            return data
        clean = dict(data)
        if "target" in clean:
            target = str(clean["target"])
            region = target if target in REGION_KEYS else region_for_url(target)
            clean["target"] = public_target(region)
        for name in ("key_fingerprint", "key"):
            if clean.get(name):
                clean[name] = KEY_STAND_IN
        for name in ("requests", "responses"):
            items = clean.get(name)
            if isinstance(items, list):
                clean[name] = [self._public_item(item) for item in items]
        # Then the current secrets anywhere else (an error quoting the host); the
        # stand-ins hold no quote or backslash, so the JSON stays valid.
        return dict(json.loads(self.scrub(json.dumps(clean, ensure_ascii=False))))
