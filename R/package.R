#' lrdecay: learning-rate decay schedules and callbacks for Keras 3
#'
#' Schedules and callbacks are written once, in Python (`inst/python/lrdecay`),
#' and reached from R through reticulate. Loading the package does not start
#' Python: the module is imported on first use.
#'
#' @keywords internal
#' @importFrom keras3 %>%
#' @importFrom rlang .data
"_PACKAGE"

#' Pipe operator
#'
#' magrittr's pipe, as keras3 re-exports it (the very same object), so that
#' `model %>% fit(...)` reads as in keras3.
#'
#' @name %>%
#' @rdname pipe
#' @param lhs,rhs A value and a function call.
#' @returns The result of calling `rhs` with `lhs` as its first argument.
#' @export
#' @usage lhs \%>\% rhs
#' @examples
#' c(1, 4, 9) %>% sqrt()
#' identical(lrdecay::`%>%`, keras3::`%>%`)
NULL

# The Python module, delay-loaded in .onLoad().
lrdecay_py <- NULL

.onLoad <- function(libname, pkgname) {
  # The Python is the one keras3 uses, found by reticulate's own rules (RETICULATE_PYTHON,
  # a `.venv` in the working directory, keras3's "r-keras" environment, or an environment
  # made from the py_require() declarations of keras3 and of this package).
  reticulate::py_require("numpy")
  path <- system.file("python", package = pkgname, lib.loc = libname)
  started <- reticulate::py_available(initialize = FALSE)  # then imported now
  lrdecay_py <<- reticulate::import_from_path(
    "lrdecay", path = path, convert = TRUE,
    delay_load = list(on_load = report_plans_in_r, on_error = python_missing_error)
  )
  if (started) report_plans_in_r()
  # Whoever imports Keras first (keras3, or lrdecay's callbacks), lrdecay's Keras classes are
  # registered then, so that keras3::load_model() finds the in-graph schedules of a saved model.
  reticulate::py_register_load_hook("keras", register_lrdecay_classes)
}

register_lrdecay_classes <- function() {
  tryCatch(py_lrdecay(), error = function(e) NULL)
  invisible(NULL)
}

python_missing_error <- function(e) {
  cli::cli_abort(c(
    "lrdecay could not load its Python module.",
    "x" = conditionMessage(e),
    "i" = "Point {.envvar RETICULATE_PYTHON} at a Python with numpy and Keras 3,",
    "i" = "or run {.code keras3::install_keras()} (or {.code install_lrdecay()}) to create one."
  ), call = NULL)
}

# The Python module, importing it now (used by every wrapper).
py_lrdecay <- function() {
  lrdecay_py$Schedule  # forces the delayed import, with its friendly error
  lrdecay_py
}
