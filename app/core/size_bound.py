"""A cheap upper bound on a track message's size, so that the exact (and much slower)
serialisation runs only for events that might be near Segment's limit.

Any true upper bound gives the same notices: over the warning line, the exact size
decides (`app.core.render`). The bound runs for every rendered event, so it reads the
event's values in C calls rather than a Python loop over its 31 fields.
"""

from __future__ import annotations

import operator
import typing
from typing import Literal

from app.core.model import RevenueCatEvent
from app.core.wire import MESSAGE_LIMIT

# Everything in a track message that does not come from a string of the event: keys,
# punctuation, numbers, the library block, ids and timestamps (about 900 bytes in practice).
_FIXED_BYTES = 4096
# A character costs at most 6 bytes in JSON (a \uXXXX escape; UTF-8 is at most 4).
_BYTES_PER_CHAR = 6
_SCALARS = (str, int, float)  # bool is an int


def _fields(test: typing.Callable[[object], bool]) -> tuple[str, ...]:
    """The event fields whose type, or one member of its `X | None`, passes `test`."""
    return tuple(
        name
        for name, info in RevenueCatEvent.model_fields.items()
        if any(test(t) for t in (info.annotation, *typing.get_args(info.annotation)))
    )


# A model's field values live in its __dict__ (pydantic's documented layout; unknown
# fields are in __pydantic_extra__): one itemgetter call fetches every text, and every
# list of texts, three times faster than getting them as attributes.
_TEXTS = operator.itemgetter(*_fields(lambda t: t is str or typing.get_origin(t) is Literal))
_LISTS = operator.itemgetter(*_fields(lambda t: typing.get_origin(t) is list))


#: Bytes of the track per character of the JSON text its event was read from (a line of
#: NDJSON, validated as it stands: `app.core.event_json`). A string's character becomes
#: at most 4 bytes (UTF-8; what the encoder escapes, a quote, a backslash, a control
#: character, was an escape of as many characters in a text the parser accepted), and the
#: track writes two strings twice (app_user_id, the environment); a number becomes at
#: most 24 characters (a float's repr) from a literal of at least 3 ("1e9" →
#: 1000000000.0). Keys, punctuation, nulls, ids and timestamps are `_FIXED_BYTES`.
_BYTES_PER_TEXT_CHAR = 8


def track_size_bound(event: RevenueCatEvent, name: str, text_chars: int | None = None) -> int:
    """Bytes the track message of `event`, under the event name `name`, cannot exceed.
    `text_chars`: the length of the JSON text the event was validated from, when it was
    (then the bound is that length's, with no look at the event: reading every text of an
    event was a tenth of `render`'s time; tests/unit/test_warnings.py holds both bounds)."""
    if text_chars is not None:
        return _FIXED_BYTES + _BYTES_PER_TEXT_CHAR * text_chars + _BYTES_PER_CHAR * len(name)
    values = event.__dict__
    # app_user_id is written twice (userId and properties.app_user_id): counted twice,
    # since at six bytes a character (escapes) one count is no longer an upper bound.
    chars = len(name) + len(event.app_user_id or "") + sum(map(len, filter(None, _TEXTS(values))))
    for texts in _LISTS(values):
        if texts:
            chars += sum(map(len, texts)) + 3 * len(texts)
    for attr_name, attribute in (event.subscriber_attributes or {}).items():
        value = attribute.get("value")
        if value is not None and not isinstance(value, _SCALARS):
            return MESSAGE_LIMIT + 1  # nested values: measure exactly
        chars += len(attr_name) + len(str(value)) + 6
    return _FIXED_BYTES + chars * _BYTES_PER_CHAR
