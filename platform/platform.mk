# The platform kit (platform/): `make platform` serves the platform's WFS-T on 127.0.0.1 from a GeoPackage until
# Ctrl-C; `make platform PLATFORM=postgis` from a local PostgreSQL 15 + PostGIS cluster (Debian's packages,
# installed when missing). Data, project, users and logs stay in PLATFORM_DIR/<platform>/ across runs.
PLATFORM ?= gpkg
PLATFORM_PORT ?= 8765
PLATFORM_PG_PORT ?= 55432
PLATFORM_DIR ?= platform/.run
PLATFORM_PG_PACKAGES := postgresql-15 postgresql-15-postgis-3

.PHONY: platform platform-postgis-packages

platform: venv $(if $(filter postgis,$(PLATFORM)),platform-postgis-packages)
	$(PY) platform/start.py --platform $(PLATFORM) --port $(PLATFORM_PORT) --pg-port $(PLATFORM_PG_PORT) \
	  --dir $(PLATFORM_DIR)

platform-postgis-packages:
	@missing=""; for p in $(PLATFORM_PG_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing from Debian:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
