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
# The local OpenID Connect provider shaped as FranceConnect (oidc/, #20);
# the demo site is created pointing at this port (docs/franceconnect.md).
OIDC_PORT ?= 8090
# ClamAV's daemon on the project's tiny signature database (#21,
# docs/deployment.md): its TCP port, its Unix socket in $(VAR)/clamd/.
CLAMD_PORT ?= 3310
ADMIN ?= admin:admin
INSTANCE ?= instance
VAR ?= var
ZOPE_CONF := $(INSTANCE)/etc/zope.conf
INSTALL_STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
# Database of the instance: zeo (default: the FileStorage of var/ served by
# a ZEO server on a Unix socket, so that Zope and the jobs' worker share it),
# filestorage (embedded, Zope alone, no worker) or relstorage (PostgreSQL,
# several instances; docs/deployment.md) with its libpq DSN.
ZODB_BACKEND ?= zeo
ZODB_DSN ?=
# Queue of the background jobs (docs/operations.md): sqlite (var/jobs.sqlite)
# or redis (JOBS_REDIS_URL, several instances and workers).
JOBS_BACKEND ?= sqlite
JOBS_REDIS_URL ?= redis://127.0.0.1:6379/0
# The Redis server of the tests of the jobs on Redis.
REDIS_HOST ?= 127.0.0.1
REDIS_PORT ?= 6379
export ESERVICES_TEST_REDIS ?= redis://$(REDIS_HOST):$(REDIS_PORT)/0
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
	  --http-port $(HTTP_PORT) --zodb-backend $(ZODB_BACKEND) --dsn "$(ZODB_DSN)" \
	  --jobs-backend $(JOBS_BACKEND) --jobs-redis-url "$(JOBS_REDIS_URL)"

.PHONY: site
site: instance ## create the demo site (content, accounts) if the database has none
	$(BIN)/eservices-create-site -c $(ZOPE_CONF) --admin $(ADMIN) --smtp-port $(SMTP_PORT) \
	  --public-url http://localhost:$(HTTP_PORT)/Plone --oidc-issuer http://localhost:$(OIDC_PORT)/api/v2 \
	  --clamd-address tcp://127.0.0.1:$(CLAMD_PORT)

.PHONY: oidc
oidc: ## install the local OpenID Connect provider (oidc/, FranceConnect-like) with npm ci when missing
	@command -v node >/dev/null 2>&1 || { echo "Node.js (20 or later) is needed: apt-get install nodejs npm"; exit 1; }
	@[ -d oidc/node_modules/oidc-provider ] || (cd oidc && npm ci --no-audit --no-fund)

.PHONY: cog-source
cog-source: ## install the npm packages the COG table is made from (insee-cog/) when missing: the tests check the committed table against them
	@command -v node >/dev/null 2>&1 || { echo "Node.js (20 or later) is needed: apt-get install nodejs npm"; exit 1; }
	@[ -d insee-cog/node_modules/decoupage-administratif-historique ] || (cd insee-cog && npm ci --no-audit --no-fund)

.PHONY: cog
cog: ## make src/illkirch/eservices/cog/communes.json.gz again from the npm packages pinned in insee-cog/ (docs/architecture.md)
	@command -v node >/dev/null 2>&1 || { echo "Node.js (20 or later) is needed: apt-get install nodejs npm"; exit 1; }
	cd insee-cog && npm ci --no-audit --no-fund
	$(PYTHON) scripts/make_cog.py

