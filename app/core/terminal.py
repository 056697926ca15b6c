"""Text bound for a terminal, with stored or typed values made inert.

A userId such as ``"\\x1b[31m…"`` lives in a RevenueCat event, then in history; printed
raw it would recolour, move the cursor or retitle the user's terminal. `json.dumps`
escapes C0 controls but passes DEL, the C1 range (U+0080–U+009F, which some terminals
obey like ESC sequences) and the bidirectional overrides that reorder what is shown.
These helpers escape all of them: visibly in text for people, as ``\\uXXXX`` in JSON
(the same data for any JSON reader).
"""

from __future__ import annotations

import json
import re
from typing import Any

#: Controls a terminal may act on, and invisible reordering marks. Tab and newline are
#: left alone in `safe_text`'s `keep` (they are layout, not commands).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe_text(text: str, keep: str = "") -> str:
    """`text` with every control character shown as ``\\xNN`` / ``\\uNNNN``, except those
    in `keep` (e.g. "\\n" for a multi-line message)."""
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(lambda m: m[0] if m[0] in keep else _escape(m), text)


def json_text(value: Any, **dumps: Any) -> str:
    """`json.dumps(value, ensure_ascii=False, **dumps)` with what JSON leaves raw (DEL,
    C1 controls, bidi overrides) written as ``\\uXXXX`` escapes instead."""
    text = json.dumps(value, ensure_ascii=False, **dumps)
    return safe_json(text)


def safe_json(text: str) -> str:
    """Already-encoded JSON (ensure_ascii=False) made terminal-safe, same data."""
    # isascii() reads a flag the string carries (no scan). Of what the pattern finds only
    # DEL (0x7f) is ASCII, and looking for one character is far cheaper than the pattern.
    if text.isascii() and "\x7f" not in text:
        return text
    if not _UNSAFE_IN_JSON.search(text):
        return text
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m[0]):04x}", text)
