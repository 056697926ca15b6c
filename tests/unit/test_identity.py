"""Identity verdicts (docs/revenuecat.md, "Identity"), including Unicode case folding and
invisible whitespace."""

import pytest

from app.core.errors import EventInputError
from app.core.identity import Verdict, check_identity
from app.core.model import parse_event
from tests.support.engine import event

EVENT = parse_event(
    event(
        app_user_id="Ada.Lovelace",
        original_app_user_id="legacy-42",
        aliases=["$RCAnonymousID:aa11", "ada_old", "legacy-42"],
    )
)


@pytest.mark.parametrize(
    ("app_id", "verdict"),
    [
        ("Ada.Lovelace", Verdict.EXACT),
        ("ada.lovelace", Verdict.DIFFERS_BY_CASE),
        ("ADA.LOVELACE", Verdict.DIFFERS_BY_CASE),
        (" Ada.Lovelace", Verdict.DIFFERS_BY_WHITESPACE),
        ("Ada.Lovelace\n", Verdict.DIFFERS_BY_WHITESPACE),
        ("Ada.Lovelace\u00a0", Verdict.DIFFERS_BY_WHITESPACE),  # no-break space
        ("\u200bAda.Lovelace", Verdict.DIFFERS_BY_WHITESPACE),  # zero-width space
        ("ada.lovelace ", Verdict.DIFFERS_BY_WHITESPACE),  # both: whitespace first
        ("ada_old", Verdict.ALIAS_ONLY),
        ("legacy-42", Verdict.ORIGINAL_ONLY),  # also an alias: the more specific verdict
        ("grace.hopper", Verdict.NO_MATCH),
        ("Ada Lovelace", Verdict.NO_MATCH),  # inner whitespace is a different id
    ],
)
def test_verdicts(app_id, verdict):
    check = check_identity(EVENT, app_id)
    assert check.verdict is verdict
    assert check.match is (verdict is Verdict.EXACT)
    assert check.segment_user_id == "Ada.Lovelace"
    assert check.message and check.fix


def test_unicode_case_folding():
    german = parse_event(event(app_user_id="STRASSE"))
    assert check_identity(german, "straße").verdict is Verdict.DIFFERS_BY_CASE
    greek = parse_event(event(app_user_id="ΣΊΣΥΦΟΣ"))
    assert check_identity(greek, "σίσυφος").verdict is Verdict.DIFFERS_BY_CASE


def test_invisible_characters_are_made_visible_in_the_message():
    check = check_identity(EVENT, "Ada.Lovelace\u00a0")
    assert "\\u00a0" in check.message


def test_anonymous_revenuecat_id_says_to_log_in():
    anon = parse_event(event(app_user_id="$RCAnonymousID:9f8e", aliases=["$RCAnonymousID:9f8e"]))
    check = check_identity(anon, "ada")
    assert check.verdict is Verdict.ANONYMOUS_REVENUECAT_ID
    assert "Purchases.logIn" in check.fix and '"ada"' in check.fix
    assert check_identity(anon, "$RCAnonymousID:9f8e").verdict is Verdict.EXACT


def test_each_verdict_says_which_side_to_change():
    for app_id in ("ada.lovelace", " Ada.Lovelace", "ada_old", "legacy-42", "x"):
        assert check_identity(EVENT, app_id).fix.startswith("App side:")
    assert check_identity(EVENT, "Ada.Lovelace").fix == "Nothing to change."


def test_json_contract_and_anonymous_id_note():
    out = check_identity(EVENT, "Ada.Lovelace", anonymous_id="anon-1").to_json()
    assert list(out)[:5] == ["verdict", "match", "segment_user_id", "message", "fix"]
    assert out["verdict"] == "exact" and out["match"] is True
    assert "anonymousId" in out["note"]


def test_event_without_user_and_empty_input_are_errors():
    transfer = parse_event({"type": "TRANSFER", "event_timestamp_ms": 1})
    with pytest.raises(EventInputError, match=r"event\.app_user_id"):
        check_identity(transfer, "ada")
    for blank in ("", "   ", "\u00a0"):
        with pytest.raises(EventInputError, match="app-user-id: is blank"):
            check_identity(EVENT, blank)


def test_app_identify_stand_in_is_labelled():
    from app.core.identity import app_identify_message

    msg = app_identify_message(
        "ada",
        timestamp="t",
        message_id="m",
        sent_at="s",
        traits={"plan": "pro"},
        anonymous_id="anon",
    )
    assert msg["type"] == "identify" and msg["userId"] == "ada" and msg["anonymousId"] == "anon"
    assert msg["traits"] == {"plan": "pro"}
    assert "rc-segment-tester" in msg["context"]["library"]["name"]
    with pytest.raises(EventInputError, match="app-user-id"):
        app_identify_message("", timestamp="t", message_id="m", sent_at="s")
