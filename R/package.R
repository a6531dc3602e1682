#' lrdecay: learning-rate decay schedules and callbacks for Keras 3
#'
#' Schedules and callbacks are written once, in Python (`inst/python/lrdecay`),
#' and reached from R through reticulate. Loading the package does not start
#' Python: the module is imported on first use.
#'
#' @keywords internal
#' @importFrom magrittr %>%
"_PACKAGE"

#' Pipe operator
#'
#' Re-exported from magrittr, so that `model %>% fit(...)` reads as in keras3.
#'
#' @name %>%
#' @rdname pipe
#' @param lhs,rhs A value and a function call.
#' @returns The result of calling `rhs` with `lhs` as its first argument.
#' @export
#' @usage lhs \%>\% rhs
NULL

# The Python module, delay-loaded in .onLoad().
lrdecay_py <- NULL

#' The Keras module
#'
#' Keras 3, delay-loaded through reticulate, so that examples need no other R
#' package: `keras$layers$Dense(10L)`, `keras$optimizers$SGD()`. It is imported
#' the first time it is used.
#'
#' @format A reticulate Python module (delay-loaded).
#' @export
keras <- NULL

.onLoad <- function(libname, pkgname) {
  use_lrdecay_python()
  path <- system.file("python", package = pkgname, lib.loc = libname)
  lrdecay_py <<- reticulate::import_from_path(
    "lrdecay", path = path, convert = TRUE,
    delay_load = list(on_error = python_missing_error)
  )
  # Importing lrdecay's Python module once Keras is loaded registers its Keras classes, so
  # that keras$saving$load_model() finds the in-graph schedules of a saved model.
  keras <<- reticulate::import(
    "keras", convert = TRUE,
    delay_load = list(on_load = register_lrdecay_classes, on_error = keras_missing_error)
  )
}

register_lrdecay_classes <- function() {
  tryCatch(py_lrdecay(), error = function(e) NULL)
  invisible(NULL)
}

# RETICULATE_PYTHON wins; else the environment made by install_lrdecay(), when it exists.
use_lrdecay_python <- function() {
  if (identical(Sys.getenv("RETICULATE_PYTHON", NA), "")) {
    Sys.unsetenv("RETICULATE_PYTHON")  # set but empty: reticulate would take it as a path
  }
  if (nzchar(Sys.getenv("RETICULATE_PYTHON"))) {
    return(invisible(FALSE))
  }
  envname <- "r-lrdecay"
  found <- tryCatch(reticulate::virtualenv_exists(envname), error = function(e) FALSE)
  if (isTRUE(found) && !reticulate::py_available(initialize = FALSE)) {
    # required = TRUE: the environment wins over a project-local .venv or pyproject.toml
    tryCatch(reticulate::use_virtualenv(envname, required = TRUE), error = function(e) NULL)
  }
  invisible(found)
}

python_missing_error <- function(e) {
  cli::cli_abort(c(
    "lrdecay could not load its Python module.",
    "x" = conditionMessage(e),
    "i" = "Point {.envvar RETICULATE_PYTHON} at a Python with numpy (and Keras 3 for training),",
    "i" = "or run {.code install_lrdecay()} to create the {.val r-lrdecay} environment."
  ), call = NULL)
}

keras_missing_error <- function(e) {
  cli::cli_abort(c(
    "Keras 3 is not available in the Python that lrdecay uses.",
    "x" = conditionMessage(e),
    "i" = "Install it with {.code install_lrdecay()} (or {.code pip install keras tensorflow-cpu}),",
    "i" = "or point {.envvar RETICULATE_PYTHON} at a Python that has it."
  ), call = NULL)
}

# The Python module, importing it now (used by every wrapper).
py_lrdecay <- function() {
  lrdecay_py$Schedule  # forces the delayed import, with its friendly error
  lrdecay_py
}
