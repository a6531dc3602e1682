# lrdecay: one Makefile for both languages. Every target installs what it needs first.
#   make setup  - Debian's R packages, keras3 and reticulate (from ../shared/cran when it exists,
#                 else CRAN), the pinned .venv, lrdecay (editable) and the R package
#   make test   - setup, then testthat, pytest (incl. the R/Python agreement suite), R CMD check
#   make test-fast - the Python tests that need neither Keras models, training nor R
#   make demo   - setup, then the digits demo (schedules compared over seeds)
#   make bench  - setup, then the benchmarks (never part of make test)
#   make site   - setup, then the pkgdown website into docs/; make site-test checks it in Chromium
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
# keras3's and reticulate's dependencies come from Debian; keras3 and a current reticulate
# (Debian's 1.28 cannot convert NumPy 2 arrays) from tools/install-r-packages.R.
APT_PACKAGES := r-base-core r-base-dev r-cran-testthat r-cran-knitr \
  r-cran-rmarkdown r-cran-roxygen2 r-cran-pkgload r-cran-cli r-cran-rlang r-cran-magrittr \
  r-cran-withr pandoc r-cran-generics r-cran-zeallot r-cran-rstudioapi r-cran-whisker \
  r-cran-tidyselect r-cran-backports r-cran-rcpp r-cran-rcpptoml r-cran-here r-cran-png \
  r-cran-rappdirs r-cran-jsonlite r-cran-yaml r-cran-processx r-cran-fastmap r-cran-glue \
  r-cran-matrix r-cran-ggplot2
