# Set-up and everyday commands for the lobby kiosk. `make run` and `make test` work on a fresh Debian.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEB_PACKAGES := libegl1 libgl1 libdbus-1-3 libfontconfig1 libxkbcommon0 libglib2.0-0 libpulse0 \
                fonts-nanum \
                libx11-xcb1 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 \
                libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 \
                libspeechd2 speech-dispatcher speech-dispatcher-espeak-ng espeak-ng \
                postgresql chromium chromium-driver \
                libwayland-client0 libwayland-cursor0 libwayland-egl1 \
                cage xwayland grim patchelf udisks2
# The first Python >= 3.12 found: on PATH, then in pyenv's versions (whose shims may be inactive).
PYTHON ?= $(shell for p in python3.13 python3.12 $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV) python3; do \
             $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$p; break; }; done)

.PHONY: run install test test-fast screenshots check lint typecheck lint-imports bench deps venv clean print-python

# The bundled config with a development data directory (./var, made on the first run). With no
# display, explain and exit 0 instead of failing (`make screenshots` and `kiosk simulate` work).
run: deps $(STAMP)
	@if [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ] && [ -z "$$QT_QPA_PLATFORM" ]; then \
	  $(VENV)/bin/kiosk run --data-dir var --create || true; \
	  echo "To see the kiosk here anyway: make screenshots, or run it in a headless compositor:"; \
	  echo "  WLR_BACKENDS=headless WLR_RENDERER=pixman cage -- $(VENV)/bin/kiosk run --data-dir var --create"; \
	else \
	  $(VENV)/bin/kiosk run --data-dir var --create; \
	fi

# Install this checkout as a lobby kiosk on this machine (root): packaging/README.md.
install: deps $(STAMP)
	bash packaging/install.sh --python "$(PYTHON)"

test: deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

screenshots: deps $(STAMP)
	rm -f docs/screenshots/*.png
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/kiosk screenshots --out docs/screenshots

# The whole verdict, as CI gives it: style, types, layer contracts, then every test.
check: lint typecheck lint-imports test

lint: $(STAMP)
	$(VENV)/bin/ruff check kiosk kiosk_hub tests bench
	$(VENV)/bin/ruff format --check kiosk kiosk_hub tests bench

typecheck: $(STAMP)
	$(VENV)/bin/mypy kiosk kiosk_hub

# The layer rules of docs/architecture.md, declared in pyproject.toml [tool.importlinter].
lint-imports: $(STAMP)
	$(VENV)/bin/lint-imports

# The edit-test loop: unit tests only, without the ones marked slow (seconds, not minutes).
test-fast: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -m "not slow" tests/unit

bench: deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) bench/startup.py
	QT_QPA_PLATFORM=offscreen $(PY) bench/keyboard.py
	QT_QPA_PLATFORM=offscreen $(PY) bench/purge.py
	QT_QPA_PLATFORM=offscreen $(PY) bench/live_results.py
	QT_QPA_PLATFORM=offscreen $(PY) bench/export.py
	QT_QPA_PLATFORM=offscreen $(PY) bench/sync_throughput.py
	QT_QPA_PLATFORM=offscreen $(PY) bench/ui_during_sync.py
	$(PY) bench/durable_submit.py
	QT_QPA_PLATFORM=offscreen $(PY) bench/tap_latency.py
	QT_QPA_PLATFORM=offscreen $(PY) bench/soak.py

venv: $(STAMP)

$(STAMP): pyproject.toml constraints-dev.txt
	@test -n "$(PYTHON)" || { echo "No Python 3.12 or newer found: install python3.12 (apt-get install python3.12) and retry."; exit 1; }
	@echo "Creating $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]' -c constraints-dev.txt
	@touch $(STAMP)

# Qt's runtime libraries and a Korean font: installed when run as root, otherwise the exact command is printed.
deps:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages: $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Missing Debian packages. Run: sudo apt-get install -y $$missing"; exit 1; \
	  fi; \
	fi

clean:
	rm -rf $(VENV) build *.egg-info

# -- Visitor-facing strings: gettext catalogs kiosk/i18n/locale/LANG/LC_MESSAGES/kiosk.po (Babel) --
# msgid = the key ("attract.headline"), msgstr = the text. `make i18n` after adding or removing a
# key in the code (Babel's extractor finds text(), both() and N_() keys; the catalogs gain the new
# keys untranslated and lose the unused ones, and are left untouched otherwise); edit the .po files
# for the texts; commit the .po and the compiled .mo files. `make i18n-extract` writes a .pot
# template for translation tools. A new language: `make i18n-init LANG_CODE=ja`, translate its
# .po, `make i18n-compile`, and list it in the config's visit.languages.
LOCALE_DIR := kiosk/i18n/locale
POT := build/kiosk.pot
PYBABEL := $(VENV)/bin/pybabel

.PHONY: i18n i18n-extract i18n-update i18n-compile i18n-init i18n-import

i18n: i18n-update i18n-compile

i18n-extract: $(STAMP)
	@mkdir -p build
	$(PYBABEL) --quiet extract -F babel.cfg --no-default-keywords -k text -k both -k N_ \
	  --no-location --sort-output --width 100 --project gwanghwamoon-kiosk -o $(POT) kiosk

i18n-update: $(STAMP)
	$(PY) -m kiosk.tooling.catalogs update

i18n-compile: $(STAMP)
	$(PYBABEL) compile -d $(LOCALE_DIR) -D kiosk --statistics

i18n-init: i18n-extract
	$(PYBABEL) init -i $(POT) -d $(LOCALE_DIR) -D kiosk -l $(LANG_CODE) --width 100

# Merge a TEXTS = {key: {lang: text}} dict (the pre-catalog kiosk/i18n/texts.py) into the catalogs
# and compile them: `make i18n-import FROM=old_texts.py`. It lists the keys the code does not use
# literally; declare those in kiosk/i18n/runtime_keys.py before the next `make i18n`.
i18n-import: $(STAMP)
	$(PY) -m kiosk.tooling.catalogs import-dict $(FROM)
	$(MAKE) i18n-compile

# -- Generated documentation: docs/configuration.md from the pydantic models of kiosk/config --
.PHONY: docs
docs: $(STAMP)
	$(PY) -m kiosk.config.docs > docs/configuration.md

print-python:
	@echo "$(PYTHON)"
