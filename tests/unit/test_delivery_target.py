"""Target parsing: regions, normalised custom URLs, and the refusals (no network)."""

import pytest

from app.delivery.options import (
    DeliveryOptions,
    backoff_delay,
    is_retryable_status,
    parse_retry_after,
)
from app.delivery.target import TargetError, custom_target, resolve_target


def test_regions():
    assert resolve_target(region="us").url_for("track") == "https://api.segment.io/v1/track"
    eu = resolve_target(region="eu")
    assert eu.url_for("batch") == "https://events.eu1.segmentapis.com/v1/batch"
    assert eu.label == "eu"


@pytest.mark.parametrize(
    ("typed", "base"),
    [
        ("collector.example.com/v1", "https://collector.example.com/v1"),
        ("https://collector.example.com/v1/", "https://collector.example.com/v1"),
        ("https://collector.example.com/v1/track", "https://collector.example.com/v1"),
        ("https://collector.example.com/v1/batch/", "https://collector.example.com/v1"),
        ("  HTTPS://Collector.Example.com:8443/seg  ", "https://collector.example.com:8443/seg"),
        ("api.segment.io", "https://api.segment.io/v1"),
        ("http://127.0.0.1:9000/v1", "http://127.0.0.1:9000/v1"),
        ("http://127.8.9.10/v1", "http://127.8.9.10/v1"),
        ("http://localhost:9000", "http://localhost:9000"),
        ("http://[::1]:9000/v1", "http://[::1]:9000/v1"),
    ],
)
def test_custom_urls_are_normalised(typed, base):
    assert custom_target(typed).base_url == base


def test_normalisation_is_explained_and_known_urls_become_regions():
    target = custom_target("api.segment.io/v1/track/")
    assert target.region == "us"
    assert any("https://" in n for n in target.notes)
    assert any("/track" in n for n in target.notes)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("http://example.com/v1", "unencrypted"),
        ("http://10.0.0.5/v1", "unencrypted"),
        ("http://127.0.0.1.example.com/v1", "unencrypted"),
        ("ftp://example.com/v1", "not supported"),
        ("https://user:pw@example.com/v1", "user:password@"),
        ("https://example.com/v1?writeKey=x", "query string"),
        ("https://example.com:99999/v1", "not a valid URL"),
        ("", "empty"),
        # urlsplit itself raises ValueError for these (was a traceback in the CLI and GUI)
        ("http://[::1", "not a valid URL"),
        ("https://[zz]/v1", "not a valid URL"),
        ("https://exa mple.com/v1", "contains a space"),
        # httpx refuses a control character anywhere (it was its traceback)
        ("0/\x1b", "path contains a control character"),
        ("https://example.com/v1\x7f", "path contains a control character"),
    ],
)
def test_bad_urls_are_refused_with_a_reason(typed, reason):
    with pytest.raises(TargetError, match=reason):
        custom_target(typed)


def test_retry_rules():
    assert [
        s
        for s in (400, 401, 404, 408, 413, 429, 500, 501, 502, 503, 505, 599)
        if is_retryable_status(s)
    ] == [408, 429, 500, 502, 503, 599]
    opts = DeliveryOptions(backoff_base=1, backoff_cap=5, retry_after_cap=20)
    assert [backoff_delay(opts, n, None, lambda: 1.0) for n in (1, 2, 3, 4, 5)] == [1, 2, 4, 5, 5]
    assert backoff_delay(opts, 1, None, lambda: 0.0) == 0.5
    assert backoff_delay(opts, 3, 120.0, lambda: 0.0) == 20
    assert parse_retry_after("12") == 12.0 and parse_retry_after("soon") is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past


@pytest.mark.parametrize(
    "typed",
    [
        "https://wk9f3a7c2e4b1d8a6f0e5c3b2a1d4e7f:@example.com:abc/v1",
        "https://wk9f3a7c2e4b1d8a6f0e5c3b2a1d4e7f@[zz]/v1",
        "https://wk9f3a7c2e4b1d8a6f0e5c3b2a1d4e7f:x@exa mple.com/v1",
        "https://wk9f3a7c2e4b1d8a6f0e5c3b2a1d4e7f:@example.com/v1",
    ],
)
def test_a_key_pasted_into_the_url_is_not_echoed_by_the_error(typed):
    with pytest.raises(TargetError) as info:
        custom_target(typed)
    assert "wk9f3a7c2e4b1d8a6f0e5c3b2a1d4e7f" not in str(info.value)


def test_the_attempt_deadline_fits_a_longer_per_phase_timeout():
    assert DeliveryOptions().attempt_deadline == 60
    assert DeliveryOptions().with_timeout(5).attempt_deadline == 60
    assert DeliveryOptions().with_timeout(100).attempt_deadline == 300
