#' Evaluate a schedule
#'
#' The learning rate of `schedule` at each clock value of `t`, computed in
#' float64 by the Python formula in one call.
#'
#' @param schedule An lrdecay schedule, made by a `schedule_*()` function, or an
#'   in-graph schedule made from one by [as_keras_schedule()] (the values are the
#'   lrdecay schedule's). A Keras schedule of Keras's own (keras3's
#'   `learning_rate_schedule_*()`) is refused: make it with an lrdecay family.
#' @param t A numeric vector of clock values, each finite and `>= 0`: 0-based
#'   epochs for [callback_lr_scheduler()], optimizer iterations in-graph.
#' @returns A numeric vector as long as `t`.
#' @family schedule tools
#' @export
#' @examplesIf lrdecay_available()
#' lr_at(schedule_step(0.01, drop = 0.5, every = 10), 0:20)
lr_at <- function(schedule, t) {
  schedule <- as_schedule(schedule)
  t <- as_clock(t)
  schedule <- lrdecay_schedule_of(schedule)
  if (length(t) == 0) return(numeric())
  out <- lrdecay_call(function() {
    reticulate::py_call(schedule, reticulate::np_array(t, dtype = "float64"))
  })
  # py_to_r() copies NumPy's buffer once; dropping dim in place avoids as.vector()'s second copy.
  out <- reticulate::py_to_r(out)
  dim(out) <- NULL
  out
}

# The schedule's own default range (Python's default_horizon(): it follows decay_steps,
# total_steps and the like).
default_clock <- function(x, call = rlang::caller_env()) {
  horizon <- lrdecay_call(function() x$default_horizon(), .call = call)
  as.double(seq(0, horizon))
}

#' Print, format, plot and tabulate a schedule
#'
#' `format()` and `print()` show the family, the call that makes the schedule
#' (in R syntax: `staircase = TRUE`, `c(30, 80)`) and the formula; `plot()`
#' draws the learning rate against `t`: with ggplot2 when it is installed
#' (see [autoplot()][autoplot-lrdecay]), returning the ggplot invisibly, else
#' (or with `options(lrdecay.ggplot = FALSE)`) with base graphics, returning the
#' data invisibly; `as.data.frame()` gives columns `t` and `lr`.
#'
#' @param x An lrdecay schedule.
#' @param t Clock values; by default the schedule's own range, long enough to
#'   show its shape (it follows `decay_steps`, `total_steps` and the like).
#' @param ... For `plot()` with base graphics, passed to [graphics::plot()];
#'   otherwise unused.
#' @param row.names,optional Unused; for compatibility with [as.data.frame()].
#' @param main,xlab,ylab Title and axis labels (`main = NULL`: "lrdecay:"
#'   and the family).
#' @param type Passed to [graphics::plot()] (base graphics).
#' @returns `format()`: a character vector; `print()`: `x`, invisibly;
#'   `as.data.frame()`: a data frame with columns `t` and `lr`; `plot()`: the
#'   ggplot, or with base graphics that data frame, invisibly.
#' @name schedule-methods
#' @family schedule tools
#' @examplesIf lrdecay_available()
#' s <- schedule_cosine(0.01, decay_steps = 50)
#' s
#' head(as.data.frame(s, t = 0:50))
#' plot(s)
NULL

#' @rdname schedule-methods
#' @method format lrdecay.Schedule
#' @export
format.lrdecay.Schedule <- function(x, ...) {
  d <- lrdecay_call(function() x$describe())
  c(sprintf("<lrdecay schedule: %s>", d$family), paste0("  ", d$r_call),
    paste0("  ", d$formula))
}

#' @rdname schedule-methods
#' @method print lrdecay.Schedule
#' @export
print.lrdecay.Schedule <- function(x, ...) {
  cat(format(x, ...), sep = "\n")
  invisible(x)
}

#' @rdname schedule-methods
#' @method as.data.frame lrdecay.Schedule
#' @export
as.data.frame.lrdecay.Schedule <- function(x, row.names = NULL, optional = FALSE, ..., t = NULL) {
  t <- if (is.null(t)) default_clock(x) else as_clock(t)
  data.frame(t = t, lr = lr_at(x, t))
}

#' @rdname schedule-methods
#' @method plot lrdecay.Schedule
#' @export
plot.lrdecay.Schedule <- function(x, t = NULL, ..., main = NULL, xlab = "t",
                                  ylab = "learning rate", type = "l") {
  check_plot_clock(t)
  if (use_ggplot2()) {
    return(draw_ggplot(autoplot.lrdecay.Schedule(x, t = t), main = main, xlab = xlab,
                       ylab = ylab))
  }
  data <- as.data.frame(x, t = t)
  graphics::plot(data$t, data$lr, type = type, xlab = xlab, ylab = ylab,
                 main = main %||% paste("lrdecay:", lrdecay_call(function() x$family)), ...)
  invisible(data)
}

#' @rdname schedule-methods
#' @method plot lrdecay.keras_schedule.KerasSchedule
#' @export
plot.lrdecay.keras_schedule.KerasSchedule <- function(x, t = NULL, ...) {
  check_plot_clock(t)
  graphics::plot(lrdecay_schedule_of(x), t = t, ...)
}

# A plot's clock: NULL (the schedule's own range) or at least one value (an empty one
# would draw nothing, with base R's warnings).
check_plot_clock <- function(t, call = rlang::caller_env()) {
  if (!is.null(t) && length(t) == 0) {
    abort_arg("t", "NULL or at least one clock value to draw", t, call)
  }
}

