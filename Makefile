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

.PHONY: site test check serve bench audit new-site clean distclean

site: $(STAMP)          ## build the site (and the offline edition and PDFs) into site/
	$(BIN)/mkdocs build --strict

test: $(STAMP) $(NODE_STAMP)   ## run the whole test suite
	$(BIN)/python -m pytest $(PYTEST_ARGS)

check: $(STAMP)         ## this site's content checks: tests/site/ and the checks every site passes
	$(BIN)/python -m pytest tests/site tests/generator/test_site_checks.py $(PYTEST_ARGS)

ADDR ?= 127.0.0.1:8000
serve: $(STAMP)         ## preview while writing: http://127.0.0.1:8000/ (another address: make serve ADDR=127.0.0.1:8001)
	@$(BIN)/python -c "import socket,sys; h,p='$(ADDR)'.rsplit(':',1); s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); sys.exit(s.bind((h,int(p))) or 0)" 2>/dev/null || \
	  { echo "$(ADDR) is in use (another preview?): stop it, or run make serve ADDR=127.0.0.1:8001" >&2; exit 1; }
	$(BIN)/mkdocs serve --no-strict -a $(ADDR)   # content problems show on the pages instead of blocking

bench: $(STAMP)         ## the performance benchmark (see README)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

audit: $(STAMP) $(NODE_STAMP)  ## judge the built site/ (run `make site` first): W3C checker, axe, Lighthouse
	$(BIN)/python tests/audit.py site

# The folder whose generator .venv runs (where it imports `microsite` from). A .venv
# copied with the project from another folder still runs that folder's code: when it
# is not this folder, the stamp is out of date and the recipe makes a new .venv.
VENV_RUNS := $(shell test -x $(BIN)/python && $(BIN)/python -c 'import microsite, pathlib; \
  print(pathlib.Path(microsite.__file__).resolve().parents[2])' 2>/dev/null)
ifneq ($(wildcard $(STAMP)),)
ifneq ($(VENV_RUNS),$(realpath $(CURDIR)))
.PHONY: $(STAMP)
endif
endif

.PHONY: citation
citation: $(STAMP)      ## write CITATION.cff from the main article's front matter and mkdocs.yml, and validate it
	$(BIN)/python -m microsite.scholarly.citation_file mkdocs.yml

$(STAMP): pyproject.toml
	@if [ -e $(VENV) ] && [ "$(VENV_RUNS)" != "$(realpath $(CURDIR))" ]; then \
	  echo "$(VENV) $(if $(VENV_RUNS),runs the generator of $(VENV_RUNS) (it was copied),cannot import \
	  the generator) - not this folder's: making a new one"; \
	  rm -rf $(VENV); fi
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

# .venv: the generator, run with it, writes the new site's CITATION.cff from its example article.
new-site: $(if $(DIR),$(STAMP))   ## start a new site: make new-site DIR=../my-site [NAME="My site"]
	@test -n "$(DIR)" || { echo 'usage: make new-site DIR=../my-site [NAME="My site"]' >&2; exit 2; }
	@# The shell reads DIR and NAME from the environment (make exports command-line variables):
	@# written into the command, a quote in them would end the shell's quoting.
	@$(PYTHON) tools/new_site.py "$$DIR" $(if $(NAME),--name "$$NAME") --python $(BIN)/python

# What builds and tests leave behind. Both targets say what they remove.
CLEANED := site .cache .pytest_tmp .pytest_cache
remove = removed=; for path in $(1); do if [ -e "$$path" ]; then echo "removing $$path/"; rm -rf "$$path"; \
  removed=1; fi; done; [ -n "$$removed" ] || echo "nothing to remove"

clean:                  ## remove the built site, caches and test leftovers (keeps .venv and node_modules)
	@$(call remove,$(CLEANED)); echo "kept $(VENV)/ and node_modules/ (make distclean removes them too)"

distclean:              ## clean, and remove the Python environment and node_modules (the next make makes them again)
	@$(call remove,$(CLEANED) $(VENV) node_modules)
