# Broadsheet's commands. `make run` and `make test` are the two a newcomer needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export BROADSHEET_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test lint fmt check bench lock clean

$(BIN)/.installed: pyproject.toml requirements.lock
	@PYTHON=$(PYTHON) scripts/ensure-venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

$(BIN)/.installed-dev: $(BIN)/.installed requirements-dev.lock
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	@touch $@

## run: set up (first time) and serve the blog on http://$(HOST):$(PORT)/
run: $(BIN)/.installed
	$(BIN)/broadsheet init
	$(BIN)/broadsheet serve --host $(HOST) --port $(PORT)

## test: the whole suite, on SQLite and then on PostgreSQL, browser tests included
test: $(BIN)/.installed-dev
	scripts/run-tests

lint: $(BIN)/.installed-dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/djhtml --check $$(find broadsheet -name '*.html' -path '*templates*')

fmt: $(BIN)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(BIN)/djhtml $$(find broadsheet -name '*.html' -path '*templates*') || true

check: $(BIN)/.installed-dev
	DJANGO_SETTINGS_MODULE=tests.settings $(BIN)/python -m django check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=tests.settings $(BIN)/python -m django makemigrations --check --dry-run

## lock: re-pin every dependency (run after editing pyproject.toml)
lock:
	scripts/lock-dependencies

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
