"""Revenue per type and mode, refunds, null percentages, exact decimals
(docs/revenuecat.md, "Revenue")."""

import pytest

from app.core.settings import IntegrationSettings, RevenueMode
from tests.support.engine import codes, render

GROSS = IntegrationSettings(revenue_mode=RevenueMode.GROSS)
AFTER_COMMISSION = IntegrationSettings(revenue_mode=RevenueMode.AFTER_COMMISSION)
AFTER_ALL = IntegrationSettings(revenue_mode=RevenueMode.AFTER_COMMISSION_AND_TAXES)

REVENUE_FIELDS = [
    {"type": "INITIAL_PURCHASE"},
    {"type": "RENEWAL", "is_trial_conversion": True},
    {"type": "RENEWAL"},
    {"type": "NON_RENEWING_PURCHASE"},
]


@pytest.mark.parametrize("fields", REVENUE_FIELDS)
@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (GROSS, 9.99),
        (AFTER_COMMISSION, 6.993),
        (AFTER_ALL, 5.994),
    ],
)
def test_revenue_types_in_each_mode(fields, settings, expected):
    props = render(
        settings, price=9.99, commission_percentage=0.3, tax_percentage=0.1, **fields
    ).track["properties"]
    assert props["revenue"] == expected
    assert props["currency"] == "USD"


def test_decimal_arithmetic_has_no_float_noise():
    # 9.99 * 0.7 in binary floating point is 6.993000000000001
    assert (
        render(AFTER_COMMISSION, price=9.99, commission_percentage=0.3).track["properties"][
            "revenue"
        ]
        == 6.993
    )
    assert (
        repr(
            render(AFTER_COMMISSION, price=9.99, commission_percentage=0.3).track["properties"][
                "revenue"
            ]
        )
        == "6.993"
    )


def test_rounds_half_even_to_four_places():
    # 0.00125 * (1 - 0.5) = 0.000625 → 0.0006 (half-even), 0.00375*.5 = .001875 → 0.0019
    assert (
        render(AFTER_COMMISSION, price=0.00125, commission_percentage=0.5).track["properties"][
            "revenue"
        ]
        == 0.0006
    )
    assert (
        render(AFTER_COMMISSION, price=0.00375, commission_percentage=0.5).track["properties"][
            "revenue"
        ]
        == 0.0019
    )
    assert render(GROSS, price=1.234567).track["properties"]["revenue"] == 1.2346


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (GROSS, -9.99),
        (AFTER_COMMISSION, -6.993),
        (AFTER_ALL, -5.994),
    ],
)
def test_refund_is_negative_revenue(settings, expected):
    result = render(
        settings,
        type="CANCELLATION",
        cancel_reason="CUSTOMER_SUPPORT",
        price=-9.99,
        commission_percentage=0.3,
        tax_percentage=0.1,
    )
    assert result.segment_event == "cancellation"
    assert result.track["properties"]["revenue"] == expected


@pytest.mark.parametrize(
    "fields",
    [
        {"type": "CANCELLATION", "price": 9.99},
        {"type": "CANCELLATION", "period_type": "TRIAL", "price": -1.0},
        {"type": "INITIAL_PURCHASE", "period_type": "TRIAL", "price": 9.99},
        {"type": "UNCANCELLATION", "price": 9.99},
        {"type": "SUBSCRIPTION_PAUSED", "store": "PLAY_STORE", "price": 9.99},
        {"type": "EXPIRATION", "price": 9.99},
        {"type": "BILLING_ISSUE", "price": 9.99},
        {"type": "PRODUCT_CHANGE", "price": 9.99},
    ],
)
def test_other_types_carry_zero(fields):
    value = render(AFTER_ALL, **fields).track["properties"]["revenue"]
    assert value == 0.0
    assert isinstance(value, float)


def test_null_commission_counts_as_zero_and_warns():
    result = render(AFTER_COMMISSION, commission_percentage=None, price=9.99)
    assert result.track["properties"]["revenue"] == 9.99
    assert "percentage_missing" in codes(result)
    message = next(w.message for w in result.warnings if w.code == "percentage_missing")
    assert "event.commission_percentage" in message
    assert "upper bound" in message


def test_null_tax_only_matters_in_the_after_taxes_mode():
    assert "percentage_missing" not in codes(render(AFTER_COMMISSION, tax_percentage=None))
    result = render(AFTER_ALL, tax_percentage=None, commission_percentage=0.3, price=10.0)
    assert result.track["properties"]["revenue"] == 7.0
    assert "event.tax_percentage" in next(
        w.message for w in result.warnings if w.code == "percentage_missing"
    )


def test_gross_mode_needs_no_percentages():
    assert "percentage_missing" not in codes(
        render(GROSS, commission_percentage=None, tax_percentage=None)
    )


def test_null_percentage_on_non_revenue_type_does_not_warn():
    assert "percentage_missing" not in codes(
        render(AFTER_ALL, type="EXPIRATION", commission_percentage=None)
    )


def test_missing_price_gives_null_revenue_and_says_so():
    result = render(GROSS, price=None)
    assert result.track["properties"]["revenue"] is None
    assert "price_missing" in codes(result)


def test_zero_price_refund_is_not_revenue():
    value = render(GROSS, type="CANCELLATION", price=0.0).track["properties"]["revenue"]
    assert value == 0.0
    assert str(value) == "0.0"


def test_huge_finite_price_is_rounded_not_an_error():
    # Decimal's default 28 digits made quantize() raise InvalidOperation (a traceback).
    value = render(AFTER_ALL, price=1e308, commission_percentage=0.3, tax_percentage=0.1)
    assert value.track["properties"]["revenue"] == pytest.approx(0.6e308)


@pytest.mark.parametrize("price", [float("nan"), float("inf"), float("-inf")])
def test_non_finite_price_is_refused_naming_the_field(price):
    from app.core.errors import EventInputError
    from app.core.model import parse_event

    with pytest.raises(EventInputError, match=r"^event\.price: expected a finite number"):
        parse_event(
            {
                "type": "RENEWAL",
                "app_user_id": "u",
                "environment": "PRODUCTION",
                "event_timestamp_ms": 1,
                "price": price,
            }
        )