.PHONY: start
start: instance pdf-libs oidc clamav ## serve http://localhost:8080/Plone (demo site created if absent) with its jobs' worker, mail in var/mail/
	@echo "Starting the SMTP sink ($(VAR)/mail/), the FranceConnect-like provider on :$(OIDC_PORT), ClamAV's daemon on :$(CLAMD_PORT), the database, Zope on http://localhost:$(HTTP_PORT)/Plone and a worker"
	@PIDS=""; trap 'kill $$PIDS 2>/dev/null; wait' EXIT INT TERM; \
	  $(BIN)/eservices-mailsink --dir $(VAR)/mail --port $(SMTP_PORT) & PIDS="$$PIDS $$!"; \
	  mkdir -p $(VAR)/log; \
	  node oidc/server.js --port $(OIDC_PORT) \
	    --redirect-uri http://localhost:$(HTTP_PORT)/Plone/franceconnect-callback \
	    --post-logout-redirect-uri http://localhost:$(HTTP_PORT)/Plone \
	    >> $(VAR)/log/oidc.log 2>&1 & PIDS="$$PIDS $$!"; \
	  $(BIN)/python -m illkirch.eservices.cli.clamd --dir $(VAR)/clamd --port $(CLAMD_PORT) \
	    >> $(VAR)/log/clamd.log 2>&1 & PIDS="$$PIDS $$!"; \
	  if [ "$(ZODB_BACKEND)" = zeo ]; then \
	    rm -f $(VAR)/zeo.sock; \
	    $(BIN)/runzeo -C $(INSTANCE)/etc/zeo.conf & PIDS="$$PIDS $$!"; \
	    for i in $$(seq 100); do [ -S $(VAR)/zeo.sock ] && break; sleep 0.2; done; \
	  fi; \
	  $(BIN)/eservices-create-site -c $(ZOPE_CONF) --admin $(ADMIN) --smtp-port $(SMTP_PORT) \
	    --public-url http://localhost:$(HTTP_PORT)/Plone \
	    --oidc-issuer http://localhost:$(OIDC_PORT)/api/v2 \
	    --clamd-address tcp://127.0.0.1:$(CLAMD_PORT) || exit 1; \
	  if [ "$(ZODB_BACKEND)" != filestorage ]; then \
	    $(BIN)/eservices-worker -c $(ZOPE_CONF) >> $(VAR)/log/worker.log 2>&1 & PIDS="$$PIDS $$!"; \
	  else echo "ZODB_BACKEND=filestorage: no worker (the background jobs wait in the queue)"; fi; \
	  $(BIN)/runwsgi $(INSTANCE)/etc/zope.ini & PIDS="$$PIDS $$!"; \
	  wait

.PHONY: worker
worker: instance ## run one more jobs' worker beside make start (ZODB_BACKEND zeo or relstorage)
	$(BIN)/eservices-worker -c $(ZOPE_CONF)

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

.PHONY: pdf-libs
pdf-libs: ## install the Debian libraries WeasyPrint needs (Pango, HarfBuzz, fonts) when missing
	@if ! ldconfig -p | grep -q libpangoft2-1.0.so.0 || ! ldconfig -p | grep -q libharfbuzz-subset.so.0 \
	    || [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then \
	  echo "Installing WeasyPrint's libraries and fonts"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null; \
	fi

.PHONY: clamav
clamav: ## install Debian's ClamAV daemon (clamav-daemon) for the scans of uploads when missing
	@if ! command -v clamd >/dev/null 2>&1 && [ ! -x /usr/sbin/clamd ]; then \
	  echo "Installing Debian's clamav-daemon"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    clamav-daemon >/dev/null; \
	fi
	@PATH="$$PATH:/usr/sbin" clamd --version

.PHONY: haproxy
haproxy: ## install Debian's HAProxy (the load balancer of benchmarks/load.py) when missing
	@if ! command -v haproxy >/dev/null 2>&1 && [ ! -x /usr/sbin/haproxy ]; then \
	  echo "Installing Debian's haproxy"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    haproxy >/dev/null; \
	fi
	@PATH="$$PATH:/usr/sbin" haproxy -v | head -1

.PHONY: postgres
postgres: ## make sure PostgreSQL answers on PG_HOST:PG_PORT (a throwaway cluster otherwise)
	@scripts/ensure_postgres.sh $(PG_HOST) $(PG_PORT)

.PHONY: redis
redis: ## make sure Redis answers on REDIS_HOST:REDIS_PORT (a throwaway server otherwise)
	@scripts/ensure_redis.sh $(REDIS_HOST) $(REDIS_PORT)

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
test-pytest: install chromium pdf-libs postgres redis oidc cog-source clamav
	$(BIN)/pytest $(PYTEST_ARGS)

.PHONY: check-buildout
check-buildout: install ## run buildout from buildout.cfg and its bin/test (setup tests)
	scripts/check_buildout.sh

.PHONY: test
test: install chromium pdf-libs postgres redis oidc cog-source clamav check-pins ## install, lint and run the whole suite
	$(MAKE) lint
	$(MAKE) test-pytest
	$(MAKE) check-buildout

.PHONY: clean
clean: ## remove the virtualenv and generated files (keeps var/: the data)
	rm -rf $(VENV) $(INSTANCE) bin parts develop-eggs eggs .installed.cfg oidc/node_modules
