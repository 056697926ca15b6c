"""Input errors that name the field and the problem in one line."""


class EventInputError(ValueError):
    """Bad input from the user: one line naming the field and what is wrong with it.

    `field` is a dotted path such as ``event.event_timestamp_ms``; ``str(err)`` is the
    line the CLI prints and the GUI shows, so it must make sense on its own.
    """

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}" if field else problem)
