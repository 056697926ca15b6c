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


def test_plain_text_is_masked_without_compiling_the_escape_patterns() -> None:
    """The patterns for escaped and cut forms (~80 ms to compile) are built only for a
    text that needs them: plain answers are masked by replaces alone, and escaped or
    cut forms are still masked once they are."""
    from app.core import redact

    redact._anywhere.cache_clear()
    redact._cut.cache_clear()
    out = redact_text(f'{{"success":true,"echo":"{KEY}"}}', [KEY])
    assert KEY not in out and "••••a1b2" in out
    assert redact._anywhere.cache_info().misses == 0
    assert redact._cut.cache_info().misses == 0
    escaped = "".join(f"\\u{ord(c):04x}" for c in KEY)
    assert redact_text(escaped, [KEY]) == "••••a1b2"
    assert redact_text(f"...{KEY[:10]}", [KEY], truncated=True) == "...••••a1b2"
    assert redact._anywhere.cache_info().misses == 1
    assert redact._cut.cache_info().misses == 1


def test_objects_holding_the_key_keep_it_out_of_their_repr() -> None:
    from app.delivery import SendItem, SendJob
    from app.delivery.packing import per_message_requests
    from app.delivery.target import region_target
    from app.state.profiles import SessionVault
    from tests.support.engine import render

    key = "wk9f3a7c2e4b1d8a6f0e5c3b2a1d4e7f"
    token = basic_auth_token(key)
    result = render()
    job = SendJob(items=[SendItem(result)], target=region_target("us"), write_key=key)
    vault = SessionVault()
    vault.set("Default", key)
    requests = per_message_requests(list(result.messages), job.target, key)
    for thing in (job, vault, *requests, [job, vault]):
        assert key not in repr(thing) and token not in repr(thing), type(thing)
        assert key not in str(thing) and token not in str(thing), type(thing)
