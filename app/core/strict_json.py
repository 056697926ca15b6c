"""`json.loads` that refuses what is not JSON but Python's parser lets through.

Python reads `NaN`, `Infinity` and `-Infinity` as numbers, `1e400` as infinity, and
`"\\ud800"` (an unpaired UTF-16 surrogate) as a string. None of them can be sent: the
first two come out as `Infinity`, which is invalid JSON on the wire, and the last cannot
be encoded as UTF-8 at all. An integer literal longer than Python's int/str conversion
limit (4,300 digits) raises a plain ValueError deep inside the parser. All are refused
here, as a `json.JSONDecodeError`, so callers report them like any other JSON mistake
(line, column).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from pydantic_core import from_json

# An escaped high surrogate not followed by a low one, or a low one not preceded by a high.
_LONE_SURROGATE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)

_SURROGATE = re.compile("[\ud800-\udfff]")

#: Deepest nesting accepted. RevenueCat webhooks nest four or five levels.
MAX_DEPTH = 100


def _depth_over(data: Any, limit: int) -> bool:
    stack = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(value, dict):
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
    return False


class _NotANumber(Exception):
    """NaN / Infinity / -Infinity met while decoding (the argument says which, and how)."""


def _refuse(name: str) -> Any:
    raise _NotANumber(name, f"{name} is not a JSON number")


def _finite(text: str) -> float:
    value = float(text)
    if math.isinf(value):  # 1e400: legal JSON, but Python (and every consumer) overflows
        shown = text if len(text) <= 20 else text[:17] + "…"
        raise _NotANumber(text, f"the number {shown} is too large (it overflows to infinity)")
    return value


# One decoder for every call: json.loads(..., parse_constant=…) builds a new one each time.
_DECODER = json.JSONDecoder(parse_constant=_refuse, parse_float=_finite)

_LONG_INT = re.compile(r"\d{4301,}")


def unusual(data: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether parsed `data` holds an infinite float, or containers nested more than
    `limit` levels (then `_checked` decides exactly, on json's reading of the text).

    pydantic-core's parser reads a number too large for a float (1e400, a 1 and 400
    zeros) as infinity where json's parser refuses it. A walk over the parsed values
    finds them in a few µs; a pattern over the text has to look at every character
    (30-90 µs for a 1 KB event). NaN cannot be met (the parser refuses its literal), so
    `x - x` is non-zero (NaN) exactly for ±inf.
    """
    if type(data) is float:
        return bool(data - data)
    level = [data] if type(data) is dict or type(data) is list else []
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            return True
        below = []
        for value in level:
            for item in value.values() if type(value) is dict else value:
                kind = type(item)
                if kind is float:
                    if item - item:
                        return True
                elif kind is dict or kind is list:
                    below.append(item)
        level = below
    return False


def loads(text: str) -> Any:
    """Parse `text` as strict JSON (RFC 8259); raise json.JSONDecodeError otherwise.

    A leading byte-order mark (Windows editors write one) is not an error: RFC 8259 lets
    a parser ignore it, and users cannot see it.
    """
    text = text.removeprefix("\ufeff")
    try:
        # pydantic-core's parser, 2-3x faster than json's. It accepts no text json refuses
        # but overflowing numbers and nesting json reads but we refuse (`unusual` finds
        # both), and builds the same values from what it accepts
        # (tests/unit/test_strict_json_fast_path.py). It refuses by itself what `_checked`
        # looks for besides: an unpaired surrogate escape, an integer past Python's
        # 4,300-digit limit. Whatever it refuses (a TypeError for a surrogate character in
        # `text` itself) json's parser reads again, for json's own message.
        # Only keys are cached (they repeat across events; values mostly do not): ~10%
        # faster than caching every string, the same values.
        data = from_json(text, allow_inf_nan=False, cache_strings="keys")
    except (ValueError, TypeError):
        return _checked(text, _decode(text))
    if unusual(data):
        return _checked(text, _decode(text))
    return data


def _decode(text: str) -> Any:
    try:
        return _DECODER.decode(text)
    except _NotANumber as exc:
        found, message = exc.args
        raise json.JSONDecodeError(message, text, max(text.find(found), 0)) from None
    except ValueError as exc:  # int() past sys.get_int_max_str_digits()
        if isinstance(exc, json.JSONDecodeError):
            raise
        match = _LONG_INT.search(text)
        raise json.JSONDecodeError(
            "an integer with more than 4,300 digits (no JSON consumer reads that)",
            text,
            match.start() if match else 0,
        ) from None
    except RecursionError:  # thousands of nested [ or {: no webhook looks like that
        raise json.JSONDecodeError("nested too deeply", text, 0) from None


def _checked(text: str, data: Any) -> Any:
    # Hundreds of levels parse, but then overflow the stack later (history encoding,
    # pretty-printing): refuse them here. Counting brackets first keeps this free for
    # ordinary input.
    if text.count("[") + text.count("{") > MAX_DEPTH and _depth_over(data, MAX_DEPTH):
        raise json.JSONDecodeError(f"nested more than {MAX_DEPTH} levels deep", text, 0)
    if "\\u" in text or not text.isascii():  # an escape, or a surrogate character itself
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            escape = _LONE_SURROGATE.search(text)
            match = escape or _SURROGATE.search(text)
            raise json.JSONDecodeError(
                f"unpaired UTF-16 surrogate{' escape' if escape else ''} (not valid Unicode)",
                text,
                match.start() if match else 0,
            ) from None
    return data
