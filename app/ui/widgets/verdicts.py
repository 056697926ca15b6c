"""The identity verdicts at a glance: a symbol, a short title and colours per verdict,
shared by the identity check and the capture tab's identity doctor."""

from __future__ import annotations

from html import escape

from app.core.identity import Verdict

#: verdict → (symbol, short title, background, foreground): the "at a glance" chip.
VERDICT_STYLE: dict[Verdict, tuple[str, str, str, str]] = {
    Verdict.EXACT: ("✔", "Exact match", "#e6f4ea", "#1e6b34"),
    Verdict.DIFFERS_BY_CASE: ("✖", "Differs by letter case", "#fdecea", "#b3261e"),
    Verdict.DIFFERS_BY_WHITESPACE: ("✖", "Differs by whitespace", "#fdecea", "#b3261e"),
    Verdict.ALIAS_ONLY: ("⚠", "Alias only", "#fff4e5", "#8a4b00"),
    Verdict.ORIGINAL_ONLY: ("⚠", "Original id only", "#fff4e5", "#8a4b00"),
    Verdict.ANONYMOUS_REVENUECAT_ID: ("✖", "Anonymous RevenueCat id", "#fdecea", "#b3261e"),
    Verdict.NO_MATCH: ("✖", "No match", "#fdecea", "#b3261e"),
}


def chip(symbol: str, title: str, background: str, foreground: str, code: str = "") -> str:
    """A verdict chip as rich text (`code`: the verdict's stable name beside it)."""
    tail = f" <code>{escape(code)}</code>" if code else ""
    return (
        f'<span style="background:{background}; color:{foreground}; font-weight:700; '
        f'padding:4px 10px;">&nbsp;{symbol} {escape(title)}&nbsp;</span>{tail}'
    )


def verdict_chip(verdict: Verdict) -> str:
    symbol, title, background, foreground = VERDICT_STYLE[verdict]
    return chip(symbol, title, background, foreground, verdict.value)
