# eRaati: `make run` sets up and serves the demo; `make test` sets up and runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test install install-test vendor translations catalog lint format services chromium fonts clean

run: install translations fonts
	$(BIN)/eraati db upgrade
	$(BIN)/eraati demo
	$(BIN)/eraati serve --host $(HOST) --port $(PORT)

test: install-test vendor translations services chromium fonts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest $(PYTEST_ARGS)

install: $(VENV)/.installed vendor
install-test: $(VENV)/.installed-test

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# The browser's socket.io client comes from the npm registry, pinned by package-lock.json.
vendor: static/vendor/socket.io.min.js

static/vendor/socket.io.min.js: package.json package-lock.json
	@command -v npm >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq npm >/dev/null; }
	npm ci --ignore-scripts --no-audit --no-fund
	mkdir -p static/vendor
	cp node_modules/socket.io-client/dist/socket.io.min.js static/vendor/
	-cp node_modules/socket.io-client/dist/socket.io.min.js.map static/vendor/
	touch $@

# Compiled catalogs are not committed; build them from the .po files.
translations: install
	$(BIN)/pybabel compile -d translations >/dev/null

# After changing strings: extract and merge, then translate the new entries.
catalog:
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --sort-by-file --no-location -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# PostgreSQL and Redis are required by the tests: start them if they are not running.
services:
	bash .ci/services

# The browser tests drive Debian's Chromium (Playwright cannot download its own here).
chromium:
	@command -v chromium >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# The PDF reports embed DejaVu Sans (Unicode: å, ä, ö and more).
fonts:
	@test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq fonts-dejavu-core >/dev/null; }

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache node_modules static/vendor
	find translations -name '*.mo' -delete
