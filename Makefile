# massline: two set-up commands (make demo, make test); see README.md.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# axe-core (package.json, exact pin in package-lock.json) for the accessibility browser test; without npm
# the stamp is not made and tests/browser/test_a11y.py skips, saying so.
NODE_STAMP := node_modules/.installed
# Settings: the CLI defaults to massline.settings.base; the tests always use massline.settings.test
# (pyproject's addopts passes --ds, which beats any DJANGO_SETTINGS_MODULE in the environment).

.PHONY: demo serve test screenshots lint bench install lock clean

# Dependencies come from requirements.lock (exact versions with hashes, made by `make lock` from the
# ranges in pyproject.toml); then the project itself, without resolving anything else.
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --require-hashes -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund --loglevel=error && touch $(NODE_STAMP); \
	else echo "make: npm is missing: the accessibility test (tests/browser/test_a11y.py) will skip" >&2; fi

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/massline demo

serve: $(STAMP)
	$(BIN)/massline serve

test: $(STAMP) $(NODE_STAMP)
	DJANGO_SETTINGS_MODULE=massline.settings.test $(BIN)/pytest

# The browser tests, writing their PNGs to docs/screenshots (a plain test run writes var/screenshots).
screenshots: $(STAMP) $(NODE_STAMP)
	MASSLINE_SCREENSHOTS_DIR=docs/screenshots $(BIN)/pytest tests/browser

lint: $(STAMP)
	$(BIN)/ruff check massline tests bench
	$(BIN)/mypy massline

bench: $(STAMP)
	@for f in bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

# Re-pin the dependencies after changing pyproject.toml's ranges (existing pins are kept where they still
# fit; `make lock LOCK_ARGS=--upgrade` takes the newest releases). pip-tools runs from a throwaway
# virtualenv, never from the project's.
LOCK_ARGS ?=
lock:
	tmp=$$(mktemp -d) && $(PY) -m venv $$tmp && $$tmp/bin/pip install -q pip-tools \
	  && CUSTOM_COMPILE_COMMAND="make lock" $$tmp/bin/pip-compile -q $(LOCK_ARGS) --generate-hashes --extra dev \
	     --strip-extras --no-emit-index-url --no-emit-find-links --output-file requirements.lock pyproject.toml; \
	status=$$?; rm -rf $$tmp; exit $$status

clean:
	rm -rf $(VENV) var
