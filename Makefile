# Two commands matter: `make demo` (set up, then forecast the bundled Korea case) and
# `make test` (set up, then run the whole test suite with pytest). Both create .venv first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: demo test lint bench setup fuzz

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

# The web app's browser assets (grid, charts) come from npm, pinned by package-lock.json.
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the web app's browser assets (Debian: apt-get install npm)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed node_modules/.package-lock.json

demo: setup
	$(VENV)/bin/detente forecast examples/korea-2018.yaml
	@echo
	@echo "Build, edit, run and compare scenarios in the browser: $(VENV)/bin/detente serve"
	@echo "(then open http://127.0.0.1:8000/ and click 'Korea 2017–18')"

test: setup
	$(PY) -m pytest -n auto

lint: setup
	$(VENV)/bin/ruff check detente tests benchmarks
	$(VENV)/bin/mypy detente

bench: setup
	$(PY) benchmarks/run_all.py

# The long fuzzing run: 10,000 mutated files through the command line; figures in
# fuzz-report.json (README, "Bad input and fuzzing"). About 30 minutes on two cores.
fuzz: setup
	DETENTE_FUZZ=long $(PY) -m pytest -p no:xdist -q -s tests/fuzz/test_fuzz_cli.py
