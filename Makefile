# Two commands set everything up on a fresh machine (see README):
#   make demo   - create .venv, install, align the example documents with the default encoder
#   make test   - create .venv, install, run the test suite
#   make docs   - build the documentation site into site/ (offline; broken links fail)
#   make lock   - refresh requirements/lock.txt to the newest versions pyproject allows
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# The exact versions `make demo` and `make test` install (pip-compile writes
# it from pyproject.toml's ranges; torch is installed first, apart).
LOCK   := requirements/lock.txt
TORCH  := requirements/torch.txt
TOOLS  := $(VENV)-lock-tools

# System packages the tests need: headless Chromium prints the Japanese test
# PDFs with an embedded Noto CJK font (tests/test_readers.py) and renders the
# HTML views (corpus and coverage report) under JupyterLab's CSS
# (tests/test_browser.py, tests/test_coverage_checks.py); Playwright drives it
# for the review page (tests/test_review_browser.py, no browser download). Installed only
# when missing (apt, as root or with sudo).
SYSTEM_PACKAGES := chromium fonts-noto-cjk

.PHONY: demo test bench docs clean lock system-packages

system-packages:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing $$missing (apt)"; \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends $$missing; \
	fi

$(STAMP): pyproject.toml $(LOCK) $(TORCH)
	python3 -m venv $(VENV)
	# torch first, pinned: this takes the local CPU wheel; letting
	# sentence-transformers pick torch pulls gigabytes of CUDA packages.
	$(PY) -m pip install -q -r $(TORCH)
	$(PY) -m pip install -q -r $(LOCK) -e ".[dev]"
	touch $(STAMP)

# Resolve pyproject.toml's ranges (all extras) to the newest versions with
# pip-compile (pip-tools, pinned), torch held at requirements/torch.txt and left
# out, and refuse a lock that would pull CUDA packages. Run `make test` after.
lock:
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install -q pip-tools==7.6.2
	$(TOOLS)/bin/pip-compile --quiet --upgrade --strip-extras --no-emit-index-url \
		--no-emit-find-links --extra dev --extra plot --extra dask --extra docs \
		--constraint $(TORCH) --unsafe-package torch --output-file $(LOCK) pyproject.toml
	@! grep -inE '^(nvidia|triton|torch)' $(LOCK) || \
		{ echo "$(LOCK) names torch or CUDA packages: see $(TORCH)"; exit 1; }

demo: $(STAMP)
	$(PY) examples/main_job.py

test: $(STAMP) system-packages
	$(VENV)/bin/lint-imports --no-cache   # the layer contract in pyproject.toml
	$(PY) -m pytest -q

# The guides (README.md, docs/, benchmarks/README.md) and the API reference
# from the docstrings (docs/conf.py). -W -n: a broken link between the pages,
# a link to a missing file or an unresolved reference fails the build; -E: from
# scratch, so that no warning hides in a cached page. No network is used.
docs: $(STAMP)
	$(PY) -m sphinx -E -W -n --keep-going -q -b html -c docs . site
	@echo "site/docs/index.html"

bench: $(STAMP) system-packages
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) $(TOOLS) out site docs/api
