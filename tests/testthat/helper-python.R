# Helpers for tests that reach Python. Reference values always come from the
# Python module itself (`reticulate::import("lrdecay")`), never from an R copy
# of a formula: the R side is tested for checking, coercing and calling.

skip_if_no_python <- function() {
  skip_if_not(lrdecay_available(), "no Python with numpy for lrdecay")
}

skip_if_no_keras <- function() {
  skip_if_not(lrdecay_available(keras = TRUE), "no Python with Keras 3 for lrdecay")
}

# The lrdecay Python module, unconverted, as the R package loaded it (the same
# module object: the package imports it first, reticulate then reuses it).
py_module <- function() {
  lrdecay:::py_lrdecay()
  reticulate::import("lrdecay", convert = FALSE)
}

py_numpy <- function() reticulate::import("numpy", convert = FALSE)

# A schedule built directly in Python: `class_name` is the Python class, `...`
# its keyword arguments, passed as they are (use 100L where Python wants an int,
# list() for a Python list).
py_schedule <- function(class_name, ...) {
  cls <- reticulate::py_get_attr(py_module(), class_name)
  do.call(reticulate::py_call, c(list(cls), list(...)))
}

# A Python schedule's float64 values at `t`, as an R double vector.
py_values <- function(schedule, t) {
  np <- py_numpy()
  out <- reticulate::py_call(schedule, np$asarray(as.double(t), dtype = "float64"))
  as.vector(reticulate::py_to_r(np$asarray(out, dtype = "float64")))
}

# A Keras LearningRateSchedule's values at optimizer steps `steps` (evaluated
# in-graph, float32), as an R double vector.
keras_values <- function(keras_schedule, steps) {
  np <- py_numpy()
  keras <- reticulate::import("keras", convert = FALSE)
  out <- reticulate::py_call(keras_schedule, np$asarray(as.double(steps), dtype = "float32"))
  as.vector(reticulate::py_to_r(np$asarray(keras$ops$convert_to_numpy(out), dtype = "float64")))
}

# In-graph (float32) against float64: agreement to 1e-6 relative, where the
# relative error is taken against the larger of the value and `scale` (the
# schedule's peak): near a zero of the rate (the end of a cosine) float32's
# cancellation makes point-wise relative errors meaningless.
expect_in_graph_equal <- function(object, expected, scale = max(abs(expected)), tol = 1e-6,
                                  label = "in-graph value") {
  err <- abs(object - expected) / pmax(abs(expected), scale)
  worst <- which.max(err)
  expect(
    length(object) == length(expected) && all(err <= tol),
    sprintf("%s %.9g differs from %.9g (relative error %.3g > %g) at element %d",
            label, object[worst], expected[worst], err[worst], tol, worst)
  )
  invisible(object)
}

# Run an R script in a fresh R process with the library paths of this one
# (R_TESTS unset: under R CMD check it names a startup file the child cannot
# find). Returns list(status, output).
run_fresh_r <- function(code) {
  script <- tempfile(fileext = ".R")
  on.exit(unlink(script), add = TRUE)
  writeLines(code, script)
  rscript <- file.path(R.home("bin"), "Rscript")
  libs <- paste(.libPaths(), collapse = .Platform$path.sep)
  out <- suppressWarnings(system2(rscript, c("--vanilla", shQuote(script)), stdout = TRUE,
                                  stderr = TRUE,
                                  env = c("R_TESTS=", paste0("R_LIBS=", shQuote(libs)))))
  list(status = attr(out, "status") %||% 0L, output = out)
}

`%||%` <- function(x, y) if (is.null(x)) y else x
