# The two commands a newcomer needs: `make run` and `make test`. Everything else is a step of them.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app bot
STAMP := $(VENV)/.installed
# Chinese word vectors (bot/vectors): read out of the cnsyn wheel once, memory-mapped by every process.
VECTORS := models/vectors/vectors.npy
HOST ?= 127.0.0.1
PORT ?= 5000
# The suite runs in this many processes (pytest-xdist); each has its own databases (tests/conftest.py).
TEST_WORKERS ?= 2
# Extra pytest arguments, e.g. TEST_ARGS='-m "not timeless"' (what CI's moved-clock runs use).
TEST_ARGS ?=
export HOST PORT

# Rasa 3.6 installs only on Python 3.10: take pyenv's, else python3.10 on PATH.
PY310 := $(shell for p in $$(ls -d $$(pyenv root 2>/dev/null)/versions/3.10.*/bin/python 2>/dev/null | sort -V | tail -1) python3.10; do "$$p" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null && { echo $$p; break; }; done)


.PHONY: install vectors migrate seed train run test eval chat bench bench-orders worker prod validate browser feedback-model bench-feedback

$(STAMP): requirements.txt constraints.txt
	@if [ -z "$(PY310)" ] && [ ! -x $(PY) ]; then \
	  echo "Python 3.10 is required (Rasa 3.6 does not install on 3.11+)."; \
	  echo "Install it with 'pyenv install 3.10' or 'apt-get install python3.10 python3.10-venv', then run make again."; \
	  exit 1; fi
	@test -x $(PY) || $(PY310) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt -c constraints.txt
	@touch $(STAMP)

install: $(STAMP) $(VECTORS)

$(VECTORS): $(STAMP) bot/vectors/build.py
	$(PY) -m bot.vectors.build

vectors: $(VECTORS)

migrate: install
	$(FLASK) db upgrade

seed: migrate
	$(FLASK) seed

# Prints the training time (or that the model for this data exists already).
train: install
	@$(FLASK) nlu train

# Validated once per change of the training data (CI's later `make test` runs skip the 40 s check).
VALIDATED := $(VENV)/.validated
$(VALIDATED): $(STAMP) $(wildcard nlu_data/*.yml nlu_data/nlu/*.yml)
	$(VENV)/bin/rasa data validate --data nlu_data/nlu --config nlu_data/config.yml --domain nlu_data/domain.yml --fail-on-warnings
	@touch $@

validate: $(VALIDATED)

run: seed train
	@echo "Serving on http://$(HOST):$(PORT)  (webhook: /wechat, health: /healthz). Chat with it: make chat"
	@# Without WECHAT_APP_SECRET, outbound messages (late answers, staff replies) go to the
	@# development outbox that `make chat` shows; the console is served over plain HTTP here, with
	@# its chat simulator (o-sim-* openids only; `make prod` refuses CONSOLE_SIMULATOR=1).
	@# Workers: one per core when REDIS_URL is set, else exactly one (the in-process store is one
	@# process's memory); WEB_WORKERS overrides when REDIS_URL is set. See README "Throughput".
	WECHAT_DEV_OUTBOX=$${WECHAT_DEV_OUTBOX:-$$([ -n "$$WECHAT_APP_SECRET" ] && echo 0 || echo 1)} \
	CONSOLE_SECURE_COOKIES=$${CONSOLE_SECURE_COOKIES:-0} \
	CONSOLE_SIMULATOR=$${CONSOLE_SIMULATOR:-1} \
	$(VENV)/bin/gunicorn --bind $(HOST):$(PORT) --workers $$($(PY) -m bot.prod workers) \
	  --threads $${WEB_THREADS:-8} --timeout 60 bot.wsgi:app

chat: install
	@$(FLASK) chat $(if $(OPENID),--openid $(OPENID))

# The browser tests drive Debian's chromium (Playwright's own download is not needed); CJK fonts
# make the screenshots readable. CI runs as root; elsewhere apt-get goes through sudo.
browser:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium fonts-noto-cjk; fi

test: install validate train browser
	$(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadfile $(TEST_ARGS) tests

# Quality figures on the third-party review data beside the repository (../shared/data, or
# SHARED_DATA=DIR): fails, never skips, when it is missing. A clone without it still passes `make test`.
eval: install train
	$(PY) -m pytest -q -s -p no:cacheprovider evals

# The learned feedback sentiment (bot/feedback/model/sentiment.json) from the labelled reviews in
# ../shared/data (or SHARED_DATA=DIR); the repository ships the result, so only a retrain needs the data.
feedback-model: install
	$(PY) -m bot.feedback.training

# Cross-category sentiment table and ms/review (bench/feedback_quality.md); needs the shared data.
bench-feedback: install
	$(PY) bench/feedback_quality.py

bench: install train
	$(PY) bench/webhook.py
	$(PY) bench/faq_quality.py

bench-orders: install train
	$(PY) bench/orders.py

worker: install
	$(FLASK) worker

# Production on one machine: PostgreSQL and Redis from DATABASE_URL / REDIS_URL (refused without them),
# WEB_WORKERS gunicorn workers (default: one per core, as many as memory holds a model for;
# `python -m bot.prod workers`), RQ_WORKERS queue workers, a Rasa server when RASA_URL is local.
RQ_WORKERS ?= 1
prod: install train
	@$(PY) -m bot.prod check
	$(FLASK) db upgrade
	WEB_WORKERS=$$($(PY) -m bot.prod workers) \
	RASA_PORT=$$($(PY) -c 'import os,urllib.parse as u; print(u.urlparse(os.environ.get("RASA_URL") or "http://x:5005").port or 5005)') \
	  $(VENV)/bin/honcho start -f Procfile -p $(PORT) -c worker=$(RQ_WORKERS) $$($(PY) -m bot.prod processes)
