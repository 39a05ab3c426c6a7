# Situation Room — build, test and package. `make test` sets up a fresh Debian 12 machine on its own.
SHELL := /bin/bash
PLUGIN := situation_room_plugin
SYSPY := /usr/bin/python3
VENV := .venv
PY := $(VENV)/bin/python
DIST := dist
APT_PACKAGES := qgis python3-qgis qgis-server qgis-providers xvfb pyqt5-dev-tools qttools5-dev-tools xauth
export QT_QPA_PLATFORM ?= offscreen

.PHONY: setup system venv test test-unit lint i18n package install demo bench clean

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

lint: venv
	$(VENV)/bin/ruff check $(PLUGIN) tests tools bench

test: setup
	$(PY) tools/i18n.py release
	$(PY) -m pytest tests

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

demo:
	@echo "The demo is not there yet: it comes with the demo issue. Run 'make test' to see the plugin at work."

bench: setup
	$(PY) bench/run.py --out bench/results.json

clean:
	rm -rf $(DIST) build .pytest_cache i18n/*.qm
