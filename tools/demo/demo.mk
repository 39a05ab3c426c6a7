# `make demo` (included by the Makefile): the Situation Room working on Prato in one command. Installs what is
# missing (Debian's QGIS, QGIS Server, the venv: the `setup` target), then tools/demo/run.py: with a display it
# opens QGIS on the demo's project, without one it runs the workflow with qgis_process and prints where the
# reports are. DEMO_DIR (default tools/demo/.run) is kept between runs; DEMO_PORT is the platform's port;
# DEMO_TODAY=YYYY-MM-DD runs it for another day; DEMO_MODE=--headless or --desktop forces a mode.
DEMO_DIR ?= tools/demo/.run
DEMO_PORT ?= 8766
DEMO_MODE ?=

.PHONY: demo

demo: setup
	$(PY) tools/i18n.py release
	$(PY) -m tools.demo.run --dir $(DEMO_DIR) --port $(DEMO_PORT) $(DEMO_MODE)
