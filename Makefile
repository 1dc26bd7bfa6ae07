# Broadsheet's commands. `make run` and `make test` are the two a newcomer needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export BROADSHEET_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test lint fmt check bench bench-scale bench-search bench-all lock clean

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
	$(BIN)/djhtml --check $$(find broadsheet -name '*.html' \( -path '*templates*' -o -path '*jinja2*' \))

fmt: $(BIN)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(BIN)/djhtml $$(find broadsheet -name '*.html' \( -path '*templates*' -o -path '*jinja2*' \)) || true

check: $(BIN)/.installed-dev
	DJANGO_SETTINGS_MODULE=tests.settings $(BIN)/python -m django check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=tests.settings $(BIN)/python -m django makemigrations --check --dry-run

## bench: the HTTP benchmark (production server under wrk, cached and uncached, against nginx
## serving the same bytes, comment posts, server comparison) on SQLite and PostgreSQL, and the
## WordPress import of 20,000 articles. Tables print; JSON lands in bench/results/.
bench: $(BIN)/.installed-dev
	$(BIN)/python bench/http_bench.py --servers
	-DATABASE_URL=$${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/python bench/http_bench.py
	$(BIN)/python bench/import_bench.py

## bench-scale: uncached response times at 1,000 vs 100,000 articles (1,000,000 comments),
## SQLite and PostgreSQL (about half an hour)
bench-scale: $(BIN)/.installed-dev
	$(BIN)/python bench/scale_bench.py

## bench-search: one-word searches at 100,000 articles on SQLite and PostgreSQL
bench-search: $(BIN)/.installed-dev
	$(BIN)/python bench/search_bench.py
	-DATABASE_URL=$${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/python bench/search_bench.py

bench-all: bench bench-scale bench-search

## lock: re-pin every dependency (run after editing pyproject.toml)
lock:
	scripts/lock-dependencies

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
