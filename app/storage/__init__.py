"""Storage: the send history (SQLite), profiles and the write key (keyring).

Typical use from a sender::

    from app.storage import HistoryStore, NewEntry, Outcome, Mode, Status, data_dir

    store = HistoryStore.in_dir(data_dir(args.data_dir))
    row_id = store.begin(NewEntry(mode=Mode.LIVE, target="us", ...))  # before sending
    ...
    store.finish(row_id, Outcome(status=Status.ACCEPTED, http_status=200, ...))

Imports no Qt and no httpx.
"""

from app.storage.errors import StorageError
from app.storage.history import HISTORY_FILENAME, ExportFormat, HistoryStore
from app.storage.models import (
    HistoryQuery,
    HistoryRow,
    Mode,
    NewEntry,
    Outcome,
    Status,
    StatusClass,
)
from app.storage.paths import config_dir, data_dir

__all__ = [
    "HISTORY_FILENAME",
    "ExportFormat",
    "HistoryQuery",
    "HistoryRow",
    "HistoryStore",
    "Mode",
    "NewEntry",
    "Outcome",
    "Status",
    "StatusClass",
    "StorageError",
    "config_dir",
    "data_dir",
]
