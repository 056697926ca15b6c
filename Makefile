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

bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	QT_QPA_PLATFORM=offscreen $(PY) tests/bench/bench_render.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
