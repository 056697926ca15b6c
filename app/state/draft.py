"""The draft: the RevenueCat event being composed, the integration settings in force, an
optional hand edit, and the messages they give: exactly what a send would carry.

Qt-free, so every rule of the window (what is sent, what blocks a send, which Segment
type the event is) is tested without a QApplication. Views read the draft when they are
built and redraw on its events; they never keep a copy of its state.
"""

from __future__ import annotations

import json
import time
from typing import Any

from app.core import strict_json
from app.core.catalogue import CATALOGUE
from app.core.errors import EventInputError
from app.core.mapping import not_sent_reason, segment_type_of
from app.core.model import parse_event
from app.core.render import Renderer, RenderResult
from app.core.settings import IntegrationSettings
from app.core.templates import template_for
from app.state.blocks import Block, Blocker
from app.state.events import Event
from app.state.formdata import json_error, json_error_line


def pretty(message: Any) -> str:
    """The indented JSON the payload tabs show (same keys and values as the wire form)."""
    return json.dumps(message, indent=2, ensure_ascii=False)


class Draft:
    """Event + settings (+ hand edit) → RenderResult, re-rendered on every change.

    Events:
        event_loaded(): a new event replaced the whole form (template or import).
        rendered(): result, error or type changed; payload and send views redraw.
        settings_changed(): the integration settings in force changed.
        hand_edit_changed(): hand-edit mode or its text changed.
    """

    def __init__(self, renderer: Renderer | None = None) -> None:
        self._renderer = renderer or Renderer()
        self.rc_event: dict[str, Any] = {}
        #: The Segment event type the event maps to; None when RevenueCat sends none.
        self.type_key: str | None = "initial_purchase"
        self.settings = IntegrationSettings()
        #: Settings the user typed that are not valid (a blank mandatory name): nothing
        #: renders until they are mended, so the payload never shows stale names.
        self.settings_error: str | None = None
        self.override_sandbox = False
        self.result: RenderResult | None = None
        self._render_error: str | None = None
        self._form_error: tuple[str, str | None] | None = None
        #: The form field the error is about (e.g. "price"), so the form can point at it.
        self.error_field: str | None = None
        self.render_ms = 0.0
        #: Hand edit: None when off, else {"track": text, "identify": text}.
        self.hand_texts: dict[str, str] | None = None
        self._hand_started: dict[str, str] = {}
        self.event_loaded = Event()
        self.rendered = Event()
        self.settings_changed = Event()
        self.hand_edit_changed = Event()

    # -- input ------------------------------------------------------------------------

    def load_type(self, key: str) -> None:
        """Replace the event with the type's template (what picking a type does)."""
        self.load_event(template_for(key, int(time.time() * 1000)))

    def load_event(self, event: dict[str, Any]) -> None:
        """Replace the whole event (template or imported webhook). Hand edits and a
        sandbox override belonged to the previous event, so both end here."""
        self.hand_texts = None
        self.override_sandbox = False
        self.rc_event = dict(event)
        self._form_error = None
        self._render()
        self.event_loaded.emit()
        self.hand_edit_changed.emit()

    def set_event(self, event: dict[str, Any]) -> None:
        """The form changed one field."""
        self.rc_event = event
        self._form_error = None
        self._render()

    def set_form_error(self, message: str, field: str | None = None) -> None:
        """The form holds text that is not a value (e.g. a price of "abc")."""
        self._form_error = (message, field)
        self.result, self.error_field = None, field
        self.rendered.emit()

    def set_settings(self, settings: IntegrationSettings) -> None:
        self.settings, self.settings_error = settings, None
        self.settings_changed.emit()
        self._render()

    def set_settings_error(self, message: str) -> None:
        self.settings_error = message
        self._render()

    def set_override_sandbox(self, on: bool) -> None:
        self.override_sandbox = on
        self._render()

    # -- hand edit --------------------------------------------------------------------

    def start_hand_edit(self) -> None:
        """Freeze the rendered messages into editable text."""
        if self.result is None or not self.result.messages:
            return
        track, identify = self.result.messages
        self.hand_texts = {"track": pretty(track), "identify": pretty(identify)}
        self._hand_started = dict(self.hand_texts)
        self.hand_edit_changed.emit()

    def stop_hand_edit(self) -> None:
        self.hand_texts = None
        self.hand_edit_changed.emit()
        self._render()

    def set_hand_text(self, kind: str, text: str) -> None:
        if self.hand_texts is not None and self.hand_texts.get(kind) != text:
            self.hand_texts[kind] = text
            self.hand_edit_changed.emit()

    @property
    def hand_changed(self) -> bool:
        """The hand-edited text differs from what editing started with (leaving asks)."""
        return self.hand_texts is not None and self.hand_texts != self._hand_started

    def hand_error_line(self, kind: str) -> int | None:
        """The 1-based line where `kind`'s hand-edited JSON breaks, None when it parses."""
        text = (self.hand_texts or {}).get(kind)
        return None if text is None else json_error_line(text)

    def hand_error(self) -> str | None:
        """ "Track: line 3, column 5: …" for the first invalid hand-edited message."""
        for kind, text in (self.hand_texts or {}).items():
            problem = json_error(text)
            if problem:
                return f"{kind.title()}: {problem}"
        return None

    # -- output -----------------------------------------------------------------------

    @property
    def error(self) -> str | None:
        """Why nothing renders: form text that is no value, invalid settings, or an event
        the engine refuses (in that order)."""
        if self._form_error is not None:
            return self._form_error[0]
        if self.settings_error is not None:
            return f"integration settings not applied: {self.settings_error}"
        return self._render_error

    @property
    def hand_edited(self) -> bool:
        return self.hand_texts is not None

    def messages(self) -> list[dict[str, Any]] | None:
        """What a send would carry now (hand-edited when editing), None when nothing can
        be sent (input error, skipped event, invalid hand edit)."""
        if self.hand_texts is not None:
            if self.hand_error():
                return None
            # The same parser as hand_error(), so what passed the check is what is sent.
            texts = self.hand_texts
            return [strict_json.loads(texts["track"]), strict_json.loads(texts["identify"])]
        if self.error is not None or self.result is None or not self.result.messages:
            return None
        return [dict(m) for m in self.result.messages]

    def sandbox_blocked(self) -> bool:
        """A SANDBOX event the settings would not send (the override is offered)."""
        return self.rc_event.get("environment") == "SANDBOX" and not self.settings.send_sandbox

    def override_in_force(self) -> bool:
        """The user sends a sandbox event the settings would not send (history says so)."""
        return self.override_sandbox and self.sandbox_blocked()

    def content_block(self) -> Blocker | None:
        """What in the draft itself stops a send, or None."""
        if self.hand_texts is not None:
            error = self.hand_error()
            if error:
                return Blocker(Block.BAD_HAND_EDIT, f"the hand-edited JSON is invalid ({error})")
            return None
        if self._form_error is not None:
            return Blocker(Block.BAD_INPUT, "the event has an error (see the payload panel)")
        if self.settings_error is not None:
            return Blocker(Block.BAD_SETTINGS, f"the integration settings are invalid "
                           f"({self.settings_error})")  # fmt: skip
        if self._render_error is not None:
            return Blocker(Block.BAD_INPUT, "the event has an error (see the payload panel)")
        if self.result is not None and self.result.skipped:
            return Blocker(Block.SKIPPED, "RevenueCat would not send this event")
        if not self.messages():
            return Blocker(Block.NOTHING, "nothing to send")
        return None

    def _render(self) -> None:
        started = time.perf_counter()
        self.result, self._render_error, self.error_field = None, None, None
        if self._form_error is not None:
            self.error_field = self._form_error[1]
        try:
            event = parse_event(self.rc_event)
        except EventInputError as exc:
            self._render_error = str(exc)
            # "event.price" / "event.aliases.1" → "price" / "aliases"
            parts = exc.field.split(".")
            self.error_field = parts[1] if len(parts) > 1 and parts[0] == "event" else None
            raw = self.rc_event
            kind = segment_type_of(raw.get("type"), raw.get("period_type"),
                                   raw.get("is_trial_conversion"))  # fmt: skip
            self.type_key = kind if kind in CATALOGUE else None
        else:
            result = self._renderer.render(
                event, self.settings, override_sandbox=self.override_sandbox
            )
            self.type_key = result.segment_event if result.segment_event in CATALOGUE else None
            if self.settings_error is None:
                self.result = result
        self.render_ms = (time.perf_counter() - started) * 1000
        self.rendered.emit()

    def not_sent_reason(self) -> str | None:
        """For a webhook type RevenueCat never sends to Segment: why (else None)."""
        kind = self.rc_event.get("type")
        return not_sent_reason(kind) if isinstance(kind, str) and self.type_key is None else None
