# Two commands for a newcomer: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test test-browser lint format migrate seed messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

# Development server on SQLite (or DATABASE_URL) with the demo data.
run: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py migrate --no-input
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv -v0
	DEBUG=1 $(BIN)/python manage.py seed_demo
	@echo "Rakortek: http://127.0.0.1:$(PORT)/  (stop with Ctrl+C)"
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The whole suite: SQLite by default, PostgreSQL when DATABASE_URL is set.
# Browser journeys run when Chromium is installed and say so when they skip.
test: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv -v0
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djlint templates --reformat

messages: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py makemessages -l id --ignore=.venv --ignore=staticfiles --no-obsolete

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
