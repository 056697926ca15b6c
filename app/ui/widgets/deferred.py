"""A tab page whose content is built the first time it is needed.

Start-up pays only for what is on screen: a hidden tab (the identity check, the
lifecycles) is built when it is first shown, first asked for, or in the idle moment
right after the window is ready, whichever comes first.

With `scroll`, the content is a `scrolling_page`: on a screen too short for its minimum
the page scrolls instead of squeezing the Capture tab's feed down to a sliver.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.ui.widgets.scrolling import scrolling_page

W = TypeVar("W", bound=QWidget)


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
            layout.addWidget(scrolling_page(self._content) if self._scroll else self._content)
            if self.after_build is not None:
                self.after_build()
        return self._content

    def showEvent(self, event: QShowEvent) -> None:
        self.content()
        super().showEvent(event)
