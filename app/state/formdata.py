"""The RevenueCat event form as plain data: which fields, and form text ⇄ event dict.

No Qt here on purpose: the widgets only show strings and hand strings back, and this
module decides what they mean, so a unit test can check every conversion (times, lists,
percentages, subscriber attributes) without a QApplication. It does not import pydantic
either, so the form can be laid out before the engine is loaded.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from app.core import strict_json
from app.core.mapping import WEBHOOK_TYPES  # re-exported: the form's type choices

STORES = (
    "APP_STORE",
    "MAC_APP_STORE",
    "PLAY_STORE",
    "AMAZON",
    "STRIPE",
    "PROMOTIONAL",
    "RC_BILLING",
    "PADDLE",
    "ROKU",
)
ENVIRONMENTS = ("PRODUCTION", "SANDBOX")
PERIOD_TYPES = ("NORMAL", "TRIAL", "INTRO", "PROMOTIONAL", "PREPAID")
CANCEL_REASONS = (
    "",
    "UNSUBSCRIBE",
    "BILLING_ERROR",
    "DEVELOPER_INITIATED",
    "PRICE_INCREASE",
    "CUSTOMER_SUPPORT",
    "UNKNOWN",
)
EXPIRATION_REASONS = (*CANCEL_REASONS, "SUBSCRIPTION_PAUSED")


class FormError(ValueError):
    """A form field holds text that is not a valid value; names the field."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        super().__init__(f"{field}: {problem}")


@dataclass(frozen=True, slots=True)
class Field:
    """One form row. `kind`: text, choice (editable combo), list, number, percent, time,
    bool. `choices` for choice fields; `tip` becomes the tooltip."""

    name: str
    label: str
    kind: str
    tip: str
    choices: tuple[str, ...] = ()


FIELDS: tuple[Field, ...] = (
    Field(
        "type",
        "Webhook type",
        "choice",
        "RevenueCat's webhook type; with period type and trial conversion it decides "
        "the Segment event",
        WEBHOOK_TYPES,
    ),
    Field("app_user_id", "App user ID", "text", "Becomes the Segment userId"),
    Field(
        "original_app_user_id",
        "Original app user ID",
        "text",
        "The first app user id RevenueCat saw for this customer",
    ),
    Field("aliases", "Aliases", "list", "Comma-separated app user ids of this customer"),
    Field("store", "Store", "choice", "Where the purchase happened", STORES),
    Field(
        "environment",
        "Environment",
        "choice",
        'SANDBOX events are sent only when "send sandbox events" is on',
        ENVIRONMENTS,
    ),
    Field("product_id", "Product", "text", "Store product identifier"),
    Field("entitlement_ids", "Entitlements", "list", "Comma-separated entitlement ids"),
    Field(
        "period_type",
        "Period type",
        "choice",
        "TRIAL turns a purchase into Trial Started, a cancellation into Trial Cancelled",
        PERIOD_TYPES,
    ),
    Field(
        "is_trial_conversion",
        "Trial conversion",
        "bool",
        "A RENEWAL that converts a trial becomes Trial Converted",
    ),
    Field("price", "Price (USD)", "number", "USD price; 0 for trials, negative for refunds"),
    Field("tax_percentage", "Tax", "percent", "Fraction 0–1 (0.0833 = 8.33 %)"),
    Field(
        "commission_percentage",
        "Commission",
        "percent",
        "Store commission, fraction 0–1 (0.3 = 30 %)",
    ),
    Field("purchased_at_ms", "Purchased at", "time", "UTC, ISO-8601; blank = null"),
    Field("expiration_at_ms", "Expires at", "time", "UTC, ISO-8601; blank = null"),
    Field("event_timestamp_ms", "Event time", "time", "UTC, ISO-8601; becomes the timestamp"),
    Field(
        "cancel_reason",
        "Cancel reason",
        "choice",
        "CUSTOMER_SUPPORT with a negative price is a refund",
        CANCEL_REASONS,
    ),
    Field(
        "expiration_reason", "Expiration reason", "choice", "Why access ended", EXPIRATION_REASONS
    ),
    Field("new_product_id", "New product", "text", "Product Change: the product switched to"),
    Field(
        "grace_period_expiration_at_ms",
        "Grace period ends",
        "time",
        "Billing Issue: end of the grace period (UTC)",
    ),
    Field(
        "auto_resume_at_ms",
        "Auto-resumes at",
        "time",
        "Subscription Paused: when it resumes (UTC; blank = indefinite)",
    ),
    Field("presented_offering_id", "Presented offering", "text", "Offering shown on the paywall"),
    Field("transaction_id", "Transaction ID", "text", "Store transaction id"),
    Field(
        "original_transaction_id",
        "Original transaction ID",
        "text",
        "First transaction of the subscription",
    ),
)

FIELDS_BY_NAME = {f.name: f for f in FIELDS}


