# Two commands: `make run` and `make test`. Both build .venv on first use.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
export QT_API := pyside6

.PHONY: run test lint bench screenshots clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m app gui

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -X faulthandler -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check app tests
	$(VENV)/bin/ruff format --check app tests
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

# Benchmarks print figures and ratios against a baseline run alongside; not part of `test`.
bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	QT_QPA_PLATFORM=offscreen $(PY) tests/bench/bench_render.py
	QT_QPA_PLATFORM=offscreen $(PY) tests/bench/bench_delivery.py
	QT_QPA_PLATFORM=offscreen $(PY) tests/bench/bench_history.py
	QT_QPA_PLATFORM=offscreen $(PY) tests/bench/bench_startup.py
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
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
