# lrdecay: one Makefile for both languages. Every target installs what it needs first.
#   make setup  - Debian's R packages, the pinned .venv, lrdecay (editable) and the R package
#   make test   - setup, then testthat, pytest (incl. the R/Python agreement suite), R CMD check
#   make demo   - setup, then the main job
#   make bench  - setup, then the benchmarks (never part of make test)
SHELL := /bin/bash
.DEFAULT_GOAL := test

VENV   := .venv
PY     := $(CURDIR)/$(VENV)/bin/python
STAMPS := .stamps
export RETICULATE_PYTHON := $(PY)
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONDONTWRITEBYTECODE := 1
export MPLBACKEND := Agg
# testthat runs its snapshot tests (frozen error wording) only when NOT_CRAN is set.
export NOT_CRAN := true

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := r-base-core r-base-dev r-cran-reticulate r-cran-testthat r-cran-knitr \
  r-cran-rmarkdown r-cran-roxygen2 r-cran-pkgload r-cran-cli r-cran-rlang r-cran-magrittr \
  r-cran-withr pandoc
PKG_FILES := DESCRIPTION NAMESPACE $(wildcard R/*.R man/*.Rd vignettes/*.Rmd) \
  $(shell find inst -type f -not -path '*__pycache__*' -not -path '*.egg-info*' 2>/dev/null)
VERSION := $(shell sed -n 's/^Version: //p' DESCRIPTION)
TARBALL := lrdecay_$(VERSION).tar.gz

.PHONY: setup apt test test-r test-python check lint docs demo bench clean

setup: apt $(VENV)/.installed $(STAMPS)/rpkg

apt:
	@dpkg -s $(APT_PACKAGES) >/dev/null 2>&1 || { \
	  echo "Installing Debian packages: $(APT_PACKAGES)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q \
	    --no-install-recommends $(APT_PACKAGES); }

$(VENV)/.installed: requirements.txt pyproject.toml | apt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

$(STAMPS)/rpkg: $(PKG_FILES) | apt
	R CMD INSTALL --no-multiarch --no-test-load . >/dev/null
	mkdir -p $(STAMPS) && touch $@

docs: setup
	Rscript -e 'roxygen2::roxygenise()'

test: setup test-python test-r check lint

lint: $(VENV)/.installed
	$(PY) -m ruff check inst/python tests/python benchmarks

test-python: setup
	$(PY) -m pytest -q -p no:cacheprovider

test-r: setup
	Rscript -e 'testthat::test_dir("tests/testthat", package = "lrdecay", load_package = "installed", reporter = testthat::ProgressReporter$$new(show_praise = FALSE), stop_on_failure = TRUE)'

check: setup
	rm -rf lrdecay.Rcheck $(TARBALL)
	R CMD build --no-manual . >/dev/null
	_R_CHECK_FORCE_SUGGESTS_=false R CMD check --no-manual $(TARBALL)
	@! grep -E "^(Status:.*(ERROR|WARNING))" lrdecay.Rcheck/00check.log || { echo "R CMD check has errors or warnings"; exit 1; }

# The main job: nine schedules compared on scikit-learn's digits; a table and lrdecay-demo.png.
DEMO_EPOCHS ?= 15
demo: setup
	Rscript -e 'library(lrdecay); print(compare_schedules(epochs = $(DEMO_EPOCHS), output = "lrdecay-demo.png"), digits = 4)'

bench: setup
	$(PY) benchmarks/run.py

clean:
	rm -rf lrdecay.Rcheck $(TARBALL) $(STAMPS) .pytest_cache .ruff_cache
