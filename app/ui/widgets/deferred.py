"""A tab page whose content is built the first time it is needed.

Start-up pays only for what is on screen: a hidden tab (the identity check, the
lifecycles) is built when it is first shown, first asked for, or in the idle moment
right after the window is ready, whichever comes first.

With `scroll`, the content sits in a scroll area: on a screen too short for its minimum
(a 1366×768 laptop at 2× is 683×384 points) the page scrolls instead of squeezing its
widgets below their minimums (the Capture tab's feed down to a sliver).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

W = TypeVar("W", bound=QWidget)


class _PageLayout(QVBoxLayout):
    """A scrolled page's layout, which says its height does not follow its width.

    With height-for-width (any word-wrapped label inside), a resizable scroll area keeps
    its page at the page's *preferred* height for the width, so a scroll bar showed on
    any screen; without it, the page fills the view and scrolls below its minimum.
    The layout still gives each wrapped label the height its width needs."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setContentsMargins(0, 0, 0, 0)

    def hasHeightForWidth(self) -> bool:
        return False


class DeferredTab(QWidget, Generic[W]):
    def __init__(
        self, build: Callable[[], W], parent: QWidget | None = None, *, scroll: bool = False
    ) -> None:
        super().__init__(parent)
        self._build: Callable[[], W] | None = build
        self._scroll = scroll
        self._content: W | None = None
        #: Called once the content is in place (the window re-runs its Tab order).
        self.after_build: Callable[[], object] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    @property
    def built(self) -> bool:
        return self._content is not None

    def content(self) -> W:
        """The content, built now if it was not yet."""
        if self._content is None:
            assert self._build is not None
            build, self._build = self._build, None
            self._content = build()
            layout = self.layout()
            assert layout is not None
            if self._scroll:
                page = QWidget()
                _PageLayout(page).addWidget(self._content)
                area = QScrollArea()
                area.setFrameShape(QScrollArea.Shape.NoFrame)
                area.setWidgetResizable(True)  # fills the page down to its minimum
                area.setWidget(page)
                layout.addWidget(area)
            else:
                layout.addWidget(self._content)
            if self.after_build is not None:
                self.after_build()
        return self._content

    def showEvent(self, event: QShowEvent) -> None:
        self.content()
        super().showEvent(event)
