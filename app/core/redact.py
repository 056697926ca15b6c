"""Masking for the Segment write key: the one secret the app handles.

Every displayed, stored, copied or exported form of the key goes through here, so the
rule ("show at most the last 4 characters, and only of a key long enough that 4
characters say little about it") lives in one place. Pure: no Qt, no httpx, no sqlite3.
"""

from __future__ import annotations

import base64
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


def redact_text(text: str, keys: Iterable[str]) -> str:
    """`text` with every occurrence of each key, raw or Basic-encoded, masked.

    Defence in depth for anything about to be written or shown (a response body that
    echoes the request, an error message quoting a header).
    """
    for key in keys:
        key = key.strip()
        if not key:
            continue
        masked = mask_key(key)
        text = text.replace(basic_auth_token(key), masked).replace(key, masked)
    return text
