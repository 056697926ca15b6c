"""Storage: the send history (SQLite), profiles and the write key (keyring).

* `HistoryStore` (history.py): every send and preview, crash-safe, searchable.
* `ProfileStore` (profiles.py): named target + integration settings, profiles.json.
* `SecretStore` (secrets.py): the write key in the keyring, else session memory, else
  (explicit opt-in) a 0600 file; `status.explanation` says which, in words.
* `data_dir` / `config_dir` (paths.py): `--data-dir`, `RC_SEGMENT_TESTER_HOME`, platformdirs.

Typical use from a sender::

    from app.storage import HistoryStore, NewEntry, Outcome, Mode, Status, data_dir

    store = HistoryStore.in_dir(data_dir(args.data_dir))
    row_id = store.begin(NewEntry(mode=Mode.LIVE, target="us", ...))  # before sending
    ...
    store.finish(row_id, Outcome(status=Status.ACCEPTED, http_status=200, ...))

Imports no Qt and no httpx.
"""

from app.storage.errors import StorageError
from app.storage.export import ExportFormat
from app.storage.history import HISTORY_FILENAME, HistoryStore
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
from app.storage.profiles import Profile, ProfileStore
from app.storage.secrets import KeyStorage, SecretStatus, SecretStore

__all__ = [
    "HISTORY_FILENAME",
    "ExportFormat",
    "HistoryQuery",
    "HistoryRow",
    "HistoryStore",
    "KeyStorage",
    "Mode",
    "NewEntry",
    "Outcome",
    "Profile",
    "ProfileStore",
    "SecretStatus",
    "SecretStore",
    "Status",
    "StatusClass",
    "StorageError",
    "config_dir",
    "data_dir",
]
