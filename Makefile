# Two commands on a fresh machine with Python 3.11+ and make:
#   make demo   set up, run the example corpus end to end, write the HTML report
#   make test   set up with test dependencies, run lint, type checks and the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_DB ?= out/demo.db
DEMO_REPORT ?= out/report.html

.PHONY: demo test lint typecheck pytest bench quality clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Parallax needs Python 3.11 or newer (found: $$($(PYTHON) --version))"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	@mkdir -p $(dir $(DEMO_DB))
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/parallax ingest examples/corpus --manifest examples/manifest.csv --db $(DEMO_DB)
	$(BIN)/parallax stories --db $(DEMO_DB)
	$(BIN)/parallax report --limit 1 --db $(DEMO_DB)
	$(BIN)/parallax report --format html --output $(DEMO_REPORT) --db $(DEMO_DB)
	@echo
	@echo "The report of every story is in $(DEMO_REPORT): open it in a browser."
	@echo "The store is $(DEMO_DB). Try: $(BIN)/parallax report --format markdown --db $(DEMO_DB)"
	@echo "Or browse it: $(BIN)/parallax serve --db $(DEMO_DB)  (then open http://127.0.0.1:8000/)"

lint: $(VENV)/.installed-test
	$(BIN)/ruff check parallax tests bench
	$(BIN)/ruff format --check parallax tests bench

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

pytest: $(VENV)/.installed-test
	$(BIN)/python -m pytest

# pytest exits 5 when it collects no tests; make treats any non-zero exit as failure.
test: lint typecheck pytest

bench: $(VENV)/.installed-test
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/annotate.py
	$(BIN)/python bench/compare.py

quality: $(VENV)/.installed-test
	$(BIN)/python -m pytest -m quality

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache *.egg-info
