# Anxin: `make run` starts the service, `make test` runs the whole suite.
# Both install what they need first (idempotent: existing virtualenvs are kept).

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON311 ?= $(shell devtools/find-python.sh 3.11)
PYTHON310 ?= $(shell devtools/find-python.sh 3.10)
VENV := .venv
RASA_VENV := .venv-rasa
PORT ?= 8000
RASA_PORT ?= 5005
PYTEST_ARGS ?=
export RASA_TELEMETRY_ENABLED := false
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help install system-packages run test lint nlu-train nlu-serve nlu-validate bench

help:
	@echo "make run      install, migrate, train the NLU if needed, start Rasa and the web app"
	@echo "make test     install, then run the whole test suite"
	@echo "make install | nlu-train | nlu-serve | nlu-validate | lint | bench"

install: system-packages $(VENV)/.installed $(RASA_VENV)/.installed

# Debian packages for posters: a CJK TrueType font reportlab can embed, zbar (the QR
# decoder of the tests) and poppler (pdftoppm, to scan the PDF's QR in tests); and chromium,
# which the console's Playwright tests drive (never `playwright install`); docker-compose
# (validates docker/compose.yml without a Docker engine) and pgbouncer (the deployment
# tests run docker/pgbouncer/entrypoint.sh). Installed only when missing; apt-get update
# runs only then.
SYSTEM_PACKAGES := fonts-wqy-microhei libzbar0 poppler-utils docker-compose pgbouncer

system-packages:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done; \
		[ -x /usr/bin/chromium ] || echo chromium); \
	if [ -n "$$missing" ]; then \
		echo ">>> installing Debian packages:" $$missing; \
		command -v apt-get >/dev/null || { echo "apt-get not found: install" $$missing; exit 1; }; \
		sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		log=$$(mktemp); \
		{ $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			$$sudo apt-get install -y -qq --no-install-recommends $$missing; } >$$log 2>&1 \
			|| { cat $$log; rm -f $$log; exit 1; }; \
		rm -f $$log; \
	fi

# constraints.txt pins every package pip resolves (how to renew it: its header).
$(VENV)/.installed: pyproject.toml constraints.txt
	@test -n "$(PYTHON311)" || { echo "Python 3.11 is required (set PYTHON311=/path/to/python3.11)"; exit 1; }
	@test -d $(VENV) || { echo ">>> creating $(VENV) (Python 3.11, the web app)"; "$(PYTHON311)" -m venv $(VENV); }
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet --progress-bar on -e '.[dev]' -c constraints.txt
	@touch $@

$(RASA_VENV)/.installed: nlu/requirements-rasa.txt nlu/constraints-rasa.txt
	@test -n "$(PYTHON310)" || { echo "Python 3.10 is required for Rasa 3.6 (set PYTHON310=/path/to/python3.10)"; exit 1; }
	@test -d $(RASA_VENV) || { echo ">>> creating $(RASA_VENV) (Python 3.10, Rasa 3.6.21)"; "$(PYTHON310)" -m venv $(RASA_VENV); }
	@echo ">>> installing Rasa 3.6.21 (about 2.7 GB; several minutes the first time)"
	$(RASA_VENV)/bin/pip install --progress-bar on -r nlu/requirements-rasa.txt -c nlu/constraints-rasa.txt \
		| grep --line-buffered -E '^(Collecting|Successfully)' || true
	@$(RASA_VENV)/bin/python -c "import rasa, jieba, opencc" || { echo "Rasa install failed"; exit 1; }
	@touch $@

nlu-train: install
	@$(VENV)/bin/python -m nlu.training

nlu-validate: install
	cd nlu/rasa && ../../$(RASA_VENV)/bin/rasa data validate --fail-on-warnings

nlu-serve: nlu-train
	cd nlu/rasa && exec ../../$(RASA_VENV)/bin/rasa run --enable-api -i 127.0.0.1 -p $(RASA_PORT) \
		-m "$$(../../$(VENV)/bin/python -c 'from nlu.training import model_path; print(model_path())')"

run: nlu-train
	@PORT=$(PORT) RASA_PORT=$(RASA_PORT) devtools/run.sh

test: nlu-train
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/python -m pytest $(PYTEST_ARGS)

# mypy --strict on bot, nlu, models and cases (the files and options: pyproject.toml).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

bench: nlu-train
	$(VENV)/bin/python bench/load.py
