"""The words and figures people read: money to the cent (and the exact figure where the
rounding is the point), dates, labels instead of identifiers, and a running send."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.core import labels
from app.core.readable import day, moment, money, money_exact
from app.core.settings import RevenueMode
from app.delivery.progress import AttemptProgress, Phase
from app.state.progress_text import attempt_text, elapsed, seconds, send_line


@pytest.mark.parametrize(
    ("value", "cents", "both"),
    [
        (9.99, "$9.99", "$9.99"),
        (6.993, "$6.99", "$6.99 ($6.993)"),  # 9.99 after a 30 % commission
        (4.9901, "$4.99", "$4.99 ($4.9901)"),
        (-6.993, "−$6.99", "−$6.99 (−$6.993)"),
        (0.0, "$0.00", "$0.00"),
        (1234.5, "$1,234.50", "$1,234.50"),
        (2.345, "$2.35", "$2.35 ($2.345)"),  # half up, as people round
        (-0.004, "$0.00", "$0.00 (−$0.004)"),  # no "−$0.00"
    ],
)
def test_money_is_to_the_cent_with_the_exact_figure_only_where_it_differs(
    value: float, cents: str, both: str
) -> None:
    assert money(value) == cents and money_exact(value) == both


def test_dates_read_as_day_month_year_and_minutes_in_utc() -> None:
    when = datetime(2026, 12, 1, 14, 3, 27, 512000, tzinfo=UTC)
    assert moment(when) == "1 Dec 2026, 14:03 UTC"
    assert moment(int(when.timestamp() * 1000)) == "1 Dec 2026, 14:03 UTC"
    assert day(when) == "1 Dec 2026"


def test_identifiers_read_as_words_from_one_table() -> None:
    assert (
        RevenueMode.AFTER_COMMISSION_AND_TAXES.label == "Revenue after store commission and taxes"
    )
    assert RevenueMode.AFTER_COMMISSION_AND_TAXES.short_label == "after commission and taxes"
    assert labels.store("PLAY_STORE") == "Google Play" and labels.store("NEW_STORE") == "New store"
    assert labels.environment("SANDBOX").startswith("Sandbox")
    assert labels.human("after_commission_and_taxes") == "After commission and taxes"
    assert labels.human("rc_renewal_event") == "RC renewal event"


def test_a_running_send_in_one_line() -> None:
    assert [seconds(v) for v in (3.0, 1.5, 0.25, 0.2, 12.4, 30)] == [
        "3 s", "1.5 s", "0.25 s", "0.2 s", "12 s", "30 s",
    ]  # fmt: skip
    assert elapsed(4.24) == "4.2 s elapsed" and elapsed(125) == "2 min 05 s elapsed"
    out = AttemptProgress("track", 2, 4)
    assert attempt_text(out) == "/track · attempt 2 of 4"
    wait = AttemptProgress("track", 1, 4, Phase.WAITING, 3.0, True, "HTTP 429")
    assert attempt_text(wait) == (
        "waiting 3 s (Retry-After) · attempt 1 of 4 · HTTP 429 on /track"
    )  # the wait and the attempt first: a narrow line cuts the end
    backoff = AttemptProgress("identify", 1, 4, Phase.WAITING, 0.4, False, "timeout")
    assert (
        attempt_text(backoff) == "waiting 0.4 s (backoff) · attempt 1 of 4 · timeout on /identify"
    )
    assert send_line(wait, 4.2) == (
        "Waiting 3 s (Retry-After) · attempt 1 of 4 · HTTP 429 on /track · 4.2 s elapsed"
    )
    assert send_line(out, 0.3) == "/track · attempt 2 of 4 · 0.3 s elapsed"
    assert send_line(None, 0.1) == "Sending… · 0.1 s elapsed"
