# Purchase portal: `make run` to try it, `make test` to test it.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
PORT ?= 8000
BIN := $(VENV)/bin
PY := $(BIN)/python

# A Python >= 3.12 (Django 6.1 needs it): python3.13, python3.12 or python3,
# the first that runs and is new enough. Override with `make PYTHON=...`.
PYTHON ?= $(shell for c in python3.13 python3.12 python3 $$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	command -v $$c; break; fi; done)

# Development defaults for local commands; production reads the real environment.
export DEVELOPMENT ?= 1
export DEMO_PASSWORD ?= portal-demo

.PHONY: help run install test lint format messages bench loadtest backup restore drill clean check-python screenshots

help:
	@echo "make run    set up .venv, migrate, load demo data and serve on http://127.0.0.1:$(PORT)"
	@echo "make test   run the whole test suite (SQLite, or DATABASE_URL / REDIS_URL when set)"
	@echo "make lint   ruff, migrations check, OpenAPI schema validation"
	@echo "make backup   back up the database, files and audit anchors (DATABASE_URL=postgres://...)"
	@echo "make restore  BACKUP=backups/<folder>: restore into an empty database and verify the audit chain"
	@echo "make drill    recovery drill: demo data, backup, restore into a fresh database, verify; then faults: a worker killed mid-task, Redis down (PostgreSQL)"
	@echo "make screenshots  each role's main pages at 1280 and 390 px into screenshots/ (Chromium)"
	@echo "make bench  benchmarks: list endpoints, bid-deadline rush (PostgreSQL), PDF (BENCH_SCALE=n for more rows)"
	@echo "make loadtest  city-scale load test through gunicorn with Locust (DATABASE_URL=postgres://..., LOADTEST_ARGS=...)"

check-python:
	@if [ -z "$(PYTHON)" ]; then \
		echo "No Python 3.12 or newer found (tried python3.13, python3.12, python3)."; \
		echo "Install Python 3.12+ or run: make PYTHON=/path/to/python3.12 $(MAKECMDGOALS)"; \
		exit 1; fi

$(VENV)/.installed: pyproject.toml | check-python
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@# Their metadata caps Django below 6.1; they run on 6.1 and their own
	@# requirements are pinned in pyproject.toml.
	$(PY) -m pip install --quiet --no-deps django-celery-beat==2.9.0 django-prometheus==2.5.0
	@touch $@

install: $(VENV)/.installed

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py make_signing_certificate --if-missing
	@echo
	@echo "Portal: http://127.0.0.1:$(PORT)/   API docs: http://127.0.0.1:$(PORT)/api/docs/"
	@echo "Demo users above share the password: $(DEMO_PASSWORD)"
	@echo
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

node_modules/.package-lock.json: package-lock.json
	@# axe-core for the accessibility tests (they skip, saying why, without it)
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error; else echo "npm not found: the accessibility tests will be skipped"; fi

test: install node_modules/.package-lock.json
	$(BIN)/pytest -n $${PYTEST_WORKERS:-2} $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py spectacular --validate --fail-on-warn --file /dev/null

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install
	$(PY) manage.py makemessages -l zh_Hans --ignore '$(VENV)/*' --ignore 'staticfiles/*' \
	  --ignore 'node_modules/*' --ignore 'tests/*' --ignore 'benchmarks/*'
	$(PY) manage.py compilemessages -l zh_Hans --ignore '$(VENV)/*'

bench: install
	$(BIN)/pytest benchmarks -p no:xdist -q $(PYTEST_ARGS)

loadtest: install
	@test -n "$$DATABASE_URL" || { echo "make loadtest needs DATABASE_URL=postgres://... (a database for the seeded city)"; exit 2; }
	@$(PY) -c 'import locust' 2>/dev/null || $(PY) -m pip install --quiet -e '.[loadtest]'
	$(PY) benchmarks/loadtest/run.py $(LOADTEST_ARGS)

backup: install
	scripts/backup.sh $(BACKUP)

restore: install
	@test -n "$(BACKUP)" || { echo "Give the folder: make restore BACKUP=backups/<folder>"; exit 2; }
	scripts/restore.sh $(BACKUP)

drill: install
	scripts/drill.sh

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache

# Screenshots of each role's main pages at desktop and phone widths, from a
# fresh demo database, into screenshots/ (git-ignored). Needs Chromium.
screenshots: install
	$(PY) scripts/screenshots.py
