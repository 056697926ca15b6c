"""The desktop form's logic, without Qt: text ⇄ event dict, key checks, display check."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.commands.gui import display_problem
from app.core.templates import template_for
from app.state.formdata import (
    FormError,
    attributes_from_rows,
    attributes_rows,
    check_write_key,
    event_from_form,
    form_values,
    json_error,
    ms_to_text,
    parse_webhook_text,
    text_to_ms,
)
from app.storage.paths import config_dir

NOW = 1_768_478_400_000


def test_times_round_trip() -> None:
    assert ms_to_text(NOW + 123) == "2026-01-15T12:00:00.123Z"
    assert text_to_ms("f", "2026-01-15T12:00:00.123Z") == NOW + 123
    assert text_to_ms("f", "2026-01-15 12:00:00") == NOW
    assert text_to_ms("f", str(NOW)) == NOW
    assert text_to_ms("f", "") is None
    with pytest.raises(FormError, match="f: expected a UTC time"):
        text_to_ms("f", "yesterday")


def test_template_round_trips_through_the_form() -> None:
    event = template_for("billing_issue", NOW)
    rows = attributes_rows(event)
    assert event_from_form(form_values(event), rows, event, NOW + 1) == event


def test_form_values_parse() -> None:
    event = template_for("initial_purchase", NOW)
    values = form_values(event)
    values.update(
        price="19.99", tax_percentage="8%", aliases="a, b,", entitlement_ids="", cancel_reason=""
    )
    out = event_from_form(values, [("plan", "gold"), ("", "ignored")], event, NOW)
    assert out["price"] == 19.99 and out["tax_percentage"] == 0.08
    assert out["aliases"] == ["a", "b"] and out["entitlement_ids"] is None
    assert "cancel_reason" not in out  # not added as an explicit null
    assert out["subscriber_attributes"] == {"plan": {"value": "gold", "updated_at_ms": NOW}}
    assert out["country_code"] == "US"  # fields the form does not show are kept
    with pytest.raises(FormError, match="commission_percentage: expected a fraction"):
        event_from_form({**values, "commission_percentage": "30"}, [], event, NOW)
    with pytest.raises(FormError, match="price: expected a number"):
        event_from_form({**values, "price": "abc"}, [], event, NOW)
    # float() reads these, but they are not JSON numbers (NaN went out as invalid JSON)
    for text in ("nan", "inf", "-Infinity"):
        with pytest.raises(FormError, match=f"price: expected a number, got '{text}'"):
            event_from_form({**values, "price": text}, [], event, NOW)
    with pytest.raises(FormError, match="tax_percentage: expected a number"):
        event_from_form({**values, "tax_percentage": "nan%"}, [], event, NOW)


def test_unchanged_attributes_keep_their_time() -> None:
    previous = {"a": {"value": "x", "updated_at_ms": 5}}
    assert attributes_from_rows([("a", "x")], previous, NOW) == previous
    assert attributes_from_rows([("a", "y")], previous, NOW) == {
        "a": {"value": "y", "updated_at_ms": NOW}
    }
    assert attributes_from_rows([], previous, NOW) is None


def test_webhook_text() -> None:
    assert parse_webhook_text('{"api_version": "1.0", "event": {"type": "X"}}') == {"type": "X"}
    with pytest.raises(FormError, match="line 2, column"):
        parse_webhook_text('{\n  "event": }')
    assert json_error("[1]") is not None and json_error("{}") is None


def test_write_key_checks() -> None:
    assert check_write_key("")[0] is not None
    assert "whitespace" in (check_write_key("abc def")[0] or "")
    assert check_write_key("x" * 32) == (None, None)
    error, warning = check_write_key("wk_live-123")
    assert error is None and warning is not None


def test_display_problem() -> None:
    assert display_problem("linux", {}) is not None
    assert display_problem("linux", {"QT_QPA_PLATFORM": "offscreen"}) is None
    assert display_problem("linux", {"DISPLAY": ":0"}) is None
    assert display_problem("darwin", {}) is None


def test_ui_settings_dir_matches_storage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("PySide6")  # the window's settings are a QSettings file
    from app.ui.shell.uisettings import ui_config_dir

    assert ui_config_dir(tmp_path) == config_dir(tmp_path, create=False)
    monkeypatch.setenv("RC_SEGMENT_TESTER_HOME", str(tmp_path / "home"))
    assert ui_config_dir(None) == config_dir(None, create=False)
    monkeypatch.delenv("RC_SEGMENT_TESTER_HOME")
    assert ui_config_dir(None) == config_dir(None, create=False)


def test_form_logic_modules_import_no_qt() -> None:
    """formdata and profiles are where the UI's rules live so tests reach them without a
    QApplication; importing them must not pull in Qt."""
    import subprocess
    import sys

    code = (
        "import sys, app.state.formdata, app.state.profiles, app.commands.gui; "
        "print(any(m.startswith('PySide6') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
