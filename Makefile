# Presse: `make run` starts everything with demo data; `make test` runs the whole suite.

PYTHON ?= $(shell for candidate in python3.13 python3.12 python3; do \
	if command -v $$candidate >/dev/null 2>&1 && \
	   $$candidate -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	   echo $$candidate; break; fi; done)
VENV := .venv
PY := $(VENV)/bin/python
# Every package, the test tools included, pinned with hashes: `make lock` writes it from
# pyproject.toml (keeping the pins that still fit; `make lock LOCK_ARGS=--upgrade` moves
# them all to the newest).
LOCK := requirements.lock
LOCK_ARGS ?=
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format migrations messages install dev-install lock check-python bench clean

check-python:
	@if [ -z "$(PYTHON)" ]; then \
		echo "Presse needs Python 3.12 or newer (Django 6): install python3.12 or python3.13," \
		     "or set PYTHON=/path/to/python3.12." >&2; exit 1; fi

$(VENV)/.installed: $(LOCK) pyproject.toml | check-python
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	$(PY) .ci/lock_check.py pyproject.toml $(LOCK)
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	$(PY) -m pip check
	touch $@

# The lock file holds the test tools too: one install serves running and testing.
$(VENV)/.dev-installed: $(VENV)/.installed
	touch $@

lock: | check-python
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet 'pip-tools>=7.5,<8'
	$(VENV)/bin/pip-compile --extra dev --generate-hashes --allow-unsafe --strip-extras \
		--no-emit-index-url --no-emit-find-links --quiet $(LOCK_ARGS) -o $(LOCK) pyproject.toml

install: $(VENV)/.installed

dev-install: $(VENV)/.dev-installed

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py compile_translations
	$(PY) manage.py seed_demo
	@echo "Presse on http://$(HOST):$(PORT)/  (back office: http://$(HOST):$(PORT)/admin/) — Ctrl-C stops the server and the worker."
	$(PY) manage.py serve --host $(HOST) --port $(PORT)

# The accessibility engine the browser tests inject, pinned and checked (.ci/fetch_axe.py).
AXE := .ci/vendor/axe-core/axe.min.js
$(AXE): .ci/fetch_axe.py | $(VENV)/.installed
	$(PY) .ci/fetch_axe.py

# Two timed phases: the suite, then the journeys in Chromium with the accessibility checks
# (skipped where Chromium is not installed, required on CI).
test: dev-install $(AXE)
	$(PY) manage.py compile_translations >/dev/null
	.ci/timed "tests" $(PY) -m pytest -m "not browser" $(PYTEST_ARGS)
	.ci/timed "browser journeys and accessibility" $(PY) -m pytest -m browser $(PYTEST_ARGS)

lint: dev-install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(PY) manage.py makemigrations --check --dry-run

format: dev-install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: dev-install
	$(PY) manage.py makemessages -l fr -e html,txt,py,mjml --ignore=.venv --ignore=tests --ignore=bench
	$(PY) manage.py compile_translations

bench: install
	$(PY) bench/contacts_io.py
	$(PY) bench/mailing.py

clean:
	rm -rf $(VENV) staticfiles