# Only for the website (make site, make site-test); make test does not need them.
SITE_APT := r-cran-pkgdown
SITE_TEST_APT := chromium
PKG_FILES := DESCRIPTION NAMESPACE $(wildcard R/*.R man/*.Rd vignettes/*.Rmd) \
  $(shell find inst -type f -not -path '*__pycache__*' -not -path '*.egg-info*' 2>/dev/null)
PKG_TOP := DESCRIPTION NAMESPACE LICENSE NEWS.md .Rbuildignore R man inst vignettes tests
VERSION := $(shell sed -n 's/^Version: //p' DESCRIPTION)
TARBALL := lrdecay_$(VERSION).tar.gz

.PHONY: setup apt test test-fast test-r test-python check lint docs demo bench figure clean \
  site site-test

setup: apt $(STAMPS)/rdeps $(VENV)/.installed $(STAMPS)/rpkg

apt:
	@dpkg -s $(APT_PACKAGES) >/dev/null 2>&1 || { \
	  echo "Installing Debian packages: $(APT_PACKAGES)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q \
	    --no-install-recommends $(APT_PACKAGES); }

# uv installs the pinned requirements (the same versions pip resolves) in under a minute where
# pip takes a minute and a half, given pip's find-links where a machine's pip has them. It
# lives outside .venv/bin: reticulate puts that folder on R's PATH, and on finding a uv there
# it checks keras3's optional Python packages over the network at every start of Python.
# Bytecode is compiled at install, as pip does: Python writes none (PYTHONDONTWRITEBYTECODE).
UV_VERSION := 0.13.9
UV := $(STAMPS)/uv/bin/uv
FIND_LINKS = $(or $(PIP_FIND_LINKS),$(shell python3 -m pip config get global.find-links 2>/dev/null))
UV_INSTALL = $(UV) pip install -q --native-tls --compile-bytecode --python $(PY) \
  $(foreach d,$(FIND_LINKS),--find-links $(d))
$(VENV)/.installed: requirements.txt pyproject.toml | apt
	test -x $(PY) || python3 -m venv $(VENV)
	test -x $(UV) || $(PY) -m pip install -q --disable-pip-version-check --target $(STAMPS)/uv \
	  uv==$(UV_VERSION)
	$(UV_INSTALL) -r requirements.txt
	$(UV_INSTALL) --no-deps --no-build-isolation -e .
	touch $@

$(STAMPS)/rdeps: tools/install-r-packages.R | apt
	Rscript tools/install-r-packages.R
	mkdir -p $(STAMPS) && touch $@

# Built with its vignettes, so that vignette(package = "lrdecay") lists them.
# From a copy of the package's own files: R CMD build copies the whole directory before it
# drops what .Rbuildignore names, and .venv alone is gigabytes (a minute of copying).
$(STAMPS)/rpkg: $(PKG_FILES) $(STAMPS)/rdeps $(VENV)/.installed | apt
	rm -rf $(STAMPS)/build && mkdir -p $(STAMPS)/build/lrdecay
	cp -R $(PKG_TOP) $(STAMPS)/build/lrdecay/
	cd $(STAMPS)/build && R CMD build --no-manual lrdecay >/dev/null
	R CMD INSTALL --no-multiarch $(STAMPS)/build/$(TARBALL) >/dev/null
	touch $@

docs: setup
	Rscript -e 'roxygen2::roxygenise()'

# pytest and testthat run side by side (each mostly keeps one core busy; this machine has two);
# each one's output is printed whole when it ends.
test: setup
	$(MAKE) --no-print-directory -j2 --output-sync=target test-python test-r lint
	$(MAKE) check CHECK_ARGS="--no-tests --ignore-vignettes"

# The inner loop: no training, no Keras model, no R (well under 2 minutes); `make test` runs all.
test-fast: lint
	$(PY) -m pytest -q -p no:cacheprovider -m "not slow and not r_parity and not keras"

lint: $(VENV)/.installed
	$(PY) -m ruff check inst/python tests/python tests/site benchmarks tools

test-python: setup
	$(PY) -m pytest -q -p no:cacheprovider

test-r: setup
	Rscript -e 'testthat::test_dir("tests/testthat", package = "lrdecay", load_package = "installed", reporter = testthat::ProgressReporter$$new(show_praise = FALSE), stop_on_failure = TRUE)'

# Checks the tarball that setup built (vignettes included). `make test` has just run testthat
# on the installed package, and R CMD build has knitted the vignettes (running all their R
# code) from the same sources, so its check runs neither again (it still runs the examples);
# `make check` alone runs everything.
CHECK_ARGS ?=
check: setup
	@test -f $(STAMPS)/build/$(TARBALL) || { rm -f $(STAMPS)/rpkg; $(MAKE) $(STAMPS)/rpkg; }
	rm -rf lrdecay.Rcheck
	_R_CHECK_FORCE_SUGGESTS_=false R CMD check --no-manual $(CHECK_ARGS) $(STAMPS)/build/$(TARBALL)
	@grep -qx "Status: OK" lrdecay.Rcheck/00check.log || { echo "R CMD check has errors, warnings or notes"; exit 1; }

# The demo: eleven schedules, each trained on 3 seeds, compared on scikit-learn's digits (in
# two worker processes, with a progress bar); a table of means and sds, which differences
# exceed the spread, and lrdecay-demo.png (asked for: compare_schedules() writes no file
# unless given `output`).
DEMO_EPOCHS ?= 15
DEMO_SEEDS ?= 3
demo: setup
	Rscript -e 'library(lrdecay); print(compare_schedules(epochs = $(DEMO_EPOCHS), seeds = $(DEMO_SEEDS), output = "lrdecay-demo.png"), digits = 4)'

bench: setup
	PYTHONPATH=inst/python $(PY) benchmarks/run.py

# README's pictures, man/figures/schedules.png (matplotlib) and plot-schedules.png (ggplot2).
figure: setup
	PYTHONPATH=inst/python $(PY) tools/readme_figure.py
	Rscript tools/readme_ggplot.R

# The website (pkgdown) into docs/: the README as home page, the reference, the vignettes
# and the Python API as articles, the news. Runs the examples and the articles with the
# installed package and .venv's Python.
site: setup
	@dpkg -s $(SITE_APT) >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q \
	    --no-install-recommends $(SITE_APT); }
	Rscript tools/build-site.R

# The website in a real browser (headless Chromium): broken local links or images, a
# JavaScript error, a blank page or plot fail it; screenshots in docs/screenshots/.
site-test: $(VENV)/.installed
	@dpkg -s $(SITE_TEST_APT) >/dev/null 2>&1 || { \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q \
	    --no-install-recommends $(SITE_TEST_APT); }
	$(PY) tests/site/check_site.py --docs docs --shots docs/screenshots

clean:
	rm -rf lrdecay.Rcheck $(TARBALL) $(STAMPS) .pytest_cache .ruff_cache docs
