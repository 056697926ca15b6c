"""What an audience may see: text with the write key, a custom endpoint's host and the
profile names taken out (presentation mode, the exported report).

Masking (`redact.mask_key`) is right for a developer's own screen; in front of a room or
in a file sent to a product manager even the last four characters of the key, the name
of a private collector or a profile called "acme-prod" are more than they need.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from app.core import targets
from app.core.redact import MASK, basic_auth_token, key_fingerprint

#: What stands in for each kind of secret (so a reader knows something was there).
KEY_STAND_IN = "(write key hidden)"
HOST_STAND_IN = "custom-endpoint.invalid"
PROFILE_STAND_IN = "(profile hidden)"
SECRET_STAND_IN = "(secret hidden)"


def public_target(region: str | None) -> str:
    """The target as an audience may see it: the Segment region, or that it is custom."""
    info = targets.target_info(region)
    return (info or targets.BY_KEY[targets.CUSTOM]).public_label


def host_of(base_url: str) -> str:
    """The host[:port] of a custom base URL, '' when there is none."""
    try:
        return urlsplit(base_url).netloc.rsplit("@", 1)[-1]
    except ValueError:
        return ""


class Scrubber:
    """Replaces known secrets in any text, in one pass (longest first, so a profile name
    inside a key cannot break the key's match). Build one with what is current (the key
    in the field, the custom endpoint, the profile names, other secrets) right before
    showing or writing."""

    def __init__(
        self,
        keys: Iterable[str] = (),
        hosts: Iterable[str] = (),
        profiles: Iterable[str] = (),
        secrets: Iterable[str] = (),
    ) -> None:
        """`secrets`: other credentials (a webhook's Authorization value), hidden as
        `SECRET_STAND_IN` rather than as the write key."""
        self.keys = tuple(k.strip() for k in keys if k.strip())
        self.hosts = tuple(h.strip() for h in hosts if h.strip())
        self.profiles = tuple(profiles)
        self.secrets = tuple(s.strip() for s in secrets if s.strip())
        stand_ins: dict[str, str] = {}
        for values, stand_in in ((self.secrets, SECRET_STAND_IN), (self.keys, KEY_STAND_IN)):
            for key in values:  # stripped above
                stand_ins[basic_auth_token(key)] = stand_in
                stand_ins[key] = stand_in
                fingerprint = key_fingerprint(key)
                if fingerprint:  # the masked form still identifies the key
                    stand_ins[MASK + fingerprint] = stand_in
        for host in self.hosts:
            stand_ins[host] = HOST_STAND_IN
            stand_ins[host.split(":")[0]] = HOST_STAND_IN
        for name in profiles:
            # Short names ("a", "x") would blank out ordinary words; 3+ characters only.
            if len(name.strip()) >= 3:
                stand_ins.setdefault(name.strip(), PROFILE_STAND_IN)
        self._stand_ins = stand_ins
        ordered = sorted(stand_ins, key=len, reverse=True)  # longest first
        self._pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    def with_secrets(self, secrets: Iterable[str]) -> Scrubber:
        """This scrubber and `secrets` besides, as one pass."""
        return Scrubber(self.keys, self.hosts, self.profiles, (*self.secrets, *secrets))

    def scrub(self, text: str) -> str:
        if self._pattern is None or not text:
            return text
        return self._pattern.sub(lambda m: self._stand_ins[m.group(0)], text)

    def leaks(self, text: str) -> list[str]:
        """The secrets (their kind, never their value) still present in `text`."""
        found = []
        if any(k in text for k in self.keys):
            found.append("write key")
        if any(h.split(":")[0] in text for h in self.hosts):
            found.append("endpoint host")
        return found


def scrubber_for(
    keys: Iterable[str] = (), base_urls: Iterable[str] = (), profiles: Iterable[str] = ()
) -> Scrubber:
    """A Scrubber from the raw values (custom base URLs are reduced to their hosts;
    Segment's own hosts are public and are left alone)."""
    segment = targets.SEGMENT_HOSTS
    hosts = tuple(h for h in (host_of(u) for u in base_urls) if h and h not in segment)
    return Scrubber(keys, hosts, profiles)
