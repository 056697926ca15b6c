"""The window's height, split between the page in front (Compose, Lifecycles, Capture)
and the history below it, page by page.

The pages need different shares: Compose is read with the history (a send, then its
row), the Lifecycles timeline and the Capture feed need the height themselves. So each
page keeps the split it was last shown with; the first time a page is shown it gets at
least the height it asks for (`minimumSizeHint`: the timeline's legend and labels, the
feed's rows) and `SHARE` of the whole, the history never less than its own minimum
(two rows). On a short (2x) screen a page that asks for more than there is gets what
the history can spare, and its own layout gives way (splitters, scroll areas).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QSplitter, QTabWidget

#: The page's share of the height when there is room to spare.
SHARE = 0.68


class PageSplits(QObject):
    def __init__(self, splitter: QSplitter, tabs: QTabWidget) -> None:
        super().__init__(splitter)
        self._splitter = splitter
        self._tabs = tabs
        self._page = tabs.currentIndex()
        self._sizes: dict[int, list[int]] = {}
        self._fitted = False
        tabs.currentChanged.connect(self._shown)
        splitter.installEventFilter(self)  # the first real size: fit the start page

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            not self._fitted
            and watched is self._splitter
            and event.type() == QEvent.Type.Resize
            and self._splitter.isVisible()
        ):
            self.fit()
        return False

    def fit(self) -> None:
        """Give the page in front what it asks for (once the window has its size)."""
        self._fitted = True
        total = sum(self._splitter.sizes())
        page = self._tabs.currentWidget()
        history = self._splitter.widget(1)
        if total <= 0 or page is None or history is None:
            return
        chrome = self._tabs.tabBar().sizeHint().height() + 2 * self._tabs.style().pixelMetric(
            self._tabs.style().PixelMetric.PM_DefaultFrameWidth
        )
        wanted = max(page.minimumSizeHint().height() + chrome, round(total * SHARE))
        top = max(min(wanted, total - history.minimumSizeHint().height()), 0)
        self._splitter.setSizes([top, total - top])

    def restored(self) -> None:
        """The saved split was put back: it is the start page's, not to be refitted."""
        self._fitted = True

    def _shown(self, index: int) -> None:
        self._sizes[self._page] = self._splitter.sizes()
        self._page = index
        sizes = self._sizes.get(index)
        if sizes:
            self._splitter.setSizes(sizes)
        else:
            self.fit()
