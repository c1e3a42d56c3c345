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

# The generator's own modules compiled to bytecode, as pip compiles an installed package's. The editable install
# leaves that to Python at import, which writes nothing where PYTHONDONTWRITEBYTECODE is set (CI runners and
# container images often set it): then every command compiled all of them again, about 4% of the CPU of a
# 1x build. compileall rewrites only what changed; a syntax error fails here, naming the file and line.
BYTECODE := $(VENV)/.bytecode
$(BYTECODE): $(STAMP) $(shell find generator -name '*.py')
	$(PY) -m compileall -q generator
	touch $(BYTECODE)

site: $(BYTECODE) ## Check the catalogue and build the site into site/
	$(PY) -m generator check
	$(PY) -m generator build

serve: $(BYTECODE) ## Serve the site on http://127.0.0.1:8000 with live reload
	$(PY) -m generator serve

test: lint $(BYTECODE) ## Run the whole test suite (lint, unit, golden, fidelity, check, browser)
	$(PY) -m pytest

lint: $(STAMP) ## Check the code with ruff
	$(PY) -m ruff check generator tests benchmarks

check: $(BYTECODE) ## Validate every catalogue file; print path:line: message for each problem
	$(PY) -m generator check

manifest: $(BYTECODE) ## Build the site and add its new public addresses to links/manifest.txt
	$(PY) -m generator manifest

export: $(BYTECODE) ## Write every data download (measures, plans, places, alignment, per-plan CSVs) into build/downloads
	$(PY) -m generator export --out build/downloads

import-all: $(BYTECODE) ## Re-import every source into catalog/documents (refuses to overwrite reviewed files)
	$(PY) -m generator import sources/*.txt

bench: $(BYTECODE) ## Benchmark importing all sources and checking the catalogue
	$(PY) benchmarks/bench_catalog.py

bench-site: $(BYTECODE) ## Benchmark building the whole site: generator and MkDocs separately, page count and sizes
	$(PY) benchmarks/bench_site.py

bench-scale: $(BYTECODE) ## Benchmark the build at 1x, 10x and 50x the catalogue (synthetic; FACTORS=1,10,50)
	$(PY) benchmarks/bench_scale.py --factors $(FACTORS) --reference --serve

bench-history: $(BYTECODE) ## Benchmark the change log on a long git history (the 50x synthetic plans, a plan a commit)
	$(PY) benchmarks/bench_history.py --edits $(or $(EDITS),100)

bench-pages: $(BYTECODE) ## Benchmark every kind of page on an emulated phone in headless Chromium (RUNS=3)
	$(PY) benchmarks/bench_pages.py --runs $(or $(RUNS),3)
