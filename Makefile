# ocrxtract — every set-up step for a fresh Debian/Ubuntu machine lives here.
#   make bench  set up, then benchmark the engines on generated French documents (the main job)
#   make test   set up, then run the linters and the test suite
#   make demo   set up, then read generated pages (scan, fax, photo) with every available engine
# System packages are installed with apt-get (as root, or through sudo when available).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian packages: Tesseract 5 with French and English data, fonts for generated pages
# (sans, serif, a typewriter face for receipts, a handwriting face for signatures), and
# Chromium for the app's browser test (Playwright drives /usr/bin/chromium; it downloads nothing).
APT_PACKAGES := tesseract-ocr tesseract-ocr-fra tesseract-ocr-eng fonts-dejavu-core fonts-liberation2 \
                fonts-dancingscript fonts-gnutypewriter chromium wfrench
# Extras installed by `make setup`: the engines that install from PyPI without a deep-learning stack.
EXTRAS ?= tesseract,rapidocr,htr,datasets,batch,structure,tables,fields,app,docs,notebooks,dev
# torch for EasyOCR and docTR: the CPU-capable pair that pip finds locally on the reference machines.
# Pinned in the same command so that pip never pulls another (multi-GB CUDA) build.
TORCH_PINS ?= torch==2.14.1 torchvision==0.29.1

.PHONY: help app bench results docs docs-serve lab notebooks-test wiki-notebooks setup system-packages venv install install-deep install-paddle test-paddle install-kraken test-kraken demo test \
        lint typecheck importlint pytest ci clean

help:
	@echo "make bench   set up and benchmark the engines on generated French documents"
	@echo "make results refresh the committed results (benchmarks/results) from a clean tree"
	@echo "make demo    set up and read generated pages (scan, fax, photo) with every engine"
	@echo "make app     set up and start the Streamlit app on http://127.0.0.1:8501"
	@echo "make docs    build the wiki (make docs-serve: on http://localhost:8000); make lab: notebooks"
	@echo "make wiki-notebooks  execute the notebooks into wiki pages with their outputs"
	@echo "make test    set up and run linters + tests"
	@echo "make install-deep  add EasyOCR, docTR (torch: several GB) and augraphy"
	@echo "make install-paddle  PaddleOCR in its own environment, .venv-paddle"
	@echo "make install-kraken  kraken in its own environment, .venv-kraken"

setup: system-packages install

system-packages:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 10), "ocrxtract needs Python >= 3.10"'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

venv: $(BIN)/python

install: venv
	$(PIP) install -q -e ".[$(EXTRAS)]"

install-deep: install
	$(PIP) install -q $(TORCH_PINS) -e ".[$(EXTRAS),easyocr,doctr,augraphy,htr-train,trocr]"

# PaddleOCR gets a virtual environment of its own: paddlex pins numpy<2.4 and PyYAML==6.0.2 and
# installs opencv-contrib 4.10 over the cv2 that the other engines use.
PADDLE_VENV ?= .venv-paddle
$(PADDLE_VENV)/bin/python:
	$(PYTHON) -m venv $(PADDLE_VENV)
	$(PADDLE_VENV)/bin/python -m pip install -q --upgrade pip

install-paddle: $(PADDLE_VENV)/bin/python
	$(PADDLE_VENV)/bin/python -m pip install -q -e ".[paddleocr,dev]"

test-paddle: install-paddle
	$(PADDLE_VENV)/bin/python -m pytest -q tests/test_engine_paddleocr.py tests/test_optional_imports.py tests/test_registry.py

# kraken (an opt-in engine to compare published HTR models) gets its own environment too: it pins
# torch<=2.14 and scipy/scikit-image/rich versions the main one does not use. CPU torch (small).
KRAKEN_VENV ?= .venv-kraken
KRAKEN_PINS ?= torch==2.13.0+cpu torchvision==0.28.0
$(KRAKEN_VENV)/bin/python:
	$(PYTHON) -m venv $(KRAKEN_VENV)
	$(KRAKEN_VENV)/bin/python -m pip install -q --upgrade pip

install-kraken: $(KRAKEN_VENV)/bin/python
	$(KRAKEN_VENV)/bin/python -m pip install -q $(KRAKEN_PINS) -e ".[kraken,htr,dev]"

test-kraken: install-kraken
	$(KRAKEN_VENV)/bin/python -m pytest -q tests/test_engine_kraken.py tests/test_optional_imports.py tests/test_registry.py

# The main job on the embedded default: benchmark the offline engines on generated French documents.
# Results go to the user's data folder (the command prints where), never into the repository.
bench: setup
	$(BIN)/ocrxtract bench

# Refresh the committed results (benchmarks/results, read by the wiki) on purpose, from a clean
# tree so that their stamp names a commit that holds the code that produced them.
results: setup
	@git diff --quiet HEAD -- src datasets.yml benchmarks pyproject.toml || \
	  { echo "commit your changes first: committed results come from a clean tree"; exit 1; }
	$(BIN)/ocrxtract bench benchmarks/sample.yml --out benchmarks/results/sample
	OCRXTRACT_SHARED_DATASETS=$${OCRXTRACT_SHARED_DATASETS:-../shared/datasets} \
	  $(BIN)/ocrxtract bench benchmarks/real.yml --workers 2 --out benchmarks/results/real

demo: setup
	$(BIN)/ocrxtract demo

# The wiki: generated pages (datasets, engines, results) are written first, then a strict build.
docs: install
	$(BIN)/ocrxtract report --wiki wiki/
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

docs-serve: install
	$(BIN)/ocrxtract report --wiki wiki/
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve -a localhost:8000

lab: install
	$(BIN)/jupyter lab notebooks/

notebooks-test: install
	$(BIN)/python -m pytest -q tests/test_notebooks.py

# The notebooks, executed, as wiki pages with their outputs (commit wiki/notebooks, wiki/img/notebooks).
wiki-notebooks: install
	$(BIN)/python notebooks/to_wiki.py wiki/

# The Streamlit app on http://127.0.0.1:8501 (local only; nothing leaves the machine).
app: setup
	$(BIN)/ocrxtract app

lint: install
	$(BIN)/ruff check src tests benchmarks app notebooks
	$(BIN)/ruff format --check src tests benchmarks app notebooks

typecheck: install
	$(BIN)/mypy

importlint: install
	$(BIN)/lint-imports

pytest: setup
	$(BIN)/python -m pytest

test: setup lint typecheck importlint pytest

# What CI runs (.ci/run): every engine that can be installed offline, then the README's test command.
ci: system-packages install-deep test test-paddle test-kraken

clean:
	rm -rf $(VENV) $(PADDLE_VENV) $(KRAKEN_VENV) build dist .pytest_cache .mypy_cache .ruff_cache src/*.egg-info
