# The two commands a newcomer needs: `make run` and `make test`.
# The machine's own Python (Debian's, built with PGO/LTO): a pyenv or other python3 earlier on
# PATH may be an unoptimized build that runs this project at half the speed.
PY ?= $(shell test -x /usr/bin/python3 && echo /usr/bin/python3 || echo python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := congress.settings

.PHONY: install run test lint worker beat bench bench-scale chaos migrate seed clean

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install -qq -r requirements.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

run: install migrate
	@# Seed the tiny demo once per database; the marker row lives in the database itself.
	$(BIN)/python manage.py seed_demo --scale tiny --if-empty
	$(BIN)/python manage.py demo_logins
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: install lint
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

worker: install
	$(BIN)/celery -A congress worker -l info --concurrency=$${WORKER_CONCURRENCY:-2}

# One per installation: re-sends jobs the broker never got, takes back dead workers' leases.
beat: install
	$(BIN)/celery -A congress beat -l info --schedule=$${BEAT_SCHEDULE_FILE:-/tmp/congress-beat}

bench: install
	$(BIN)/python bench/run.py

# A dying worker, broker, database connection and disk against the real stack; the last line
# of output is a JSON object whose failure counts must all be 0.
chaos: install
	$(BIN)/python bench/chaos.py

clean:
	rm -rf $(VENV) db.sqlite3 bench/results.json

# SCALE_PROVINCES provinces (default 3) recomputed, fanned out by province and subtree, over 1,
# then 2 real Celery worker processes (needs Redis; seeds and reuses its own database,
# SCALE_DATABASE_URL, default congress_scale). See docs/scaling.md.
bench-scale: install
	$(BIN)/python bench/bench_scale.py
