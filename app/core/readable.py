"""Figures and times as a product manager reads them: money to the cent ("$6.99"), with
the exact figure beside it where the rounding is the point ("$6.99 ($6.993)": what a
commission leaves, to the engine's 4 places, is what Segment receives), and dates as
"1 Dec 2026, 14:03 UTC" instead of "2026-12-01T14:03:00.000Z".
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

_CENT = Decimal("0.01")


def money(value: float) -> str:
    """To the cent, as people round (half up): "$9.99", "−$9.99", "$1,234.50"."""
    exact = Decimal(str(value))
    cents = abs(exact).quantize(_CENT, rounding=ROUND_HALF_UP)
    sign = "−" if exact < 0 and cents else ""
    return f"{sign}${cents:,.2f}"


def money_exact(value: float) -> str:
    """`money`, and the exact figure in brackets when the cents are not all of it:
    "$6.99 ($6.993)"; "$9.99" when they are."""
    shown = money(value)
    exact = Decimal(str(value))
    if exact == exact.quantize(_CENT):
        return shown
    digits = f"{abs(exact).normalize():,f}"
    sign = "−" if exact < 0 else ""
    return f"{shown} ({sign}${digits})"


def moment(when: datetime | int) -> str:
    """ "1 Dec 2026, 14:03 UTC" (`when`: an aware datetime, or epoch milliseconds)."""
    if isinstance(when, int):
        when = datetime.fromtimestamp(when / 1000, UTC)
    when = when.astimezone(UTC)
    return f"{when.day} {when:%b %Y, %H:%M} UTC"


def day(when: datetime | int) -> str:
    """ "1 Dec 2026" (for a label under a timeline's dot)."""
    return moment(when).split(",", 1)[0]
