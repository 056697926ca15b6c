"""The target registry is the one place region words live: every reader agrees with it."""

from typing import get_args

import pytest
from pydantic import ValidationError

from app.commands.send import register
from app.core import targets, wire
from app.core.scrub import public_target, scrubber_for
from app.delivery.target import REGIONS, custom_target, resolve_target
from app.storage.profiles import Profile


def test_entries_and_order():
    assert targets.choices() == [
        ("us", "US (api.segment.io)"),
        ("eu", "EU (events.eu1.segmentapis.com)"),
        ("custom", "Custom endpoint…"),
    ]
    assert set(get_args(targets.TargetKey)) == set(targets.BY_KEY)
    assert targets.REGION_KEYS == ("us", "eu")
    assert targets.BY_KEY["custom"].is_custom and not targets.BY_KEY["us"].is_custom
    for info in targets.TARGETS:
        assert info.limits == targets.Limits(32 * 1024, 500 * 1024, 2500)
        if not info.is_custom:
            assert info.base_url == f"https://{info.host}/v1"


def test_wire_limits_are_the_registrys():
    assert wire.MESSAGE_LIMIT is targets.MESSAGE_LIMIT == 32 * 1024
    assert wire.BATCH_LIMIT == targets.BATCH_LIMIT == 500 * 1024
    assert wire.BATCH_MAX_MESSAGES == targets.BATCH_MAX_MESSAGES == 2500


def test_delivery_reads_the_registry():
    assert REGIONS is targets.REGION_URLS
    assert REGIONS["us"] == "https://api.segment.io/v1"
    for key in targets.REGION_KEYS:
        assert resolve_target(region=key).base_url == targets.BY_KEY[key].base_url
        assert custom_target(targets.BY_KEY[key].host).region == key
    assert targets.region_for_url("https://example.com/v1") is None


def test_cli_region_choices_are_the_regions():
    import argparse

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    send = parser._subparsers._group_actions[0].choices["send"]  # type: ignore[union-attr]
    region = next(a for a in send._actions if a.dest == "region")
    assert tuple(region.choices) == targets.REGION_KEYS


def test_scrubber_and_profiles_read_the_registry():
    assert public_target("us") == "Segment US (api.segment.io)"
    assert public_target("eu").startswith("Segment EU")
    assert public_target(None) == public_target("custom") == "a custom endpoint (address hidden)"
    urls = [info.base_url for info in targets.TARGETS if not info.is_custom]
    assert scrubber_for(base_urls=urls).hosts == ()
    for key in targets.BY_KEY:
        assert Profile(name="p", region=key).region == key  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        Profile(name="p", region="ap")  # type: ignore[arg-type]
