# Two commands matter: `make demo` (set up, then forecast the bundled Korea case) and
# `make test` (set up, then run the whole test suite with pytest). Both create .venv first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: demo test lint bench setup

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

setup: $(VENV)/.installed

demo: setup
	$(VENV)/bin/detente forecast examples/korea-2018.yaml

test: setup
	$(PY) -m pytest -n auto

lint: setup
	$(VENV)/bin/ruff check detente tests benchmarks
	$(VENV)/bin/mypy detente

bench: setup
	$(PY) benchmarks/run_all.py
