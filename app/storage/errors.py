"""The one error type storage raises for problems a user can act on."""


class StorageError(Exception):
    """A storage problem explained in one line (bad file, newer schema, unknown profile).

    `str(err)` is what the CLI prints after "error: " and what the GUI shows.
    """
