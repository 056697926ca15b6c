"""View → Theme: light, dark, or whatever the system uses.

Light and dark are Qt's Fusion style with a light or a dark palette, so they look the
same on every platform (the offscreen one in tests included); "system" gives the
platform's own style and palette back. The choice is kept in ui.ini (`view/theme`).
Status colours follow by themselves: `widgets.colours.tone` reads the palette in force.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

THEMES = ("system", "light", "dark")


class Theme:
    def __init__(self, app: QApplication) -> None:
        self._app = app
        # The system's style and palette, read when a theme first replaces them: reading
        # the style wraps QStyle and its enums (~7 ms), which a start in "system" skips.
        self._system: tuple[str, QPalette] | None = None
        self.name = "system"

    def apply(self, name: str) -> None:
        if name not in THEMES:
            name = "system"
        if name == self.name:
            return  # nothing to redo (a new style repolishes every widget)
        if self._system is None:  # still the system's own (the theme was "system")
            self._system = (self._app.style().name(), QPalette(self._app.palette()))
        self.name = name
        if name == "system":
            style, palette = self._system
            self._app.setStyle(QStyleFactory.create(style))
            self._app.setPalette(palette)
            return
        fusion = QStyleFactory.create("Fusion")
        self._app.setStyle(fusion)
        self._app.setPalette(dark_palette() if name == "dark" else fusion.standardPalette())


def dark_palette() -> QPalette:
    """A dark palette for Fusion (window #2b2b2b, text #e8e8e8, links and selection blue)."""
    roles = QPalette.ColorRole
    palette = QPalette()
    for role, colour in (
        (roles.Window, "#2b2b2b"), (roles.WindowText, "#e8e8e8"), (roles.Base, "#1f1f1f"),
        (roles.AlternateBase, "#282828"), (roles.ToolTipBase, "#353535"),
        (roles.ToolTipText, "#e8e8e8"), (roles.Text, "#e8e8e8"), (roles.Button, "#353535"),
        (roles.ButtonText, "#e8e8e8"), (roles.BrightText, "#ff6b6b"), (roles.Link, "#78aef0"),
        (roles.Highlight, "#2f65ca"), (roles.HighlightedText, "#ffffff"),
        (roles.PlaceholderText, "#9a9a9a"),
    ):  # fmt: skip
        palette.setColor(role, QColor(colour))
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.Text, roles.ButtonText, roles.WindowText):
        palette.setColor(disabled, role, QColor("#7a7a7a"))
    return palette
