# Two commands do all the set-up: `make run` and `make test` (see README).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
DATA ?=
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_DIR := var/demo-data

.PHONY: run test lint venv serve clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

venv: $(VENV)/.installed

# The product on SQLite with tasks in process and console email.
run: venv
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py setup_periodic_tasks
ifeq ($(strip $(DATA)),)
	$(PY) manage.py generate_demo_data --seed 42 --out $(DEMO_DIR)
	$(PY) manage.py import_olist $(DEMO_DIR) --source demo --if-empty
else
	$(PY) manage.py import_olist $(DATA) --if-empty
endif
	$(PY) manage.py compute_rankings --as-of latest
	$(PY) manage.py ensure_admin --url http://$(HOST):$(PORT)/admin/
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: venv
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy .
	DATABASE_URL=sqlite://:memory: $(PY) manage.py makemigrations --check --dry-run

# The whole suite against PostgreSQL ($$DATABASE_URL) and Redis ($$REDIS_URL).
test: lint
	$(PY) -m pytest

clean:
	rm -rf var .pytest_cache
