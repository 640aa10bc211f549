# Two commands for a fresh machine with Python 3.11 and pip:
#   make run    install, migrate, load the demo content, serve on http://127.0.0.1:8000
#               with the job worker beside the server
#   make test   install the test tools and run the whole suite
# Both are safe to run again. DATABASE_URL / REDIS_URL select PostgreSQL / Redis.

PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
# The public address links and picture URLs start with: where `make run` serves, unless set.
SITE_URL ?= http://$(HOST)
export SITE_URL

.PHONY: run test browser lint format install install-dev bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py collectstatic --no-input -v0
	$(BIN)/python manage.py load_demo
	@# The job worker (webhooks, scheduled publications, the sweep) runs beside the server
	@# and stops with it.
	$(BIN)/python manage.py worker & worker=$$!; \
		trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
		$(BIN)/python manage.py runserver $(HOST)

test: install-dev browser
	$(BIN)/pytest $(PYTEST_ARGS)

# The admin's browser tests drive Debian's Chromium; install it where we can (root + apt).
browser:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } || \
		echo "chromium is not installed: the browser tests will be skipped"

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .hypothesis
