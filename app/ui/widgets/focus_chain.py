"""Tab order by sections: the window declares its sections in reading order (connection,
compose, payload, send, history) and Tab visits each section's fields in their own order,
then the next section, and from the last one back to the first; a table is left with
Tab (arrows move inside it), never a trap.

Qt's default chain is the order widgets were created in, which is not the order they are
placed in; and a table's Tab moves between its cells. `chain` fixes both, and can be run
again when a section gains widgets (a tab built later).

Qt's chain is one circle through every widget of the window, so the order is an arc of
it; the rest of the circle holds widgets Tab still stops at: each tab widget forwards
its focus to its tab bar (already in the order), so Tab from the last field of the
history went back to the Compose tab bar. Moving tab widgets in the chain crashed at
teardown, so the circle is left alone and `TabCycle` closes the order instead: the
window asks it, in `focusNextPrevChild` (Qt's hook for Tab), before Qt walks the chain.
Two dead stops are also taken out by their focus policy: a tab bar's scroll arrows (the
bar takes the arrow keys) and a scroll area that holds a form (its fields are the stops,
and Qt scrolls each one into view as it gets the focus).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QScrollArea, QTabBar, QWidget


def focusable(sections: Sequence[QWidget]) -> list[list[QWidget]]:
    """For each of `sections` (none inside another), it and its descendants that Tab can
    reach, in the current chain's order from the section on (a widget that hands its
    focus to a proxy is left out: the proxy is listed).

    One walk round Qt's chain for all of them: the chain holds every widget of the
    window, so a walk per section made the order cost sections × widgets at start-up."""
    where = {section: i for i, section in enumerate(sections)}
    found: list[list[tuple[int, QWidget]]] = [[] for _ in sections]
    starts = [0] * len(sections)
    widget: QWidget | None = sections[0]
    position = 0
    while widget is not None:
        if widget in where:
            starts[where[widget]] = position
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.focusProxy() is None:
            owner: QWidget | None = widget
            while owner is not None and owner not in where:
                owner = owner.parentWidget()
            if owner is not None:
                found[where[owner]].append((position, widget))
        widget = widget.nextInFocusChain()
        position += 1
        if widget is sections[0]:
            break
    length = max(position, 1)

    def from_start(listed: list[tuple[int, QWidget]], start: int) -> list[QWidget]:
        return [w for at, w in sorted(listed, key=lambda item: (item[0] - start) % length)]

    return [from_start(listed, start) for listed, start in zip(found, starts, strict=True)]


def _no_dead_stops(section: QWidget) -> None:
    bars = section.findChildren(QTabBar) + ([section] if isinstance(section, QTabBar) else [])
    for bar in bars:
        for arrow in bar.findChildren(QWidget):
            arrow.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    for area in section.findChildren(QScrollArea):
        content = area.widget()
        if content is not None and any(
            w.focusPolicy() & Qt.FocusPolicy.TabFocus for w in content.findChildren(QWidget)
        ):
            area.setFocusPolicy(Qt.FocusPolicy.NoFocus)


def chain(sections: Sequence[QWidget]) -> list[QWidget]:
    """Make Tab visit `sections` in this order (each one's fields in its own order) and
    leave every table with Tab. Returns the whole order (for tests, and for `TabCycle`)."""
    for section in sections:
        _no_dead_stops(section)
    order: list[QWidget] = []
    seen: set[QWidget] = set()
    for listed in focusable(sections):
        for widget in listed:
            if widget not in seen:
                seen.add(widget)
                order.append(widget)
    for widget in order:
        if isinstance(widget, QAbstractItemView):
            widget.setTabKeyNavigation(False)
    for first, second in itertools.pairwise(order):
        QWidget.setTabOrder(first, second)
    return order


def _takes_tab(widget: QWidget) -> bool:
    return (
        shiboken6.isValid(widget)  # a widget of the order may have been deleted since
        and widget.isVisible()
        and widget.isEnabled()
        and bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
    )


class TabCycle:
    """The order as a loop: Tab on its last widget that can take the focus goes to its
    first, Shift+Tab on the first to the last. Everything else is Qt's chain."""

    def __init__(self) -> None:
        self.order: list[QWidget] = []

    def wrap(self, focused: QWidget | None, forward: bool) -> QWidget | None:
        """Where Tab (`forward`) or Shift+Tab goes from `focused`, when it wraps."""
        stops = [w for w in self.order if _takes_tab(w)]
        if focused is None or len(stops) < 2:
            return None
        end, start = (stops[-1], stops[0]) if forward else (stops[0], stops[-1])
        return start if focused is end else None
