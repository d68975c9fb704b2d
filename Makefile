# The two commands of the README: `make demo` and `make test`.
# Each creates .venv if needed, installs the project into it, then runs.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.chainrule-setup

.PHONY: demo test test-fast lint bench mutation setup clean

demo: $(STAMP)
	$(BIN)/chainrule demo --force   # the demo's own folder, rewritten on every run

# pytest's exit status 5 means it collected no tests: that is a failure, never a pass.
# Then the page and notebook tests again as on a machine without Graphviz: --without-dot
# (tests/conftest.py) takes `dot` off PATH, and the pages lay themselves out in the browser.
WITHOUT_DOT_MARKERS := pages and not needs_dot
test: lint
	@$(BIN)/python -m pytest; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: that is a failure"; exit 1; fi; \
	if [ $$status -ne 0 ]; then exit $$status; fi; \
	$(BIN)/python -m pytest --without-dot -m "$(WITHOUT_DOT_MARKERS)"; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest --without-dot collected no tests: a failure"; exit 1; fi; \
	exit $$status

# The quick loop while editing: everything except the slow tests, and no browser is started
# (every test using tests/conftest.py's browser fixture is marked needs_chromium there).
TEST_FAST_MARKERS := not slow and not needs_chromium
test-fast: $(STAMP)
	@$(BIN)/python -m pytest -m "$(TEST_FAST_MARKERS)"; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: that is a failure"; exit 1; fi; \
	exit $$status

# ruff, then the import contracts of .importlinter (layers, the engine's order, no cycles).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python scripts/lint_imports.py

# Peers for the side-by-side benchmark, installed here only (never runtime dependencies).
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check micrograd==0.1.0
	$(BIN)/python -m pip install --quiet --disable-pip-version-check torch==2.13.0 \
	  || echo "PyTorch 2.13.0 could not be installed: its rows are skipped"
	$(BIN)/python -m benchmarks.run

# Mutation testing (#20), slow and never part of `make test` or CI: mutmut changes engine/ one
# small edit at a time and runs the engine's tests against each change ([tool.mutmut] in
# pyproject.toml). mutmut names a mutant's module after its file's path, so it runs in
# $(MUTATION_DIR), a copy of the installed layout where engine/ is chainrule/engine/; its
# mutants/ folder there keeps the results, and a second run only retests what changed.
# `make mutation MUTANTS='chainrule.engine.value.*'` runs only the mutants matching the pattern.
MUTATION_DIR := build/mutation
MUTATION_JOBS ?= 1
MUTANTS ?=
mutation: $(STAMP)
	rm -rf $(MUTATION_DIR)/chainrule $(MUTATION_DIR)/engine $(MUTATION_DIR)/tests $(MUTATION_DIR)/docs $(MUTATION_DIR)/scripts
	mkdir -p $(MUTATION_DIR)
	cp -Rp pyproject.toml chainrule engine tests docs scripts $(MUTATION_DIR)/
	cp -Rp engine $(MUTATION_DIR)/chainrule/engine
	cp -Rp nn $(MUTATION_DIR)/chainrule/nn
	cp -Rp viz $(MUTATION_DIR)/chainrule/viz
	find $(MUTATION_DIR) -path $(MUTATION_DIR)/mutants -prune -o -name __pycache__ -prune -exec rm -rf {} +
	# each mutant's process imports the tests afresh: let pytest keep their rewritten bytecode
	cd $(MUTATION_DIR) && env -u PYTHONDONTWRITEBYTECODE \
	  $(abspath $(BIN))/mutmut run --max-children $(MUTATION_JOBS) $(MUTANTS)
	cd $(MUTATION_DIR) && $(abspath $(BIN))/mutmut results

setup: $(STAMP)

$(STAMP): pyproject.toml scripts/bootstrap.sh
	PYTHON=$(PYTHON) VENV=$(VENV) scripts/bootstrap.sh
	@touch $@

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
