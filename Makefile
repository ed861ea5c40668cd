# Two commands matter: `make demo` and `make test`. Everything else is a helper they call.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= demosite.settings.dev
# Documents carry absolute URLs: they point at the host and port the demo serves on.
export ASSISES_BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: demo test install chromium lint format check messages bench worker clean stack load

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

# The whole stack in one command: two gunicorn workers, the django-tasks worker and the
# scheduler, under honcho (see Procfile). Documents are rebuilt so that their URLs use PORT.
# The demo's settings (demosite/settings/demo.py) turn DEBUG off: French error pages, no tracebacks.
demo: export DJANGO_SETTINGS_MODULE := demosite.settings.demo
demo: install
	mkdir -p var/static
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py demo_admin
	$(BIN)/python manage.py rebuild_api_documents
	@echo "Serving on http://$(HOST):$(PORT)/ (admin: http://$(HOST):$(PORT)/admin/) — Ctrl+C to stop"
	BIN=$(BIN) ASSISES_HOST=$(HOST) ASSISES_PORT=$(PORT) $(BIN)/honcho start -f Procfile

# The production topology on this machine: PostgreSQL, Redis, gunicorn (STACK_WORKERS, 2 ×
# cores), the task worker, the scheduler and Varnish on STACK_PORT (8080), production settings
# over plain HTTP on loopback, under supervisord (the `stack` extra, which `install` brings):
# a process that dies is started again, the others serving on. Installs what is missing with
# apt-get. Settings given (`make stack ASSISES_WEBHOOKS_ALLOW_PRIVATE=1`) reach every process
# and var/stack/env. See deploy/stack/up and docs/operating/stack.md.
stack: install
	BIN=$(CURDIR)/$(BIN) deploy/stack/up

# Zero errors under load: wrk on every endpoint of a running `make stack` while an editor
# publishes every second (bench/load.py). LOAD_ARGS="--duration 60 --connections 64".
load: install
	command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	set -a && . $${ASSISES_VAR_DIR:-var}/stack/env && set +a && $(BIN)/python -m bench.load --url $$ASSISES_BASE_URL $(LOAD_ARGS)

# The browser suite (tests/browser) drives Debian's Chromium; Playwright never downloads one.
# Installed here when missing and we may (root); otherwise those tests skip, saying why.
chromium:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] \
	  && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
	  || echo "chromium could not be installed: tests/browser will be skipped"

# Two pytest-xdist workers by default (the suite starts real servers and browsers, and waits on
# them): PYTEST_WORKERS=0 runs it in one process. `--dist loadgroup` keeps the tests of a module
# that starts a whole stack on one worker (tests/conftest.py, XDIST_GROUPS).
PYTEST_WORKERS ?= 2
test: install chromium
	DJANGO_SETTINGS_MODULE=demosite.settings.test $(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) $(if $(filter 0,$(PYTEST_WORKERS)),,--dist loadgroup) $(PYTEST_ARGS)

check: install
	DJANGO_SETTINGS_MODULE=demosite.settings.test $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=demosite.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Needs GNU gettext; the compiled .mo files are committed so that nothing else does.
messages: install
	$(BIN)/python manage.py makemessages -l fr --ignore=.venv --ignore=var
	$(BIN)/python manage.py compilemessages --ignore=.venv

# Our API against Wagtail's API v2 and precomputed bytes at growing sizes (see bench/api.py),
# on SQLite and, when BENCH_DATABASE_URL names a throwaway PostgreSQL database (its name must
# contain "bench": it is emptied), on PostgreSQL; then the write side: rebuild throughput and a
# speaker rename with 750 dependents (bench/pipeline.py). Results in docs/benchmarks.md.
BENCH_PAGES ?= 1000,10000,100000
bench: install
	$(BIN)/python -m bench.api --pages $(BENCH_PAGES) $(BENCH_ARGS)
	if [ -n "$(BENCH_DATABASE_URL)" ]; then \
	  $(BIN)/python -m bench.api --pages $(BENCH_PAGES) --database $(BENCH_DATABASE_URL) $(BENCH_ARGS); fi
	$(BIN)/python -m bench.pipeline

