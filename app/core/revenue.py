"""Revenue as RevenueCat reports it to Segment (docs/revenuecat.md, "Revenue").

Decimal arithmetic, rounded half-even to 4 places (project rule), so 9.99 × 0.7 is 6.993
and never 6.993000000000001.
"""

from __future__ import annotations

import functools
from decimal import ROUND_HALF_EVEN, Context, Decimal, InvalidOperation, localcontext

from app.core.catalogue import REVENUE_TYPES
from app.core.model import RevenueCatEvent
from app.core.settings import RevenueMode

_PLACES = Decimal("0.0001")
# Enough digits for any finite float (up to ~1.8e308) plus the 4 decimal places, for the
# rare price the default 28 digits cannot quantize (it raises rather than round wrongly:
# products of a float's 17 digits and a percentage's few stay exact within 28).
_CONTEXT = Context(prec=400)


def carries_revenue(segment_type: str, event: RevenueCatEvent) -> bool:
    """Money-moving events: purchases, conversions, renewals, and refunds."""
    if segment_type in REVENUE_TYPES:
        return True
    return segment_type == "cancellation" and event.price is not None and event.price < 0


#: The percentage fields each mode reads.
_NEEDED = {
    RevenueMode.GROSS: (),
    RevenueMode.AFTER_COMMISSION: ("commission_percentage",),
    RevenueMode.AFTER_COMMISSION_AND_TAXES: ("commission_percentage", "tax_percentage"),
}


def missing_percentages(event: RevenueCatEvent, mode: RevenueMode) -> list[str]:
    """The percentage fields the mode needs but the event leaves null."""
    return [name for name in _NEEDED[mode] if getattr(event, name) is None]


def _dec(value: float | None) -> Decimal:
    # str() first: Decimal(0.3) would carry the binary float's error into the result.
    return Decimal(str(value)) if value is not None else Decimal(0)


def revenue(segment_type: str, event: RevenueCatEvent, mode: RevenueMode) -> float | None:
    """The `revenue` property: 0.0 for non-revenue types, None when price is missing."""
    if not carries_revenue(segment_type, event):
        return 0.0
    if event.price is None:
        return None
    return _amount(event.price, event.commission_percentage, event.tax_percentage, mode)


# A product's price and percentages repeat across its events: the Decimal arithmetic (a
# few µs) runs once per combination. Keys that compare equal give the same result (10 and
# 10.0, -0.0 and 0.0: the result is normalised), so the cache cannot change one.
@functools.lru_cache(maxsize=4096)
def _amount(price: float, commission: float | None, tax: float | None, mode: RevenueMode) -> float:
    try:
        return _revenue(price, commission, tax, mode)
    except InvalidOperation:  # more digits than the default context holds (a price of 1e30)
        with localcontext(_CONTEXT):
            return _revenue(price, commission, tax, mode)


def _revenue(price: float, commission: float | None, tax: float | None, mode: RevenueMode) -> float:
    amount = _dec(price)
    if mode is RevenueMode.AFTER_COMMISSION:
        amount *= 1 - _dec(commission)
    elif mode is RevenueMode.AFTER_COMMISSION_AND_TAXES:
        amount *= 1 - _dec(commission) - _dec(tax)
    result = float(amount.quantize(_PLACES, rounding=ROUND_HALF_EVEN))
    return result + 0.0  # normalise -0.0 to 0.0
