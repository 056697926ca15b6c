"""One NDJSON line read straight into a RevenueCatEvent, in one pass over its text.

Why: `render` of a large NDJSON file spent a third of its time reading events: parsing
each line into Python values (`strict_json.loads`), walking them for what that parser
reads but JSON refuses, then validating the values (`parse_event`). pydantic-core can
validate the text itself (`model_validate_json`), with the same parser, in about two
thirds of the time.

The exact path stays the definition: `parse_event(strict_json.loads(text))`. This one
answers only for a text that is a valid event, and answers the same event (the same
values of the same types, the same unknown fields in the same order:
tests/unit/test_event_json.py); for anything else it returns None and the caller takes
the exact path, so every error message is that path's, word for word.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from app.core import strict_json
from app.core.model import RevenueCatEvent


class _Body(BaseModel):
    """A webhook body: its event, and whatever else it holds (kept, to be checked)."""

    model_config = ConfigDict(extra="allow", strict=True, frozen=True)

    event: RevenueCatEvent


# The validators themselves: `model_validate_json` only forwards its keyword defaults to
# them, and that wrapper is ~0.4 µs of a ~9 µs line.
_BODY_JSON = _Body.__pydantic_validator__.validate_json
_EVENT_JSON = RevenueCatEvent.__pydantic_validator__.validate_json


def parse_event_json(text: str) -> RevenueCatEvent | None:
    """What `parse_event(strict_json.loads(text))` returns, or None to say "take that
    path" (it raises, or it may read the text differently)."""
    try:
        # A text without `"event"` is no webhook body (an escaped key is left to the
        # bare path, which then fails and hands over): failing _Body first costs more
        # than the bare event's whole validation.
        if '"event"' not in text:
            raise ValueError("not a webhook body")
        body: _Body = _BODY_JSON(text)
    except (ValidationError, ValueError, TypeError):
        # Not a webhook body (a bare event, or not valid at all): validated as a bare
        # event. `parse_event` reads a bare event as itself exactly when it has a "type",
        # which a valid RevenueCatEvent has.
        try:
            event: RevenueCatEvent = _EVENT_JSON(text)
        except (ValidationError, ValueError, TypeError):
            return None
        extra: dict[str, object] = {}
    else:
        extra = body.__pydantic_extra__ or {}
        if "type" in extra:  # `parse_event` reads such a body as the event itself
            return None
        event = body.event
    # What strict_json refuses but pydantic-core reads (an overflowing number, which it
    # reads as infinity; nesting past strict_json.MAX_DEPTH) can only be in the values
    # no field types: the unknown fields and the subscriber attributes. Looked for with
    # two levels to spare (this list is not where they sit in the text): when found,
    # the exact path decides.
    event_extra = event.__pydantic_extra__ or {}
    attributes = event.subscriber_attributes or {}
    if _flat(extra) and _flat(event_extra) and all(map(_flat, attributes.values())):
        return event  # no float, no container: nothing unusual can be in them
    found = [extra, event_extra, attributes]
    if strict_json.unusual(found, strict_json.MAX_DEPTH - 2):
        return None
    return event


#: Values that can be neither infinite nor nested: most unknown fields and attribute
#: values are these (a text, a timestamp, a flag), and then `strict_json.unusual`'s walk
#: (~2 µs a line) is not needed.
_FLAT_TYPES = frozenset({str, int, bool, type(None)})


def _flat(values: dict[str, Any]) -> bool:
    return _FLAT_TYPES.issuperset(map(type, values.values()))
