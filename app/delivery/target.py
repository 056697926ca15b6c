"""Where messages go: a Segment region or a custom base URL, checked before any connection.

Custom URLs are for a proxy, a Segment-compatible collector or a local capture server.
They must be ``https://``; plain ``http://`` is allowed only to a loopback host, because
the write key travels in the Authorization header and must never cross a network in clear.
The usual typing mistakes (no scheme, a trailing slash, a URL copied with ``/v1/track``
at the end) are fixed and the fix is explained in `Target.notes`.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict

from app.core import targets
from app.core.errors import EventInputError

#: Segment's regional Tracking API base URLs, from the target registry (app.core.targets).
REGIONS = targets.REGION_URLS

#: The API paths a pasted URL may already end with; they are stripped back to the base.
ENDPOINT_PATHS = ("track", "identify", "batch", "import", "page", "screen", "group", "alias")

_SEGMENT_HOSTS = {urlsplit(url).hostname for url in REGIONS.values()}


class TargetError(EventInputError):
    """A target that cannot be used; raised before anything touches the network."""

    def __init__(self, problem: str) -> None:
        super().__init__("endpoint", problem)


class Target(BaseModel):
    """A resolved base URL; `url_for("track")` is where a request goes."""

    model_config = ConfigDict(frozen=True)

    base_url: str
    region: str | None = None  # "us" / "eu", or None for a custom URL
    notes: tuple[str, ...] = ()  # what normalisation changed, in plain words

    def url_for(self, endpoint: str) -> str:
        return f"{self.base_url}/{endpoint}"

    @property
    def label(self) -> str:
        """What history and the UI show: the region, or the custom URL (no credentials,
        query or fragment can be in it: those are refused)."""
        return self.region or self.base_url


def region_target(region: str) -> Target:
    try:
        return Target(base_url=REGIONS[region], region=region)
    except KeyError:
        raise TargetError(
            f"unknown region {region!r}; expected one of {', '.join(REGIONS)}"
        ) from None


def is_loopback_host(host: str) -> bool:
    """127.0.0.0/8, ::1 and "localhost" (and names under .localhost, RFC 6761)."""
    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


_LABEL = re.compile(r"^[a-z0-9_-]+$")
_ONE_SLASH = re.compile(r"^(https?):/*(?!/)", re.IGNORECASE)


def _host_problem(host: str) -> str | None:
    """Why `host` cannot be a host name (empty or overlong labels, a label that starts or
    ends with a hyphen, an invalid internationalised name), or None. Checked here because
    the HTTP stack raises deep inside a send for these, or sends a DNS query that cannot
    succeed."""
    try:
        ipaddress.ip_address(host)
        return None
    except ValueError:
        pass
    name = host.lower()
    name = name[:-1] if name.endswith(".") else name  # one trailing dot: a rooted name
    if len(name) > 253:
        return "the host name is longer than 253 characters"
    for label in name.split("."):
        if not label:
            return "the host name has an empty label (two dots in a row, or a leading dot)"
        shown = label if len(label) <= 20 else label[:19] + "…"
        if len(label) > 63:
            return f"the host name's label {shown!r} is longer than 63 characters"
        if label.startswith("-") or label.endswith("-"):
            return f"the host name's label {shown!r} starts or ends with a hyphen"
        if label.isascii() and not _LABEL.match(label):
            return f"the host name's label {shown!r} has characters a host name cannot have"
        if not label.isascii() or label.startswith("xn--"):
            import idna  # httpx's own IDNA codec; only for the rare international name

            try:
                idna.encode(label) if not label.isascii() else idna.decode(label)
            except (idna.IDNAError, UnicodeError) as exc:
                return f"the host name's label {shown!r} is not a valid international name ({exc})"
    return None


def _shown(raw: str) -> str:
    """The URL as typed, for an error message, minus any `user:password@` part: a write
    key pasted there must not be echoed back (on stderr, in the window, in a screenshot)."""
    return re.sub(r"(//)[^/?#]*@", r"\1…@", raw.strip())


def custom_target(raw: str) -> Target:
    """Normalise and check a user-typed base URL; raises TargetError with the reason."""
    text = raw.strip()
    if not text:
        raise TargetError("empty URL; give a base URL such as https://collector.example.com/v1")
    notes: list[str] = []
    slip = _ONE_SLASH.match(text)
    if slip and "://" not in text[: slip.end() + 1]:
        # "http:/127.0.0.1:8080" would otherwise become https://http/127.0.0.1:8080
        fixed = f"{slip[1].lower()}://{text[slip.end() :]}"
        raise TargetError(f"{_shown(raw)!r} is missing a slash: did you mean {_shown(fixed)!r}?")
    if "://" not in text:
        text = "https://" + text
        notes.append("no scheme given: using https://")
    try:
        parts = urlsplit(text)  # raises for a bad [IPv6] literal, e.g. "http://[::1"
    except ValueError as exc:
        raise TargetError(f"{_shown(raw)!r} is not a valid URL ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise TargetError(f"{scheme}:// is not supported; use an https:// URL")
    try:
        host = parts.hostname or ""
        port = parts.port
    except ValueError as exc:
        raise TargetError(f"{_shown(raw)!r} is not a valid URL ({exc})") from None
    if not host:
        raise TargetError(f"{_shown(raw)!r} has no host name")
    if any(ch.isspace() or not ch.isprintable() for ch in parts.netloc):
        raise TargetError(
            f"{_shown(raw)!r} is not a valid URL (the host contains a space or control character)"
        )
    if not parts.path.isprintable():  # httpx refuses control characters anywhere in a URL
        raise TargetError(
            f"{_shown(raw)!r} is not a valid URL (the path contains a control character)"
        )
    problem = _host_problem(host)
    if problem:
        raise TargetError(f"{_shown(raw)!r} is not a valid URL ({problem})")
    if parts.username is not None or parts.password is not None:
        raise TargetError(
            "the URL contains user:password@; put the write key in the write-key field "
            "instead (a key in a URL would end up in history and logs)"
        )
    if parts.query or parts.fragment:
        raise TargetError(
            "the URL has a query string or #fragment; give only the base URL "
            "(the app appends /track, /identify or /batch)"
        )
    if scheme == "http" and not is_loopback_host(host):
        raise TargetError(
            f"http://{host} is refused: the write key would travel unencrypted; use https:// "
            "(plain http:// is allowed only to this machine: 127.0.0.1, ::1, localhost)"
        )
    path = parts.path.rstrip("/")
    if parts.path != path and path + "/" == parts.path:
        notes.append("removed the trailing slash")
    last = path.rsplit("/", 1)[-1].lower()
    if last in ENDPOINT_PATHS:
        path = path[: -len(last) - 1]
        notes.append(
            f"the URL ended in /{last}: using the base URL; the app appends /track, "
            "/identify or /batch itself"
        )
    if host.lower() in _SEGMENT_HOSTS and path == "":
        path = "/v1"
        notes.append("Segment's API lives under /v1: added it")
    netloc = host if ":" not in host else f"[{host}]"
    if port is not None:
        netloc = f"{netloc}:{port}"
    base = urlunsplit((scheme, netloc.lower(), path, "", ""))
    region = next((name for name, url in REGIONS.items() if url == base), None)
    return Target(base_url=base, region=region, notes=tuple(notes))


#: Host name → the addresses it resolves to here (injectable for tests).
Resolver = Callable[[str], list[str]]


def resolve_host(host: str) -> list[str]:
    return [str(info[4][0]) for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)]


def check_loopback(target: Target, resolve: Resolver = resolve_host) -> None:
    """Refuse (TargetError) a plain http:// target whose host *name* does not really
    resolve to this machine only. `localhost` and `*.localhost` are loopback by convention
    (RFC 6761), but a hosts file or resolver may say otherwise, and the key would then
    cross the network in clear. Called just before a live send, not while typing: it
    asks the resolver."""
    parts = urlsplit(target.base_url)
    host = (parts.hostname or "").rstrip(".")
    if parts.scheme != "http":
        return
    try:
        ipaddress.ip_address(host)
        return  # a literal loopback address, checked by custom_target
    except ValueError:
        pass
    try:
        addresses = resolve(host)
    except (OSError, UnicodeError):
        addresses = []
    if not addresses:
        raise TargetError(
            f"http://{host} is refused: the name does not resolve on this machine, so "
            "plain http:// cannot be shown to stay on it; use http://127.0.0.1 or https://"
        )
    outside = [a for a in addresses if not ipaddress.ip_address(a.split("%")[0]).is_loopback]
    if outside:
        raise TargetError(
            f"http://{host} is refused: it resolves to {outside[0]}, not to this machine, "
            "and the write key would travel unencrypted; use https:// or http://127.0.0.1"
        )


def resolve_target(region: str | None = None, endpoint: str | None = None) -> Target:
    """Exactly one of region / endpoint; the CLI's `--region` / `--endpoint`."""
    if (region is None) == (endpoint is None):
        raise TargetError(f"give either a region ({' or '.join(REGIONS)}) or a custom endpoint URL")
    return region_target(region) if region is not None else custom_target(endpoint or "")
