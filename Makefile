# NSP Planner. The two commands: `make run` (set up and serve) and `make test`. See README.md.
# Variables: PORT (8000), PYTHON (first Python >= 3.11 on PATH), TEST_WORKERS (auto), PYTEST_ARGS.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PORT ?= 8000
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
SETTING := $(PY) bin/setting
# Reinstalled when pyproject.toml is newer than this stamp.
STAMP := $(VENV)/.nsp-installed
ZONES_CSV ?= zones/data/police_zones.csv
TEST_WORKERS ?= auto
PYTEST_ARGS ?=
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.11; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& { echo $$p; break; }; done)

.PHONY: help install run setup database migrate collectstatic serve test lint format demo bench load clean distclean

help:
	@echo "make run         set up (virtualenv, install, migrate, reference data, zones, demo data, static files)"
	@echo "                 and serve http://127.0.0.1:$(PORT)/ with a Celery worker; PORT=8080 make run"
	@echo "make test        the whole test suite (SQLite; PostgreSQL when DATABASE_URL is set)"
	@echo "make lint        ruff check, ruff format --check and bandit (no finding of medium severity or above)"
	@echo "make format      ruff check --fix and ruff format"
	@echo "make migrate     apply database migrations"
	@echo "make demo        reset the embedded SQLite database and load the demo data again"
	@echo "make bench       the application at national size against hand-written SQL, as ratios (docs/performance.md);"
	@echo "                 DATABASE_URL=postgres://... of a database of its own (it builds the national data there)"
	@echo "                 BENCH_ARGS=\"--scale4-database NAME\" adds B4/B5 (scale 4 / scale 1) and B7 at both scales"
	@echo "make load        bin/serve under locust (1 user, then 30), p95 ratio and failures (bench/README.md);"
	@echo "                 LOAD_ARGS=\"--database-url postgres://...\" (default: the national_load copy)"
	@echo "make clean       remove caches, collected static files and test databases (keeps data and .venv)"
	@echo "make distclean   clean, then remove .venv and var/ (the embedded database too)"

$(PY):
	@test -n "$(PYTHON)" || { echo "NSP Planner needs Python 3.11 or newer on PATH (python3 --version)." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(BIN)/pip install --disable-pip-version-check -e ".[dev]"
	@touch $@

install: $(STAMP)

run: install
	@$(SETTING) VAR_DIR >/dev/null  # creates var/ and the secret key once, before the parallel steps
	$(MAKE) --no-print-directory -j2 setup
	PORT=$(PORT) bin/serve

# The database steps and collectstatic (CPU-bound compression) are independent: run them side by side.
setup: database collectstatic

# Migrations, reference data, zones, and the demo data when DEMO is on (nsp/settings.py decides).
database: install
	PYTHON=$(PY) ZONES_CSV=$(ZONES_CSV) bin/release

migrate: install
	$(MANAGE) migrate --noinput

# Compressing every asset takes a minute; skip it when no static source and no package changed since.
collectstatic: install
	@root="$$($(SETTING) STATIC_ROOT)"; manifest="$$root/staticfiles.json"; \
	changed="$$(find $(CURDIR)/static $(CURDIR)/*/static $(CURDIR)/$(STAMP) -path "$$root" -prune \
		-o -newer "$$manifest" -print -quit 2>/dev/null)"; \
	if [ -f "$$manifest" ] && [ -z "$$changed" ]; then \
		echo "Static files are up to date ($$manifest)."; \
	else echo "$(MANAGE) collectstatic --noinput"; $(MANAGE) collectstatic --noinput --verbosity 0; fi

serve: install
	PORT=$(PORT) bin/serve

test: install
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# Every check runs, so one pass reports every problem. bandit: a reviewed exception is a `# nosec BNNN` with
# its reason on the line it flags (docs/operations.md, "Security").
BANDIT_PATHS := nsp clusters zones programmes reporting demo
lint: install
	@status=0; \
	echo "$(BIN)/ruff check ."; $(BIN)/ruff check . || status=1; \
	echo "$(BIN)/ruff format --check ."; $(BIN)/ruff format --check . || status=1; \
	echo "$(BIN)/bandit -r $(BANDIT_PATHS) --severity-level medium"; \
	out=$$($(BIN)/bandit -q -r $(BANDIT_PATHS) -x '*/tests/*,*/migrations/*' --severity-level medium 2>&1) || status=1; \
	printf '%s\n' "$$out" | grep -v 'nosec encountered' || true; \
	exit $$status

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Stop `make run` first: this deletes the embedded database file.
demo: install
	@[ "$$($(SETTING) EMBEDDED)" = 1 ] || { \
		echo "make demo resets the embedded SQLite database only; unset DATABASE_URL and REDIS_URL." >&2; exit 1; }
	@db="$$($(SETTING) DATABASES.default.NAME)" && var="$$($(SETTING) VAR_DIR)" && \
		echo "Removing $$db, queued jobs and the cache" && \
		rm -f "$$db" "$$db-wal" "$$db-shm" && rm -rf "$$var/cache" "$$var/celery/queue" "$$var/celery/processed"
	DEMO=1 PYTHON=$(PY) ZONES_CSV=$(ZONES_CSV) bin/release

# BENCH_ARGS: --repeats N, --scale N, --seed S, --only B1,B3, --scale4-database NAME (bench/bench_national.py --help).
BENCH_ARGS ?=
# LOAD_ARGS: --database-url, --redis-url, --users 1,30, --duration 3m, --worker-class, --web-concurrency, --threads
# (bench/load.py --help). Static files are collected first: it serves as in production (DEBUG off).
load: install collectstatic
	$(PY) bench/load.py $(LOAD_ARGS)

bench: install
	@[ -n "$$DATABASE_URL" ] || { echo "make bench needs PostgreSQL: DATABASE_URL=postgres://... make bench" >&2; exit 1; }
	$(PY) bench/bench_national.py $(BENCH_ARGS)

clean:
	@var="$${NSP_VAR_DIR:-var}"; rm -rf "$$var/static" "$$var/cache" "$$var"/test*.sqlite3* "$$var/celery/processed"
	rm -rf .pytest_cache .ruff_cache .hypothesis test-results build
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) *.egg-info "$${NSP_VAR_DIR:-var}"
