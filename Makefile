# Quarry's two set-up commands: `make demo` runs the demo job, `make test` runs the tests.
# Each creates the virtual environment in .venv and installs Quarry into it on first use,
# including KenLM's lmplz/build_binary, built from the kenlm sdist (Debian build packages are
# installed with apt-get when missing and this runs as root; otherwise the error names them).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: install demo test clean chromium

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,train,dask]'
	$(MAKE) --no-print-directory $(BIN)/lmplz
	touch $(STAMP)

$(BIN)/lmplz:
	@if ! $(BIN)/python -m filters.kenlm_build --check >/dev/null 2>&1; then \
	  missing=$$($(BIN)/python -c 'from filters.kenlm_build import missing_build_dependencies as m; print(" ".join(m()))'); \
	  if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing KenLM build packages: $$missing"; \
	    apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  fi; \
	  $(BIN)/python -m filters.kenlm_build; \
	fi

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/quarry demo --out demo-out

# The HTML report test screenshots the page in headless Chromium (Debian's package, as root).
chromium:
	@if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null \
	    && ! command -v google-chrome >/dev/null && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing chromium for the HTML report test"; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
	fi

test: $(STAMP) chromium
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) demo-out .pytest_cache
