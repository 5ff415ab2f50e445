# Two commands do all the set-up on a fresh machine:
#   make run    start the app on the embedded chain
#   make test   run the whole test suite (installs Python and npm dependencies first)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint check-artifacts artifacts benchmarks

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

contracts/node_modules/.installed: contracts/package.json contracts/package-lock.json
	cd contracts && npm ci --no-audit --no-fund
	touch $@

run: $(BIN)/.installed
	$(BIN)/dacwallet

# Four workers on two cores: much of a test's time is waiting (nodes starting, timeouts, child processes), so
# two workers left the cores idle (the suite took 350-380 s with two, 231-301 s with four). The bytecode is compiled
# first because the tests start the command line in many child processes, and where PYTHONDONTWRITEBYTECODE is set
# (as on this project's machines) each of them would compile every module again (0.35 s a start).
test: $(BIN)/.installed contracts/node_modules/.installed
	$(BIN)/python -m compileall -q dacwallet ui tests benchmarks > /dev/null
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n 4 --dist loadfile --durations=15

# Format check, lint and types (configured in pyproject.toml): what a reviewer would otherwise point out by hand.
lint: $(BIN)/.installed
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

# The layout tests again in a real X server (Xvfb, Debian's xvfb package): real fonts and window manager-free
# X geometry, where offscreen only approximates them.
test-x11: $(BIN)/.installed
	xvfb-run -a -s "-screen 0 1440x900x24" env QT_QPA_PLATFORM=xcb $(BIN)/python -m pytest tests/ui/test_layout.py tests/ui/test_keyboard.py tests/ui/test_focus_ring.py -q

# Recompile the contracts into resources/contracts (needs the npm packages).
artifacts: contracts/node_modules/.installed
	node contracts/build.js

check-artifacts: contracts/node_modules/.installed
	node contracts/build.js --check

benchmarks: $(BIN)/.installed
	$(BIN)/python benchmarks/gas.py
