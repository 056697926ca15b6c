"""Proxies from the environment (HTTPS_PROXY, ALL_PROXY, HTTP_PROXY, NO_PROXY), checked
before a send and named when one fails.

httpx reads these variables when a client is built and raises a bare ValueError,
ImportError or InvalidURL for a malformed one (an unknown scheme, SOCKS without its
extra package); HTTP_PROXY too, although this app never proxies plain http. Checking
them first turns each into one line naming the variable. And when a proxy is in use, a
refused or unresolvable connection is the proxy's, not the target's: `proxy_for` tells
the failure message which proxy a URL went through.
"""

from __future__ import annotations

import importlib.util
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from app.core.errors import EventInputError

_SCHEMES = ("http", "https", "socks5", "socks5h")
_CREDENTIALS = re.compile(r"(//)?[^/?#@]*@")


class ProxyError(EventInputError):
    """A proxy variable httpx cannot use; `field` is the variable's name."""


@dataclass(frozen=True, slots=True)
class Proxy:
    """The proxy a URL goes through: the variable it came from and its URL (shown)."""

    variable: str
    url: str

    @property
    def label(self) -> str:
        return f"the proxy {self.url} (from {self.variable})"


def _shown(value: str) -> str:
    """The value minus any `user:password@` (a proxy password is a secret too)."""
    return _CREDENTIALS.sub(lambda m: (m[1] or "") + "…@", value, count=1)


def _variables(env: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    """Scheme ("http", "https", "all", "no") → (variable name, value), as urllib and
    httpx read them: lower-case names win over upper-case ones."""
    found: dict[str, tuple[str, str]] = {}
    for lower_only in (False, True):
        for name, value in env.items():
            key = name.lower()
            if key.endswith("_proxy") and value and (name == key or not lower_only):
                found[key[: -len("_proxy")]] = (name, value)
    return found


def check_environment(env: Mapping[str, str] | None = None) -> None:
    """Raise ProxyError for the first proxy variable httpx could not use."""
    variables = _variables(os.environ if env is None else env)
    for scheme in ("https", "all", "http"):
        if scheme not in variables:
            continue
        name, value = variables[scheme]
        shown = _shown(value.strip())
        if "://" not in value and not re.search(r":\d+/?$", value.strip()):
            raise ProxyError(name, f"{shown!r} is not a proxy URL (expected http://host:port)")
        url = value.strip() if "://" in value else f"http://{value.strip()}"
        try:
            proxy_scheme = urlsplit(url).scheme.lower()
        except ValueError as exc:  # a bad [IPv6] literal
            raise ProxyError(name, f"{shown!r} is not a valid proxy URL ({exc})") from None
        if proxy_scheme not in _SCHEMES:
            raise ProxyError(
                name,
                f"unknown proxy scheme {proxy_scheme}:// in {shown!r} "
                "(expected http://, https:// or socks5://)",
            )
        if proxy_scheme.startswith("socks") and importlib.util.find_spec("socksio") is None:
            raise ProxyError(
                name,
                f"{shown!r} is a SOCKS proxy, which needs the socksio package "
                "(pip install 'httpx[socks]')",
            )
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL as exc:
            raise ProxyError(name, f"{shown!r} is not a valid proxy URL ({exc})") from None
        if not parsed.host:
            raise ProxyError(name, f"{shown!r} has no host name")


def _exempt(host: str, no_proxy: str) -> bool:
    """NO_PROXY as curl and httpx read it: "*", or names matching the host or a parent."""
    host = host.lower().rstrip(".")
    for entry in no_proxy.split(","):
        entry = entry.strip().lower().lstrip("*").lstrip(".").split(":", 1)[0]
        if entry == "" and no_proxy.strip() == "*":
            return True
        if entry and (host == entry or host.endswith("." + entry)):
            return True
    return False


def proxy_for(url: str, env: Mapping[str, str] | None = None) -> Proxy | None:
    """The environment proxy an https:// request to `url` goes through, or None (plain
    http:// is never proxied by this app, and NO_PROXY may exempt the host)."""
    parts = urlsplit(url)
    if parts.scheme != "https":
        return None
    variables = _variables(os.environ if env is None else env)
    chosen = variables.get("https") or variables.get("all")
    if chosen is None:
        return None
    if "no" in variables and _exempt(parts.hostname or "", variables["no"][1]):
        return None
    return Proxy(chosen[0], _shown(chosen[1].strip()))
