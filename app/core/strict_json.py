"""`json.loads` that refuses what is not JSON but Python's parser lets through.

Python reads `NaN`, `Infinity` and `-Infinity` as numbers and `"\\ud800"` (an unpaired
UTF-16 surrogate) as a string. Neither can be sent: the first is invalid JSON on the wire,
the second cannot be encoded as UTF-8 at all. Both are refused here, as a
`json.JSONDecodeError` so callers report them like any other JSON mistake (line, column).
"""

from __future__ import annotations

import json
import re
from typing import Any

# An escaped high surrogate not followed by a low one, or a low one not preceded by a high.
_LONE_SURROGATE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


def loads(text: str) -> Any:
    """Parse `text` as strict JSON (RFC 8259); raise json.JSONDecodeError otherwise.

    A leading byte-order mark (Windows editors write one) is not an error: RFC 8259 lets
    a parser ignore it, and users cannot see it.
    """
    text = text.removeprefix("\ufeff")

    def refuse(name: str) -> Any:
        raise json.JSONDecodeError(f"{name} is not a JSON number", text, max(text.find(name), 0))

    try:
        data = json.loads(text, parse_constant=refuse)
    except RecursionError:  # thousands of nested [ or {: no webhook looks like that
        raise json.JSONDecodeError("nested too deeply", text, 0) from None
    if "\\u" in text:  # the only way a lone surrogate gets in; rare, so checked only then
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            match = _LONE_SURROGATE.search(text)
            raise json.JSONDecodeError(
                "unpaired UTF-16 surrogate escape (not valid Unicode)",
                text,
                match.start() if match else 0,
            ) from None
    return data
