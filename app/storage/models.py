"""What a history row holds, and how to ask for rows.

The shapes here are the contract between the sender (`app.delivery` / the `send`
command), the store and the views (`history` CLI, the Qt table model), so they are
small, frozen pydantic models with JSON forms that never change meaning silently.

Status values (what happened to one send):

=============  ===============================================================  ========
status         meaning                                                          class
=============  ===============================================================  ========
sending        written before the request went out; not finished yet            pending
accepted       the Segment API answered 2xx ("accepted", never "delivered")     ok
previewed      preview only: the exact request was built, nothing was sent      ok
failed         refused (4xx) or still failing after the retries                 error
cancelled      the user cancelled; the request may or may not have arrived      unknown
interrupted    found still "sending" after its process died: outcome unknown    unknown
skipped        nothing sent on purpose (sandbox event with sandbox off, an       skipped
               optional event switched off)
=============  ===============================================================  ========
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Mode(StrEnum):
    """Whether a row is a live send or a preview of one, or something the capture
    receiver took in: a call from a Segment client, or a RevenueCat webhook."""

    PREVIEW = "preview"
    LIVE = "live"
    CAPTURED = "captured"
    WEBHOOK = "webhook"


class StatusClass(StrEnum):
    """The coarse filter the UI and `history list --status` offer."""

    OK = "ok"
    ERROR = "error"
    PENDING = "pending"
    UNKNOWN = "unknown"
    SKIPPED = "skipped"


class Status(StrEnum):
    """What happened to one send; see the module docstring for the table."""

    SENDING = "sending"
    ACCEPTED = "accepted"
    PREVIEWED = "previewed"
    FAILED = "failed"
    CANCELLED = "cancelled"
    INTERRUPTED = "interrupted"
    SKIPPED = "skipped"

    @property
    def status_class(self) -> StatusClass:
        return STATUS_CLASSES[self]

    @property
    def label(self) -> str:
        """Words for a table cell ("interrupted — outcome unknown")."""
        return _LABELS.get(self, self.value)


STATUS_CLASSES: dict[Status, StatusClass] = {
    Status.SENDING: StatusClass.PENDING,
    Status.ACCEPTED: StatusClass.OK,
    Status.PREVIEWED: StatusClass.OK,
    Status.FAILED: StatusClass.ERROR,
    Status.CANCELLED: StatusClass.UNKNOWN,
    Status.INTERRUPTED: StatusClass.UNKNOWN,
    Status.SKIPPED: StatusClass.SKIPPED,
}

_LABELS = {
    Status.ACCEPTED: "accepted by the Segment API",
    Status.INTERRUPTED: "interrupted — outcome unknown",
    Status.CANCELLED: "cancelled — outcome unknown",
}


def utc_now() -> datetime:
    return datetime.now(UTC)


def _as_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware (UTC)")
    return value.astimezone(UTC)


#: For the models that a send or a row chosen in the history needs, not the window's
#: start (its table reads light summaries): pydantic builds their validators on first
#: use. Building NewEntry, Outcome and HistoryRow at import cost ~10 ms of every start.
_ON_FIRST_USE = ConfigDict(frozen=True, defer_build=True)


class NewEntry(BaseModel):
    """What the sender knows before a request goes out.

    `requests` are the redacted requests as the preview shows them (method, url, headers,
    body), with the write key already masked; the store masks an `Authorization` header
    or a `writeKey` field it still finds, but it never receives the key itself, only
    `key_fingerprint` (`app.core.redact.key_fingerprint`, the last 4 characters).
    `target` is "us", "eu" or a custom base URL; the store keeps only its scheme, host,
    port and path (no credentials, no query).
    """

    model_config = _ON_FIRST_USE

    mode: Mode
    target: str
    event_type: str = ""  # Segment event type key ("renewal"); "" when none applies
    event_name: str = ""  # the configured name ("rc_renewal_event")
    user_id: str = ""
    input: Any = None  # the RevenueCat input JSON as given
    requests: list[dict[str, Any]] = Field(default_factory=list)
    message_ids: list[str] = Field(default_factory=list)
    key_fingerprint: str = ""
    hand_edited: bool = False
    sandbox_override: bool = False
    created_at: datetime = Field(default_factory=utc_now)

    @field_validator("created_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return _as_utc(value)

    @field_validator("key_fingerprint")
    @classmethod
    def _short(cls, value: str) -> str:
        if len(value) > 4:
            raise ValueError("key_fingerprint holds at most the last 4 characters of the key")
        return value


class Outcome(BaseModel):
    """How a send ended.

    `message_ids=None` and `requests=None` keep what was given at `begin`; pass the
    requests again when what went out differs from the preview (e.g. `sentAt` set at the
    attempt), redacted as for `NewEntry.requests`.
    """

    model_config = _ON_FIRST_USE

    status: Status
    http_status: int | None = None
    elapsed_ms: float | None = None
    attempts: int = 0
    responses: list[dict[str, Any]] = Field(default_factory=list)
    requests: list[dict[str, Any]] | None = None
    message_ids: list[str] | None = None
    error_kind: str = ""  # dns, refused, timeout, tls, http, cancelled, size, ...
    error: str = ""  # the plain explanation shown to the user

    @field_validator("status")
    @classmethod
    def _final(cls, value: Status) -> Status:
        if value is Status.SENDING:
            raise ValueError("an outcome cannot be 'sending'; use HistoryStore.begin")
        return value


class HistoryRow(BaseModel):
    """One stored row: the entry, its outcome so far, and its id."""

    model_config = _ON_FIRST_USE

    id: int
    created_at: datetime
    finished_at: datetime | None
    mode: Mode
    target: str
    event_type: str
    event_name: str
    user_id: str
    input: Any
    requests: list[dict[str, Any]]
    responses: list[dict[str, Any]]
    status: Status
    http_status: int | None
    elapsed_ms: float | None
    attempts: int
    message_ids: list[str]
    key_fingerprint: str
    hand_edited: bool
    sandbox_override: bool
    error_kind: str
    error: str

    @property
    def status_class(self) -> StatusClass:
        return self.status.status_class

    def to_json(self) -> dict[str, Any]:
        """The JSON form used by `history list --json`, `show` and exports."""
        data = self.model_dump(mode="json")
        data["status_class"] = self.status_class.value
        return data


class HistoryQuery(BaseModel):
    """A filter; every field left at its default matches everything.

    `text` is a case-insensitive substring of the userId, event name or type, target,
    messageIds or error. `since` is inclusive and `until` exclusive.
    """

    model_config = ConfigDict(frozen=True)

    text: str = ""
    user_id: str | None = None
    event_type: str | None = None
    event_name: str | None = None
    status: Status | None = None
    status_class: StatusClass | None = None
    mode: Mode | None = None
    since: datetime | None = None
    until: datetime | None = None

    @field_validator("since", "until")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return None if value is None else _as_utc(value)
