"""Lifecycles: expected Segment types in order, one user, increasing time, revenue totals
per reporting mode, and no message over the limits."""

import itertools
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from app.core.errors import EventInputError
from app.core.model import parse_event
from app.core.render import Renderer
from app.core.scenarios import SCENARIOS, ScenarioParams, period_days_for, scenario_events
from app.core.settings import IntegrationSettings, RevenueMode
from app.core.wire import MESSAGE_LIMIT, size_of

PARAMS = ScenarioParams(
    start=datetime(2026, 1, 1, tzinfo=UTC),
    price=9.99,
    tax_percentage=0.1,
    commission_percentage=0.3,
    renewals=2,
)

# name → (Segment types in order, gross revenue in units of the price)
EXPECTED = {
    "trial_to_expiration": (
        ["trial_started", "trial_converted", "renewal", "renewal", "cancellation", "expiration"],
        3,
    ),
    "trial_cancelled": (["trial_started", "trial_cancelled", "expiration"], 0),
    "purchase_refund": (["initial_purchase", "cancellation", "expiration"], 0),
    "billing_recovered": (
        ["initial_purchase", "renewal", "renewal", "billing_issue", "renewal"],
        4,
    ),
    "billing_expired": (
        ["initial_purchase", "renewal", "renewal", "billing_issue", "expiration"],
        3,
    ),
    "upgrade": (
        ["initial_purchase", "renewal", "renewal", "product_change", "renewal"],
        3 + 10,
    ),  # the last renewal is on the yearly product, 10× the price
    "play_pause": (
        ["initial_purchase", "renewal", "renewal", "subscription_paused", "expiration"],
        3,
    ),
    "one_off": (["non_subscription_purchase"], 1),
}

FACTORS = {
    RevenueMode.GROSS: Decimal("1"),
    RevenueMode.AFTER_COMMISSION: Decimal("0.7"),
    RevenueMode.AFTER_COMMISSION_AND_TAXES: Decimal("0.6"),
}


def test_every_scenario_is_covered():
    assert set(SCENARIOS) == set(EXPECTED)


@pytest.mark.parametrize("name", list(EXPECTED))
@pytest.mark.parametrize("mode", list(RevenueMode))
def test_lifecycle(name, mode):
    events = scenario_events(name, PARAMS)
    renderer = Renderer()
    results = [
        renderer.render(parse_event(e), IntegrationSettings(revenue_mode=mode)) for e in events
    ]
    types, units = EXPECTED[name]
    assert [r.segment_event for r in results] == types
    assert all(r.skipped is None for r in results)
    assert {m["userId"] for r in results for m in r.messages} == {"user_4821"}
    stamps = [e["event_timestamp_ms"] for e in events]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
    assert stamps[0] == int(PARAMS.start.timestamp() * 1000) + 1
    total = sum(Decimal(str(r.track["properties"]["revenue"])) for r in results)
    expected = (Decimal("9.99") * FACTORS[mode]).quantize(Decimal("0.0001")) * units
    assert total == expected
    assert all(size_of(m) < MESSAGE_LIMIT for r in results for m in r.messages)
    assert not [w for r in results for w in r.warnings]


@pytest.mark.parametrize("name", [n for n in EXPECTED if n != "one_off"])
def test_transactions_chain_to_the_first_purchase(name):
    events = scenario_events(name, PARAMS)
    assert {e["original_transaction_id"] for e in events} == {events[0]["transaction_id"]}
    assert len({e["id"] for e in events}) == len(events)


def test_refund_nets_to_zero_and_is_below_the_line():
    events = scenario_events("purchase_refund", PARAMS)
    assert [e["price"] for e in events] == [9.99, -9.99, 0.0]


def test_renewals_parameter_and_period():
    events = scenario_events("trial_to_expiration", ScenarioParams(renewals=5, start=PARAMS.start))
    assert [e["type"] for e in events].count("RENEWAL") == 6
    renewals = [e for e in events if e["type"] == "RENEWAL"]
    gaps = {
        b["event_timestamp_ms"] - a["event_timestamp_ms"] for a, b in itertools.pairwise(renewals)
    }
    assert gaps == {30 * 86_400_000}
    assert period_days_for("pro.yearly") == 365 and period_days_for("pro_weekly") == 7


def test_play_pause_forces_play_store_and_default_ends_before_now():
    now = datetime(2026, 6, 1, tzinfo=UTC)
    events = scenario_events("play_pause", ScenarioParams(store="APP_STORE"), now=now)
    assert {e["store"] for e in events} == {"PLAY_STORE"}
    assert events[-1]["event_timestamp_ms"] < now.timestamp() * 1000


@pytest.mark.parametrize(
    ("params", "needle"),
    [
        (ScenarioParams(renewals=-1), "renewals"),
        (ScenarioParams(store="ITUNES"), "store"),
        (ScenarioParams(price=-3), "price"),
        (ScenarioParams(tax_percentage=2), "tax_percentage"),
    ],
)
def test_bad_parameters(params, needle):
    with pytest.raises(EventInputError, match=needle):
        scenario_events("one_off", params)


def test_unknown_scenario():
    with pytest.raises(EventInputError, match="unknown scenario 'x'"):
        scenario_events("x")


def test_a_start_that_would_leave_1970_to_9999_is_an_input_error():
    from datetime import UTC, datetime

    from app.core.errors import EventInputError
    from app.core.scenarios import ScenarioParams, scenario_events

    for start in (datetime(1970, 1, 1, tzinfo=UTC), datetime(9999, 12, 1, tzinfo=UTC)):
        with pytest.raises(EventInputError, match=r"^start: .*1970–9999"):
            scenario_events("trial_to_expiration", ScenarioParams(start=start))


def test_tax_plus_commission_over_1_and_a_blank_user_are_input_errors():
    from app.core.errors import EventInputError
    from app.core.scenarios import ScenarioParams, scenario_events

    # Were accepted, and gave events (take-home -0.8, userId "") that render refuses.
    with pytest.raises(EventInputError, match=r"^tax_percentage: .*cannot exceed 1"):
        scenario_events("one_off", ScenarioParams(tax_percentage=0.9, commission_percentage=0.9))
    with pytest.raises(EventInputError, match=r"^app_user_id: cannot be blank"):
        scenario_events("one_off", ScenarioParams(app_user_id=""))
