"""Planning a send a block at a time gives the very requests planning it all at once
does (same messages, same /batch packing, same events per request), whatever the block
boundaries; a request goes out only once every event it carries has all its requests."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.model import parse_event
from app.core.render import Renderer
from app.core.settings import IntegrationSettings
from app.delivery import DeliveryOptions, SendItem, SendJob, SendService
from app.delivery.streaming import StreamPlanner
from app.delivery.target import custom_target
from tests.support.webhooks import KEY, make_events

NOW = datetime(2026, 5, 1, tzinfo=UTC)


def _items(n: int, pad: int) -> list[SendItem]:
    renderer = Renderer(clock=lambda: NOW)
    return [
        SendItem(renderer.render(parse_event(body), IntegrationSettings()), body, f"line {i}")
        for i, body in enumerate(make_events(n, pad=pad), start=1)
    ]


def _ids() -> object:
    counter = itertools.count()
    return lambda: f"id-{next(counter):08d}"


def _shape(units: list) -> list[tuple[str, list[str], list[str]]]:
    return [(r.endpoint, r.message_ids, [o.item.source for o in owners]) for r, owners in units]


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=60),
    pad=st.sampled_from([0, 3_000, 15_000]),
    cuts=st.lists(st.integers(min_value=1, max_value=60), max_size=8),
    batch=st.booleans(),
)
def test_blocks_plan_like_the_whole_job(n: int, pad: int, cuts: list[int], batch: bool) -> None:
    items = _items(n, pad)
    job = SendJob(items, custom_target("http://127.0.0.1:9"), KEY, DeliveryOptions(batch=batch))
    whole = SendService(new_id=_ids(), clock=lambda: NOW).plan(job)
    expected = _shape(
        list({id(r): (r, [o for o in whole if r in o.requests]) for o in whole
              for r in o.requests}.values())
    )  # fmt: skip

    planner = StreamPlanner(job, _ids(), lambda: NOW)
    units, bounds = [], sorted({c for c in cuts if c < n} | {0, n})
    for start, end in itertools.pairwise(bounds):
        _, ready = planner.add(items[start:end])
        for _request, owners in ready:  # every event it carries is completely planned
            for o in owners:
                assert o.messages[-1]["messageId"] in o.requests[-1].message_ids
        units.extend(ready)
    units.extend(planner.finish())
    assert _shape(units) == expected
