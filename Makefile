# Every target makes its own virtual environment in .venv, so a fresh clone
# needs nothing but python3 (3.10 or newer) and make.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip install --quiet --disable-pip-version-check

.PHONY: serve test lint docs bench wheel-check oldest-httpx differential clean

# The API key and admin token `make serve` gives the demo workspace, so the README's and
# the server page's curl lines work as written (ARGS="--api-key ..." chooses another).
SERVE_KEY ?= seam_dev_key
SERVE_ADMIN ?= seam_fake_admin_dev_token

$(PY):
	python3 -m venv $(VENV)

# Installed once, and again only when pyproject.toml changes (the install is editable,
# so code changes need none).
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) -e .
	touch $@

serve: $(VENV)/.installed  ## run the fake as an HTTP server with the demo workspace
	$(VENV)/bin/seam-fake serve --demo --api-key $(SERVE_KEY) --admin-token $(SERVE_ADMIN) $(ARGS)

test: $(PY)  ## run the test suite, on every core (ARGS="-n 0" for one process)
	$(PIP) -e '.[test]'
	$(PY) -m pytest -n auto $(ARGS)

lint: $(PY)  ## ruff and mypy --strict
	$(PIP) -e '.[lint]'
	$(VENV)/bin/ruff check seam_fake tests benchmarks differential scripts
	$(VENV)/bin/ruff format --check seam_fake tests benchmarks differential scripts
	$(VENV)/bin/mypy seam_fake benchmarks scripts

docs: $(PY)  ## build the documentation site into site/, failing on any warning
	$(PIP) -e '.[docs]'
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --site-dir site

bench: $(PY)  ## every benchmark against its target, and the scaling plot in docs/
	$(PIP) -e '.[test,bench]'
	$(PY) benchmarks/run.py --plot docs/scaling.png $(ARGS)

wheel-check: $(PY)  ## build the wheel, install it alone in a fresh venv, use the fixture
	rm -rf build/wheel-check
	$(PIP) build
	$(PY) -m build --wheel --outdir build/wheel-check/dist .
	python3 -m venv build/wheel-check/venv
	build/wheel-check/venv/bin/python -m pip install --quiet --disable-pip-version-check \
		build/wheel-check/dist/*.whl pytest 'seam==3.18.0'
	cp .ci/smoke_test.py build/wheel-check/
	cd build/wheel-check && venv/bin/python -m pytest -q -p no:cacheprovider smoke_test.py

differential: $(PY)  ## seam-fake against Seam's official fake, same SDK calls (needs node and npm)
	$(PIP) -e '.[test]'
	.ci/differential.sh

# The oldest httpx seam-fake supports (the newest is what `make test` installs).
OLDEST_HTTPX ?= 0.27.0

oldest-httpx: $(PY)  ## the patching tests again, on the oldest httpx seam-fake supports
	python3 -m venv build/oldest-httpx
	build/oldest-httpx/bin/python -m pip install --quiet --disable-pip-version-check \
		-e '.[test]' 'httpx==$(OLDEST_HTTPX)'
	build/oldest-httpx/bin/python -c "import httpx; print('httpx', httpx.__version__)"
	build/oldest-httpx/bin/python -m pytest -q -n auto -p no:cacheprovider tests/transports tests/test_plugin_guard.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
