# Two commands set everything up on a fresh machine (see README):
#   make demo   - create .venv, install, align the example documents with the default encoder
#   make test   - create .venv, install, run the test suite
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

# System packages the tests need: headless Chromium prints the Japanese test
# PDFs with an embedded Noto CJK font (tests/test_readers.py) and renders the
# HTML views (corpus and coverage report) under JupyterLab's CSS
# (tests/test_browser.py, tests/test_coverage_checks.py). Installed only
# when missing (apt, as root or with sudo).
SYSTEM_PACKAGES := chromium fonts-noto-cjk

.PHONY: demo test bench clean system-packages

system-packages:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing $$missing (apt)"; \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends $$missing; \
	fi

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# torch first, pinned: this takes the local CPU wheel; letting
	# sentence-transformers pick torch pulls gigabytes of CUDA packages.
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(PY) examples/main_job.py

test: $(STAMP) system-packages
	$(VENV)/bin/lint-imports --no-cache   # the layer contract in pyproject.toml
	$(PY) -m pytest -q

bench: $(STAMP) system-packages
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) out
