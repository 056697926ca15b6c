"""Masking for the Segment write key: the one secret the app handles.

Every displayed, stored, copied or exported form of the key goes through here, so the
rule ("show at most the last 4 characters, and only of a key long enough that 4
characters say little about it") lives in one place. Pure: no Qt, no httpx, no sqlite3.
"""

from __future__ import annotations

import base64
import functools
import re
from collections.abc import Iterable

#: What stands in for the hidden part of a key.
MASK = "••••"

#: Keys shorter than this are masked completely: showing 4 characters of a 6-character
#: key would give most of it away. Real Segment write keys are 32 characters.
MIN_KEY_LENGTH_FOR_FINGERPRINT = 8

_FINGERPRINT_LENGTH = 4


def key_fingerprint(key: str) -> str:
    """The last 4 characters of the key, for telling keys apart; "" for short or blank keys.

    This is what history rows and exports keep instead of the key.
    """
    key = key.strip()
    if len(key) < MIN_KEY_LENGTH_FOR_FINGERPRINT:
        return ""
    return key[-_FINGERPRINT_LENGTH:]


def mask_key(key: str) -> str:
    """``"••••a1b2"`` for a real key; ``"••••"`` alone for a short one; "" for no key."""
    if not key.strip():
        return ""
    return MASK + key_fingerprint(key)


def mask_fingerprint(fingerprint: str) -> str:
    """The masked form from a stored fingerprint (history has no key to mask)."""
    return MASK + fingerprint if fingerprint else ""


def basic_auth_token(key: str) -> str:
    """``base64("<key>:")``: the Basic-auth credential Segment expects
    (docs/segment.md, "Authentication").

    Here so that `redact_text` can find the encoded form too; delivery builds its
    Authorization header from the same function.
    """
    return base64.b64encode(f"{key}:".encode()).decode("ascii")


#: A key cut by a length limit leaves a prefix at the end of the text; this many
#: characters of it are masked (fewer say almost nothing about a 32-character key).
MIN_CUT = 4

#: Forms shorter than this are not searched for (they would match ordinary text).
_MIN_FORM = 8


@functools.lru_cache(maxsize=32)
def key_forms(key: str) -> tuple[str, ...]:
    """The ways a server may echo the key back, longest first: as is; base64 of
    "key:" (the Basic credential) and of the key alone, padded or not, standard and
    URL-safe alphabets; the base64 characters fixed by the key alone at each of the three
    byte alignments (the key inside a longer encoded text); hex. URL-encoding and JSON
    `\\u` escapes of any of these are matched by `redact_text` itself."""
    raw = key.encode()
    forms = {key}
    for data in (raw + b":", raw):
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            text = encode(data).decode("ascii")
            forms.update((text, text.rstrip("=")))
    for shift in (0, 1, 2):
        encoded = base64.b64encode(b"\0" * shift + raw).decode("ascii")
        forms.add(encoded[4 if shift else 0 : len(encoded) - 4])
    forms.update((raw.hex(), raw.hex().upper()))
    kept = (f for f in forms if f == key or len(f) >= _MIN_FORM)
    return tuple(sorted(kept, key=len, reverse=True))


def _char(c: str) -> str:
    """`c`, or its JSON `\\u` escape, or its URL %-escape (hex in either case)."""
    code = f"{ord(c):02x}"
    options = [re.escape(c), rf"\\u(?i:{ord(c):04x})", rf"%(?i:{code})"]
    if c == "/":
        options.append(r"\\/")  # JSON may escape a slash
    return f"(?:{'|'.join(options)})"


@functools.lru_cache(maxsize=32)
def _anywhere(key: str) -> re.Pattern[str]:
    """One pattern for every form anywhere, escaped or not. Compiled only for a text that
    holds an escape (a few hundred alternatives of per-character groups: ~80 ms, most of
    a command's redaction cost when every answer is plain `{"success": true}`)."""
    return re.compile("|".join("".join(map(_char, form)) for form in key_forms(key)))


@functools.lru_cache(maxsize=32)
def _cut(key: str) -> re.Pattern[str] | None:
    """One pattern for a form cut off at the very end; compiled only for a cut text."""
    cuts = []
    for form in key_forms(key):
        if len(form) <= MIN_CUT:
            continue
        rest = ""
        for c in reversed(form[MIN_CUT:-1]):
            rest = f"(?:{_char(c)}{rest})?"
        cuts.append("".join(map(_char, form[:MIN_CUT])) + rest)
    return re.compile(f"(?:{'|'.join(cuts)})\\Z") if cuts else None


def redact_text(text: str, keys: Iterable[str], *, truncated: bool = False) -> str:
    """`text` with every occurrence of each key masked, in any of `key_forms`, also
    URL-encoded or JSON-escaped; with `truncated` (the text was cut at a size limit),
    also a form's first characters at the very end, where the cut fell inside it.

    Defence in depth for anything about to be written or shown (a response body that
    echoes the request, an error message quoting a header).
    """
    for key in keys:
        key = key.strip()
        if not key:
            continue
        masked = mask_key(key)
        if "\\" in text or "%" in text:  # escapes: the pattern (about 30 µs per KB)
            text = _anywhere(key).sub(masked, text)
        else:  # none: plain replaces of each form, longest first, are far cheaper
            for form in key_forms(key):
                text = text.replace(form, masked)
        if truncated and (cut := _cut(key)) is not None:
            text = cut.sub(masked, text)
    return text
