# The two commands a new user needs: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test install install-test system-deps browser lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# OCR of scanned documents needs OCRmyPDF and Tesseract from the system's packages.
system-deps:
	@sh scripts/install-system-deps.sh || echo "habeas: OCR tools not installed; scanned documents will not be OCRed"

install: $(VENV)/.installed system-deps

install-test: $(VENV)/.installed-test system-deps browser

## demo: install, migrate, load the demo case, create the first user, serve on 127.0.0.1:8000
demo: install
	$(BIN)/habeas demo --serve

# Debian's Chromium drives the browser tests (Playwright cannot download its own browser here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; }

lint: install-test
	$(BIN)/lint-imports

## test: install the test dependencies and run the whole suite
test: install-test
	$(BIN)/lint-imports
	HABEAS_HOME=$$(mktemp -d) $(BIN)/pytest -q

clean:
	rm -rf $(VENV) build *.egg-info
