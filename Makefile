# Sidekel: `make demo` to try it, `make test` to run the whole suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test bench messages docs clean

# The project's bytecode, written ahead as pip writes a release's: where Python is told not to
# write it (PYTHONDONTWRITEBYTECODE, as on CI), every process the demo and the suite start (the
# worker, an import's checkers, the command line) would compile the project's modules again.
COMPILED := $(BIN)/python -m compileall -q sidekel

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Sidekel butuh Python 3.11 atau lebih baru."; exit 1; }
	@$(PYTHON) -m venv $(VENV) || \
		{ echo "Gagal membuat .venv: pasang dulu paket python3-venv (sudo apt install python3-venv)."; exit 1; }
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	@touch $(STAMP)

## Build the demo kecamatan in ./data/sidekel.sqlite3 and serve it on http://127.0.0.1:8000
demo: $(STAMP)
	@$(COMPILED)
	$(BIN)/sidekel demo

## The whole test suite (SQLite by default; set SIDEKEL_DATABASE_URL for PostgreSQL; PYTEST_ARGS to narrow it)
test: $(STAMP)
	@$(COMPILED)
	$(BIN)/pytest $(PYTEST_ARGS)

## Benchmarks: demo build at 100,000 and 1,000,000 residents (see docs/benchmarks.md)
bench: $(STAMP)
	$(BIN)/python bench/demo_build.py

## Extract new strings into sidekel/locale/id/LC_MESSAGES/django.po (the one source of the
## translations: translate them there), compile it, list what is untranslated (needs GNU gettext)
messages: $(STAMP)
	$(BIN)/python scripts/messages.py

## The operator's guide: take its screenshots again (browser test on demo data, Debian's chromium)
## and print it to build/panduan-operator.pdf
docs: $(STAMP)
	$(BIN)/pytest -p no:cacheprovider sidekel/panduan/tests/test_browser_panduan.py
	mkdir -p build
	$(BIN)/sidekel panduan --pdf build/panduan-operator.pdf

clean:
	rm -rf $(VENV) build *.egg-info
