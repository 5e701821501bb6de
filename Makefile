# The two commands of the README: `make run` and `make test`. Everything they need is
# installed here (a virtualenv in .venv, Debian packages through scripts/install-system-deps.sh).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
STORE  ?= .mandategraph/store

.PHONY: run install install-test system-deps build validate validate-engine serve lint test test-fast bench clean

# `make run`: each stage prints a progress line and the time it took (scripts/stage.sh);
# validation uses the engine `validate` picks (the compiled SPARQL engine for the project's
# shapes: seconds on data/) and is skipped, with the last report shown, when neither the
# store nor the shapes changed since that report (`validate --if-changed`).
run:
	@bash scripts/stage.sh install $(MAKE) --no-print-directory -s install
	@bash scripts/stage.sh build $(BIN)/mandategraph build data/ --store $(STORE)
	@bash scripts/stage.sh validate $(BIN)/mandategraph validate --store $(STORE) --if-changed --progress
	@bash scripts/stage.sh serve $(BIN)/mandategraph serve --store $(STORE) --host $(HOST) --port $(PORT)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'

system-deps:
	bash scripts/install-system-deps.sh

build:
	$(BIN)/mandategraph build data/ --store $(STORE)

validate:
	$(BIN)/mandategraph validate --store $(STORE)

# the reference engines on request: make validate ENGINE=turbo | ENGINE=pyshacl
ENGINE ?= auto
validate-engine:
	$(BIN)/mandategraph validate --store $(STORE) --engine $(ENGINE)

serve:
	$(BIN)/mandategraph serve --store $(STORE) --host $(HOST) --port $(PORT)

lint: install-test
	$(BIN)/ruff check .

# The venv's bin comes first on PATH: tests start its `oxigraph` server binary (PyPI oxigraph).
test: install-test system-deps
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest -q

test-fast: install-test
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest -q -m "not browser and not virtuoso and not slow"

bench: install-test
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .mandategraph build dist tests/artifacts
