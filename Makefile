# Set-up and everyday commands for the lobby kiosk. `make run` and `make test` work on a fresh Debian.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEB_PACKAGES := libegl1 libgl1 libdbus-1-3 libfontconfig1 libxkbcommon0 libglib2.0-0 libpulse0 \
                fonts-nanum \
                libx11-xcb1 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 \
                libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 \
                libspeechd2 speech-dispatcher speech-dispatcher-espeak-ng espeak-ng
# The first Python >= 3.12 found: on PATH, then in pyenv's versions (whose shims may be inactive).
PYTHON ?= $(shell for p in python3.13 python3.12 $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV) python3; do \
             $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$p; break; }; done)

.PHONY: run test screenshots check lint typecheck bench deps venv clean

run: deps $(STAMP)
	$(VENV)/bin/kiosk run

test: deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

screenshots: deps $(STAMP)
	rm -f docs/screenshots/*.png
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/kiosk screenshots --out docs/screenshots

check: lint typecheck test

lint: $(STAMP)
	$(VENV)/bin/ruff check kiosk tests bench
	$(VENV)/bin/ruff format --check kiosk tests bench

typecheck: $(STAMP)
	$(VENV)/bin/mypy kiosk

bench: deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) bench/startup.py
	QT_QPA_PLATFORM=offscreen $(PY) bench/keyboard.py
	QT_QPA_PLATFORM=offscreen $(PY) bench/purge.py
	QT_QPA_PLATFORM=offscreen $(PY) bench/live_results.py
	QT_QPA_PLATFORM=offscreen $(PY) bench/export.py
	QT_QPA_PLATFORM=offscreen $(PY) bench/sync_throughput.py
	$(PY) bench/durable_submit.py
	QT_QPA_PLATFORM=offscreen $(PY) bench/tap_latency.py
	QT_QPA_PLATFORM=offscreen $(PY) bench/soak.py

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "No Python 3.12 or newer found: install python3.12 (apt-get install python3.12) and retry."; exit 1; }
	@echo "Creating $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
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
