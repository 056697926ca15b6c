"""Layout checks over real widgets: visible siblings that overlap, and children that
stick out of their parent (content cut off). A layout squeezed below its minimum does
both; one that gives way (scroll areas, splitters, elision) does neither."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QAbstractScrollArea, QTabBar, QWidget


def _shown_children(widget: QWidget) -> list[QWidget]:
    return [
        child
        for child in widget.findChildren(QWidget, options=_direct())
        if not child.isWindow() and child.isVisible() and child.width() > 0 and child.height() > 0
    ]


def _direct():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    return Qt.FindChildOption.FindDirectChildrenOnly


def _scrolled(widget: QWidget) -> bool:
    """A scroll area's content may be larger than its viewport: that is the point."""
    parent = widget.parentWidget()
    area = parent.parentWidget() if parent is not None else None
    return isinstance(area, QAbstractScrollArea) and area.viewport() is parent


def _walk(root: QWidget) -> Iterator[QWidget]:
    yield root
    for child in _shown_children(root):
        yield from _walk(child)


def _name(widget: QWidget) -> str:
    return f"{type(widget).__name__}({widget.objectName() or '?'})"


def overlaps(root: QWidget) -> list[str]:
    """Every pair of visible sibling widgets under `root` whose rectangles intersect."""
    found = []
    for widget in _walk(root):
        if isinstance(widget, QTabBar):  # its scroll arrows touch: Qt's own drawing
            continue
        children = _shown_children(widget)
        for i, first in enumerate(children):
            for second in children[i + 1 :]:
                common = first.geometry().intersected(second.geometry())
                if not common.isEmpty():
                    found.append(
                        f"{_name(first)} {_rect(first.geometry())} overlaps {_name(second)} "
                        f"{_rect(second.geometry())} in {_name(widget)}"
                    )
    return found


def cut_off(root: QWidget, slack: int = 1) -> list[str]:
    """Visible widgets that stick out of their parent (not a scroll area's content)."""
    found = []
    for widget in _walk(root):
        parent = widget.parentWidget()
        if widget is root or parent is None or _scrolled(widget):
            continue
        inside = parent.rect().adjusted(-slack, -slack, slack, slack)
        if not inside.contains(widget.geometry()):
            found.append(
                f"{_name(widget)} {_rect(widget.geometry())} outside {_name(parent)} "
                f"{_rect(parent.rect())}"
            )
    return found


def _rect(rect: QRect) -> str:
    return f"[{rect.x()},{rect.y()} {rect.width()}x{rect.height()}]"
