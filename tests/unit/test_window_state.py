"""The window's state model without Qt: the profile in force, what blocks a send (as a
code), the draft's messages, the presentation rules, and the job builders both front ends
share."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.render import Renderer
from app.core.settings import IntegrationSettings, RevenueMode
from app.core.templates import template_for
from app.delivery import builders
from app.state.blocks import Block
from app.state.profiles import ProfileBook, SessionVault
from app.state.window import WindowState
from app.storage.models import HistoryRow
from app.storage.profiles import Profile, ProfileStore

KEY = "wk9f3a7c2e4b1d8a6f0e5c3b2a1d4e7f"
NET = RevenueMode.AFTER_COMMISSION_AND_TAXES
NOW = 1_790_000_000_000


def book(tmp_path: Path, *profiles: Profile, last: str | None = None) -> ProfileBook:
    store = ProfileStore.in_dir(tmp_path)
    for profile in profiles:
        store.save(profile)
    if last:
        store.set_last_used(last)
    return ProfileBook(store, SessionVault())


def revenue(state: WindowState) -> float:
    messages = state.draft.messages()
    assert messages is not None
    return float(messages[0]["properties"]["revenue"])


def test_the_last_profile_and_its_settings_are_in_force_before_any_view(tmp_path: Path) -> None:
    net = IntegrationSettings(revenue_mode=NET)
    state = WindowState(book(tmp_path, Profile(name="Prod", settings=net), last="Prod"))
    assert state.profile == "Prod" and state.draft.settings.revenue_mode is NET
    gross = template_for("initial_purchase", NOW)["price"]
    assert revenue(state) < gross  # commission and tax are taken off from the first render
    assert state.snapshot()["settings"]["revenue_mode"] == NET.value


def test_picking_a_profile_applies_target_key_and_settings_together(tmp_path: Path) -> None:
    eu = Profile(name="EU", region="eu", settings=IntegrationSettings(send_sandbox=True))
    profiles = book(tmp_path, Profile(name="Default"), eu, last="Default")
    profiles.set_key("EU", KEY)
    state = WindowState(profiles)
    seen: list[str] = []
    state.profile_changed.connect(lambda: seen.append(state.connection.region))
    state.pick_profile("EU")
    assert seen == ["eu"] and state.connection.write_key == KEY
    assert state.draft.settings.send_sandbox and state.connection.target().region == "eu"


def test_settings_edits_are_saved_to_the_profile_in_force(tmp_path: Path) -> None:
    state = WindowState(book(tmp_path))
    names = dict(state.draft.settings.event_names)
    assert state.edit_settings(names, NET.value, True) is None
    saved = json.loads((tmp_path / "profiles.json").read_text())
    assert saved["profiles"][state.profile]["settings"]["revenue_mode"] == NET.value


def test_a_blank_mandatory_name_blocks_and_renders_nothing(tmp_path: Path) -> None:
    state = WindowState(book(tmp_path))
    state.connection.set_key(KEY)
    names = {**state.draft.settings.event_names, "initial_purchase": " "}
    problem = state.edit_settings(names, "gross", False)
    assert problem is not None and "mandatory" in problem
    assert state.draft.messages() is None
    for preview in (False, True):
        block = state.send_block(preview=preview)
        assert block is not None and block.code is Block.BAD_SETTINGS
    saved = json.loads((tmp_path / "profiles.json").read_text())
    assert saved["profiles"][state.profile]["settings"]["event_names"]["initial_purchase"]
    assert state.edit_settings({**names, "initial_purchase": "bought"}, "gross", False) is None
    assert state.send_block() is None and state.draft.messages()[0]["event"] == "bought"  # type: ignore[index]


@pytest.mark.parametrize(
    ("setup", "live", "preview"),
    [
        (lambda s: s.connection.set_key(""), Block.NO_KEY, None),
        (lambda s: s.connection.set_key("wk with space 1234567890123"), Block.BAD_KEY, None),
        (lambda s: s.set_busy(True), Block.BUSY, Block.BUSY),
        (lambda s: s.connection.set_region("custom"), Block.BAD_TARGET, Block.BAD_TARGET),
        (lambda s: s.draft.load_type("subscription_paused") or s.draft.set_event(
            {**s.draft.rc_event, "environment": "SANDBOX"}), Block.SKIPPED, None),
        (lambda s: s.draft.set_form_error("price: expected a number", "price"),
         Block.BAD_INPUT, Block.BAD_INPUT),
    ],
)  # fmt: skip
def test_what_blocks_a_send_is_a_code(
    tmp_path: Path, setup: object, live: Block, preview: Block | None
) -> None:
    state = WindowState(book(tmp_path))
    state.connection.set_key(KEY)
    assert state.send_block() is None
    setup(state)  # type: ignore[operator]
    block = state.send_block()
    assert block is not None and block.code is live and str(block)
    shown = state.send_block(preview=True)
    assert (shown.code if shown else None) is preview


def test_an_event_renders_the_type_it_is(tmp_path: Path) -> None:
    draft = WindowState(book(tmp_path)).draft
    draft.load_event({**template_for("renewal", NOW), "is_trial_conversion": True})
    assert draft.type_key == "trial_converted"
    draft.load_event({**template_for("renewal", NOW), "type": "TRANSFER"})
    assert draft.type_key is None and "TRANSFER" in (draft.not_sent_reason() or "")
    draft.load_event({**template_for("expiration", NOW), "price": "abc"})
    assert draft.type_key == "expiration" and draft.error


def test_presenter_masks_the_key_always_and_hides_hosts_while_presenting(
    tmp_path: Path,
) -> None:
    state = WindowState(book(tmp_path, Profile(name="acme-prod"), last="acme-prod"))
    state.connection.set_key(KEY)
    state.connection.set_region("custom")
    state.connection.set_endpoint("https://collector.acme.test/v1")
    presenter = state.presenter
    assert KEY not in presenter.text(f"key={KEY}")
    row = {"target": "https://collector.old.test/v1", "key_fingerprint": KEY[-4:],
           "requests": [{"url": "https://collector.old.test/v1/track"}],
           "responses": [{"url": "https://api.segment.io/v1/track"}],
           "error": "acme-prod at collector.acme.test refused"}  # fmt: skip
    assert presenter.row(row) == row  # the developer's own view
    presenter.set_active(True)
    shown = json.dumps(presenter.row(row))
    for secret in ("collector.old.test", "collector.acme.test", "acme-prod", KEY[-4:]):
        assert secret not in shown
    assert "api.segment.io" in shown  # Segment's own hosts are public


def test_builders_record_what_was_really_sent() -> None:
    renderer = Renderer()
    from app.core.model import parse_event

    event = template_for("initial_purchase", NOW)
    result = renderer.render(parse_event(event), IntegrationSettings())
    assert result.track is not None
    edited = [{**result.track, "event": "by_hand"}, dict(result.messages[1])]
    item = builders.event_item(result, {"event": event}, "test", messages=edited)
    assert item.render.event_name == "by_hand" and item.hand_edited
    assert builders.event_item(result, {"event": event}, "t").render.event_name == result.event_name
    sandbox = {**event, "environment": "SANDBOX"}
    forced = renderer.render(parse_event(sandbox), IntegrationSettings(), override_sandbox=True)
    assert builders.event_item(forced, sandbox, "t", override_requested=True).sandbox_override
    assert not builders.event_item(result, event, "t", override_requested=True).sandbox_override


def test_a_resend_sends_each_stored_message_once() -> None:
    track = {"type": "track", "messageId": "m1"}
    identify = {"type": "identify", "messageId": "m2"}
    body = {"batch": [track, identify]}
    row = HistoryRow.model_construct(
        id=7, requests=[{"body": body}, {"body": body}], input=None, event_type="renewal",
        event_name="rc_renewal_event", hand_edited=False, sandbox_override=False,
    )  # fmt: skip
    item = builders.resend_item(row)
    assert item is not None and [m["messageId"] for m in item.outgoing] == ["m1", "m2"]
    assert item.source == "history #7"


def test_keys_typed_before_the_keyring_arrives_move_into_it(tmp_path: Path) -> None:
    from app.state.profiles import PendingVault

    profiles = ProfileBook(ProfileStore.in_dir(tmp_path), PendingVault())
    state = WindowState(profiles)
    assert profiles.vault_pending and state.connection.write_key == ""
    state.connection.set_key(KEY)
    state.connection.store_key()  # typed in the first moment, kept in the pending vault
    keyring = SessionVault(note="system keyring", persistent=True)
    keyring.set("Other", "stored-elsewhere-1234567890")
    profiles.replace_vault(keyring)
    assert not profiles.vault_pending and profiles.key_persistent()
    assert keyring.get(state.profile) == KEY and keyring.get("Other")
    state.connection.reload_key()
    assert state.connection.write_key == KEY  # what the user typed wins


def test_the_stored_key_appears_once_the_keyring_is_ready(tmp_path: Path) -> None:
    from app.state.profiles import PendingVault

    profiles = ProfileBook(ProfileStore.in_dir(tmp_path), PendingVault())
    state = WindowState(profiles)
    seen: list[str] = []
    state.connection.changed.connect(lambda: seen.append(state.connection.write_key))
    keyring = SessionVault(persistent=True)
    keyring.set(state.profile, KEY)
    profiles.replace_vault(keyring)
    state.connection.reload_key()
    assert seen[-1] == KEY
