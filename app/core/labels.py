"""Words for people instead of identifiers: `after_commission_and_taxes` → "After store
commission and taxes", `PLAY_STORE` → "Google Play", `INITIAL_PURCHASE` → "Initial
purchase". One table for the window (the settings panel's choices, the timeline) and the
report alike; an identifier it does not know reads as itself, in words (`human`).
"""

from __future__ import annotations

#: Sales reporting mode → (the settings' choice, the short form beside a figure).
REVENUE_MODES: dict[str, tuple[str, str]] = {
    "gross": ("Gross revenue (before store commission)", "gross"),
    "after_commission": ("Revenue after store commission", "after commission"),
    "after_commission_and_taxes": (
        "Revenue after store commission and taxes",
        "after commission and taxes",
    ),
}

STORES: dict[str, str] = {
    "APP_STORE": "App Store",
    "MAC_APP_STORE": "Mac App Store",
    "PLAY_STORE": "Google Play",
    "AMAZON": "Amazon Appstore",
    "STRIPE": "Stripe",
    "PROMOTIONAL": "Promotional (granted by RevenueCat)",
    "RC_BILLING": "RevenueCat Billing",
    "PADDLE": "Paddle",
    "ROKU": "Roku",
}

ENVIRONMENTS: dict[str, str] = {"PRODUCTION": "Production", "SANDBOX": "Sandbox (test purchases)"}

#: Words that keep their capitals when an identifier is spelled out.
_KEEP = {"rc": "RC", "id": "ID", "iap": "IAP", "api": "API", "url": "URL", "utc": "UTC"}


def human(identifier: str) -> str:
    """ "after_commission_and_taxes" → "After commission and taxes"; "PRODUCT_CHANGE" →
    "Product change". The fallback for identifiers without an entry in a table."""
    words = [w for w in identifier.replace("-", "_").split("_") if w]
    if not words:
        return identifier
    spelled = [_KEEP.get(w.lower(), w.lower()) for w in words]
    first = spelled[0]
    spelled[0] = first if first in _KEEP.values() else first.capitalize()
    return " ".join(spelled)


def store(value: str) -> str:
    return STORES.get(value) or human(value)


def environment(value: str) -> str:
    return ENVIRONMENTS.get(value) or human(value)


def revenue_mode(value: str, *, short: bool = False) -> str:
    entry = REVENUE_MODES.get(value)
    if entry is None:
        return human(value)
    return entry[1] if short else entry[0]
