"""The scenario timeline model, the audience scrubber and the HTML report (no Qt)."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest

from app.core.report import ReportInput, SentResults, build_report_html
from app.core.scenarios import SCENARIOS, ScenarioParams, scenario_events
from app.core.scrub import HOST_STAND_IN, KEY_STAND_IN, public_target, scrubber_for
from app.core.settings import IntegrationSettings, RevenueMode
from app.core.timeline import build_timeline, usd

PARAMS = ScenarioParams(start=datetime(2026, 1, 1, tzinfo=UTC), price=9.99, renewals=2)
KEY = "wk9f3a7c2e4b1d8a6f0e5c3b2a1d4e7f"
HOST = "collector.acme-internal.example"
PNG = b"\x89PNG\r\n\x1a\nfake-image-bytes"


def timeline(name: str, mode: RevenueMode = RevenueMode.GROSS, **settings: object):  # type: ignore[no-untyped-def]
    return build_timeline(
        scenario_events(name, PARAMS), IntegrationSettings(revenue_mode=mode, **settings)
    )


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_every_scenario_places_events_in_time_order(name: str) -> None:
    t = timeline(name)
    times = [p.at_ms for p in t.points]
    assert times == sorted(times) and len(set(times)) == len(times)
    assert [p.index for p in t.points] == list(range(len(t.points)))
    assert t.total_reported == t.points[-1].running_total


def test_gross_next_to_reported_and_running_total() -> None:
    t = timeline("trial_to_expiration", RevenueMode.AFTER_COMMISSION_AND_TAXES)
    money = [(p.label, p.gross, p.reported) for p in t.points if p.moves_money]
    assert money == [
        ("Trial Converted", 9.99, 6.1608),  # 9.99 × (1 − 0.3 − 0.0833)
        ("Renewal", 9.99, 6.1608),
        ("Renewal", 9.99, 6.1608),
    ]
    assert t.total_gross == 29.97
    assert t.total_reported == 18.4824
    assert "gross $29.97" in t.summary()


def test_refund_is_negative_and_brings_the_total_back() -> None:
    t = timeline("purchase_refund", RevenueMode.AFTER_COMMISSION)
    refund = next(p for p in t.points if p.refund)
    assert refund.gross == -9.99 and refund.reported == -6.993
    assert t.total_reported == 0.0 and t.total_gross == 0.0


def test_sandbox_events_are_skipped_and_report_nothing() -> None:
    events = scenario_events("one_off", ScenarioParams(environment="SANDBOX"))
    t = build_timeline(events, IntegrationSettings())
    assert t.points[0].skipped and "sandbox" in t.points[0].skipped.lower()
    assert t.points[0].gross == 9.99 and t.points[0].reported == 0.0


def test_scrubber_hides_key_in_every_form_host_and_profiles() -> None:
    s = scrubber_for(keys=[KEY], base_urls=[f"https://{HOST}:8443/v1"], profiles=["acme-prod", "x"])
    text = (
        f"key {KEY} basic {base64.b64encode(f'{KEY}:'.encode()).decode()} masked ••••{KEY[-4:]}"
        f" url https://{HOST}:8443/v1/track profile acme-prod and x"
    )
    clean = s.scrub(text)
    assert KEY not in clean and KEY[-4:] not in clean and HOST not in clean
    assert "acme-prod" not in clean and " x" in clean  # one-letter names are left alone
    assert clean.count(KEY_STAND_IN) == 3 and HOST_STAND_IN in clean
    assert s.leaks(clean) == [] and s.leaks(text) == ["write key", "endpoint host"]


def test_segment_hosts_are_public() -> None:
    s = scrubber_for(base_urls=["https://api.segment.io/v1"])
    assert s.scrub("https://api.segment.io/v1/track") == "https://api.segment.io/v1/track"
    assert public_target("eu").startswith("Segment EU") and "hidden" in public_target(None)


def test_report_is_self_contained_with_image_payloads_and_settings() -> None:
    t = timeline("purchase_refund", RevenueMode.AFTER_COMMISSION)
    names = {"expiration": f"expired_{HOST}"}  # a secret smuggled in through a free field
    settings = IntegrationSettings(revenue_mode=RevenueMode.AFTER_COMMISSION).with_names(names)
    report = ReportInput(
        title="Paid purchase → refund",
        description=SCENARIOS["purchase_refund"].description,
        timeline=t,
        settings=settings,
        parameters={"store": "APP_STORE", "price": "$9.99"},
        target=public_target(None),
        image_png=PNG,
    )
    html = build_report_html(report, scrubber_for([KEY], [f"https://{HOST}/v1"]))
    assert f'src="data:image/png;base64,{base64.b64encode(PNG).decode()}"' in html
    assert "rc_initial_purchase_event" in html and "&quot;revenue&quot;: -6.993" in html
    assert "Revenue after store commission" in html and "APP_STORE" in html
    # For a product manager: words, cents (and the exact figure where it differs), dates.
    table = html.split("<h2>Events and revenue</h2>")[1].split("<h2>Settings used</h2>")[0]
    assert "after_commission" not in html.split("<h2>Payloads</h2>")[0]
    assert "Reported (after commission)" in table and "$6.99 ($6.993)" in table
    assert ".000Z" not in table and " UTC</td>" in table
    assert "<th>Expiration</th><td><code>expired_" in html  # event names by their label
    assert "Send results" not in html  # not sent: no results section
    sent = ReportInput(**{**report.__dict__, "sent": SentResults(
        datetime(2026, 12, 1, 14, 3, tzinfo=UTC),
        (("sent", "accepted · HTTP 200 · 41 ms"), ("failed", "failed: HTTP 400 on /track"),
         ("skipped", "not sent (RevenueCat skips it)")),
    )})  # fmt: skip
    sent_html = build_report_html(sent)
    assert "Sent 1 Dec 2026, 14:03 UTC: 3 events, 1 sent, 1 failed, 1 skipped." in sent_html
    assert '<td class="failed">failed: HTTP 400 on /track</td>' in sent_html
    assert KEY not in html and HOST not in html and "http://" not in html
    assert "<script" not in html and "<link" not in html  # nothing loaded from elsewhere


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (9.99, "$9.99"),
        (6.993, "$6.993"),
        (-6.993, "−$6.993"),
        (0.0, "$0.00"),
        (1234.5, "$1,234.50"),
        (6.1608, "$6.1608"),
    ],
)
def test_usd_keeps_cents_and_the_engines_precision(value: float, text: str) -> None:
    assert usd(value) == text
