# Situation Room — build, test and package. `make test` sets up a fresh Debian 12 machine on its own.
SHELL := /bin/bash
PLUGIN := situation_room_plugin
SYSPY := /usr/bin/python3
VENV := .venv
PY := $(VENV)/bin/python
DIST := dist
# Python 3.9, the oldest the plugin runs on (QGIS 3.22 for Windows): PY39=/path/to/python3.9, else pyenv's 3.9
# (installed with `pyenv install -s 3.9` only when pyenv has none), else python3.9 on the PATH.
PY39 ?=
VENV39 := .venv39
APT_PACKAGES := qgis python3-qgis qgis-server qgis-providers xvfb pyqt5-dev-tools qttools5-dev-tools xauth poppler-utils \
  postgresql-15 postgresql-15-postgis-3
export QT_QPA_PLATFORM ?= offscreen

.PHONY: setup system venv venv39 test test-unit test-py39 lint i18n package install demo bench clean

setup: system venv

# QGIS 3.22 LTR, QGIS Server, Xvfb and the Qt translation tools from Debian, when missing.
system:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing from Debian:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

$(VENV)/.done: requirements-dev.txt constraints.txt
	$(SYSPY) -m venv --system-site-packages $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt -c constraints.txt
	touch $@

venv: system $(VENV)/.done

$(VENV39)/.done: requirements-py39.txt
	@py39="$(PY39)"; \
	if [ -z "$$py39" ]; then \
	  pyenv=$$(command -v pyenv || echo "$${PYENV_ROOT:-$$HOME/.pyenv}/bin/pyenv"); \
	  if [ -x "$$pyenv" ]; then \
	    prefix=$$("$$pyenv" prefix 3.9 2>/dev/null) || { "$$pyenv" install -s 3.9 && prefix=$$("$$pyenv" prefix 3.9); }; \
	    py39="$$prefix/bin/python3.9"; \
	  else \
	    py39=$$(command -v python3.9 || true); \
	  fi; \
	fi; \
	if [ ! -x "$$py39" ]; then echo "Python 3.9 not found: install pyenv, or give PY39=/path/to/python3.9"; exit 1; fi; \
	echo "Python 3.9 for the unit tests: $$py39"; \
	"$$py39" -m venv --clear $(VENV39) && \
	$(VENV39)/bin/python -m pip install -q --upgrade pip && \
	$(VENV39)/bin/python -m pip install -q -r requirements-py39.txt
	touch $@

venv39: $(VENV39)/.done

lint: venv
	$(VENV)/bin/ruff check $(PLUGIN) tests tools bench

test: setup test-py39
	$(PY) tools/i18n.py release
	$(PY) -m pytest tests

# The core and its unit tests under Python 3.9 too (shapely 2.0, numpy 1.24): what QGIS 3.22 for Windows runs.
test-py39: venv39
	$(VENV39)/bin/python -m pytest -p no:qgis -p no:cacheprovider tests/unit

test-unit: venv
	$(PY) -m pytest -p no:qgis tests/unit

lint-i18n: venv
	$(PY) tools/i18n.py update
	$(PY) tools/i18n.py missing

i18n: venv
	$(PY) tools/i18n.py update
	$(PY) tools/i18n.py release

package: venv
	$(PY) tools/package.py --out $(DIST)/$(PLUGIN).zip

install: package
	$(PY) tools/package.py --install $(DIST)/$(PLUGIN).zip

include tools/demo/demo.mk

bench: setup
	$(PY) bench/run.py --out bench/results.json

clean:
	rm -rf $(DIST) build .pytest_cache i18n/*.qm
include platform/platform.mk
