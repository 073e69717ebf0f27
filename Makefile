# The two commands of the README.  Each creates or refreshes .venv by itself.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test test-fast lint bench screenshots clean

# The venv is refreshed whenever pyproject.toml changes.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/kiosk run --demo

test: $(STAMP)
	$(BIN)/ruff check kiosk tests bench
	$(BIN)/ruff format --check kiosk tests bench
	$(BIN)/mypy
	env -u DISPLAY -u WAYLAND_DISPLAY $(BIN)/python -m pytest -q

# While iterating: skip the slow drills (make test still runs them).
test-fast: $(STAMP)
	env -u DISPLAY -u WAYLAND_DISPLAY $(BIN)/python -m pytest -q -m 'not slow' -x

bench: $(STAMP)
	for f in bench/*.py; do $(BIN)/python $$f || exit 1; done

screenshots: $(STAMP)
	for s in home sale checkin jobs staff; do env -u DISPLAY $(BIN)/kiosk screenshot $$s --demo --out docs/screenshots/$$s.png || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
