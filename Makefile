# Two commands do all set-up on a fresh machine:
#   make demo   install into .venv and run Amu on the bundled demo corpus
#   make test   install into .venv and run the tests (what CI runs)
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install demo test bench lint clean

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

demo: install
	$(VENV)/bin/amu demo

test: install
	$(PY) -m pytest

bench: install
	$(PY) benchmarks/extract_speed.py
	$(PY) benchmarks/fusion_scale.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache
