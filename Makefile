# Two commands on a fresh machine (Python ≥ 3.11 and make): `make demo`, `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python

.PHONY: demo test install install-test lint typecheck pytest bench catalogs check-catalogs wheel-check clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# A plain, non-editable install: exactly what a user gets from `pip install .`.
$(VENV)/.installed: $(PY) pyproject.toml $(shell find src templates locales prompts examples -type f 2>/dev/null)
	$(PY) -m pip install --quiet --force-reinstall --no-deps .
	$(PY) -m pip install --quiet .
	touch $@

$(VENV)/.test-extras: $(PY) pyproject.toml
	$(PY) -m pip install --quiet ".[test]"
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/partways draft examples/case-en.yaml

install-test: install $(VENV)/.test-extras

lint: install-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: install-test
	$(BIN)/mypy src/partways

pytest: install-test
	$(PY) -m pytest

test: lint typecheck pytest

bench: install
	$(PY) benchmarks/compose.py

# Re-extract the message catalogs' templates (POT) from the Jinja templates.
catalogs: install-test
	$(BIN)/pybabel extract -F babel.cfg -o locales/letter.pot --no-location --sort-output templates/letter

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
