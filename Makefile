# Two commands set everything up on a fresh machine:
#   make demo   runs `skgen leaderboard` on the embedded text corpus
#   make test   runs the test suite
# Both create (once) and reuse the virtual environment in .venv.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.skgen-installed

.PHONY: demo test lint bench clean docs docs-full

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# The CPU build of torch first: a bare `torch` requirement would pull CUDA.
	$(BIN)/python -m pip install --quiet torch==2.13.0
	# dev includes the all extra: every engine (neural: torch, skorch; hmm).
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/skgen leaderboard

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_markov.py
	$(BIN)/python benchmarks/bench_hmm.py
	$(BIN)/python benchmarks/bench_vae.py --part digits speed
	$(BIN)/python benchmarks/bench_metrics.py
	$(BIN)/python benchmarks/bench_augment.py
	$(BIN)/python benchmarks/bench_lm.py --time-limit 30

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache docs/_build docs/auto_examples docs/generated

# The documentation site (docs/_build/html), built offline with warnings as
# errors. `make docs` runs the gallery in its fast mode; `make docs-full`
# at the full budget.
DOCS_STAMP := $(VENV)/.skgen-docs-installed
# One OpenMP thread: on two busy cores sklearn's HistGradientBoosting (in
# detection_score) ran about 80x slower after torch had run in the process.
SPHINXBUILD := OMP_NUM_THREADS=1 $(BIN)/sphinx-build -W --keep-going -b html docs docs/_build/html

$(DOCS_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[dev,docs]"
	touch $(DOCS_STAMP)

docs: $(DOCS_STAMP)
	SKGEN_GALLERY_FAST=1 $(SPHINXBUILD)

docs-full: $(DOCS_STAMP)
	$(SPHINXBUILD)
