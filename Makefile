# Regionportalen: `make run` starts the portal, `make test` runs the tests. Nothing else to install.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in e-mails and feeds point where `make run` serves (a browser cannot open 0.0.0.0).
LINK_HOST = $(if $(filter 0.0.0.0 ::,$(HOST)),127.0.0.1,$(HOST))
VAR_DIR ?= var
export VAR_DIR

.PHONY: run test quick quality e2e lint format setup messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

## setup: virtualenv, dependencies, migrations, reference data and (with DEBUG on) demo users
setup: $(VENV)/.runtime-installed
	mkdir -p $(VAR_DIR)/mail $(VAR_DIR)/celery/queue $(VAR_DIR)/celery/control $(VAR_DIR)/uploads
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_reference_data
	$(BIN)/python manage.py setup_demo

## run: start web, Celery worker and Celery beat together (Ctrl-C stops all three)
run: setup
	@echo ""
	@echo "  Regionportalen runs at http://$(LINK_HOST):$(PORT)/  (demo logins: see README.md; e-mail lands in var/mail/)"
	@echo ""
	HOST=$(HOST) PORT=$(PORT) RUN_SITE_URL=http://$(LINK_HOST):$(PORT) $(BIN)/honcho start -f Procfile.dev

## test: the whole suite (SQLite by default; PostgreSQL and Redis when DATABASE_URL and REDIS_URL are set)
test: $(VENV)/.dev-installed
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

## quick: the everyday loop: every test but the slow whole-portal suites (under two minutes on 2 cores)
quick: $(VENV)/.dev-installed
	$(BIN)/python -m pytest -n 2 -m "not quality" $(PYTEST_ARGS)

## quality: the whole-portal suites alone (browser, permission matrix, fuzzing, faults, national data)
quality: $(VENV)/.dev-installed
	$(BIN)/python -m pytest -n 2 -m quality $(PYTEST_ARGS)

## e2e: the browser tests alone (Debian's chromium)
e2e: $(VENV)/.dev-installed
	$(BIN)/python -m pytest -m e2e $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## messages: refresh the bokmål catalogues and compile them (needs GNU gettext)
messages: $(VENV)/.dev-installed
	$(BIN)/python scripts/messages.py

clean:
	rm -rf $(VENV) var staticfiles
