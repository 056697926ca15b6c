"""The connection in force: which profile, where messages go, and with which key.

The connection panel edits this object and redraws from it; every sender (event,
scenario, app identify, re-send) reads the target and key from here, so what the panel
shows is what a send uses. Region and endpoint are saved to the profile as they change;
the key is kept in the key vault when the user is done typing it.
"""

from __future__ import annotations

from app.core.redact import mask_key
from app.delivery import Target
from app.delivery.target import TargetError, custom_target, region_target
from app.state.events import Event
from app.state.formdata import check_write_key
from app.state.profiles import Profile, ProfileBook


class ConnectionState:
    """Events:
    changed(): key, region or endpoint changed (send rules and request previews follow).
    """

    def __init__(self, book: ProfileBook) -> None:
        self.book = book
        self.profile = ""
        self.region = "us"
        self.endpoint = ""
        self.key_text = ""  # as typed (a stray space is reported, not silently fixed)
        self.changed = Event()

    def load(self, profile: Profile) -> None:
        """Take a profile's target and its stored key (nothing is saved back)."""
        self.profile = profile.name
        self.region = profile.region
        self.endpoint = profile.endpoint
        self.key_text = self.book.key_for(profile.name)
        self.changed.emit()

    def reload_key(self) -> None:
        """The key vault changed (the system keyring arrived): show the stored key,
        unless the user has typed one meanwhile."""
        stored = self.book.key_for(self.profile)
        if not self.key_text and stored:
            self.key_text = stored
        self.changed.emit()

    # -- edits ------------------------------------------------------------------------

    def set_key(self, text: str) -> None:
        if text != self.key_text:
            self.key_text = text
            self.changed.emit()

    def store_key(self) -> None:
        """Keep the key (keyring, or this session) once the user is done typing it."""
        if self.profile:
            self.book.set_key(self.profile, self.write_key)

    def set_region(self, region: str) -> None:
        if region != self.region:
            self.region = region
            self._save_target()

    def set_endpoint(self, text: str) -> None:
        if text != self.endpoint:
            self.endpoint = text
            self._save_target()

    def _save_target(self) -> None:
        if self.profile:
            self.book.save_target(self.profile, self.region, self.endpoint.strip())
        self.changed.emit()

    # -- reading ----------------------------------------------------------------------

    @property
    def write_key(self) -> str:
        return self.key_text.strip()

    def key_problem(self) -> str | None:
        """Why the key cannot be used for a live send (None: it can)."""
        error, _warning = check_write_key(self.key_text)
        return error

    def key_warning(self) -> str | None:
        return check_write_key(self.key_text)[1]

    def target(self) -> Target:
        """Raises TargetError for an endpoint that cannot be used."""
        if self.region == "custom":
            return custom_target(self.endpoint)
        return region_target(self.region)

    def target_problem(self) -> str | None:
        try:
            self.target()
        except TargetError as exc:
            return str(exc)
        return None

    def describe(self) -> str:
        """Where a send goes and with which key, masked: "us · key ••••a1b2"."""
        try:
            where = self.target().label
        except TargetError as exc:
            where = f"(invalid endpoint: {exc.problem})"
        key = mask_key(self.write_key)
        return where + (f" · key {key}" if key else "")
