"""The exact bytes of a Segment message, and the size limits they must respect (SPEC §7).

Delivery serialises with the same function, so a size shown in the preview is the size
that goes over the wire.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

MESSAGE_LIMIT = 32 * 1024
MESSAGE_WARN = 28 * 1024
BATCH_LIMIT = 500 * 1024
BATCH_MAX_MESSAGES = 2500

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def dumps(body: Any) -> bytes:
    """Compact UTF-8 JSON, as sent."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def size_of(body: Any) -> int:
    return len(dumps(body))


def iso_ms(ms: int) -> str:
    """Epoch milliseconds → ``2022-07-25T05:19:38.679Z``."""
    moment = _EPOCH + timedelta(milliseconds=ms)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def iso_now(now: datetime) -> str:
    """An aware datetime → ISO-8601 UTC with milliseconds and Z."""
    now = now.astimezone(UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def human_size(n: int) -> str:
    return f"{n / 1024:.1f} KB" if n >= 1024 else f"{n} bytes"
