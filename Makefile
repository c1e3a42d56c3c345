# Task runner. `make help` lists the tasks. Every task installs what it needs
# into .venv first, so a fresh clone needs nothing installed by hand.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# bench-scale's catalogue sizes, as a default: $(or $(FACTORS),1,10,50) would read its commas as argument breaks
FACTORS ?= 1,10,50

.DEFAULT_GOAL := help
.PHONY: help site serve test check export import-all bench bench-site bench-scale bench-pages bench-history lint manifest

help: ## List the tasks
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

site: $(STAMP) ## Check the catalogue and build the site into site/
	$(PY) -m generator check
	$(PY) -m generator build

serve: $(STAMP) ## Serve the site on http://127.0.0.1:8000 with live reload
	$(PY) -m generator serve

test: lint ## Run the whole test suite (lint, unit, golden, fidelity, check, browser)
	$(PY) -m pytest

lint: $(STAMP) ## Check the code with ruff
	$(PY) -m ruff check generator tests benchmarks

check: $(STAMP) ## Validate every catalogue file; print path:line: message for each problem
	$(PY) -m generator check

manifest: $(STAMP) ## Build the site and add its new public addresses to links/manifest.txt
	$(PY) -m generator manifest

export: $(STAMP) ## Write every data download (measures, plans, places, alignment, per-plan CSVs) into build/downloads
	$(PY) -m generator export --out build/downloads

import-all: $(STAMP) ## Re-import every source into catalog/documents (refuses to overwrite reviewed files)
	$(PY) -m generator import sources/*.txt

bench: $(STAMP) ## Benchmark importing all sources and checking the catalogue
	$(PY) benchmarks/bench_catalog.py

bench-site: $(STAMP) ## Benchmark building the whole site: generator and MkDocs separately, page count and sizes
	$(PY) benchmarks/bench_site.py

bench-scale: $(STAMP) ## Benchmark the build at 1x, 10x and 50x the catalogue (synthetic; FACTORS=1,10,50)
	$(PY) benchmarks/bench_scale.py --factors $(FACTORS) --reference --serve

bench-history: $(STAMP) ## Benchmark the change log on a long git history (the 50x synthetic plans, a plan a commit)
	$(PY) benchmarks/bench_history.py --edits $(or $(EDITS),100)

bench-pages: $(STAMP) ## Benchmark every kind of page on an emulated phone in headless Chromium (RUNS=3)
	$(PY) benchmarks/bench_pages.py --runs $(or $(RUNS),3)
