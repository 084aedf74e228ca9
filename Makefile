# The two doors of the README: `make demo` and `make test`. Each makes its own virtual
# environment in .venv (re-used while pyproject.toml is unchanged).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SOURCES ?= ../shared/corpus

.PHONY: venv demo test lint bench serve clean

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: venv
	$(BIN)/seckb build --sources $(SOURCES)
	$(BIN)/seckb stats
	$(BIN)/seckb search "more than two children" --state MH --limit 3
	$(BIN)/seckb show "MH VPA 1959 s.14(1)(j-1)"
	$(BIN)/seckb compare --topic candidate-disqualification --states MH,MN,DL --body panchayat --diff
	$(BIN)/seckb compare --rule two_child_norm --format md --output seckb-data/two-child-norm.md
	$(BIN)/seckb notes import corpus/notes
	$(BIN)/seckb search "two-child norm" --kind note --limit 3
	$(BIN)/seckb brief --agenda corpus/agenda.yaml --out-dir seckb-data/brief
	$(BIN)/seckb coverage --format text
	@echo "Open the knowledge base in a browser: make serve, then http://127.0.0.1:8000/"

test: venv
	$(BIN)/python -m pytest

# The knowledge base in a browser, on loopback; builds it first if there is none.
serve: venv
	@test -e seckb-data/current || $(BIN)/seckb build --sources $(SOURCES)
	$(BIN)/seckb serve --host 127.0.0.1 --port 8000

# The gates: style, formatting, types and the import layers (contracts in pyproject.toml).
lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: venv
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) seckb-data .pytest_cache
