"""The Capture tab's live feed as text: one row per call or webhook, and its detail.

Pure (no Qt): the window's table model shows `FeedRow`s and nothing else, so what a row
says (whose ids, which event, what went wrong) is decided and tested here. A row keeps
its item, for the detail view and the history row it names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.capture.items import CallItem, LiveItem, WebhookItem, WebhookOutcome

IDS = "userId · anonymousId"  # a webhook's app_user_id is the userId it gives Segment
COLUMNS = ("Time", "Source", "Type", IDS, "Event", "Result")

#: Ids / events listed in a cell before "+N more".
SHOWN = 3

#: What each webhook outcome says: in the Result column (short), in the detail, its tone.
_OUTCOMES: dict[WebhookOutcome, tuple[str, str, str]] = {
    WebhookOutcome.FORWARDED: ("forwarded", "forwarded to Segment", "ok"),
    WebhookOutcome.FAILED: ("forward failed", "forwarding to Segment failed", "error"),
    WebhookOutcome.RECORDED: ("recorded", "recorded, not forwarded (bridge off)", "ok"),
    WebhookOutcome.SKIPPED: ("skipped", "skipped (RevenueCat sends it nowhere)", "muted"),
    WebhookOutcome.DUPLICATE: ("duplicate", "a duplicate event.id, not forwarded again", "muted"),
    WebhookOutcome.INVALID: ("invalid", "not a RevenueCat event", "error"),
    WebhookOutcome.UNAUTHORIZED: ("wrong Authorization", "refused: wrong Authorization", "error"),
    WebhookOutcome.CANCELLED: ("cancelled", "cancelled: the server stopped", "warn"),
}


@dataclass(frozen=True, slots=True)
class FeedRow:
    item: LiveItem
    time: str
    source: str
    type: str
    ids: str
    event: str
    result: str
    tone: str  # ok, warn, error, muted (the colour of the Result cell)
    tooltip: str  # the whole reason or every flag, in words
    #: What the feed's filter looks in, case-folded: every cell's text, and every id and
    #: event of the item (the cells list the first few), its path, a webhook's event.id.
    search: str = ""

    def cells(self) -> tuple[str, str, str, str, str, str]:
        return (self.time, self.source, self.type, self.ids, self.event, self.result)

    def matches(self, text: str) -> bool:
        """Whether every word of `text` is in the row, whatever the case ("" matches;
        case-folded, so STRASSE finds Straße)."""
        return all(word in self.search for word in text.casefold().split())


def _search(*parts: object) -> str:
    return "\x1f".join(str(p) for p in parts if p).casefold()


def clock(at: datetime) -> str:
    """Local wall-clock time with milliseconds (calls arrive many a second)."""
    local = at.astimezone()
    return f"{local:%H:%M:%S}.{local.microsecond // 1000:03d}"


def listed(values: tuple[str, ...], shown: int = SHOWN) -> str:
    """ "a, b, c +2" — the first few, then how many more."""
    head = ", ".join(values[:shown])
    rest = len(values) - shown
    return f"{head} +{rest}" if rest > 0 else head


def call_ids(item: CallItem) -> str:
    """ "userIds · anonymousIds" — userIds first (what RevenueCat's ids must equal); a
    dash where a call has none of one kind; "" when it has neither."""
    if not item.user_ids and not item.anonymous_ids:
        return ""
    users = listed(item.user_ids) or "—"
    return f"{users} · {listed(item.anonymous_ids)}" if item.anonymous_ids else users


def row_for(item: LiveItem) -> FeedRow:
    if isinstance(item, WebhookItem):
        return _webhook_row(item)
    return _call_row(item)


def _call_row(item: CallItem) -> FeedRow:
    kind = f"{item.call} ({item.messages})" if item.messages > 1 else item.call
    if item.status != 200:
        result, tone = f"{item.status}: {item.error}", "error"
        tooltip = item.error
    elif item.flags:
        words = ", ".join(_flag_words(f.code.value) for f in item.flags)
        result, tone = f"200 ⚠ {words}", "warn"
        tooltip = "\n".join(f"⚠ {f.message}" for f in item.flags)
    else:
        result, tone, tooltip = "200", "ok", ""
    ids = call_ids(item) or ("(no ids)" if item.status == 200 else "")
    about = f"{item.path} · {item.messages} message(s)" + (f"\n{ids}" if ids else "")
    return FeedRow(
        item, clock(item.at), "segment", kind, ids, listed(item.events), result, tone,
        f"{tooltip}\n{about}" if tooltip else about,
        _search(clock(item.at), "segment", kind, ids, *item.user_ids, *item.anonymous_ids,
                *item.events, result, item.path, tooltip),
    )  # fmt: skip


def _flag_words(code: str) -> str:
    return {
        "unexpected_write_key": "wrong key",
        "no_write_key": "no key",
        "no_user": "no user id",
        "wrong_region": "wrong region",
    }.get(code, code)


def _webhook_row(item: WebhookItem) -> FeedRow:
    words, _, tone = _OUTCOMES.get(item.outcome, (item.outcome.value, "", "warn"))
    result = f"{item.status}: {words}" if item.status != 200 else words
    event = item.event_name or item.segment_event
    return FeedRow(
        item, clock(item.at), "revenuecat", item.type or "(unknown)",
        item.app_user_id, event, result, tone,
        item.reason or (f"event.id {item.event_id}" if item.event_id else ""),
        _search(clock(item.at), "revenuecat webhook /revenuecat", item.type or "(unknown)",
                item.app_user_id, event, item.segment_event, result, item.event_id,
                item.reason),
    )  # fmt: skip


def flags_text(item: LiveItem) -> str:
    """What the detail view says above the JSON: the flags or the reason, in words."""
    if isinstance(item, CallItem):
        if item.error:
            return f"Answered {item.status}: {item.error}"
        return "\n".join(f"⚠ {f.message}" for f in item.flags)
    words = _OUTCOMES.get(item.outcome, ("", item.outcome.value, ""))[1]
    return f"Webhook {words}" + (f": {item.reason}" if item.reason else "")
