"""History rows as short text for tables (the window's history and the user timeline).

Qt-free, so the wording of a row is tested without a table view.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from app.core.catalogue import CATALOGUE
from app.storage.models import Mode, Status, StatusClass

COLUMNS = ("Time", "Mode", "Event", "userId", "Target", "Status", "Latency")
TARGET_COLUMN = COLUMNS.index("Target")
MODE_COLUMN = COLUMNS.index("Mode")
EVENT_COLUMN = COLUMNS.index("Event")
STATUS_COLUMN = COLUMNS.index("Status")


class TableRow(Protocol):
    """What a table shows of a row: a whole `HistoryRow` or a light `RowSummary`."""

    @property
    def created_at(self) -> datetime: ...
    @property
    def mode(self) -> Mode: ...
    @property
    def status(self) -> Status: ...
    @property
    def event_type(self) -> str: ...
    @property
    def event_name(self) -> str: ...
    @property
    def user_id(self) -> str: ...
    @property
    def target(self) -> str: ...
    @property
    def http_status(self) -> int | None: ...
    @property
    def elapsed_ms(self) -> float | None: ...
    @property
    def error_kind(self) -> str: ...
    @property
    def hand_edited(self) -> bool: ...
    @property
    def sandbox_override(self) -> bool: ...


def status_text(row: TableRow) -> str:
    """Short enough for the column ("accepted (200)", "failed (timeout)"); never the
    same word twice ("cancelled", not "cancelled (cancelled)"). The tooltip has the
    full words."""
    if row.http_status is not None:
        return f"{row.status.value} ({row.http_status})"
    if row.error_kind and row.error_kind != row.status.value:
        return f"{row.status.value} ({row.error_kind})"
    return row.status.value


#: The colour family (`ui.widgets.colours.tone`) a status class is shown in, in the
#: table and in the detail's summary.
STATUS_TONES: dict[StatusClass, str] = {
    StatusClass.OK: "ok",
    StatusClass.ERROR: "error",
    StatusClass.PENDING: "info",
    StatusClass.UNKNOWN: "unknown",
    StatusClass.SKIPPED: "muted",
}

#: Words a person may type in the history filter to mean a status (or a class of them):
#: word → ("status" | "status_class", value).
STATUS_WORDS: dict[str, tuple[str, str]] = {
    **{c.value: ("status_class", c.value) for c in StatusClass},
    **{s.value: ("status", s.value) for s in Status},
}


def cell_text(row: TableRow, column: int) -> str:
    if column == 0:
        return row.created_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    if column == 1:
        return (
            row.mode.value
            + (" ✎" if row.hand_edited else "")
            + (" ⚑" if row.sandbox_override else "")
        )
    if column == 2:
        spec = CATALOGUE.get(row.event_type)
        return row.event_name or (spec.label if spec else row.event_type)
    if column == 3:
        return row.user_id
    if column == 4:
        return row.target.split("://", 1)[-1]  # the host says it; the scheme is noise
    if column == 5:
        return status_text(row)
    if row.elapsed_ms is None or row.mode.value == "preview":
        return "—"  # nothing went over the network
    return f"{row.elapsed_ms:.0f} ms"
