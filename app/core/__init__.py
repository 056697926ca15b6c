"""The pure domain: RevenueCat events in, Segment messages out.

Nothing in this package imports Qt, httpx or sqlite3 (a test enforces it), so the CLI,
the desktop app and the tests all share exactly the same rules.
"""

from app.core.catalogue import CATALOGUE, EventSpec, Store, event_spec
from app.core.errors import EventInputError
from app.core.model import RevenueCatEvent, parse_event
from app.core.render import Notice, Renderer, RenderResult
from app.core.settings import IntegrationSettings, RevenueMode

__all__ = [
    "CATALOGUE",
    "EventInputError",
    "EventSpec",
    "IntegrationSettings",
    "Notice",
    "RenderResult",
    "Renderer",
    "RevenueCatEvent",
    "RevenueMode",
    "Store",
    "event_spec",
    "parse_event",
]
