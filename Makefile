# massline: two set-up commands (make demo, make test); see README.md.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Settings: the CLI defaults to massline.settings.base; the tests always use massline.settings.test
# (pyproject's addopts passes --ds, which beats any DJANGO_SETTINGS_MODULE in the environment).

.PHONY: demo serve test screenshots lint bench install clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/massline demo

serve: $(STAMP)
	$(BIN)/massline serve

test: $(STAMP)
	DJANGO_SETTINGS_MODULE=massline.settings.test $(BIN)/pytest

# The browser tests, writing their PNGs to docs/screenshots (a plain test run writes var/screenshots).
screenshots: $(STAMP)
	MASSLINE_SCREENSHOTS_DIR=docs/screenshots $(BIN)/pytest tests/browser

lint: $(STAMP)
	$(BIN)/ruff check massline tests bench
	$(BIN)/mypy massline

bench: $(STAMP)
	@for f in bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) var
