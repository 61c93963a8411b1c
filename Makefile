# Two commands on a fresh machine:  `make serve`  and  `make test`.
# Both create .venv and install oms (editable, with its built-in plugins) on first use.

PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: serve test lint install bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## Serve the API on http://127.0.0.1:8000/graphql (SQLite, demo data on first start).
serve: $(STAMP)
	$(VENV)/bin/oms serve

## Run the test suite (SQLite; set OMS_TEST_DATABASE_URL=postgres://... for PostgreSQL).
test: $(STAMP)
	$(VENV)/bin/pytest $(PYTEST_ARGS)

## The gates CI runs before the tests: ruff and mypy (pyproject.toml [tool.ruff], [tool.mypy]).
lint: $(STAMP)
	$(VENV)/bin/ruff check oms plugins
	$(VENV)/bin/mypy

bench: $(STAMP)
	$(VENV)/bin/python bench/place_orders.py

clean:
	rm -rf $(VENV) *.egg-info oms.sqlite3
