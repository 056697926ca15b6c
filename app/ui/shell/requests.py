"""The payload tabs' HTTP request and cURL text, from delivery's own request model, so a
preview shows the bytes a send would put on the wire."""

from __future__ import annotations

import json
from typing import Any

from app.delivery import builders
from app.delivery.target import TargetError
from app.state.window import WindowState
from app.ui.compose.payload_panel import RequestRenderer
from app.ui.send_queue import Sender


def request_renderer(sender: Sender, state: WindowState) -> RequestRenderer:
    """messages → (HTTP request preview, cURL), from delivery's own request model."""

    def render(messages: list[dict[str, Any]], reveal: bool = False) -> tuple[str, str]:
        try:
            target = state.connection.target()
        except TargetError as exc:
            raise ValueError(exc.problem) from None
        item = builders.messages_item(messages)
        job = builders.job([item], target, state.connection.write_key, preview=True)
        requests = [r for outcome in sender.plan(job) for r in outcome.requests]
        http = "\n\n".join(json.dumps(r.preview(), indent=2, ensure_ascii=False) for r in requests)
        # A command that runs as it is: the key from $SEGMENT_WRITE_KEY, or (asked for
        # on purpose) the key itself.
        curl = "\n\n".join(
            r.to_curl(reveal=reveal, key_from_env=True, multiline=True) for r in requests
        )
        return http, curl

    return render
