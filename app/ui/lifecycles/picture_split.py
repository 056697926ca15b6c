"""The timeline over its summary and payloads: a vertical splitter that a short (2x)
screen squeezes without putting one over the other.

Its minimums follow the type in use (presentation mode's is larger): the picture asks
for its legend, the lanes of labels its width takes (three when narrow) and some bars
(`TimelineView.minimumSizeHint`); the part below for the summary, the tab names and a
line of JSON, so on a short screen the timeline stays readable and the payloads scroll.
The first time it is shown the picture gets `PICTURE` of the height (at least its
minimum); the user's drags are kept after.

Where even the two minimums do not fit (a 1366×768 laptop at 2× is 683×384 points, and
the history below wants its rows too), the whole split scrolls (the Lifecycles tab puts
it in a `scrolling_page`), instead of being squeezed until the picture's labels are
drawn over its legend and bars and the payload tabs hang out below.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QTabWidget, QVBoxLayout, QWidget

from app.ui.lifecycles.timeline_view import TimelineView
from app.ui.widgets.sizing import lines_height

PICTURE = 0.6


class PictureSplit(QSplitter):
    def __init__(self, view: TimelineView, summary: QWidget, payloads: QTabWidget) -> None:
        super().__init__(Qt.Orientation.Vertical)
        self.setObjectName("timeline_splitter")
        self._view, self._summary, self._payloads = view, summary, payloads
        self._below = QWidget()
        below_layout = QVBoxLayout(self._below)
        below_layout.setContentsMargins(0, 0, 0, 0)
        below_layout.addWidget(summary)
        below_layout.addWidget(payloads, 1)
        self.setChildrenCollapsible(False)
        self.addWidget(view)
        self.addWidget(self._below)
        self.setStretchFactor(0, 3)
        self.setStretchFactor(1, 2)
        self._fitted = False

    def fit(self) -> None:
        """The part below's minimum in the type in use; the first split (once shown)."""
        tabs = self._payloads.tabBar().sizeHint().height() + lines_height(self._view, 3.5)
        self._below.setMinimumHeight(tabs + self._summary.minimumSizeHint().height())
        if not self._fitted:
            self._fitted = True
            total = sum(self.sizes()) or self.height()
            picture = max(self._view.minimumSizeHint().height(), round(total * PICTURE))
            self.setSizes([picture, max(total - picture, 1)])
