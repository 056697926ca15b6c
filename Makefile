# Two commands: `make run` and `make test`. Both build .venv on first use.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# A second venv without PySide6 (or qasync, pytest-qt): `make test-noqt` proves the
# engine, delivery, storage and CLI install and pass their tests without Qt.
NOQT       := .venv-noqt
NOQT_PY    := $(NOQT)/bin/python
NOQT_STAMP := $(NOQT)/.installed
QT_PACKAGES := pyside6-essentials qasync pytest-qt
# Test processes for pytest-xdist: one more than this machine's 2 cores, since many tests
# spend part of their time waiting on a child process or a socket (measured: 35–37 s with
# 3, 38–42 s with 2, 39–40 s with 4). worksteal: each process starts on its share of the
# tests in order and takes over part of another's queue when it runs dry, so none sits
# idle at the end behind a few long tests (the GUI and signal processes).
JOBS ?= 3
DIST ?= worksteal
export QT_API := pyside6

.PHONY: run test test-noqt lint contracts bench screenshots clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m compileall -q app  # as pip does for what it installs; editable code it leaves
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m app gui

# Byte-code caches (and pytest's of the rewritten test modules) are written as Python does
# by default, even where PYTHONDONTWRITEBYTECODE is set: without them each xdist worker and
# each `python -m app` a test starts compiles everything again (seconds per run).
test test-noqt: export PYTHONDONTWRITEBYTECODE :=

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -X faulthandler -m pytest -q -n $(JOBS) --dist $(DIST)

# The project with --no-deps, then its dependencies and the `test` extra as pyproject.toml
# lists them, less the Qt ones; fails if PySide6 is importable all the same.
$(NOQT_STAMP): pyproject.toml
	test -x $(NOQT_PY) || $(PYTHON) -m venv $(NOQT)
	$(NOQT_PY) -m pip install --quiet --upgrade pip
	$(NOQT_PY) -c 'import re, sys, tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; \
		print(*(d for d in p["dependencies"] + p["optional-dependencies"]["test"] \
		        if re.match(r"[\w.-]+", d)[0].lower() not in sys.argv[1:]), sep="\n")' \
		$(QT_PACKAGES) > $(NOQT)/requirements.txt
	$(NOQT_PY) -m pip install --quiet -r $(NOQT)/requirements.txt
	$(NOQT_PY) -m pip install --quiet --no-deps -e .
	! $(NOQT_PY) -c 'import PySide6' 2>/dev/null
	touch $(NOQT_STAMP)

# Unit and CLI tests without Qt: what needs Qt skips (tests/conftest.py).
test-noqt: $(NOQT_STAMP)
	$(NOQT_PY) -X faulthandler -m pytest -q -n $(JOBS) --dist $(DIST) tests/unit tests/e2e

lint: $(STAMP)
	$(VENV)/bin/ruff check app tests
	$(VENV)/bin/ruff format --check app tests
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

# The import contracts (layers, Qt only in app.ui, independent window features), as CI runs them.
contracts: $(STAMP)
	$(VENV)/bin/lint-imports

# Benchmarks print figures and ratios against a baseline run alongside; not part of `test`.
bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	QT_QPA_PLATFORM=offscreen $(PY) tests/bench/bench_render.py
	QT_QPA_PLATFORM=offscreen $(PY) tests/bench/bench_delivery.py
	QT_QPA_PLATFORM=offscreen $(PY) tests/bench/bench_history.py
	QT_QPA_PLATFORM=offscreen $(PY) tests/bench/bench_scale.py
	QT_QPA_PLATFORM=offscreen $(PY) tests/bench/bench_startup.py
	QT_QPA_PLATFORM=offscreen $(PY) tests/bench/bench_window.py
	$(PY) tests/bench/bench_capture.py

# README screenshots, made by the app itself (`gui --smoke --screenshot`), offscreen on a
# 1366×768 laptop screen, from throwaway data dirs: the default window, then one with a
# history of previews, then presentation mode.
SCREEN := offscreen:configfile=resources/screens/laptop-1366x768.json
screenshots: $(STAMP)
	set -e; tmp=$$(mktemp -d); mkdir -p resources/screenshots; \
	QT_QPA_PLATFORM=$(SCREEN) $(PY) -m app gui --data-dir $$tmp/main --smoke \
		--screenshot resources/screenshots/main.png; \
	$(PY) -m app send sample_events/*.revenuecat.json --preview --region us \
		--data-dir $$tmp/history >/dev/null 2>&1; \
	printf '[last]\nevent_type=billing_issue\n' > $$tmp/history/ui.ini; \
	QT_QPA_PLATFORM=$(SCREEN) $(PY) -m app gui --data-dir $$tmp/history --smoke \
		--screenshot resources/screenshots/history.png; \
	QT_QPA_PLATFORM=$(SCREEN) $(PY) -m app gui --data-dir $$tmp/presentation --smoke \
		--presentation --screenshot resources/screenshots/presentation.png; \
	rm -rf $$tmp

clean:
	rm -rf $(VENV) $(NOQT) .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