def ms_to_text(ms: Any) -> str:
    """Epoch ms → ``2026-01-15T12:00:00.000Z`` ('' for null) — readable and exact."""
    if ms is None or isinstance(ms, bool) or not isinstance(ms, int):
        return "" if ms is None else str(ms)
    moment = datetime.fromtimestamp(ms / 1000, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def text_to_ms(field: str, text: str) -> int | None:
    """ISO-8601 (``Z`` or offset; date alone is midnight UTC) or raw epoch ms → ms."""
    text = text.strip()
    if not text:
        return None
    if text.lstrip("-").isdigit():
        return int(text)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T"))
    except ValueError:
        raise FormError(
            field, f"expected a UTC time like 2026-01-15T12:00:00Z, got {text!r}"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return round(moment.timestamp() * 1000)


def _number_text(value: Any) -> str:
    if value is None:
        return ""
    return repr(value) if isinstance(value, float) else str(value)


def field_text(field: Field, event: dict[str, Any]) -> str:
    """What the widget for `field` shows for this event."""
    value = event.get(field.name)
    if field.kind == "time":
        return ms_to_text(value)
    if field.kind == "list":
        return ", ".join(str(v) for v in value) if isinstance(value, list) else ""
    if field.kind in {"number", "percent"}:
        return _number_text(value)
    if field.kind == "bool":
        return "true" if value else "false"
    return "" if value is None else str(value)


def form_values(event: dict[str, Any]) -> dict[str, str]:
    """Every form field's text for an event dict."""
    return {f.name: field_text(f, event) for f in FIELDS}


def _parse(field: Field, text: str) -> Any:
    text = text.strip()
    if field.kind == "time":
        return text_to_ms(field.name, text)
    if field.kind == "list":
        items = [item.strip() for item in text.split(",") if item.strip()]
        return items or None
    if field.kind in {"number", "percent"}:
        if not text:
            return None
        try:
            number = float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
        except ValueError:
            raise FormError(field.name, f"expected a number, got {text!r}") from None
        if not math.isfinite(number):  # float() takes "nan" and "inf"; JSON has neither
            raise FormError(field.name, f"expected a number, got {text!r}")
        if field.kind == "percent" and not 0 <= number <= 1:
            raise FormError(field.name, f"expected a fraction between 0 and 1, got {text}")
        return number
    if field.kind == "bool":
        return text == "true"
    return text or None


def attributes_rows(event: dict[str, Any]) -> list[tuple[str, str]]:
    """Subscriber attributes as (name, value) rows; non-string values shown as JSON."""
    rows = []
    for name, attribute in (event.get("subscriber_attributes") or {}).items():
        value = attribute.get("value") if isinstance(attribute, dict) else attribute
        rows.append((name, value if isinstance(value, str) else json.dumps(value)))
    return rows


def attributes_from_rows(
    rows: list[tuple[str, str]], previous: dict[str, Any] | None, now_ms: int
) -> dict[str, dict[str, Any]] | None:
    """Rows → the webhook's nested form; an unchanged attribute keeps its updated_at_ms."""
    result: dict[str, dict[str, Any]] = {}
    for name, value in rows:
        name = name.strip()
        if not name:
            continue
        old = (previous or {}).get(name)
        if isinstance(old, dict) and old.get("value") == value and "updated_at_ms" in old:
            result[name] = dict(old)
        else:
            result[name] = {"value": value, "updated_at_ms": now_ms}
    return result or None


def event_from_form(
    values: dict[str, str],
    rows: list[tuple[str, str]],
    base: dict[str, Any],
    now_ms: int,
) -> dict[str, Any]:
    """The event dict the form describes. Fields the form does not show (id, country
    code, offer code, …) are kept from `base`, so an imported webhook round-trips."""
    event = dict(base)
    for name, text in values.items():
        field = FIELDS_BY_NAME[name]
        value = _parse(field, text)
        if field.kind == "bool" and not value and name not in base:
            continue  # an unticked box adds nothing the source did not have
        if value is None and name not in base and field.kind in {"choice", "text", "time"}:
            continue  # do not add an explicit null the source never had
        event[name] = value
    event["subscriber_attributes"] = attributes_from_rows(
        rows, base.get("subscriber_attributes"), now_ms
    )
    return event


def parse_webhook_text(text: str) -> dict[str, Any]:
    """Pasted or loaded webhook JSON → the bare event dict; raises FormError with the
    line and column of a JSON mistake."""
    try:
        data = strict_json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormError("JSON", f"line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    if isinstance(data, dict) and isinstance(data.get("event"), dict):
        data = data["event"]
    if not isinstance(data, dict):
        raise FormError("JSON", "expected a RevenueCat webhook object")
    return data


def json_error(text: str) -> str | None:
    """None when `text` is a JSON object, else "line L, column C: problem"."""
    try:
        data = strict_json.loads(text)
    except json.JSONDecodeError as exc:
        return f"line {exc.lineno}, column {exc.colno}: {exc.msg}"
    if not isinstance(data, dict):
        return "line 1, column 1: expected a JSON object"
    return None


def json_error_line(text: str) -> int | None:
    """The 1-based line of the first JSON mistake in `text`, None when it is an object."""
    try:
        data = strict_json.loads(text)
    except json.JSONDecodeError as exc:
        return exc.lineno
    return None if isinstance(data, dict) else 1


def check_write_key(key: str) -> tuple[str | None, str | None]:
    """(error, warning) for a write key as typed. Errors block sending; the warning is
    advice (Segment write keys are 32 letters and digits, but Segment does not publish a
    format, so an unusual key is allowed)."""
    if not key:
        return "enter a write key to send (preview works without one)", None
    if any(ch.isspace() for ch in key):
        return "the write key contains whitespace (a copy-paste slip?)", None
    if not key.isalnum() or not 20 <= len(key) <= 64:
        return None, "this does not look like a Segment write key (usually 32 letters/digits)"
    return None, None
