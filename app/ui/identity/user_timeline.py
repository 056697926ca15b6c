"""One user's timeline: every message the history holds for a userId, oldest first.

Shown under the identity check with both ids at once (the userId RevenueCat sends and the
one the app identifies), merged in time order: when they differ, the userId column makes
it plain that the two sides landed on two Segment users.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.state.history_text import status_text
from app.storage import HistoryRow, HistoryStore, StatusClass
from app.ui.widgets.colours import tone

COLUMNS = ("Time", "userId", "Mode", "Event", "Status")
_TONES = {StatusClass.OK: "ok", StatusClass.ERROR: "error"}


def merged_timeline(
    store: HistoryStore,
    user_ids: Iterable[str],
    *,
    live_only: bool = False,
    since: datetime | None = None,
) -> list[HistoryRow]:
    """The rows of every given userId, oldest first (each id once, blanks ignored)."""
    rows: dict[int, HistoryRow] = {}
    for user_id in dict.fromkeys(u for u in user_ids if u):
        for row in store.user_timeline(user_id, live_only=live_only):
            rows[row.id] = row
    ordered = sorted(rows.values(), key=lambda r: (r.created_at, r.id))
    return [r for r in ordered if since is None or r.created_at >= since]


class UserTimeline(QWidget):
    """A read-only list; `show_users` redraws it (the window calls it when the ids or
    the history change)."""

    def __init__(
        self,
        store: HistoryStore,
        since: Callable[[], datetime | None] = lambda: None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._since = since  # presentation mode: this session only
        self._users: list[str] | None = None  # None: nothing shown yet
        self.title = QLabel("User timeline")
        self.title.setObjectName("user_timeline_title")
        self.title.setWordWrap(True)  # long ids must not widen the panel
        self.live_only = QCheckBox("Live sends only")
        self.live_only.toggled.connect(lambda _on: self.refresh())
        self.tree = QTreeWidget()
        self.tree.setObjectName("user_timeline")
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.ResizeToContents)
        for column, width in ((0, 150), (1, 110), (2, 50)):
            self.tree.setColumnWidth(column, width)
        self.tree.setMinimumHeight(90)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.live_only)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.tree)

    def show_users(self, user_ids: Iterable[str]) -> None:
        """Redraw for these ids; a no-op when they are the ones shown (the identity check
        reports on every form edit, and the history changes reach `refresh` directly)."""
        users = [u for u in dict.fromkeys(user_ids) if u]
        if users != self._users:
            self._users = users
            self.refresh()

    def refresh(self) -> None:
        users = self._users or []
        rows = merged_timeline(
            self._store, users, live_only=self.live_only.isChecked(), since=self._since()
        )
        who = " and ".join(repr(u) for u in users) or "nobody yet"
        self.title.setText(f"User timeline: {len(rows)} message(s) for {who}, oldest first")
        self.tree.clear()
        item: QTreeWidgetItem | None = None
        for row in rows:
            item = QTreeWidgetItem(
                [
                    row.created_at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
                    row.user_id,
                    row.mode.value,
                    row.event_name or row.event_type,
                    status_text(row),
                ]
            )
            item.setToolTip(4, row.status.label)
            kind = _TONES.get(row.status_class)
            if kind:
                item.setForeground(4, QColor(tone(kind)))
            item.setToolTip(3, ", ".join(row.message_ids))
            self.tree.addTopLevelItem(item)
        if item is not None:
            self.tree.scrollToItem(item)  # the newest message in view
