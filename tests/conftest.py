"""Lets the suite run where Qt is not installed (`make test-noqt`).

pyproject.toml configures pytest-qt (`qt_api`, `qt_log_level_fail`, `qt_log_ignore`) and
runs pytest with `--strict-config`, so without pytest-qt those keys would be unknown and
the run would stop before collecting a test. Here they are declared, doing nothing, when
pytest-qt is missing (never otherwise: pytest-qt declares them itself). tests/ui needs Qt
throughout and is not collected without PySide6; a Qt test elsewhere skips on its own
with `pytest.importorskip("PySide6")`.

Hypothesis runs under the profile named by $HYPOTHESIS_PROFILE: "suite" by default (100
examples a property, Hypothesis's own default, and no per-example deadline: the suite
makes no wall-clock assertions), "thorough" for a deeper run (1,000 examples a property).
A test sets `max_examples` itself only to run fewer (each of its examples is costly).
"""

from __future__ import annotations

import gc
import os
from importlib.util import find_spec

import pytest
from hypothesis import settings

settings.register_profile("suite", max_examples=100, deadline=None)
settings.register_profile("thorough", max_examples=1_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))

HAS_PYTEST_QT = find_spec("pytestqt") is not None
HAS_PYSIDE6 = find_spec("PySide6") is not None

collect_ignore = [] if HAS_PYSIDE6 else ["ui"]


def pytest_addoption(parser: pytest.Parser) -> None:
    if not HAS_PYTEST_QT:
        parser.addini("qt_api", "pytest-qt's, unused here: pytest-qt is not installed")
        parser.addini("qt_log_level_fail", "pytest-qt's, unused here")
        parser.addini("qt_log_ignore", "pytest-qt's, unused here", type="linelist")


def pytest_collection_finish(session: pytest.Session) -> None:
    """What collection imported (the app, Qt, hypothesis …) lives as long as the session:
    move it to the garbage collector's permanent generation, so that each full collection
    (tests/support/qt.destroy runs one per window) walks only what the tests made."""
    gc.collect()
    gc.freeze()
