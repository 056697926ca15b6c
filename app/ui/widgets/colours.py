"""Status colours that stay readable on the light and the dark system palette.

Qt follows the system palette by itself; only the colours we choose (status text in the
history, outcomes, errors) need a dark-background variant, picked here at draw time.
"""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication, QPalette

_LIGHT = {"ok": "#2e7d32", "error": "#c62828", "info": "#1565c0", "warn": "#8a4b00",
          "unknown": "#b26a00", "muted": "#757575"}  # fmt: skip
_DARK = {"ok": "#81c784", "error": "#ef9a9a", "info": "#90caf9", "warn": "#ffcc80",
         "unknown": "#ffb74d", "muted": "#bdbdbd"}  # fmt: skip


def dark_palette(palette: QPalette | None = None) -> bool:
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def tone(kind: str, palette: QPalette | None = None) -> str:
    """The colour for `kind` (ok, error, info, warn, unknown, muted) on this palette."""
    return (_DARK if dark_palette(palette) else _LIGHT)[kind]
