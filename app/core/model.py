"""A RevenueCat webhook event, validated field by field (the engine's only input).

RevenueCat adds webhook fields over time, so unknown fields are kept, not rejected; the
fields the engine reads are checked strictly, and a wrong type is reported with the
field's dotted path and what was expected, e.g.
``event.event_timestamp_ms: expected an integer (ms since epoch), got "yesterday"``.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from app.core.errors import EventInputError

Environment = Literal["PRODUCTION", "SANDBOX"]

# Epoch milliseconds from 1970 up to the end of year 9999, the range ISO-8601 can show.
MAX_MS = 253_402_300_799_999


def _ms(*, required: bool = False) -> Any:
    return Field(... if required else None, ge=0, le=MAX_MS)


#: Webhook types RevenueCat turns into a Segment event (docs/revenuecat.md,
#: "Webhook type to Segment event type").
SENT_TYPE_ORDER = (
    "INITIAL_PURCHASE",
    "RENEWAL",
    "CANCELLATION",
    "UNCANCELLATION",
    "NON_RENEWING_PURCHASE",
    "SUBSCRIPTION_PAUSED",
    "EXPIRATION",
    "BILLING_ISSUE",
    "PRODUCT_CHANGE",
)
SENT_TYPES = frozenset(SENT_TYPE_ORDER)


class RevenueCatEvent(BaseModel):
    """The `event` object of a RevenueCat webhook, with the fields the engine uses."""

    model_config = ConfigDict(extra="allow", strict=True, frozen=True)

    type: str
    id: str | None = None
    app_id: str | None = None
    event_timestamp_ms: int = _ms(required=True)
    app_user_id: str | None = None
    original_app_user_id: str | None = None
    aliases: list[str] | None = None
    product_id: str | None = None
    new_product_id: str | None = None
    entitlement_id: str | None = None
    entitlement_ids: list[str] | None = None
    period_type: str | None = None
    purchased_at_ms: int | None = _ms()
    expiration_at_ms: int | None = _ms()
    grace_period_expiration_at_ms: int | None = _ms()
    auto_resume_at_ms: int | None = _ms()
    environment: Environment | None = None
    presented_offering_id: str | None = None
    transaction_id: str | None = None
    original_transaction_id: str | None = None
    store: str | None = None
    is_trial_conversion: bool | None = None
    cancel_reason: str | None = None
    expiration_reason: str | None = None
    currency: str | None = None
    # NaN/Infinity parse as JSON numbers in Python but are not numbers Segment accepts.
    price: float | None = Field(default=None, allow_inf_nan=False)
    price_in_purchased_currency: float | None = Field(default=None, allow_inf_nan=False)
    tax_percentage: float | None = Field(default=None, ge=0, le=1)
    commission_percentage: float | None = Field(default=None, ge=0, le=1)
    takehome_percentage: float | None = Field(default=None, ge=0, le=1)
    subscriber_attributes: dict[str, dict[str, Any]] | None = None

    @field_validator("subscriber_attributes")
    @classmethod
    def _attributes_have_values(
        cls, value: dict[str, dict[str, Any]] | None
    ) -> dict[str, dict[str, Any]] | None:
        for name, attribute in (value or {}).items():
            if "value" not in attribute:
                raise ValueError(f'attribute {name!r} has no "value"')
        return value

    @model_validator(mode="after")
    def _sendable_has_user(self) -> RevenueCatEvent:
        # Only checked for types that become Segment messages: a TRANSFER has no user.
        if self.type in SENT_TYPES:
            if self.app_user_id is None:
                raise ValueError("app_user_id|is required: RevenueCat sends it as the userId")
            if not self.app_user_id:  # Segment needs a userId; "" is no user at all
                raise ValueError("app_user_id|is empty: RevenueCat sends it as the userId")
            if self.environment is None:
                raise ValueError('environment|is required ("PRODUCTION" or "SANDBOX")')
        return self

    def flat_attributes(self) -> dict[str, Any] | None:
        """`{name: value}`, as Segment receives subscriber attributes
        (docs/revenuecat.md, "The track call")."""
        if self.subscriber_attributes is None:
            return None
        return {name: attr["value"] for name, attr in self.subscriber_attributes.items()}


# What each field should have been, in words a user understands.
_EXPECTED_BY_SUFFIX = (
    ("_ms", "an integer (ms since epoch)"),
    ("_percentage", "a number between 0 and 1"),
)
_EXPECTED_BY_TYPE = {
    "int_type": "an integer",
    "int_parsing": "an integer",
    "float_type": "a number",
    "float_parsing": "a number",
    "finite_number": "a finite number",
    "string_type": "a string",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "an object",
    "literal_error": '"PRODUCTION" or "SANDBOX"',
    "greater_than_equal": "a number between 0 and 1",
    "less_than_equal": "a number between 0 and 1",
}


def _describe(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "…"


def _field_error(error: dict[str, Any]) -> EventInputError:
    loc = [str(part) for part in error["loc"]]
    field = ".".join(["event", *loc])
    kind = error["type"]
    if kind == "missing":
        return EventInputError(field, "is required")
    if kind == "value_error":
        message = str(error["ctx"]["error"])
        if not loc and "|" in message:  # a model-level check names its own field
            name, message = message.split("|", 1)
            return EventInputError(f"event.{name}", message)
        return EventInputError(field, message)
    top = loc[0] if loc else ""
    expected = _EXPECTED_BY_TYPE.get(kind, "a valid value")
    for suffix, words in _EXPECTED_BY_SUFFIX:
        if top.endswith(suffix) and len(loc) == 1:
            expected = words
    if top.endswith("_ms") and kind in {"greater_than_equal", "less_than_equal"}:
        expected = "ms since epoch between 1970 and 9999"
    if top in {"aliases", "entitlement_ids"} and kind != "list_type":
        expected = "a string"
    if top == "subscriber_attributes" and len(loc) == 2:
        expected = 'an object like {"value": "…", "updated_at_ms": 0}'
    return EventInputError(field, f"expected {expected}, got {_describe(error['input'])}")


def parse_event(data: Any) -> RevenueCatEvent:
    """Accept a full webhook body (`{"api_version", "event"}`) or a bare event.

    Raises EventInputError naming the first bad field.
    """
    if isinstance(data, dict) and "event" in data and "type" not in data:
        data = data["event"]  # a webhook body; a bare event has a "type" of its own
    if not isinstance(data, dict):
        raise EventInputError(
            "event", f"expected a JSON object (a RevenueCat webhook), got {_describe(data)}"
        )
    try:
        return RevenueCatEvent.model_validate(data)
    except ValidationError as exc:
        raise _field_error(dict(exc.errors()[0])) from None
