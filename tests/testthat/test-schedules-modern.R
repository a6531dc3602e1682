# schedule_wsd(), schedule_inverse_sqrt(), schedule_rex() and check_schedule() from R:
# each builds the Python object, lr_at() gives Python's values exactly, bad arguments
# fail as classed R errors in the user's call (Python's message for every rule), and
# check_schedule() returns the findings as a data frame. Reference values come from the
# Python module (helper-python.R); transformers' own values are checked in
# tests/python/test_schedules_modern.py.

modern_cases <- function() {
  list(
    wsd = list(
      quote(schedule_wsd(0.1, warmup_steps = 5, stable_steps = 10, decay_steps = 8)),
      quote(py_schedule("WSD", peak_lr = 0.1, warmup_steps = 5L, stable_steps = 10L,
                        decay_steps = 8L))),
    wsd_shapes = list(
      quote(schedule_wsd(0.1, 5, 10, 8, warmup = "cosine", decay = "1-sqrt",
                         min_lr_ratio = 0.2)),
      quote(py_schedule("WSD", peak_lr = 0.1, warmup_steps = 5L, stable_steps = 10L,
                        decay_steps = 8L, warmup = "cosine", decay = "1-sqrt",
                        min_lr_ratio = 0.2))),
    wsd_fractional = list(
      quote(schedule_wsd(3e-4, 0, 2.5, 7.5, warmup = "1-sqrt", decay = "linear")),
      quote(py_schedule("WSD", peak_lr = 3e-4, warmup_steps = 0L, stable_steps = 2.5,
                        decay_steps = 7.5, warmup = "1-sqrt", decay = "linear"))),
    inverse_sqrt = list(
      quote(schedule_inverse_sqrt(0.1, warmup_steps = 4)),
      quote(py_schedule("InverseSqrt", peak_lr = 0.1, warmup_steps = 4L))),
    inverse_sqrt_no_warmup = list(
      quote(schedule_inverse_sqrt(0.01, 0)),
      quote(py_schedule("InverseSqrt", peak_lr = 0.01, warmup_steps = 0L))),
    inverse_sqrt_timescale = list(
      quote(schedule_inverse_sqrt(0.5, 10, timescale = 3)),
      quote(py_schedule("InverseSqrt", peak_lr = 0.5, warmup_steps = 10L, timescale = 3L))),
    rex = list(
      quote(schedule_rex(0.1, total_steps = 50)),
      quote(py_schedule("Rex", initial_lr = 0.1, total_steps = 50L))),
    rex_min = list(
      quote(schedule_rex(0.1, 12.5, min_lr = 0.001)),
      quote(py_schedule("Rex", initial_lr = 0.1, total_steps = 12.5, min_lr = 0.001)))
  )
}

test_that("the new constructors build their Python class with Python's values exactly", {
  skip_if_no_python()
  clock <- c(seq(0, 40, by = 0.5), 64, 100, 1e4, 1e6)
  for (name in names(modern_cases())) {
    case <- modern_cases()[[name]]
    s <- eval(case[[1]])
    p <- eval(case[[2]])
    expect_true(inherits(s, "lrdecay.Schedule"), label = name)
    expect_identical(s$get_config(), reticulate::py_to_r(p$get_config()), label = name)
    expect_identical(lr_at(s, clock), py_values(p, clock), label = paste("lr_at() of", name))
  }
})

test_that("hand-computed values and defaults", {
  skip_if_no_python()
  s <- schedule_wsd(0.2, 4, 3, 4, decay = "linear", min_lr_ratio = 0.25)
  expect_equal(lr_at(s, 0:12), c(0.05, 0.0875, 0.125, 0.1625, 0.2, 0.2, 0.2, 0.2, 0.1625,
                                 0.125, 0.0875, 0.05, 0.05), tolerance = 1e-15)
  expect_identical(s$warmup, "linear")
  expect_identical(schedule_wsd(0.1, 1, 1, 1)$decay, "cosine")
  expect_identical(schedule_wsd(0.1, 1, 1, 1)$min_lr_ratio, 0)
  expect_equal(lr_at(schedule_inverse_sqrt(0.1, 4), c(0, 2, 4, 16, 64)),
               c(0, 0.05, 0.1, 0.05, 0.025), tolerance = 1e-15)
  expect_identical(schedule_inverse_sqrt(0.1, 4)$timescale, 4)
  expect_identical(schedule_inverse_sqrt(0.1, 0)$timescale, 10000)
  expect_identical(schedule_inverse_sqrt(0.1, 0, timescale = NULL)$timescale, 10000)
  r <- schedule_rex(0.1, 10, min_lr = 0.01)
  expect_equal(lr_at(r, c(0, 5, 10, 20)), c(0.1, 0.01 + 0.09 * 2 / 3, 0.01, 0.01),
               tolerance = 1e-15)
  expect_identical(schedule_rex(0.1, 10)$min_lr, 0)
})

