# Two commands set everything up on a fresh machine (see README):
#   make demo   - create .venv, install, align the example documents with the default encoder
#   make test   - create .venv, install, run the test suite
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test bench clean

$(STAMP): pyproject.toml
	# headless Chromium renders the coverage report's notebook view in a test
	command -v chromium >/dev/null || (apt-get update -q && apt-get install -y -q chromium)
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# torch first, pinned: this takes the local CPU wheel; letting
	# sentence-transformers pick torch pulls gigabytes of CUDA packages.
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(PY) examples/main_job.py

test: $(STAMP)
	$(VENV)/bin/lint-imports --no-cache   # the layer contract in pyproject.toml
	$(PY) -m pytest -q

bench: $(STAMP)
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) out
