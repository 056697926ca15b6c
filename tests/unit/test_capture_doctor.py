"""The identity doctor: the best verdict any captured app id reaches, per RevenueCat user."""

from __future__ import annotations

from app.capture.doctor import diagnose
from app.core.identity import Verdict
from app.storage.capture import AppIds, SeenUser
from tests.support.engine import event


def user(user_id: str, **fields: object) -> SeenUser:
    return SeenUser(user_id, {"api_version": "1.0", "event": event(app_user_id=user_id, **fields)})


def test_each_user_gets_the_closest_app_id():
    users = [
        user("user_1"),
        user("user_2", aliases=["user_2", "legacy_2"]),
        user("user_3", original_app_user_id="orig_3"),
        user(" user_4"),
        user("$RCAnonymousID:abc"),
        user("user_6"),
    ]
    app = [AppIds(u, "", 3) for u in ("USER_1", "user_1", "legacy_2", "orig_3", "user_4", "x")]
    found = {d.revenuecat_user_id: d for d in diagnose(users, app)}
    assert found["user_1"].verdict is Verdict.EXACT and found["user_1"].app_ids == ("user_1",)
    assert found["user_2"].verdict is Verdict.ALIAS_ONLY
    assert found["user_2"].app_ids == ("legacy_2",)
    assert found["user_3"].verdict is Verdict.ORIGINAL_ONLY
    assert found[" user_4"].verdict is Verdict.DIFFERS_BY_WHITESPACE
    assert found["$RCAnonymousID:abc"].verdict is Verdict.ANONYMOUS_REVENUECAT_ID
    assert found["user_6"].verdict is Verdict.NO_MATCH
    assert "none of the 6 userIds" in found["user_6"].message
    assert all(d.fix for d in found.values())


def test_without_app_calls_the_doctor_says_what_to_do():
    (only,) = diagnose([user("user_1")], [])
    assert only.verdict is Verdict.NO_MATCH and only.app_ids == ()
    assert "No call from the app" in only.message and "receiver" in only.fix
    (anonymous,) = diagnose([user("user_1")], [AppIds("", "anon-1", 2)])
    assert anonymous.app_ids == ("anon-1",) and "anonymous" in anonymous.message


def test_a_user_known_only_from_captured_messages():
    seen = SeenUser("user_9", None, aliases=("old_9",), original_app_user_id="first_9")
    (found,) = diagnose([seen], [AppIds("first_9", "", 1)])
    assert found.verdict is Verdict.ORIGINAL_ONLY
    assert found.to_json() == {
        "revenuecat_user_id": "user_9", "verdict": "original_only", "app_ids": ["first_9"],
        "message": found.message, "fix": found.fix,
    }  # fmt: skip