#' @rdname schedule-methods
#' @method as.data.frame lrdecay.keras_schedule.KerasSchedule
#' @export
as.data.frame.lrdecay.keras_schedule.KerasSchedule <- function(x, row.names = NULL,
                                                               optional = FALSE, ...) {
  as.data.frame(lrdecay_schedule_of(x), row.names = row.names, optional = optional, ...)
}

#' Run a schedule inside the training graph
#'
#' Wraps `schedule` as a Keras `LearningRateSchedule` (computed with
#' `keras.ops`, in float32, registered serializable), to pass as an optimizer's
#' `learning_rate`. The optimizer then evaluates it at every update, with
#' `t = iterations` (0 at the first update), or `t = iterations / steps_per_epoch`
#' (fractional epochs) when `steps_per_epoch` is given.
#'
#' A schedule made by [schedule_function()], or a warmup or sequence holding one,
#' cannot run in-graph (an error says so); use it with [callback_lr_scheduler()].
#'
#' A model compiled with such an optimizer can be saved with keras3's
#' [keras3::save_model()] and loaded with [keras3::load_model()] in a new R
#' session once `library(lrdecay)` has been called.
#'
#' When training begins, the schedule is checked against it with
#' [check_schedule()] (`t` counts steps, or epochs with `steps_per_epoch`; the
#' number of epochs and of steps per epoch come from keras3's `fit()`), and a
#' warning of class `lrdecay_warning_schedule` lists what it finds, once per
#' `fit()`. Keras gives a schedule no hook of its own at the start of training:
#' the check runs when an lrdecay callback ([callback_lr_logger()] and the
#' others) is in the `fit()`, and otherwise the first time Keras evaluates the
#' schedule in a `fit()`, when it compiles the training step; a second `fit()`
#' of the same model reuses that step and is checked only with an lrdecay
#' callback. `check = FALSE` turns the check off. A schedule that comes back
#' with a model loaded by [keras3::load_model()] reports through Python (a
#' `ScheduleWarning` printed on the console) unless an lrdecay callback is in
#' the `fit()`, which makes it an R warning again.
#'
#' @param schedule An lrdecay schedule, or an in-graph schedule made by
#'   `as_keras_schedule()` (a new one of the lrdecay schedule it wraps is made; it
#'   keeps its `steps_per_epoch` unless one is given).
#' @param steps_per_epoch `NULL`, or the number of batches per epoch (a positive
#'   number), to express `t` in epochs (given alone, it means `clock = "epoch"`).
#' @param clock What `t` counts: `"step"` (`t = iterations`) or `"epoch"`
#'   (`t = iterations / steps_per_epoch`, fractional epochs; without
#'   `steps_per_epoch` it is read from the `fit()`, when it begins). A schedule
#'   sized to the run ([of_run()], an omitted horizon) is sized when the first
#'   `fit()` begins, for `epochs * steps per epoch` updates (clock `"step"`) or
#'   `epochs` (clock `"epoch"`), and keeps those lengths, also in saved models
#'   (see [size_schedule()]).
#' @param check `TRUE` to check the schedule against the training when it
#'   begins and warn about what [check_schedule()] finds; `FALSE` for no check.
#'   Saved with the model only when `FALSE`.
#' @returns A Python `keras.optimizers.schedules.LearningRateSchedule`.
#' @family schedule tools
#' @export
#' @examplesIf lrdecay_available(keras = TRUE)
#' library(keras3)
#' s <- schedule_exponential(0.1, 1000, 0.96, staircase = TRUE)
#' model <- keras_model_sequential(input_shape = 4) |> layer_dense(1)
#' model |> compile(optimizer = optimizer_sgd(learning_rate = as_keras_schedule(s)),
#'                  loss = "mse")
#' x <- matrix(runif(128), ncol = 4)
#' model |> fit(x, rowSums(x), epochs = 2, verbose = 0)
#' get_learning_rate(model)  # the rate at the optimizer's current iteration
#'
#' # No length at all: the cosine spans the fit()'s updates (2 epochs of 1 step)
#' ks <- as_keras_schedule(schedule_cosine(0.1))
#' model |> compile(optimizer = optimizer_sgd(learning_rate = ks), loss = "mse")
#' model |> fit(x, rowSums(x), epochs = 2, verbose = 0)
#' ks$schedule
as_keras_schedule <- function(schedule, steps_per_epoch = NULL, clock = "step", check = TRUE) {
  schedule <- as_schedule(schedule)
  if (!is_schedule(schedule)) lrdecay_schedule_of(schedule)  # refuses Keras's own schedules
  steps_per_epoch <- as_number(steps_per_epoch)
  clock <- as_string(clock)
  check <- as_flag(check)
  with_plan_warning(lrdecay_call(function() {
    schedule$to_keras(steps_per_epoch = steps_per_epoch, clock = clock, check = check)
  }))
}

#' Is lrdecay's Python side available?
#'
#' `TRUE` when reticulate finds a Python with numpy (and, with `keras = TRUE`,
#' Keras 3), so that lrdecay's functions can run. Used by the examples.
#'
#' @param keras Also require Keras 3.
#' @returns `TRUE` or `FALSE`.
#' @export
#' @examples
#' lrdecay_available()
lrdecay_available <- function(keras = FALSE) {
  ok <- tryCatch(reticulate::py_module_available("numpy"), error = function(e) FALSE)
  if (isTRUE(ok) && isTRUE(keras)) {
    ok <- tryCatch(reticulate::py_module_available("keras"), error = function(e) FALSE)
  }
  isTRUE(ok)
}
