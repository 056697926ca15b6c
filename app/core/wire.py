"""The exact bytes of a Segment message, and the size limits they must respect
(docs/segment.md, "Size limits"; the limits themselves live in `app.core.targets`).

Delivery serialises with the same function, so a size shown in the preview is the size
that goes over the wire.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from typing import Any

# The limits are the target registry's; re-exported here, where they were first defined.
from app.core.targets import BATCH_LIMIT as BATCH_LIMIT
from app.core.targets import BATCH_MAX_MESSAGES as BATCH_MAX_MESSAGES
from app.core.targets import MESSAGE_LIMIT as MESSAGE_LIMIT

#: Above this size the render warns that a message is close to the limit.
MESSAGE_WARN = 28 * 1024

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def dumps(body: Any) -> bytes:
    """Compact UTF-8 JSON, as sent. NaN and Infinity are not JSON: refused (ValueError)
    rather than sent as bytes Segment would reject."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def size_of(body: Any) -> int:
    return len(dumps(body))


#: "YYYY-MM-DDTHH:" by hour since the epoch. An export's events mostly share hours, so
#: gmtime + strftime (itself twice as fast as datetime arithmetic) runs once per hour,
#: and each timestamp is its minutes, seconds and ms, padded from tables: 0.5 µs instead
#: of 1.2 at tens of thousands of events a second. Emptied when full, so it cannot grow
#: with the input.
_HOURS: dict[int, str] = {}
_HOURS_KEPT = 4096


def iso_ms(ms: int) -> str:
    """Epoch milliseconds → ``2022-07-25T05:19:38.679Z``."""
    seconds, millis = divmod(ms, 1000)
    hour, rest = divmod(seconds, 3600)
    prefix = _HOURS.get(hour)
    if prefix is None:
        if len(_HOURS) >= _HOURS_KEPT:
            _HOURS.clear()
        prefix = _HOURS[hour] = time.strftime("%Y-%m-%dT%H:", time.gmtime(hour * 3600))
    minutes, rest = divmod(rest, 60)
    return f"{prefix}{_TWO_DIGITS[minutes]}:{_TWO_DIGITS[rest]}.{_THREE_DIGITS[millis]}Z"


# Zero-padded by table: `{n:02d}` parses its format spec on every call (0.7 µs of 1.2).
_TWO_DIGITS = tuple(f"{n:02d}" for n in range(60))
_THREE_DIGITS = tuple(f"{n:03d}" for n in range(1000))


_MS = timedelta(milliseconds=1)


def epoch_ms(moment: datetime) -> int:
    """A datetime → whole ms since the epoch, exactly (floored, as `iso_now` truncates);
    a naive one is local time, as `astimezone` takes it."""
    if moment.tzinfo is None:
        moment = moment.astimezone(UTC)
    return (moment - _EPOCH) // _MS


def iso_now(now: datetime) -> str:
    """An aware datetime → ISO-8601 UTC with milliseconds and Z.

    isoformat truncates to milliseconds (as `microsecond // 1000` did) and pads the year
    to four digits; it is C, twice as fast as formatting the seven fields here. What it
    appends for UTC, "+00:00", becomes "Z".
    """
    return now.astimezone(UTC).isoformat(timespec="milliseconds")[:-6] + "Z"


def human_size(n: int) -> str:
    return f"{n / 1024:.1f} KB" if n >= 1024 else f"{n} bytes"
