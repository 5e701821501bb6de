# The two commands of the README: `make run` and `make test`. Everything they need is
# installed here (a virtualenv in .venv, Debian packages through scripts/install-system-deps.sh).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
STORE  ?= .mandategraph/store

.PHONY: run install install-test system-deps build validate serve lint test test-fast bench clean

run: install build validate serve

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
