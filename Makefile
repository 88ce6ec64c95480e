# Gravity: `make run` to try it, `make test` to prove it. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

# The test suite runs on the real thing: PostgreSQL and Redis.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/gravity
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0
# The suite on every core (pytest-xdist: a database per worker, a cache prefix per test;
# worksteal: an idle worker takes tests queued for a busy one, so long tests do not trail).
PYTEST_ARGS ?= -n auto --dist worksteal

.PHONY: install checkers run test lint deploy-check worker beat mail-in stream bench bench-feed bench-live weigh soak scan clean messages

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Front-end checkers for the test suite (axe-core, the Nu HTML checker, Lighthouse); the
# site itself ships no Node code. Without npm the accessibility tests are skipped.
node_modules/.package-lock.json: package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: the accessibility checks will be skipped"; fi

checkers: node_modules/.package-lock.json

# Development server: SQLite file, tasks in-process, mail printed to this terminal.
run: install
	env -u DATABASE_URL -u REDIS_URL $(PY) manage.py migrate --noinput
	env -u DATABASE_URL -u REDIS_URL $(PY) manage.py seed_demo
	env -u DATABASE_URL -u REDIS_URL $(PY) manage.py runserver 127.0.0.1:8000

test: install checkers
	@DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		$(PY) -m tests.preflight
	@$(MAKE) --no-print-directory deploy-check
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		TASKS_EAGER=1 $(PY) -m pytest $(PYTEST_ARGS)

# Translations: gather every marked string into locale/<lang>/LC_MESSAGES/django.po (new
# ones untranslated, changed ones marked fuzzy), then compile the .mo files the site reads.
# Needs GNU gettext (apt-get install gettext). Commit both the .po and the .mo files.
messages: install
	$(PY) manage.py makemessages -l es -l ar --no-obsolete \
		--ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=media --ignore=bench --ignore=tests
	$(PY) manage.py compilemessages -l es -l ar --ignore=.venv

# Production settings must pass Django's deployment checklist without a single warning.
deploy-check: install
	DEBUG=0 SECRET_KEY=deploy-check-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
		ALLOWED_HOSTS=example.org DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} \
		REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		$(PY) manage.py check --deploy --fail-level WARNING

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/bandit -q -c pyproject.toml -r community purpose partners config bench

worker: install
	$(VENV)/bin/celery -A config worker -Q events,notifications,routing,celery -l INFO

beat: install
	$(VENV)/bin/celery -A config beat -l INFO

# The live stream's server beside gunicorn (README "Live updates"): /stream/ on uvicorn.
STREAM_PORT ?= 8001
stream: install
	$(VENV)/bin/uvicorn config.asgi:application --host 127.0.0.1 --port $(STREAM_PORT) \
		--loop uvloop --http httptools --lifespan off --no-access-log --timeout-graceful-shutdown 5

# Replies by email over SMTP (README "Reply by email"); needs MAIL_IN_DOMAIN.
MAIL_IN_HOST ?= 127.0.0.1
MAIL_IN_PORT ?= 2525
mail-in: install
	$(PY) manage.py mail_in --host $(MAIL_IN_HOST) --port $(MAIL_IN_PORT)

bench: install
	$(PY) -m bench.run

# 5,000 live streams on one uvicorn process per core beside the page load of make bench:
# reach within 1 s, memory per connection, the writer's cost of one publish and the pages'
# shares without and with the streams (bench/README.md, "Live updates").
bench-live: install
	$(PY) -m bench.live

# import_products on a generated 100,000-product feed: time and peak memory (bench/README.md).
bench-feed: install
	$(PY) -m bench.feed

# What each mechanism of the pages layer buys, with and without it (bench/README.md).
weigh: install
	$(PY) -m bench.weigh

# Five minutes of members reading and writing through two gunicorns and two workers.
soak: install
	$(PY) -m bench.soak

# Wapiti against the site under production settings (its own virtualenv); see SECURITY.md.
.venv-scan/bin/wapiti:
	$(PYTHON) -m venv .venv-scan
	.venv-scan/bin/pip install --quiet 'wapiti3>=3.2,<4'

scan: install .venv-scan/bin/wapiti
	$(PY) -m bench.scan

clean:
	rm -rf $(VENV) .venv-scan db.sqlite3 staticfiles .pytest_cache
