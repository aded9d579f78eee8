# lindung — the two commands: `make demo` and `make test`.
# Everything installs into .venv/ so a fresh machine needs only CPython 3.11.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install system-deps demo test test-domain clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test,spark]'
	touch $(STAMP)

install: $(STAMP)

# Debian packages: Pango for the SK PDF, Chromium for the browser tests; installed when run as root.
system-deps:
	scripts/system-deps pdf browser spark

# Installs, migrates the embedded SQLite database, loads the demo data and serves on 127.0.0.1:8000,
# with the background worker (imports, matching) running beside the web server.
demo: install
	scripts/system-deps pdf
	DEBUG=1 $(BIN)/lindung migrate --noinput
	DEBUG=1 $(BIN)/lindung demo
	DEBUG=1 $(BIN)/lindung db_worker --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(BIN)/lindung runserver 127.0.0.1:8000

# Installs and runs the whole suite (DATABASE_URL selects PostgreSQL; SQLite otherwise).
test: install system-deps
	$(BIN)/pytest -q

# The pure domain core alone: no database, milliseconds.
test-domain: install
	$(BIN)/pytest -q lindung/domain

clean:
	rm -rf $(VENV) build *.egg-info
