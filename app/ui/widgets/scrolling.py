"""A page that scrolls below its minimum instead of being squeezed under it.

On a screen too short for a page (a 1366×768 laptop at 2× is 683×384 points), a layout
gives its widgets less than their minimums: labels are drawn over pictures and tables
shrink to a sliver. In a scroll area the page keeps its minimum and scrolls; above it,
the page fills the view with no scroll bar.
"""

from __future__ import annotations

from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget


class _PageLayout(QVBoxLayout):
    """The page's layout, which says its height does not follow its width.

    With height-for-width (any word-wrapped label inside), a resizable scroll area keeps
    its page at the page's *preferred* height for the width, so a scroll bar showed on
    any screen; without it, the page fills the view and scrolls below its minimum.
    The layout still gives each wrapped label the height its width needs."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setContentsMargins(0, 0, 0, 0)

    def hasHeightForWidth(self) -> bool:
        return False


def scrolling_page(content: QWidget, name: str = "") -> QScrollArea:
    """`content` in a frameless scroll area: it fills the area, and scrolls below its
    minimum."""
    page = QWidget()
    _PageLayout(page).addWidget(content)
    area = QScrollArea()
    area.setObjectName(name)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidgetResizable(True)
    area.setWidget(page)
    return area
