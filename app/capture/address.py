"""Where the window's receiver listens: loopback by default, the LAN only when chosen.

Pure rules for the Capture tab (no Qt, no server): the two bind choices, the port as
typed turned into a number or one plain line naming the field, the address to show
(a LAN bind listens on every interface, but a device must be given this machine's LAN
address), and the warning that goes with the LAN.
"""

from __future__ import annotations

import contextlib
import socket
from dataclasses import dataclass
from enum import StrEnum

LOOPBACK = "127.0.0.1"
ALL_INTERFACES = "0.0.0.0"
DEFAULT_PORT = 8787  # as `serve`

LAN_WARNING = (
    "Listening on all interfaces: any device on your network can send to this receiver, "
    "and whatever it sends is recorded in the history. Use it for a physical phone; "
    "choose loopback again when you are done."
)


class Bind(StrEnum):
    LOOPBACK = "loopback"
    LAN = "lan"

    @property
    def host(self) -> str:
        """What the server binds."""
        return LOOPBACK if self is Bind.LOOPBACK else ALL_INTERFACES

    @property
    def label(self) -> str:
        return "Loopback (127.0.0.1)" if self is Bind.LOOPBACK else "LAN (all interfaces)"


class AddressError(ValueError):
    """The port as typed cannot be used (the message names the field)."""


def parse_port(text: str) -> int:
    """The port typed in the field: 1–65535, or 0 for any free port."""
    value = text.strip()
    if not value:
        raise AddressError("Port: is empty (1 to 65535, or 0 for any free port)")
    if not value.isascii() or not value.isdigit():
        raise AddressError(f"Port: {value[:20]!r} is not a number (1 to 65535, or 0: any)")
    port = int(value)
    if port > 65535:
        raise AddressError(f"Port: {port} is above 65535")
    return port


def bind_from(text: object) -> Bind:
    """A saved choice (ui.ini) back to a `Bind`; anything else is loopback."""
    return Bind.LAN if text == Bind.LAN.value else Bind.LOOPBACK


def port_from(text: object) -> int:
    """A saved port (ui.ini); anything unreadable is the default."""
    try:
        return parse_port(str(text))
    except AddressError:
        return DEFAULT_PORT


def lan_ip() -> str | None:
    """This machine's address on its LAN (the interface of the default route), found
    without sending anything: connecting a UDP socket only picks the route. None when
    there is no network."""
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere real
        address = str(s.getsockname()[0])
        if address and not address.startswith(("0.", "127.")):
            return address
    return None


@dataclass(frozen=True, slots=True)
class Listening:
    """What the tab shows once the server listens."""

    bind: Bind
    port: int
    lan: str | None = None  # this machine's LAN address (LAN bind only)

    @property
    def host(self) -> str:
        """The host a client on this machine (or, for the LAN, a device) should use."""
        if self.bind is Bind.LAN and self.lan:
            return self.lan
        return LOOPBACK

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def segment_api(self) -> str:
        return f"{self.base_url}/v1"

    @property
    def revenuecat_webhook(self) -> str:
        return f"{self.base_url}/revenuecat"

    def summary(self) -> str:
        """One line for the status beside the address: who can reach it."""
        if self.bind is Bind.LAN:
            reach = f"devices use {self.lan}" if self.lan else "no LAN address found"
            return f"Listening on all interfaces, port {self.port} ({reach})"
        return "Listening: this machine only (and its simulators and emulators)"
