# claimwatch: `make demo` verifies the seed article; `make test` runs the fast tests,
# `make test-all` every test (the slow tier adds Prefect servers, Dask, a browser and
# killed processes; CI runs it).
# Both install everything first (uv, then the locked environment in .venv).

UV := $(shell command -v uv 2>/dev/null || echo python3 -m uv)
SEED := seeds/articles/pboc-2021-09-24.txt

.PHONY: install browser emulator demo test test-all docs lint bench model clean

install: .venv/.installed

.venv/.installed: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen
	@touch $@

demo: install
	$(UV) run claimwatch run $(SEED) --sources seeds/sources.csv

# The dashboard test drives Debian's Chromium (tests/test_report.py).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

# The fast tier runs on two workers (pytest-xdist), a test file to a worker, so that its
# module-wide fixtures are made once. The slow tier runs after it, one test at a time: its
# Prefect servers, browser and raced processes want the machine to themselves.
PYTEST_FAST := pytest -m "not slow" -n 2 --dist loadfile

test: install
	$(UV) run $(PYTEST_FAST)

# The model-readings test on other instruction sets runs under QEMU's user-mode emulator.
emulator:
	@command -v qemu-x86_64 >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq qemu-user >/dev/null; }

test-all: install browser emulator
	$(UV) run $(PYTEST_FAST)
	$(UV) run pytest -m slow

# The command reference, from the commands' own --help (a test fails when it is stale).
docs: install
	$(UV) run python -m claimwatch.clidoc > docs/cli.md

lint: install
	$(UV) run ruff check claimwatch flows tests benchmarks

bench: install
	$(UV) run python benchmarks/pipeline_stages.py

# Train the stance model again (about 35 minutes on 2 cores); claimwatch ships the result,
# so neither demo nor test ever runs this. Its own environment: torch is never in .venv.
TRAIN_VENV := .venv-train
model: install
	@test -x $(TRAIN_VENV)/bin/python || python3 -m venv $(TRAIN_VENV)
	$(TRAIN_VENV)/bin/pip install --quiet -r models/stance/requirements.txt
	$(UV) run python models/stance/augment.py models/stance/augmented.jsonl
	$(UV) run python models/stance/lexical.py models/stance/lexical.jsonl
	$(TRAIN_VENV)/bin/python models/stance/train.py
	$(UV) run claimwatch eval stance models/stance/fever-test.jsonl

clean:
	rm -rf .venv data .pytest_cache
