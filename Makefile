# The project's entry points. Each target creates the virtual environment and
# installs the project (editable, with its test extra) only when it is missing
# or pyproject.toml changed, so re-running a target reinstalls nothing. The
# judges (W3C checker, Lighthouse) come from npm the same way: `npm ci` when
# node_modules/ is missing or package-lock.json changed.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test serve bench audit clean

site: $(STAMP)          ## build the site (and the offline edition and PDFs) into site/
	$(BIN)/mkdocs build --strict

test: $(STAMP) $(NODE_STAMP)   ## run the whole test suite
	$(BIN)/python -m pytest $(PYTEST_ARGS)

serve: $(STAMP)         ## preview while writing: http://127.0.0.1:8000/
	$(BIN)/mkdocs serve --no-strict   # content problems show on the pages instead of blocking

bench: $(STAMP)         ## the performance benchmark (see README)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

audit: $(STAMP) $(NODE_STAMP)  ## judge the built site/ (run `make site` first): W3C checker, axe, Lighthouse
	$(BIN)/python tests/audit.py site

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@# cffconvert (CITATION.cff validation) pins jsonschema<4, which check-jsonschema cannot share:
	@# it gets a small environment of its own inside .venv.
	@test -x $(VENV)/cffconvert/bin/cffconvert || { $(PYTHON) -m venv $(VENV)/cffconvert && \
	  $(VENV)/cffconvert/bin/python -m pip install --quiet --disable-pip-version-check 'cffconvert>=2.0,<3'; }
	@touch $@

# --ignore-scripts: vnu-jar's install script would download a Java runtime; we use the system's.
# Without npm the judges' tests skip (and fail with CI=true; .ci/run installs Node and Java).
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the W3C checker and Lighthouse will be skipped (apt-get install nodejs npm)"; fi

clean:
	rm -rf site .cache .pytest_tmp
