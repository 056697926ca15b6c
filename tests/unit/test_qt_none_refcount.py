"""Guard against PySide6 6.12.0's `none_dealloc` bug on CPython 3.11
(docs/qt-notes.md, "PySide6 6.12.0 on CPython 3.11").

That release drops one reference to None on every wrapped Qt method returning None; a
few thousand calls later the interpreter aborts. Python ≥ 3.12 has an immortal None, so
the check only means something on 3.11, where the app must stay on PySide6 < 6.12.
"""

from __future__ import annotations

import os
import sys

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal on 3.12+")
def test_none_returning_qt_calls_keep_none_alive() -> None:
    pytest.importorskip("PySide6")
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication.instance() or QApplication([])
    assert app is not None
    label = QLabel()
    before = sys.getrefcount(None)
    for i in range(10_000):
        label.setText(str(i % 10))
    after = sys.getrefcount(None)
    assert after >= before - 50, f"None refcount fell from {before} to {after}"
