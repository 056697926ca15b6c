"""Tab order by sections: the window declares its sections in reading order (connection,
compose, payload, send, history) and Tab visits each section's fields in their own order,
then the next section; a table is left with Tab (arrows move inside it), never a trap.

Qt's default chain is the order widgets were created in, which is not the order they are
placed in; and a table's Tab moves between its cells. `chain` fixes both, and can be run
again when a section gains widgets (a tab built later).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QWidget


def focusable(section: QWidget) -> list[QWidget]:
    """`section` and its descendants that Tab can reach, in the current chain's order
    (a widget that hands its focus to a proxy is left out: the proxy is listed)."""
    found: list[QWidget] = []
    widget = section
    while True:
        inside = widget is section or section.isAncestorOf(widget)
        tab = bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        if inside and tab and widget.focusProxy() is None:
            found.append(widget)
        following = widget.nextInFocusChain()
        if following is None or following is section:
            return found
        widget = following


def chain(sections: Sequence[QWidget]) -> list[QWidget]:
    """Make Tab visit `sections` in this order (each one's fields in its own order) and
    leave every table with Tab. Returns the whole order (for tests and for reading)."""
    order: list[QWidget] = []
    for section in sections:
        for widget in focusable(section):
            if widget not in order:
                order.append(widget)
    for widget in order:
        if isinstance(widget, QAbstractItemView):
            widget.setTabKeyNavigation(False)
    for first, second in itertools.pairwise(order):
        QWidget.setTabOrder(first, second)
    return order
