"""Can Qt open a window here? Checked before anything imports PySide6.

On Linux, Qt's xcb platform plugin aborts the whole process (exit 134, a page of
"could not load the Qt platform plugin" text) when one of the X libraries it links
against is missing, and again when the display in $DISPLAY cannot be reached. Both are
set-up problems a user fixes in one step, so each becomes one line saying which step,
and the GUI exits 2 (the CLI's "cannot run as asked" code). Imports no Qt.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Mapping

#: What Qt's xcb plugin loads: shared library → the Debian/Ubuntu package that has it.
XCB_LIBRARIES = {
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
}

#: The line the README gives for a Linux desktop (the same packages, all at once).
APT_LINE = "sudo apt-get install " + " ".join(XCB_LIBRARIES.values())

_X_DISPLAY = re.compile(r"^(?P<host>[^:]*):(?P<number>\d+)(?:\.\d+)?$")

Loader = Callable[[str], object]
Connector = Callable[[str, int | str], bool]


# ctypes and socket are imported where used: a start with another platform (offscreen,
# wayland) or off Linux checks nothing and need not load them.
def _load(name: str) -> object:
    import ctypes

    return ctypes.CDLL(name)


def missing_libraries(load: Loader = _load) -> list[str]:
    """The xcb libraries the dynamic loader cannot find, in `XCB_LIBRARIES` order."""
    missing = []
    for name in XCB_LIBRARIES:
        try:
            load(name)
        except OSError:
            missing.append(name)
    return missing


def _connect(family: str, address: int | str) -> bool:
    """Whether something accepts a connection there (a unix path, or host:port text)."""
    import socket

    try:
        if family == "unix":
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(1.0)
                sock.connect(str(address))
        else:
            host, _, port = str(address).rpartition(":")
            socket.create_connection((host, int(port)), timeout=1.0).close()
    except OSError:
        return False
    return True


def x_display_reachable(display: str, connect: Connector = _connect) -> bool:
    """Whether an X server answers at `display` (":0", "unix:1", "host:10.0")."""
    match = _X_DISPLAY.match(display.strip())
    if match is None:
        return False
    host, number = match["host"], int(match["number"])
    if host in ("", "unix"):
        path = f"/tmp/.X11-unix/X{number}"
        return connect("unix", "\0" + path) or connect("unix", path)  # abstract first
    return connect("tcp", f"{host}:{6000 + number}")


def problem(
    env: Mapping[str, str] | None = None,
    platform: str = sys.platform,
    load: Loader = _load,
    connect: Connector = _connect,
) -> str | None:
    """The one line to print when Qt could not open a window here, else None."""
    env = os.environ if env is None else env
    chosen = env.get("QT_QPA_PLATFORM", "")
    if not platform.startswith("linux") or (chosen and not chosen.startswith("xcb")):
        return None  # offscreen, wayland, …: Qt's own plugins, nothing to load from X
    wayland = env.get("WAYLAND_DISPLAY", "")
    if wayland and not chosen:
        runtime = env.get("XDG_RUNTIME_DIR", "")
        path = wayland if wayland.startswith("/") else os.path.join(runtime, wayland)
        if connect("unix", path):
            return None
    display = env.get("DISPLAY", "")
    if not display:
        return None  # no display at all: the caller's own message covers it
    if not x_display_reachable(display, connect):
        return (
            f"error: cannot reach the X display {display!r} (DISPLAY): start the X server "
            "or fix DISPLAY, run under xvfb-run, or use the CLI (python -m app --help)"
        )
    missing = missing_libraries(load)
    if missing:
        more = f" and {len(missing) - 1} more" if len(missing) > 1 else ""
        packages = " ".join(XCB_LIBRARIES[name] for name in missing)
        return (
            f"error: Qt's X11 (xcb) platform needs {missing[0]}{more}, not installed; on "
            f"Debian/Ubuntu: sudo apt-get install {packages}"
        )
    return None
