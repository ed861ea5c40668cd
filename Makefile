# Two commands matter: `make demo` and `make test`. Everything else is a helper they call.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= cms.settings.dev
# Documents carry absolute URLs: they point at the host and port the demo serves on.
export ASSISES_BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: demo test install lint format check messages bench worker clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

# The whole stack in one command: two gunicorn workers, the django-tasks worker and the
# scheduler, under honcho (see Procfile). Documents are rebuilt so that their URLs use PORT.
# The demo's settings (cms/settings/demo.py) turn DEBUG off: French error pages, no tracebacks.
demo: export DJANGO_SETTINGS_MODULE := cms.settings.demo
demo: install
	mkdir -p var/static
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py demo_admin
	$(BIN)/python manage.py rebuild_api_documents
	@echo "Serving on http://$(HOST):$(PORT)/ (admin: http://$(HOST):$(PORT)/admin/) — Ctrl+C to stop"
	BIN=$(BIN) ASSISES_HOST=$(HOST) ASSISES_PORT=$(PORT) $(BIN)/honcho start -f Procfile

test: install
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/python -m pytest -q $(PYTEST_ARGS)

check: install
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

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

# Our API against Wagtail's API v2 and precomputed bytes (see bench/api.py), then the write
# side: rebuild throughput and a speaker rename with 750 dependents (bench/pipeline.py).
bench: install
	$(BIN)/python -m bench.api $(BENCH_ARGS)
	$(BIN)/python -m bench.pipeline

# The django-tasks worker alone (`make demo` already starts one).
worker: install
	$(BIN)/python manage.py db_worker --queue-name '*'

clean:
	rm -rf var .pytest_cache
