"""Side-by-side diff of two JSON documents, with the fields that differ on every send
marked volatile so the real differences stand out.

Qt-free: the window's diff dialog only paints what this decides. Both sides are
pretty-printed with sorted keys (key order is not a difference), split into lines and
aligned with difflib; a changed block pairs its lines left to right, and the rest of the
longer side is "removed" or "added" opposite a blank. A line is volatile when the field
it holds is one Segment or the sender sets anew each time (`VOLATILE_FIELDS`). Lines
are matched without their trailing comma (adding a last key adds one to the line before).
"""

from __future__ import annotations

import contextlib
import difflib
import json
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from app.delivery.builders import request_messages

#: Fields that differ between two sends of the same event without meaning anything:
#: messageId (fresh per send, so Segment does not dedupe), sentAt (the attempt's clock),
#: timestamp / originalTimestamp / receivedAt (when it happened, was sent, arrived),
#: and requestId / request_id (what a server may echo).
VOLATILE_FIELDS = frozenset(
    {"messageId", "sentAt", "timestamp", "originalTimestamp", "receivedAt", "requestId",
     "request_id"}
)  # fmt: skip

_KEY = re.compile(r'^\s*"((?:[^"\\]|\\.)*)"\s*:')


class Change(StrEnum):
    SAME = "same"
    CHANGED = "changed"  # both sides have a line here, and they differ
    REMOVED = "removed"  # only the left side has it
    ADDED = "added"  # only the right side has it


@dataclass(frozen=True, slots=True)
class DiffLine:
    left: str | None
    right: str | None
    change: Change
    volatile: bool

    @property
    def real(self) -> bool:
        """A difference worth a look: changed, and not a volatile field."""
        return self.change is not Change.SAME and not self.volatile


@dataclass(frozen=True, slots=True)
class Diff:
    lines: list[DiffLine]

    @property
    def real_lines(self) -> list[int]:
        return [i for i, line in enumerate(self.lines) if line.real]

    @property
    def hunks(self) -> list[int]:
        """The first line of each run of real differences (for next/previous)."""
        real = self.real_lines
        return [i for n, i in enumerate(real) if n == 0 or real[n - 1] != i - 1]

    @property
    def volatile_changes(self) -> int:
        return sum(1 for line in self.lines if line.volatile and line.change is not Change.SAME)

    @property
    def identical(self) -> bool:
        return not self.real_lines

    def side(self, left: bool) -> str:
        """One side's text, a blank line opposite each line only the other side has."""
        return "\n".join((line.left if left else line.right) or "" for line in self.lines)

    def summary(self) -> str:
        real, volatile = len(self.real_lines), self.volatile_changes
        text = (
            "no real difference" if not real
            else f"{real} line(s) differ in {len(self.hunks)} place(s)"
        )  # fmt: skip
        if volatile:
            text += f"; {volatile} volatile line(s) dimmed ({', '.join(self.volatile_names())})"
        return text

    def volatile_names(self) -> list[str]:
        names = {field_of(line.left or line.right or "") for line in self.lines
                 if line.volatile and line.change is not Change.SAME}  # fmt: skip
        return sorted(n for n in names if n)


def field_of(line: str) -> str:
    """The key a pretty-printed JSON line holds ("" when it holds none)."""
    match = _KEY.match(line)
    return match.group(1) if match else ""


def pretty(value: Any) -> list[str]:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False).splitlines()


def diff_lines(left: list[str], right: list[str]) -> Diff:
    """Align two line lists: each output line is one row of the side-by-side view."""
    out: list[DiffLine] = []

    def add(a: str | None, b: str | None, change: Change) -> None:
        volatile = any(field_of(s) in VOLATILE_FIELDS for s in (a, b) if s is not None)
        out.append(DiffLine(a, b, change, volatile))

    # A trailing comma comes and goes with the next line: it is no difference itself.
    matcher = difflib.SequenceMatcher(
        None, [s.rstrip(",") for s in left], [s.rstrip(",") for s in right], autojunk=False
    )
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for a, b in zip(left[i1:i2], right[j1:j2], strict=True):
                add(a, b, Change.SAME)
            continue
        paired = min(i2 - i1, j2 - j1)
        for k in range(paired):
            add(left[i1 + k], right[j1 + k], Change.CHANGED)
        for a in left[i1 + paired : i2]:
            add(a, None, Change.REMOVED)
        for b in right[j1 + paired : j2]:
            add(None, b, Change.ADDED)
    return Diff(out)


def diff_json(left: Any, right: Any) -> Diff:
    return diff_lines(pretty(left), pretty(right))


def payload_of(row: dict[str, Any]) -> list[Any]:
    """The messages a history row's JSON carried, each once (as re-send reads them), or
    a captured call's input."""
    messages: list[Any] = request_messages(row.get("requests") or [])
    if not messages and row.get("input") is not None and row.get("mode") in ("captured", "webhook"):
        data = row["input"]
        batch = data.get("batch") if isinstance(data, dict) else None
        messages.extend(batch if isinstance(batch, list) else [data])
    return messages


def responses_of(row: dict[str, Any]) -> list[Any]:
    """Each response's status and body (parsed when it is JSON); the error when one."""
    found = []
    for response in row.get("responses") or []:
        if not isinstance(response, dict):
            continue
        body = response.get("body")
        if isinstance(body, str):
            with contextlib.suppress(ValueError):
                body = json.loads(body)
        item: dict[str, Any] = {"status": response.get("status"), "body": body}
        if response.get("error"):
            item["error"] = response["error"]
        found.append(item)
    return found
