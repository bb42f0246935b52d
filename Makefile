# The two commands a newcomer needs: `make run` and `make test`. Everything else is a step of them.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app bot
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000
export HOST PORT

# Rasa 3.6 installs only on Python 3.10: take pyenv's, else python3.10 on PATH.
PY310 := $(shell for p in $$(ls -d $$(pyenv root 2>/dev/null)/versions/3.10.*/bin/python 2>/dev/null | sort -V | tail -1) python3.10; do "$$p" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null && { echo $$p; break; }; done)

.PHONY: install migrate seed train run test chat bench worker prod validate

$(STAMP): requirements.txt constraints.txt
	@if [ -z "$(PY310)" ] && [ ! -x $(PY) ]; then \
	  echo "Python 3.10 is required (Rasa 3.6 does not install on 3.11+)."; \
	  echo "Install it with 'pyenv install 3.10' or 'apt-get install python3.10 python3.10-venv', then run make again."; \
	  exit 1; fi
	@test -x $(PY) || $(PY310) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt -c constraints.txt
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	$(FLASK) db upgrade

seed: migrate
	$(FLASK) seed

# Prints the training time (or that the model for this data exists already).
train: install
	@$(FLASK) nlu train

validate: install
	$(VENV)/bin/rasa data validate --data nlu_data/nlu --config nlu_data/config.yml --domain nlu_data/domain.yml --fail-on-warnings

run: seed train
	@echo "Serving on http://$(HOST):$(PORT)  (webhook: /wechat, health: /healthz). Chat with it: make chat"
	$(VENV)/bin/gunicorn --bind $(HOST):$(PORT) --workers 1 --threads 8 --timeout 60 bot.wsgi:app

chat: install
	@$(FLASK) chat $(if $(OPENID),--openid $(OPENID))

test: install validate train
	$(PY) -m pytest -q tests

bench: install train
	$(PY) bench/webhook.py

worker: install
	$(FLASK) worker