test_that("print() shows the family, the R call and the formula", {
  skip_if_no_python()
  out <- format(schedule_wsd(0.1, 5, 10, 8))
  expect_match(out[1], "<lrdecay schedule: wsd>", fixed = TRUE)
  expect_match(out[2], "schedule_wsd(peak_lr = 0.1, warmup_steps = 5, stable_steps = 10",
               fixed = TRUE)
  expect_match(paste(out, collapse = "\n"), "min_lr_ratio", fixed = TRUE)
  expect_match(format(schedule_inverse_sqrt(0.1, 4))[1], "inverse_sqrt", fixed = TRUE)
  expect_match(format(schedule_rex(0.1, 4))[3], "(1 - p) / (1 - p / 2)", fixed = TRUE)
})

test_that("bad arguments fail in the user's call, naming the argument", {
  skip_if_no_python()
  # R checks presence, length, NA and type (R/checks.R); Python every range and choice.
  bad <- list(
    list(quote(schedule_wsd(NaN, 5, 10, 8)), "`peak_lr` must be a positive number, not NaN."),
    list(quote(schedule_wsd(NA, 5, 10, 8)), "`peak_lr` must be a single number, not NA."),
    list(quote(schedule_wsd(-0.1, 5, 10, 8)), "`peak_lr` must be a positive number, not -0.1."),
    list(quote(schedule_wsd("0.1", 5, 10, 8)),
         "`peak_lr` must be a single number, not \"0.1\"."),
    list(quote(schedule_wsd(0.1, -1, 10, 8)),
         "`warmup_steps` must be a non-negative number, not -1."),
    list(quote(schedule_wsd(0.1, 5, Inf, 8)),
         "`stable_steps` must be a non-negative number, not Inf."),
    list(quote(schedule_wsd(0.1, 5, 10, 0)), "`decay_steps` must be a positive number, not 0."),
    list(quote(schedule_wsd(0.1, 5, 10, c(8, 9))),
         "`decay_steps` must be a single number, not c(8, 9)."),
    list(quote(schedule_wsd(0.1, 5, 10)), paste0(
      "`decay_steps` must be given (a positive number or of_run(fraction)): WSD's decay has ",
      "no length of its own; `stable_steps` may be left to the run (the run less warmup and ",
      "decay).")),
    list(quote(schedule_wsd(0.1, 5, 10, 8, warmup = "quadratic")),
         "`warmup` must be one of \"linear\", \"cosine\", \"1-sqrt\", not \"quadratic\"."),
    list(quote(schedule_wsd(0.1, 5, 10, 8, decay = 1)), "`decay` must be a single string, not 1."),
    list(quote(schedule_wsd(0.1, 5, 10, 8, min_lr_ratio = 2)),
         "`min_lr_ratio` must be a number in [0, 1], not 2."),
    list(quote(schedule_inverse_sqrt(0.1, 5, timescale = 0)),
         "`timescale` must be a positive number (or None/NULL), not 0."),
    list(quote(schedule_inverse_sqrt(0.1, -5)),
         "`warmup_steps` must be a non-negative number, not -5."),
    list(quote(schedule_rex(0, 10)), "`initial_lr` must be a positive number, not 0."),
    list(quote(schedule_rex(0.1, -Inf)), "`total_steps` must be a positive number, not -Inf."),
    list(quote(schedule_rex(0.1, 10, min_lr = 0.2)),
         "`min_lr` must be a number in [0, `initial_lr`] ([0, 0.1]), not 0.2.")
  )
  for (case in bad) {
    cnd <- expect_error(eval(case[[1]]), class = "lrdecay_error_argument")
    expect_s3_class(cnd, "lrdecay_error")
    expect_identical(conditionMessage(cnd), case[[2]])
    expect_identical(cnd$call[[1]], case[[1]][[1]])  # the user's call, not an internal one
  }
})

test_that("the new families run in-graph and agree with lr_at()", {
  skip_if_no_keras()
  for (name in names(modern_cases())) {
    s <- eval(modern_cases()[[name]][[1]])
    steps <- c(0:60, 1000, 123457)
    expect_in_graph_equal(keras_values(as_keras_schedule(s), steps), lr_at(s, steps),
                          tol = 2e-5)
    expect_in_graph_equal(keras_values(as_keras_schedule(s, steps_per_epoch = 4), steps),
                          lr_at(s, steps / 4), tol = 2e-5)
  }
})

