"""The write-key masking rule every other module relies on."""

from __future__ import annotations

import base64

from app.core.redact import (
    basic_auth_token,
    key_fingerprint,
    mask_fingerprint,
    mask_key,
    redact_text,
)

KEY = "wk_live_0123456789abcdefghija1b2"


def test_mask_shows_only_last_four() -> None:
    assert mask_key(KEY) == "••••a1b2"
    assert KEY[:-4] not in mask_key(KEY)


def test_short_keys_are_masked_completely() -> None:
    assert mask_key("abc123") == "••••"
    assert key_fingerprint("abc123") == ""
    assert mask_key("   ") == ""


def test_fingerprint_is_last_four_of_stripped_key() -> None:
    assert key_fingerprint(KEY + "\n") == "a1b2"
    assert mask_fingerprint("a1b2") == "••••a1b2"
    assert mask_fingerprint("") == ""


def test_basic_auth_token_has_trailing_colon() -> None:
    assert base64.b64decode(basic_auth_token(KEY)).decode() == KEY + ":"


def test_redact_text_removes_raw_and_encoded_key() -> None:
    text = f'key={KEY} header="Basic {basic_auth_token(KEY)}"'
    out = redact_text(text, [KEY, ""])
    assert KEY not in out
    assert basic_auth_token(KEY) not in out
    assert out.count("••••a1b2") == 2
