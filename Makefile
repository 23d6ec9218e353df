# Partner Hub: `make demo` runs it, `make test` tests it. Both work on a fresh machine.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
TEST_STACK := .stack/test
# manage.py, cms.wsgi and cms.celery default to production settings: every development path chooses dev.
DEV_ENV := DJANGO_SETTINGS_MODULE=cms.settings.dev
PRODUCTION_ENV := DJANGO_SETTINGS_MODULE=cms.settings.production SECRET_KEY=check-deploy-only-0123456789-abcdefghijklmnopqrstuvwxyz ALLOWED_HOSTS=partners.example.com CLAMAV_URL=tcp://127.0.0.1:3310

.PHONY: install demo serve test lint format unit integration browser clamav screenshots stack stack-down stack-status bench load clean messages backup restore

$(INSTALLED): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q -r requirements-dev.txt
	@touch $(INSTALLED)

install: $(INSTALLED)

## The embedded stack: SQLite, local media/, Celery worker + beat on kombu's filesystem broker.
demo: $(INSTALLED)
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py load_demo
	@echo "Starting web (http://127.0.0.1:8000), Celery worker and beat. Ctrl-C stops all three."
	$(DEV_ENV) $(BIN)/honcho -f Procfile.dev start

serve: $(INSTALLED)
	$(DEV_ENV) $(BIN)/honcho -f Procfile.dev start

## Everything CI runs: lint, migrations, deploy checks, unit tests (SQLite), integration tests (real services).
test: $(INSTALLED) lint
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	$(PRODUCTION_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING
	$(MAKE) unit
	$(MAKE) integration

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

unit: $(INSTALLED)
	env -u DATABASE_URL -u REDIS_URL -u CELERY_BROKER_URL -u ELASTICSEARCH_URL -u AWS_STORAGE_BUCKET_NAME \
		$(BIN)/pytest --ignore=tests/integration

integration: $(INSTALLED) browser clamav
	$(BIN)/python -m devtools.stack run --dir $(TEST_STACK) --fresh -- $(BIN)/pytest tests/integration -v

## Debian's clamav-daemon for the virus-scanning tests (the stack starts it): installed with apt-get when missing, as root.
clamav: $(INSTALLED)
	$(BIN)/python -m devtools.clamav

## Debian's chromium for the browser tests (Playwright drives it): installed with apt-get when missing, as root.
browser: $(INSTALLED)
	$(BIN)/python -m devtools.browser

## PNGs of every portal page (devtools/portal_pages.py) at 1440 and 375 px into docs/screenshots/, from the demo
## built in a throwaway folder (SQLite), as the demo partner user and partner admin.
screenshots: $(INSTALLED) browser
	$(BIN)/python -m devtools.screenshots

## Real PostgreSQL, Redis, Elasticsearch, S3, ClamAV and Keycloak in the background, for running against the full stack.
stack: $(INSTALLED)
	$(BIN)/python -m devtools.stack up --dir .stack/dev

stack-down:
	$(BIN)/python -m devtools.stack down --dir .stack/dev

stack-status:
	$(BIN)/python -m devtools.stack status --dir .stack/dev

## Benchmarks at the DESIGN §8 scale on a fresh PostgreSQL + Redis + Elasticsearch: 100k assets, 5k partners,
## 50k users; last, every portal page (devtools/portal_pages.py, p95 <= 100 ms). Stops at the first step that
## fails (over budget: exit 1) and says which one.
bench: $(INSTALLED)
	$(BIN)/python -m devtools.stack run --dir .stack/bench --fresh --only postgres,redis,elasticsearch -- sh -c '\
		step() { "$$@" || { rc=$$?; echo "make bench: FAILED (exit $$rc): $$*; later steps not run" >&2; exit $$rc; }; }; \
		step env $(DEV_ENV) $(BIN)/python manage.py migrate -v0 && step $(BIN)/python -m bench.generate_data && \
		step $(BIN)/python -m bench.api_latency && step $(BIN)/python -m bench.floor && \
		step $(BIN)/python -m bench.search_latency && \
		step $(BIN)/python -m bench.file_text && \
		step $(BIN)/python -m bench.compliance_latency && step $(BIN)/python -m bench.portal_latency && \
		step $(BIN)/python -m bench.analytics_latency'

## The hub over HTTP (bench/load): a fresh PostgreSQL, Redis, Elasticsearch, S3 and ClamAV, the bench population,
## gunicorn (gunicorn.conf.py) with production settings, a Celery worker and beat, then Locust with 200 partner users
## for 3 minutes. Prints requests/s and p50/p95/p99 per endpoint; fails on any error, under 150 requests/s or over
## 250 ms p95. LOAD_ARGS passes options, e.g. LOAD_ARGS="--web-processes 2 --workers 2" (two of everything),
## "--population small --duration 60" (a quick run), "--profile 60" (where the web workers' time goes).
LOAD_ARGS ?=
LOAD_VENV := .venv-load
$(LOAD_VENV)/.installed: requirements-load.txt
	@test -x $(LOAD_VENV)/bin/python || $(PYTHON) -m venv $(LOAD_VENV)
	$(LOAD_VENV)/bin/pip install --disable-pip-version-check -q -r requirements-load.txt
	@touch $(LOAD_VENV)/.installed

load: $(INSTALLED) $(LOAD_VENV)/.installed
	LOCUST=$(LOAD_VENV)/bin/locust $(BIN)/python -m bench.load $(LOAD_ARGS)

## Backups (core.backups): the database and every file of the storages, with a SHA-256 manifest, to BACKUP_LOCATION
## (a folder, default var/backups, or s3://bucket/prefix). Settings from the environment (DJANGO_SETTINGS_MODULE,
## default development; production: cms.settings.production with its variables). `make backup KEEP=7` keeps the
## newest 7; `make restore` restores the newest finished backup, `make restore BACKUP=<name>` that one (it asks first).
BACKUP_SETTINGS = DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-cms.settings.dev}
backup: $(INSTALLED)
	$(BACKUP_SETTINGS) $(BIN)/python manage.py backup $(if $(KEEP),--keep $(KEEP))

restore: $(INSTALLED)
	$(BACKUP_SETTINGS) $(BIN)/python manage.py restore $(BACKUP)

## The German catalogues of what learners and partners see: the portal (home), the package player (elearning) and
## certificates and transcripts (certifications), and cms's words that reach partners (what unlocks a locked item, why a
## file cannot be served yet). Collects each app's strings into <app>/locale/de (then translate),
## and compiles them.
TRANSLATED_APPS := home elearning certifications cms
messages: $(INSTALLED)
	for app in $(TRANSLATED_APPS); do \
		(cd $$app && DJANGO_SETTINGS_MODULE=cms.settings.test PYTHONPATH=.. ../$(BIN)/django-admin makemessages -l de --add-location file \
			&& DJANGO_SETTINGS_MODULE=cms.settings.test PYTHONPATH=.. ../$(BIN)/django-admin compilemessages -l de) || exit 1; \
	done

clean:
	rm -rf .stack var .pytest_cache .ruff_cache