test_that("check_schedule() returns the findings as a data frame", {
  skip_if_no_python()
  x <- check_schedule(schedule_cosine(0.1, decay_steps = 1000), epochs = 15)
  expect_s3_class(x, c("lrdecay_check", "data.frame"), exact = TRUE)
  expect_named(x, c("code", "severity", "message"))
  expect_identical(x$code, c("unit_mismatch", "not_finished"))
  expect_identical(x$severity, c("warning", "warning"))
  expect_match(x$message[1], "1000 steps", fixed = TRUE)
  expect_match(x$message[1], "training runs 15 epochs", fixed = TRUE)
  # the same as Python's findings, message for message
  py <- reticulate::import("lrdecay", convert = FALSE)
  found <- reticulate::py_to_r(reticulate::py_eval(
    "lambda f: [(x.code, x.severity, x.message) for x in f]", convert = FALSE)(
      py$check_schedule(py$Cosine(0.1, 1000L), 15L)))
  # (R's words for the calls the advice shows)
  expect_identical(x$message, sub("to_keras()", "as_keras_schedule()",
                                  vapply(found, `[[`, "", 3), fixed = TRUE))

  ok <- check_schedule(schedule_cosine(0.1, decay_steps = 15), epochs = 15)
  expect_s3_class(ok, "lrdecay_check")
  expect_identical(nrow(ok), 0L)
  expect_named(ok, c("code", "severity", "message"))
  expect_output(print(ok), "No problem found in this training plan.", fixed = TRUE)

  # steps: whole R doubles are accepted; each code reachable from R
  w <- schedule_wsd(0.1, 50, 1000, 450, min_lr_ratio = 0.01)
  expect_identical(nrow(check_schedule(w, 15, steps_per_epoch = 100, clock = "step")), 0L)
  expect_identical(check_schedule(schedule_wsd(0.1, 5, 30, 15), 50)$code, "zero_start")
  expect_identical(check_schedule(schedule_cosine(0.1, 15), 15, 100, clock = "step")$code,
                   c("unit_mismatch", "ends_early"))
  # REX to 0 over 20 epochs, then 80 epochs at 0 (a decay to its final value is no jump)
  expect_identical(check_schedule(schedule_rex(0.1, 20), 100)$code, "ends_early")
  early <- check_schedule(schedule_rex(0.1, 20, min_lr = 0.002), 100)
  expect_identical(early$code, "ends_early")
  expect_identical(early$severity, "note")
  expect_identical(check_schedule(schedule_piecewise(10, c(0.1, 0.001)), 15)$code, "jump")
  expect_identical(check_schedule(schedule_inverse_sqrt(0.1, 4), 10, clock = "step")$code,
                   "zero_start")
  expect_output(print(x), "2 findings in this training plan:", fixed = TRUE)
  expect_output(print(x), "* unit_mismatch (warning): The schedule is sized for 1000 steps",
                fixed = TRUE)
  utils::capture.output(vis <- withVisible(print(x)))
  expect_false(vis$visible)
  expect_identical(vis$value, x)
})

test_that("check_schedule() names bad arguments", {
  skip_if_no_python()
  s <- schedule_rex(0.1, 10)
  bad <- list(
    list(quote(check_schedule(function(t) 0.1, 15)),
         "`schedule` must be an lrdecay schedule (made by a schedule_*() function), not a function."),
    list(quote(check_schedule(s)), "`epochs` is absent but must be supplied."),
    list(quote(check_schedule(s, 0)), "`epochs` must be a positive whole number, not 0."),
    list(quote(check_schedule(s, 1.5)), "`epochs` must be a positive whole number, not 1.5."),
    list(quote(check_schedule(s, NA)), "`epochs` must be a single number, not NA."),
    list(quote(check_schedule(s, 10, steps_per_epoch = 2.5)),
         "`steps_per_epoch` must be a positive whole number, not 2.5."),
    list(quote(check_schedule(s, 10, clock = "batch")),
         "`clock` must be one of \"epoch\", \"step\", not \"batch\".")
  )
  for (case in bad) {
    cnd <- expect_error(eval(case[[1]]), class = "lrdecay_error_argument")
    expect_identical(gsub("\\s+", " ", conditionMessage(cnd)), case[[2]])
    expect_identical(cnd$call[[1]], quote(check_schedule))
  }
})
