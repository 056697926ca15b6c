"""PySide6's per-import source scan, answered without reading the sources.

PySide6 replaces `__import__` and, after every import, reads the new module's source
(inspect.getsource) to learn whether it mentions PySide6 and so may opt into
`from __feature__ import snake_case, true_property`. The window imports over 500 modules
after PySide6, which made this one of the largest costs of a start.
"""

from __future__ import annotations

import sys


def skip_feature_scan() -> None:
    """Answer the scan from the module's name (~100 ms of CPU per start measured here,
    see docs/qt-notes.md): the app's windows use PySide6 and opt into no
    feature (a test holds it), a module outside the Qt packages does not use PySide6.
    PySide6's own modules and qasync are still read. A PySide6 without this hook is left
    alone."""
    feature = sys.modules.get("PySide6.support.feature")
    reads = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or reads is None or getattr(reads, "skips", False):
        return

    def uses_pyside(module: object) -> bool:
        name = str(getattr(module, "__name__", ""))
        if name.startswith("app.ui"):
            return True
        return name.startswith(("PySide6", "qasync")) and bool(reads(module))

    uses_pyside.skips = True  # type: ignore[attr-defined]
    setattr(feature, "_mod_uses_pyside", uses_pyside)  # noqa: B010 (a module of PySide6)
