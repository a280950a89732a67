# illkirch.eservices — development tasks.
#   make start   install, create the demo site if absent, serve it on :8080
#   make test    install and run the whole suite (browser tests included)
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HTTP_PORT ?= 8080
SMTP_PORT ?= 8025
ADMIN ?= admin:admin
INSTANCE ?= instance
VAR ?= var
ZOPE_CONF := $(INSTANCE)/etc/zope.conf
INSTALL_STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
# Database of the instance: filestorage (embedded, default) or relstorage
# (PostgreSQL, several instances; docs/deployment.md) with its libpq DSN.
ZODB_BACKEND ?= filestorage
ZODB_DSN ?=
# The PostgreSQL server of the scale-out tests (tests/system/test_scale_out.py).
PG_HOST ?= 127.0.0.1
PG_PORT ?= 5432
export ESERVICES_TEST_PG ?= host=$(PG_HOST) port=$(PG_PORT) user=postgres

.PHONY: help
help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALL_STAMP): $(BIN)/python setup.py pyproject.toml constraints.txt
	$(BIN)/python -m pip install -c constraints.txt "pip==$$(sed -n 's/^pip==//p' constraints.txt)"
	$(BIN)/python -m pip install -c constraints.txt -e ".[test,relstorage,bench]"
	$(BIN)/python setup.py -q compile_catalogs
	touch $@

.PHONY: install
install: $(INSTALL_STAMP) ## create .venv and install the add-on from the pins
	@$(BIN)/python setup.py -q compile_catalogs

.PHONY: instance
instance: install ## write the Zope configuration from templates/instance
	$(BIN)/python scripts/render_instance.py --instance $(INSTANCE) --var $(VAR) \
	  --http-port $(HTTP_PORT) --zodb-backend $(ZODB_BACKEND) --dsn "$(ZODB_DSN)"

.PHONY: site
site: instance ## create the demo site (content, accounts) if the database has none
	$(BIN)/eservices-create-site -c $(ZOPE_CONF) --admin $(ADMIN) --smtp-port $(SMTP_PORT) \
	  --public-url http://localhost:$(HTTP_PORT)/Plone

.PHONY: start
start: instance ## serve http://localhost:8080/Plone (demo site created if absent), mail in var/mail/
	@echo "Starting the SMTP sink ($(VAR)/mail/) and Zope on http://localhost:$(HTTP_PORT)/Plone"
	@$(BIN)/eservices-mailsink --dir $(VAR)/mail --port $(SMTP_PORT) & \
	  SINK=$$!; trap "kill $$SINK 2>/dev/null" EXIT INT TERM; \
	  $(BIN)/eservices-create-site -c $(ZOPE_CONF) --admin $(ADMIN) --smtp-port $(SMTP_PORT) \
	  --public-url http://localhost:$(HTTP_PORT)/Plone && \
	  $(BIN)/runwsgi $(INSTANCE)/etc/zope.ini

.PHONY: screenshots
screenshots: install chromium ## the main pages at 1280 px and 390 px into docs/screenshots/ (the demo on free ports)
	$(BIN)/python scripts/screenshots.py --out docs/screenshots

ACCESSIBILITY_RAW := test-results/accessibility-audit.jsonl

.PHONY: accessibility-audit
accessibility-audit: install chromium ## run the browser tests, record their axe audits into accessibility/audit.json (the statement's source)
	@mkdir -p $(dir $(ACCESSIBILITY_RAW)) && rm -f $(ACCESSIBILITY_RAW)
	ACCESSIBILITY_AUDIT=$(ACCESSIBILITY_RAW) $(BIN)/pytest -p no:randomly tests/browser $(PYTEST_ARGS); \
	  status=$$?; \
	  PYTHONPATH=src $(BIN)/python -m illkirch.eservices.testing.accessibility_audit \
	    $(ACCESSIBILITY_RAW) src/illkirch/eservices/accessibility/audit.json && exit $$status

.PHONY: chromium
chromium: ## install Debian's Chromium and fonts for the browser tests when missing
	@if ! command -v chromium >/dev/null 2>&1; then \
	  echo "Installing Debian's chromium and fonts"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium fonts-dejavu-core fonts-liberation >/dev/null; \
	fi
	@chromium --version

.PHONY: postgres
postgres: ## make sure PostgreSQL answers on PG_HOST:PG_PORT (a throwaway cluster otherwise)
	@scripts/ensure_postgres.sh $(PG_HOST) $(PG_PORT)

.PHONY: check-pins
check-pins: ## check that versions.cfg matches constraints.txt
	$(BIN)/python scripts/sync_pins.py --check

LINTED := setup.py src tests benchmarks scripts

.PHONY: lint
lint: install lint-imports ## ruff (rules in pyproject.toml) and the layers contract (docs/architecture.md)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

.PHONY: lint-imports
lint-imports: install ## check that no module imports a layer above its own (pyproject.toml, docs/architecture.md)
	PYTHONPATH=src $(BIN)/lint-imports

.PHONY: test-pytest
test-pytest: install chromium postgres
	$(BIN)/pytest $(PYTEST_ARGS)

.PHONY: check-buildout
check-buildout: install ## run buildout from buildout.cfg and its bin/test (setup tests)
	scripts/check_buildout.sh

.PHONY: test
test: install chromium postgres check-pins ## install, lint and run the whole suite
	$(MAKE) lint
	$(MAKE) test-pytest
	$(MAKE) check-buildout

.PHONY: clean
clean: ## remove the virtualenv and generated files (keeps var/: the data)
	rm -rf $(VENV) $(INSTANCE) bin parts develop-eggs eggs .installed.cfg
