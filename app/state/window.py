"""The window's whole state: the profile in force, its connection, the draft, whether a
send is running, and the presentation rules. Widgets render it and send it intents.

Built before any widget, so the saved profile (its integration settings included) is in
force from the first render: nothing depends on a signal reaching a slot that is not yet
connected. `snapshot()` is what `gui --smoke --print-state` prints: the state a Send
would use.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from app.core.catalogue import CATALOGUE
from app.core.errors import EventInputError
from app.core.render import Renderer
from app.core.scrub import Scrubber, scrubber_for
from app.core.settings import IntegrationSettings, settings_from
from app.delivery import DeliveryOptions, SendItem, SendJob, builders
from app.state.blocks import PREVIEW_ALLOWED, Block, Blocker
from app.state.connection import ConnectionState
from app.state.draft import Draft
from app.state.events import Event
from app.state.presentation import Presenter
from app.state.profiles import ProfileBook
from app.storage.models import HistoryRow

DEFAULT_TYPE = "initial_purchase"


class WindowState:
    """Events:
    profile_changed(): another profile is in force (its target, key and settings).
    busy_changed(bool): a send of this window started or ended.
    """

    def __init__(
        self, book: ProfileBook, renderer: Renderer | None = None, start_type: str | None = None
    ) -> None:
        self.book = book
        self.connection = ConnectionState(book)
        self.draft = Draft(renderer)
        self.presenter = Presenter(self.secrets, self._keys)
        self.busy = False
        self.profile_changed = Event()
        self.busy_changed = Event()
        self.connection.changed.connect(self.presenter.invalidate)
        self.pick_profile(book.last_used() or "")
        self.draft.load_type(start_type if start_type in CATALOGUE else DEFAULT_TYPE)

    # -- profile ----------------------------------------------------------------------

    @property
    def profile(self) -> str:
        return self.connection.profile

    def pick_profile(self, name: str) -> None:
        """Put a profile in force: target, key and integration settings, all at once."""
        names = self.book.names()
        name = name if name in names else names[0]
        profile = self.book.load(name)
        self.book.set_last_used(name)
        self.connection.load(profile)
        if profile.settings != self.draft.settings or self.draft.settings_error:
            self.draft.set_settings(profile.settings)
        self.presenter.invalidate()
        self.profile_changed.emit()

    def edit_settings(
        self, names: dict[str, str], revenue_mode: str, send_sandbox: bool
    ) -> str | None:
        """The settings as the user set them: in force and saved to the profile, or the
        one-line reason they cannot be (then nothing renders until they are mended)."""
        try:
            settings = settings_from(
                names=names, revenue_mode=revenue_mode, send_sandbox=send_sandbox
            )
        except EventInputError as exc:
            self.draft.set_settings_error(str(exc))
            return str(exc)
        self.apply_settings(settings)
        return None

    def apply_settings(self, settings: IntegrationSettings) -> None:
        if settings != self.draft.settings or self.draft.settings_error:
            self.draft.set_settings(settings)
        self.book.save_settings(self.profile, settings)

    # -- sending ----------------------------------------------------------------------

    def set_busy(self, busy: bool) -> None:
        if busy != self.busy:
            self.busy = busy
            self.busy_changed.emit(busy)

    def connection_block(self, *, live: bool) -> Blocker | None:
        if self.busy:
            return Blocker(Block.BUSY, "another send is in progress")
        if live:
            problem = self.connection.key_problem()
            if problem:
                code = Block.NO_KEY if not self.connection.key_text else Block.BAD_KEY
                return Blocker(code, problem)
        target_problem = self.connection.target_problem()
        if target_problem:
            return Blocker(Block.BAD_TARGET, target_problem)
        return None

    def send_block(self, *, preview: bool = False) -> Blocker | None:
        """Why the current event cannot be sent (or previewed) now; None when it can."""
        block = self.connection_block(live=not preview) or self.draft.content_block()
        if preview and block is not None and block.code in PREVIEW_ALLOWED:
            return None
        return block

    # -- jobs -------------------------------------------------------------------------
    # Built here, from the state in force, so no widget assembles a job and every sender
    # uses the same target, key and rules (delivery.builders, shared with the CLI).

    def _job(self, items: list[SendItem], options: DeliveryOptions, preview: bool) -> SendJob:
        conn = self.connection
        return builders.job(items, conn.target(), conn.write_key, options, preview=preview)

    def event_job(self, options: DeliveryOptions, *, preview: bool) -> SendJob:
        """The composed event (hand-edited messages when editing). Raises TargetError."""
        draft = self.draft
        if draft.result is None:
            raise ValueError("nothing rendered to send")
        item = builders.event_item(
            draft.result,
            {"api_version": "1.0", "event": dict(draft.rc_event)},
            "desktop app",
            override_requested=draft.override_in_force(),
            messages=draft.messages() if draft.hand_edited else None,
        )
        return self._job([item], options, preview)

    def scenario_job(
        self, name: str, points: Iterable[Any], options: DeliveryOptions, *, preview: bool
    ) -> SendJob:
        return self._job(builders.scenario_items(name, points), options, preview)

    def identify_job(
        self, message: dict[str, Any], options: DeliveryOptions, *, preview: bool
    ) -> SendJob:
        return self._job([builders.identify_item(message)], options, preview)

    def resend_job(self, row: HistoryRow, options: DeliveryOptions) -> SendJob | None:
        """A history row's messages to the connection in force; None if it sent none."""
        item = builders.resend_item(row)
        return None if item is None else self._job([item], options, False)

    # -- presentation -----------------------------------------------------------------

    def _keys(self) -> list[str]:
        return [self.connection.write_key, self.connection.key_text]

    def secrets(self) -> Scrubber:
        """What must not be shown while presenting: the key in the field, the custom
        endpoint (whatever is typed, even before it is valid) and every profile name."""
        endpoint = self.connection.endpoint.strip()
        if endpoint and "://" not in endpoint:
            endpoint = "https://" + endpoint
        return scrubber_for(
            keys=self._keys(), base_urls=[endpoint] if endpoint else [], profiles=self.book.names()
        )

    def snapshot(self) -> dict[str, Any]:
        """The state in force, as `gui --smoke --print-state` prints it."""
        settings = self.draft.settings
        return {
            "profile": self.profile,
            "settings": {
                "revenue_mode": settings.revenue_mode.value,
                "send_sandbox": settings.send_sandbox,
                "event_names": dict(settings.event_names),
            },
            "segment_event": self.draft.type_key,
            "messages": self.draft.messages() or [],
            "presentation": self.presenter.active,
        }