# The same sizes through gunicorn and wrk (bench/http.py), with the shared cache in Redis
# (BENCH_REDIS_URL, database 7 by default); BENCH_URL=http://… measures a running `make stack`.
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/7
.PHONY: bench-http
bench-http: install
	command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	$(BIN)/python -m bench.http --pages $(BENCH_PAGES) --redis $(BENCH_REDIS_URL) \
	  $(if $(BENCH_DATABASE_URL),--database $(BENCH_DATABASE_URL)) $(if $(BENCH_URL),--url $(BENCH_URL)) \
	  --plot docs/benchmarks.png $(BENCH_HTTP_ARGS)

# A django-tasks worker alone, serving both queues (`make demo` already starts one for each).
worker: install
	$(BIN)/python manage.py run_worker --queue-name '*'

clean:
	rm -rf var .pytest_cache

# The documentation site (mkdocs.yml, docs/): `make docs` serves it with live reload on
# DOCS_ADDR, `make docs-build` builds it into var/site/ and fails on any warning (a broken link
# or anchor, a page missing from the navigation, cms/conf.py unreadable for the settings table).
DOCS_ADDR ?= 127.0.0.1:8001
.PHONY: docs docs-build
$(VENV)/.docs-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[docs]"
	touch $@

docs: $(VENV)/.docs-installed
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --dev-addr $(DOCS_ADDR)

docs-build: $(VENV)/.docs-installed
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir var/site

# Assises in someone else's Wagtail site (tests/host/run_host.py): builds the wheel, installs it
# with HOST_PYTHON and HOST_DJANGO into a fresh `wagtail start` project on HOST_DB (sqlite or
# postgres), applies docs/install.md's blocks, reads the API, feeds and calendars through
# gunicorn, then removes Assises again. HOST_ARGS=--skip-unavailable: exit 0 when that Python
# or Django is not available here (CI).
HOST_PYTHON ?= python3.11
HOST_DJANGO ?= django>=5.2,<5.3
HOST_DB ?= sqlite
.PHONY: host-test
host-test: install
	$(BIN)/python tests/host/run_host.py --python '$(HOST_PYTHON)' --django '$(HOST_DJANGO)' \
	  --database $(HOST_DB) $(HOST_ARGS)

# The whole suite on the newest combination the apps support (Python 3.13, Django 6.1), in a
# virtual environment of its own (.venv-newest); CI runs it beside `make test`. Without that
# Python here it says so and stops, successfully.
# (a pyenv shim may exist for a version pyenv does not enable: the first one that runs is kept)
NEWEST_PYTHON ?= $(shell for p in $$(command -v python3.13) $$HOME/.pyenv/versions/3.13*/bin/python3.13; do \
  "$$p" -V >/dev/null 2>&1 && echo "$$p" && break; done)
NEWEST_DJANGO ?= django>=6.1,<6.2
NEWEST_VENV := .venv-newest
.PHONY: test-newest
test-newest: chromium
	@if [ -z "$(NEWEST_PYTHON)" ]; then \
	  echo "Python 3.13 not found: the suite on the newest combination is skipped"; exit 0; fi; \
	set -e; [ -x $(NEWEST_VENV)/bin/python ] || $(NEWEST_PYTHON) -m venv $(NEWEST_VENV); \
	$(NEWEST_VENV)/bin/python -m pip install --quiet --upgrade pip; \
	$(NEWEST_VENV)/bin/python -m pip install --quiet -e ".[dev]" "$(NEWEST_DJANGO)"; \
	$(NEWEST_VENV)/bin/python -c "import sys, django; print('Python', sys.version.split()[0], '· Django', django.__version__)"; \
	DJANGO_SETTINGS_MODULE=demosite.settings.test $(NEWEST_VENV)/bin/python -m pytest -q \
	  -n $(PYTEST_WORKERS) $(if $(filter 0,$(PYTEST_WORKERS)),,--dist loadgroup) $(PYTEST_ARGS)
