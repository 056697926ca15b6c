"""The integration's settings, as RevenueCat's Segment dashboard lets you configure them."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.core import labels
from app.core.catalogue import CATALOGUE
from app.core.errors import EventInputError


class RevenueMode(StrEnum):
    """Sales reporting (docs/revenuecat.md, "Revenue")."""

    GROSS = "gross"
    AFTER_COMMISSION = "after_commission"
    AFTER_COMMISSION_AND_TAXES = "after_commission_and_taxes"

    @property
    def label(self) -> str:
        """The settings' choice: "Revenue after store commission and taxes"."""
        return labels.revenue_mode(self.value)

    @property
    def short_label(self) -> str:
        """Beside a figure: "reported (after commission and taxes) $6.99"."""
        return labels.revenue_mode(self.value, short=True)


def _default_names() -> dict[str, str]:
    return {key: spec.default_name for key, spec in CATALOGUE.items()}


class IntegrationSettings(BaseModel):
    """Event names per Segment event type, revenue mode and the sandbox toggle.

    `event_names` always holds every key; a blank name on an optional type means "not
    sent", and a blank name on a mandatory type is refused.
    """

    model_config = ConfigDict(frozen=True)

    event_names: dict[str, str] = Field(default_factory=_default_names)
    revenue_mode: RevenueMode = RevenueMode.GROSS
    send_sandbox: bool = False

    @field_validator("event_names")
    @classmethod
    def _complete_and_valid(cls, names: dict[str, str]) -> dict[str, str]:
        merged = _default_names()
        for key, name in names.items():
            if key not in CATALOGUE:
                raise ValueError(
                    f"unknown Segment event type {key!r}; expected one of {', '.join(CATALOGUE)}"
                )
            name = name.strip()
            if not name and not CATALOGUE[key].optional:
                raise ValueError(
                    f"{key} is mandatory in RevenueCat's integration; its name cannot be blank"
                )
            merged[key] = name
        return merged

    def name_for(self, key: str) -> str:
        """The configured event name ('' when an optional type is switched off)."""
        return self.event_names[key]

    def with_names(self, overrides: dict[str, str]) -> IntegrationSettings:
        """A copy with some names changed, validated; raises EventInputError."""
        return settings_from(
            names={**self.event_names, **overrides},
            revenue_mode=self.revenue_mode,
            send_sandbox=self.send_sandbox,
        )


def settings_from(
    *,
    names: dict[str, str] | None = None,
    revenue_mode: str | RevenueMode = RevenueMode.GROSS,
    send_sandbox: bool = False,
) -> IntegrationSettings:
    """Build settings from user input, turning validation errors into one-line messages."""
    try:
        mode = RevenueMode(revenue_mode)
    except ValueError:
        raise EventInputError(
            "revenue",
            f"expected one of {', '.join(m.value for m in RevenueMode)}, got {revenue_mode!r}",
        ) from None
    for key, name in (names or {}).items():
        if key not in CATALOGUE:
            raise EventInputError(
                "event-name",
                f"unknown Segment event type {key!r}; expected one of {', '.join(CATALOGUE)}",
            )
        if not name.strip() and not CATALOGUE[key].optional:
            raise EventInputError(
                f"event-name {key}",
                "is mandatory in RevenueCat's integration and cannot be blank",
            )
    return IntegrationSettings(
        event_names=names or {}, revenue_mode=mode, send_sandbox=send_sandbox
    )
