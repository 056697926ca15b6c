"""What `send` writes: JSON lines on stdout, notes and a progress bar on stderr.

stdout carries only the per-request JSON lines (flushed one by one, so a pipe or a killed
run still has every finished request); everything for people goes to stderr.
"""

from __future__ import annotations

import time
from typing import TextIO

from app.core.terminal import json_text, safe_text
from app.delivery import ACCEPTED_NOTE, SendReport, SendResult

_BAR = 30


class Output:
    def __init__(self, out: TextIO, err: TextIO) -> None:
        self._out = out
        self._err = err
        self._tty = err.isatty()
        self._bar_shown = False
        self._drawn = 0.0
        # What the summary needs, kept as results stream by (not the results themselves).
        self._results = self._accepted = self._unaccepted = self._failed = 0
        self._first_failed: list[SendResult] = []

    def note(self, text: str) -> None:
        self._clear_bar()
        print(f"note: {safe_text(text)}", file=self._err)

    def skipped(self, source: str, reason: str) -> None:
        self._clear_bar()
        print(safe_text(f"skipped {source}: {reason}"), file=self._err)

    def result(self, result: SendResult) -> None:
        self._results += 1
        self._accepted += result.accepted
        if not (result.accepted or result.preview):
            self._unaccepted += 1
            if not (result.error and result.error.kind == "cancelled"):
                self._failed += 1
                if len(self._first_failed) < 5:
                    self._first_failed.append(result)
        line = result.to_cli_json()
        self._out.write(json_text(line) + "\n")
        self._out.flush()

    def progress(self, done: int, total: int) -> None:
        now = time.monotonic()
        if not self._tty or total < 20 or (done < total and now - self._drawn < 0.1):
            return  # a bar for sends of 20 requests or more, at most ~10 redraws a second
        self._drawn = now
        filled = _BAR * done // max(total, 1)
        bar = "#" * filled + "-" * (_BAR - filled)
        self._err.write(f"\r[{bar}] {done}/{total} requests")
        self._err.flush()
        self._bar_shown = True

    def _clear_bar(self) -> None:
        if self._bar_shown:
            self._err.write("\r" + " " * (_BAR + 30) + "\r")
            self._bar_shown = False

    @property
    def all_accepted(self) -> bool:
        """Every request written so far was accepted (or previewed)."""
        return self._unaccepted == 0

    def summary(self, report: SendReport) -> None:
        """The closing lines, from the results written (`report` says preview/cancelled)."""
        self._clear_bar()
        if report.preview:
            print(
                f"preview: {self._results} request(s) built, nothing sent (recorded in history)",
                file=self._err,
            )
            return
        if self._accepted:
            print(f"{self._accepted} of {self._results} request(s) {ACCEPTED_NOTE}", file=self._err)
        for result in self._first_failed:
            print(safe_text(f"failed: {result.url}: {result.summary}"), file=self._err)
        if self._failed > 5:
            print(f"… and {self._failed - 5} more failed request(s)", file=self._err)
        if report.cancelled:
            print(
                "interrupted: the request in flight may or may not have reached Segment; "
                "events not yet started were not sent",
                file=self._err,
            )
