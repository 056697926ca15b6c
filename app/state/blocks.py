"""Why a send (or a preview) cannot start now: a code for programs, words for people.

Behaviour keys on the code (which button is enabled, whether a preview is still allowed),
never on the wording, so a message can be reworded without changing what the window does.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Block(StrEnum):
    BUSY = "busy"  # another send of this window is running
    NO_KEY = "no_key"
    BAD_KEY = "bad_key"
    BAD_TARGET = "bad_target"
    BAD_INPUT = "bad_input"  # a form field holds text that is not a value
    BAD_SETTINGS = "bad_settings"  # e.g. a mandatory event name left blank
    BAD_HAND_EDIT = "bad_hand_edit"  # the hand-edited JSON does not parse
    SKIPPED = "skipped"  # RevenueCat would not send this event
    NOTHING = "nothing"  # nothing rendered yet


#: Codes that still allow a preview: a preview needs no key, and a preview of a skipped
#: event records why nothing would be sent.
PREVIEW_ALLOWED = frozenset({Block.NO_KEY, Block.BAD_KEY, Block.SKIPPED})


@dataclass(frozen=True, slots=True)
class Blocker:
    code: Block
    words: str

    def __str__(self) -> str:
        return self.words
