"""The Capture tab's pure rules: the port as typed, where it listens, what a feed row
says, the snippets' addresses, the window's receiver config and bridge note, and the
Presenter masking the receiver's secrets. No Qt, no server."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.capture import address, feed, snippets
from app.capture.address import AddressError, Bind, Listening
from app.capture.config import CaptureConfig, window_config
from app.capture.items import CallItem, Flag, FlagCode, WebhookItem, WebhookOutcome
from app.cli import build_parser
from app.commands.serve import _config as serve_config
from app.core.scrub import SECRET_STAND_IN, Scrubber
from app.core.settings import IntegrationSettings
from app.delivery.options import DeliveryOptions
from app.delivery.target import region_target
from app.state.presentation import Presenter

AT = datetime(2026, 1, 2, 3, 4, 5, 678_000, tzinfo=UTC)
KEY = "wk9f3a7c2e4b1d8a6f0e5c3b2a1d4e7f"


@pytest.mark.parametrize(("text", "port"), [("8787", 8787), (" 0 ", 0), ("65535", 65535), ("1", 1)])
def test_ports_that_can_be_used(text: str, port: int) -> None:
    assert address.parse_port(text) == port


@pytest.mark.parametrize(
    ("text", "words"),
    [("", "Port: is empty"), ("80x", "Port: '80x' is not a number"), ("-1", "not a number"),
     ("65536", "Port: 65536 is above 65535"), ("８０", "not a number")],
)  # fmt: skip
def test_ports_that_cannot_be_used_say_so_in_one_line(text: str, words: str) -> None:
    with pytest.raises(AddressError) as caught:
        address.parse_port(text)
    assert words in str(caught.value) and "\n" not in str(caught.value)


def test_saved_choices_fall_back_to_loopback_and_the_default_port() -> None:
    assert address.bind_from("lan") is Bind.LAN
    assert address.bind_from("0.0.0.0") is Bind.LOOPBACK
    assert address.bind_from(None) is Bind.LOOPBACK
    assert address.port_from("9000") == 9000 and address.port_from("junk") == address.DEFAULT_PORT
    assert (Bind.LOOPBACK.host, Bind.LAN.host) == ("127.0.0.1", "0.0.0.0")


def test_listening_addresses_and_their_summary() -> None:
    local = Listening(Bind.LOOPBACK, 8787)
    assert local.segment_api == "http://127.0.0.1:8787/v1"
    assert local.revenuecat_webhook == "http://127.0.0.1:8787/revenuecat"
    assert "this machine only" in local.summary() and "8787" not in local.summary()
    lan = Listening(Bind.LAN, 9000, "192.168.1.20")
    assert lan.base_url == "http://192.168.1.20:9000"
    assert "devices use 192.168.1.20" in lan.summary()
    assert Listening(Bind.LAN, 9000, None).base_url == "http://127.0.0.1:9000"


def test_the_webhook_path_is_the_servers() -> None:
    from app.capture.asgi import WEBHOOK_PATH

    assert Listening(Bind.LOOPBACK, 1).revenuecat_webhook.endswith(WEBHOOK_PATH)


def test_a_batch_call_row_lists_its_ids_events_and_flags() -> None:
    item = CallItem(
        at=AT, path="/v1/batch", call="batch", status=200, messages=5,
        user_ids=("u1", "u2", "u3", "u4"), anonymous_ids=("a1",), events=("Opened",),
        flags=(Flag(FlagCode.UNEXPECTED_WRITE_KEY, "the write key ••••9999 is not the expected"),
               Flag(FlagCode.WRONG_REGION, "sent to the US host")),
    )  # fmt: skip
    row = feed.row_for(item)
    assert row.source == "segment" and row.type == "batch (5)"
    assert row.ids == "u1, u2, u3 +1 · a1" and row.event == "Opened"
    assert row.result == "200 ⚠ wrong key, wrong region" and row.tone == "warn"
    assert "••••9999" in row.tooltip and row.time.endswith(".678")
    assert feed.flags_text(item).count("⚠") == 2


def test_the_feed_filter_finds_every_id_event_and_result_of_a_row() -> None:
    call = feed.row_for(CallItem(
        at=AT, path="/v1/batch", call="batch", status=200, messages=5,
        user_ids=("u1", "u2", "u3", "User_4821"), anonymous_ids=("a1",), events=("Opened",),
        flags=(Flag(FlagCode.NO_USER, "a message has no userId"),),
    ))  # fmt: skip
    assert "User_4821" not in call.ids  # the cell lists three; the filter knows all
    for text in ("user_4821", "USER_4821 opened", "a1", "batch", "no user id", "/v1/batch", "",
                 call.time):  # fmt: skip
        assert call.matches(text), text
    assert not call.matches("user_4822") and not call.matches("u1 webhook")
    hook = feed.row_for(WebhookItem(AT, 200, WebhookOutcome.FORWARDED, type="RENEWAL",
                                    event_id="E-77", app_user_id="u1", segment_event="renewal",
                                    event_name="rc_renewal_event"))  # fmt: skip
    for text in ("e-77", "rc_renewal", "webhook u1", "forwarded", "renewal", "/revenuecat"):
        assert hook.matches(text), text
    assert not hook.matches("opened")
    german = feed.row_for(WebhookItem(AT, 200, WebhookOutcome.RECORDED, app_user_id="Straße"))
    assert german.matches("STRASSE") and german.matches("(unknown)")  # folded; the type cell


def test_refused_and_anonymous_call_rows() -> None:
    refused = feed.row_for(CallItem(at=AT, path="/v1/t", call="track", status=400, messages=0,
                                    error="Invalid JSON"))  # fmt: skip
    assert (refused.result, refused.tone, refused.ids) == ("400: Invalid JSON", "error", "")
    assert feed.flags_text(refused.item) == "Answered 400: Invalid JSON"
    idless = feed.row_for(CallItem(at=AT, path="/v1/t", call="track", status=200, messages=1))
    assert (idless.ids, idless.result, idless.tone) == ("(no ids)", "200", "ok")
    anonymous = CallItem(at=AT, path="/v1/p", call="page", status=200, messages=1,
                         anonymous_ids=("a9",))  # fmt: skip
    assert feed.row_for(anonymous).ids == "— · a9"


@pytest.mark.parametrize(
    ("outcome", "status", "result", "tone"),
    [(WebhookOutcome.FORWARDED, 200, "forwarded", "ok"),
     (WebhookOutcome.DUPLICATE, 200, "duplicate", "muted"),
     (WebhookOutcome.UNAUTHORIZED, 401, "401: wrong Authorization", "error"),
     (WebhookOutcome.FAILED, 200, "forward failed", "error")],
)  # fmt: skip
def test_webhook_rows_say_what_became_of_them(
    outcome: WebhookOutcome, status: int, result: str, tone: str
) -> None:
    item = WebhookItem(AT, status, outcome, type="RENEWAL", event_id="E1", app_user_id="u1",
                       event_name="rc_renewal_event", reason="why")  # fmt: skip
    row = feed.row_for(item)
    assert (row.source, row.type, row.ids, row.event) == (
        "revenuecat", "RENEWAL", "u1", "rc_renewal_event"
    )  # fmt: skip
    assert (row.result, row.tone, row.tooltip) == (result, tone, "why")
    assert feed.flags_text(item).startswith("Webhook ") and feed.flags_text(item).endswith(": why")


def test_snippets_carry_the_real_address_per_platform_and_never_a_key() -> None:
    by_key = {s.key: s.text for s in snippets.snippets(9123, "192.168.1.20")}
    assert set(by_key) == {"swift", "kotlin", "react_native", "analytics_js", "revenuecat"}
    assert '"127.0.0.1:9123"' in by_key["swift"] and '"192.168.1.20:9123"' in by_key["swift"]
    assert "NSAllowsLocalNetworking" in by_key["swift"]
    assert '"10.0.2.2:9123"' in by_key["kotlin"] and "cleartextTrafficPermitted" in by_key["kotlin"]
    assert "http://$apiHost/b" in by_key["kotlin"]
    assert "http://10.0.2.2:9123/v1" in by_key["react_native"]
    assert "proxy: receiver" in by_key["react_native"]
    assert "apiHost: '127.0.0.1:9123/v1', protocol: 'http'" in by_key["analytics_js"]
    assert "cloudflared tunnel --url http://127.0.0.1:9123" in by_key["revenuecat"]
    assert "ngrok http 9123" in by_key["revenuecat"]
    for key in ("swift", "kotlin", "react_native", "analytics_js"):
        assert snippets.KEY_PLACEHOLDER in by_key[key]
    no_lan = snippets.snippets(8787, None)[0].text
    assert "THIS_MACHINES_LAN_IP:8787" in no_lan and "choose LAN" in no_lan


def test_the_window_config_forwards_only_over_a_usable_connection() -> None:
    settings = IntegrationSettings(event_names={"renewal": "Renewed"})
    common = {"settings": settings, "options": DeliveryOptions(), "target": region_target("eu"),
              "write_key": KEY}  # fmt: skip
    config, note = window_config(
        bridge=True, connection_problem=None, expect_write_key=" expected ",
        webhook_auth=" Bearer x ", **common,
    )  # fmt: skip
    assert config.forward == region_target("eu") and config.write_key == KEY
    assert config.settings == settings and config.expected_region == "eu"
    assert (config.expect_write_key, config.webhook_auth) == ("expected", "Bearer x")
    assert note.startswith("Bridge on: each webhook is sent to")
    off, note = window_config(bridge=False, connection_problem=None, **common)
    assert off.forward is None and off.write_key == "" and note.startswith("Bridge off")
    assert (off.expect_write_key, off.webhook_auth) == (None, None)
    blocked, note = window_config(bridge=True, connection_problem="enter a write key", **common)
    assert blocked.forward is None and blocked.write_key == ""
    assert "not forwarding — enter a write key;" in note


def test_serve_reads_the_secrets_as_the_window_does(tmp_path) -> None:
    """A header's value arrives stripped: `serve --webhook-auth " Bearer x "` expects
    "Bearer x", as the window's field does (before, serve kept the spaces and refused
    every webhook)."""
    args = build_parser(only="serve").parse_args(
        ["serve", "--webhook-auth", " Bearer x ", "--expect-write-key", " wk_1 ",
         "--data-dir", str(tmp_path)]
    )  # fmt: skip
    config = serve_config(args)
    window, _ = window_config(
        settings=IntegrationSettings(), options=DeliveryOptions(), bridge=False, target=None,
        write_key="", connection_problem=None, expect_write_key=" wk_1 ",
        webhook_auth=" Bearer x ",
    )  # fmt: skip
    assert (config.webhook_auth, config.expect_write_key) == ("Bearer x", "wk_1")
    assert (window.webhook_auth, window.expect_write_key) == ("Bearer x", "wk_1")
    assert CaptureConfig(webhook_auth="  ").webhook_auth is None


def test_the_presenter_masks_added_secrets_everywhere_it_masks_the_key() -> None:
    secrets = ["Bearer rc-hook-secret-5531", ""]
    presenter = Presenter(keys=lambda: [KEY])
    presenter.add_secrets(lambda: secrets)
    shown = presenter.text(f"key {KEY}, auth Bearer rc-hook-secret-5531")
    assert KEY not in shown and "rc-hook-secret" not in shown and "••••5531" in shown
    assert presenter.keys() == [KEY, "Bearer rc-hook-secret-5531"]
    secrets[0] = "changed-secret-0001"  # asked each time: a new value is masked at once
    assert "changed-secret" not in presenter.text("changed-secret-0001")
    presenter.set_active(True)  # presenting: not even the last four characters
    shown = presenter.text("auth changed-secret-0001")
    assert "0001" not in shown and shown == f"auth {SECRET_STAND_IN}"
    secrets[0] = "again-another-7777"
    assert presenter.text("again-another-7777") == SECRET_STAND_IN
    # A profile name inside the secret: one pass, so the whole secret goes.
    named = Presenter(secrets=lambda: Scrubber(profiles=["staging"]), keys=lambda: [KEY])
    named.add_secrets(lambda: ["Bearer staging-hook-5531"])
    named.set_active(True)
    for shown in (named.scrub("auth Bearer staging-hook-5531"),
                  named.row({"input": "Bearer staging-hook-5531"})["input"]):  # fmt: skip
        assert "hook" not in shown and "5531" not in shown and SECRET_STAND_IN in shown
