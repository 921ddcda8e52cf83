# Two commands for a newcomer: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Test processes (pytest-xdist); TEST_WORKERS=0 runs the suite in this one process.
TEST_WORKERS ?= 2
STAMP := $(VENV)/.installed
# Test-only JavaScript tools (axe-core for the browser journeys), pinned in package-lock.json.
NODE_STAMP := node_modules/.installed

.PHONY: run test test-browser lint format migrate seed messages clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)
# Final documents of the demo are signed with a development certificate made once in
# .signing/ (git-ignored, trusted by nothing); set DOCUMENT_SIGNING_P12 to use another.
run: export DOCUMENT_SIGNING_P12 ?= $(CURDIR)/.signing/signer.p12
run: export DOCUMENT_SIGNING_PASSPHRASE ?= rakortek-dev

# Development server on SQLite (or DATABASE_URL) with the demo data.
run: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py migrate --no-input
	DEBUG=1 $(BIN)/python manage.py signing_certificate --dir .signing --passphrase rakortek-dev
	@# The compiled catalogue is committed; recompile when gettext is installed.
	@if command -v msgfmt >/dev/null; then DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv -v0; fi
	DEBUG=1 $(BIN)/python manage.py seed_demo
	@echo "Rakortek: http://127.0.0.1:$(PORT)/  (stop with Ctrl+C)"
	@# The task worker (large documents) runs beside the server and stops with it.
	DEBUG=1 $(BIN)/python manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The whole suite: SQLite by default, PostgreSQL when DATABASE_URL is set (each
# worker has its own test database). Browser journeys run when Chromium is
# installed and say so when they skip.
test: $(STAMP) $(NODE_STAMP)
	@if command -v msgfmt >/dev/null; then DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv -v0; fi
	@# The browser journeys run after the rest, in one process: each drives its own Chromium.
	$(BIN)/pytest -n $(TEST_WORKERS) -m "not deploy and not browser" $(PYTEST_ARGS)
	$(BIN)/pytest -m "browser and not deploy" $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djlint templates --reformat

messages: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py makemessages -l id --ignore=.venv --ignore=staticfiles --no-obsolete

# What users wait for, in one table (manage.py bench; README "Benchmarks"): pages beside
# Django admin's changelist, official documents beside a bare WeasyPrint table and through
# the real worker, and a gunicorn load run beside the admin login page (PostgreSQL only:
# DATABASE_URL=postgres://...). On a database made for the run and dropped afterwards.
# BENCH_ARGS="--sizes 10,100,500,3000 --runs 5" for more, "--only pages" for one part.
bench: $(STAMP)
	DEBUG=0 SECRET_KEY=bench-only ALLOWED_HOSTS=127.0.0.1 $(BIN)/python manage.py bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache node_modules
