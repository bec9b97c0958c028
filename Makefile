# factpress: every target sets up .venv on first use (Python 3.11+, network to PyPI and npm).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: install site test serve lint fix regen bench check clean schemas screenshot

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# npm tools for the quality gates (W3C checker, axe-core); skipped when npm is missing.
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error && touch $(NODE_STAMP); \
	else echo "npm not found: the W3C and axe checks will be skipped"; fi

# The Python environment alone (what CI and the pre-commit hook need).
install: $(STAMP)

site: $(STAMP)
	$(BIN)/python build.py build
	@echo "The site is in site/. To view it: make serve, then open http://127.0.0.1:8000/"

check: $(STAMP)
	$(BIN)/python build.py check

serve: $(STAMP)
	$(BIN)/python build.py serve

test: $(STAMP) $(NODE_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fix: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The README's screenshot: a claim page at 1280 px from the quality gates' artifacts (docs/quality.md).
screenshot: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest -q tests/test_quality.py -k "test_axe_finds_no_violations and sample-1280"
	cp test-artifacts/screenshots/sample/claim-1280.png docs/screenshot-claim.png

regen: $(STAMP)
	$(BIN)/python -m pytest --force-regen || true
	@echo "Snapshots regenerated: read 'git diff tests/' before you commit them."

# JSON Schemas of the YAML files, generated from factpress/fields.py (a test fails when they drift).
schemas: $(STAMP)
	$(BIN)/python -m factpress.schemas schemas

bench: $(STAMP)
	$(BIN)/python -m bench.run

clean:
	rm -rf site .site-staging-* .site-retired-* test-artifacts
