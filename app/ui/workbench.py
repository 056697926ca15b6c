"""The document the window edits: one RevenueCat event, the integration settings, and
what the engine renders from them.

Panels never talk to each other: they write into the Workbench and redraw from its
signals. Keeping the render here (not in a slot of some widget) means the payload, the
send button and the history all see the same RenderResult.
"""

from __future__ import annotations

import json
import time
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.core import strict_json
from app.core.catalogue import CATALOGUE
from app.core.errors import EventInputError
from app.core.model import parse_event
from app.core.render import Renderer, RenderResult
from app.core.settings import IntegrationSettings
from app.core.templates import template_for


class Workbench(QObject):
    """Current event + settings → RenderResult, re-rendered on every change.

    Signals:
        event_loaded(str, dict): a new event replaced the form's content (type key, event);
            the form refills itself from it.
        rendered(): `result`/`error` changed; payload and send panels redraw.
        settings_changed(): integration settings changed (the settings panel refills).
        hand_edit_changed(): hand-edit mode or text changed (send rules may flip).
    """

    event_loaded = Signal(str, dict)
    rendered = Signal()
    settings_changed = Signal()
    hand_edit_changed = Signal()

    def __init__(self, renderer: Renderer | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._renderer = renderer or Renderer()
        self.rc_event: dict[str, Any] = {}
        self.type_key = "initial_purchase"
        self.settings = IntegrationSettings()
        self.override_sandbox = False
        self.result: RenderResult | None = None
        self.error: str | None = None
        #: The form field the error is about (e.g. "price"), so the form can point at it.
        self.error_field: str | None = None
        self.render_ms = 0.0
        # Hand edit: None when off, else {"track": text, "identify": text}.
        self.hand_texts: dict[str, str] | None = None

    # -- input ------------------------------------------------------------------------

    def load_type(self, key: str) -> None:
        """Replace the event with the type's template (what picking a type does)."""
        self.type_key = key
        self.load_event(template_for(key, int(time.time() * 1000)), key)

    def load_event(self, event: dict[str, Any], key: str | None = None) -> None:
        """Replace the whole event (template or imported webhook) and tell the form.

        Hand edits belonged to the previous event, so hand-edit mode ends here."""
        if self.hand_texts is not None:
            self.hand_texts = None
            self.hand_edit_changed.emit()
        self.rc_event = dict(event)
        self._render()
        if key is None:
            key = self.result.segment_event if self.result and self.result.segment_event else ""
        if key in CATALOGUE:
            self.type_key = key
        self.event_loaded.emit(self.type_key, dict(self.rc_event))

    def set_event(self, event: dict[str, Any]) -> None:
        """The form changed one field."""
        self.rc_event = event
        self._render()

    def set_form_error(self, message: str, field: str | None = None) -> None:
        """The form holds text that is not a value (e.g. a price of "abc")."""
        self.result, self.error, self.error_field = None, message, field
        self.rendered.emit()

    def set_settings(self, settings: IntegrationSettings) -> None:
        self.settings = settings
        self.settings_changed.emit()
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
        self.hand_edit_changed.emit()

    def stop_hand_edit(self) -> None:
        self.hand_texts = None
        self.hand_edit_changed.emit()
        self._render()

    def set_hand_text(self, kind: str, text: str) -> None:
        if self.hand_texts is not None and self.hand_texts.get(kind) != text:
            self.hand_texts[kind] = text
            self.hand_edit_changed.emit()

    def hand_error(self) -> str | None:
        """ "Track: line 3, column 5: …" for the first invalid hand-edited message."""
        from app.ui.formdata import json_error

        for kind, text in (self.hand_texts or {}).items():
            problem = json_error(text)
            if problem:
                return f"{kind.title()}: {problem}"
        return None

    # -- output -----------------------------------------------------------------------

    def messages(self) -> list[dict[str, Any]] | None:
        """What a send would carry now (hand-edited when editing), None when nothing can
        be sent (input error, skipped event, invalid hand edit)."""
        if self.hand_texts is not None:
            if self.hand_error():
                return None
            # The same parser as hand_error(), so what passed the check is what is sent.
            texts = self.hand_texts
            return [strict_json.loads(texts["track"]), strict_json.loads(texts["identify"])]
        if self.result is None or not self.result.messages:
            return None
        return [dict(m) for m in self.result.messages]

    def _render(self) -> None:
        started = time.perf_counter()
        try:
            event = parse_event(self.rc_event)
        except EventInputError as exc:
            self.result, self.error = None, str(exc)
            # "event.price" / "event.aliases.1" → "price" / "aliases"
            parts = exc.field.split(".")
            self.error_field = parts[1] if len(parts) > 1 and parts[0] == "event" else None
        else:
            self.result = self._renderer.render(
                event, self.settings, override_sandbox=self.override_sandbox
            )
            self.error, self.error_field = None, None
        self.render_ms = (time.perf_counter() - started) * 1000
        self.rendered.emit()


def pretty(message: Any) -> str:
    """The indented JSON the payload tabs show (same keys and values as the wire form)."""
    return json.dumps(message, indent=2, ensure_ascii=False)
