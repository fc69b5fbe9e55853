# duizhang — the two commands that matter: `make run` and `make test`.
PYTHON ?= python3.11
UV_VERSION := 0.13.9
UV := .tools/bin/uv
VENV := .venv
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)
export UV_PYTHON := $(shell command -v $(PYTHON) || command -v python3)
# Installed packages compiled to bytecode once: where PYTHONDONTWRITEBYTECODE is set (containers,
# CI) every `duizhang` run, and every worker process it starts, compiled Polars and the rest anew.
export UV_COMPILE_BYTECODE := 1

.PHONY: help install run test test-uncompiled lint typecheck check bench bench-small bench-variants bench-independent demo lock messages clean

help:  ## list the targets
	@awk -F ':.*## ' '/^[a-z-]+:.*## / {printf "  %-18s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(UV):
	$(PYTHON) -m venv .tools || python3 -m venv .tools
	.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

$(VENV)/.installed: $(UV) pyproject.toml uv.lock Makefile
	$(UV) sync --frozen --quiet
	touch $@

# The group search compiled to C by mypyc: the same typed Python, twice as fast. Without a C
# compiler the build fails, says so, and the engine runs the source as plain Python.
COMPILED := duizhang/engine/groups.py duizhang/engine/typos.py
$(VENV)/.compiled: $(VENV)/.installed $(COMPILED) tools/compile_search.py
	rm -f duizhang/engine/*.so
	@echo "compiling the group search with mypyc: $(COMPILED)"
	@$(VENV)/bin/python tools/compile_search.py $(COMPILED) >$(VENV)/compile.log 2>&1 \
		|| echo "mypyc could not compile $(COMPILED) (see $(VENV)/compile.log): it runs as plain Python"
	touch $@

install: $(VENV)/.compiled  ## create .venv, install duizhang with its dev tools, compile the group search

run: install  ## set up the embedded SQLite database, load demo data, serve on :8000
	$(VENV)/bin/duizhang demo
	$(VENV)/bin/duizhang serve

demo: install  ## create the database and load the demo data (idempotent)
	$(VENV)/bin/duizhang demo

test: install  ## the whole test suite
	$(VENV)/bin/pytest -n 2 -q

# The engine's tests once more on the source alone, as on a machine without a C compiler: a copy
# of the code without the compiled search, which Python would otherwise import instead.
UNCOMPILED := build/uncompiled
test-uncompiled: install  ## the engine's tests without the compiled group search
	rm -rf $(UNCOMPILED) && mkdir -p $(UNCOMPILED)
	cp -r duizhang tests pyproject.toml $(UNCOMPILED)/
	find $(UNCOMPILED) -name '*.so' -delete
	cd $(UNCOMPILED) && PYTHONPATH=. $(CURDIR)/$(VENV)/bin/pytest -n 2 -q -p no:cacheprovider tests/engine

lint: install  ## ruff check + format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install  ## mypy
	$(VENV)/bin/mypy duizhang tools tests

check: lint typecheck test  ## lint, types and tests

bench: install  ## matching benchmark at 10k, 100k and 1M lines
	$(VENV)/bin/python -m duizhang.bench.run

bench-small: install  ## the quick version CI runs; fails if quality drops
	$(VENV)/bin/python -m duizhang.bench.run --small

bench-variants: install  ## precision where it is hardest: eight harsher held-out variants, 100k each
	$(VENV)/bin/python -m duizhang.bench.run --variants --tools engine

bench-independent: install  ## the generators written without the engine: bank and customer ledger, 100k, seeds 1-3
	$(VENV)/bin/python -m duizhang.bench.run --independent --tools engine,spreadsheet

lock: $(UV)
	$(UV) lock

messages: install  ## compile every duizhang/**/locale/*/LC_MESSAGES/django.po into .mo (polib; no gettext needed)
	$(VENV)/bin/python duizhang/locale/compile_messages.py

clean:
	rm -f duizhang/engine/*.so
	rm -rf $(VENV) .tools .pytest_cache .mypy_cache .ruff_cache
