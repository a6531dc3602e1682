# Momentum and other optimizer hyperparameters scheduled with the rate, and the per-update
# records of callback_lr_logger(per = "batch"): thin wrappers of
# inst/python/lrdecay/hparams.py, schedules.py (the momentum families) and callbacks.py.

#' Schedule momentum and other optimizer hyperparameters
#'
#' Drives optimizer hyperparameters other than the learning rate by name:
#' `momentum` of [keras3::optimizer_sgd()] (and RMSprop), `beta_1` of Adam and
#' AdamW, `weight_decay`, ... Each gets an lrdecay schedule (e.g. the one-cycle
#' momentum of [schedule_momentum()]) or an R function of `t`.
#'
#' With `per = "batch"`, `t` is the optimizer's iteration count (0 at the first
#' update, the clock of an [as_keras_schedule()] rate), and the training step
#' finds each update's value itself: no R or Python code runs per batch. On the
#' TensorFlow backend, when `fit()` knows its number of steps, the values of all
#' its updates are computed as training begins and the step looks its own up
#' (cheaper than running the schedule's formula there); otherwise the step
#' computes the schedule, as an in-graph learning rate is. An R function cannot
#' run inside the step: it is
#' called once, on the vector of every update of `fit()`, when training begins
#' (so `fit()` must know its number of steps per epoch). With `per = "epoch"`,
#' `t` is the 0-based epoch and the value is set as each epoch begins.
#'
#' After update `i`, the optimizer's attribute (e.g. `model$optimizer$momentum`)
#' holds the value update `i` used; when training ends it is a plain number
#' again, the last value used, so the model saves and loads as usual. Setting
#' such an attribute yourself from a callback does nothing on the TensorFlow and
#' JAX backends once the training step is compiled: that is why this callback
#' exists.
#'
#' On the JAX backend, `per = "epoch"` recompiles the training step at each
#' epoch whose value differs (a warning says so); `per = "batch"` does not.
#'
#' @param ... Hyperparameters by name, each an lrdecay schedule or an R
#'   function of `t` returning the value, e.g. `momentum = schedule_momentum(s)`.
#'   Not the learning rate: use [as_keras_schedule()] or
#'   [callback_lr_scheduler()] for it.
#' @param per `"batch"` (`t` = update) or `"epoch"` (`t` = 0-based epoch).
#' @inherit callback_lr_scheduler return
#' @family callbacks
#' @seealso [schedule_momentum()] for the one-cycle and cyclic momentum.
#' @export
#' @examplesIf lrdecay_available(keras = TRUE)
#' library(keras3)
#' x <- matrix(runif(256), ncol = 4)
#' y <- x %*% c(1, -2, 3, 0.5)
#' rate <- schedule_one_cycle(0.1, total_steps = 32)
#' model <- keras_model_sequential(input_shape = 4) |> layer_dense(1)
#' model |> compile(optimizer = optimizer_sgd(as_keras_schedule(rate), momentum = 0.9),
#'                  loss = "mse")
#' model |> fit(x, y, epochs = 4, batch_size = 8, verbose = 0, callbacks = list(
#'   callback_hparam_scheduler(momentum = schedule_momentum(rate))
#' ))
#' model$optimizer$momentum  # the momentum of the last update
callback_hparam_scheduler <- function(..., per = "batch") {
  schedules <- list(...)
  given <- names(schedules) %||% rep("", length(schedules))
  if (length(schedules) && (any(!nzchar(given)) || anyDuplicated(given))) {
    cli::cli_abort(
      "Every argument in {.arg ...} must be named once after the hyperparameter it \\
       schedules, e.g. {.code momentum = schedule_momentum(rate)}.",
      class = c("lrdecay_error_argument", "lrdecay_error"))
  }
  schedules <- lapply(schedules, function(s) if (is_r_function(s)) schedule_function(s) else s)
  do.call(lrdecay_call, c(list("HParamScheduler", per = as_string(per)), schedules))
}

#' Momentum cycled inversely to the learning rate
#'
#' PyTorch's `cycle_momentum` (fastai's `moms`) for a one-cycle or cyclic
#' schedule: the momentum is `max_momentum` where the rate is lowest and
#' `base_momentum` where it peaks. For [schedule_one_cycle()], the same phases
#' and anneal as the rate (the values of PyTorch's `OneCycleLR` with
#' `cycle_momentum = TRUE`); for [schedule_cyclic()], `max_momentum -
#' (max_momentum - base_momentum) * h`, `h` the rate's height in its cycle (the
#' values of PyTorch's `CyclicLR`). Drive it with [callback_hparam_scheduler()].
#'
#' @param schedule A [schedule_one_cycle()] or [schedule_cyclic()] schedule.
#' @param base_momentum The momentum at the peak rate, in `[0, max_momentum]`.
#' @param max_momentum The momentum at the lowest rate, in `[base_momentum, 1]`.
#' @returns An lrdecay schedule of the momentum (evaluate it with [lr_at()]).
#' @family schedules
#' @export
#' @examplesIf lrdecay_available()
#' rate <- schedule_one_cycle(0.1, total_steps = 100)
#' momentum <- schedule_momentum(rate)
#' momentum
#' lr_at(momentum, c(0, 29, 99))
#' plot(momentum, ylab = "momentum")
schedule_momentum <- function(schedule, base_momentum = 0.85, max_momentum = 0.95) {
  lrdecay_call(reticulate::py_get_attr(py_lrdecay(), "schedules")$cycle_momentum,
               as_schedule(schedule), base_momentum = as_number(base_momentum),
               max_momentum = as_number(max_momentum))
}

#' Per-update records of the learning-rate logger
#'
#' The rates a [callback_lr_logger()] recorded in the last `fit()`: one row per
#' update with `per = "batch"`, one per epoch (its first update, batch 0)
#' with `per = "epoch"`. Epochs and batches are 0-based, as Keras counts them;
#' each hyperparameter a [callback_hparam_scheduler()] drove gets its own column.
#'
#' @param x A callback made by [callback_lr_logger()].
#' @param row.names,optional Unused (for the generic).
#' `plot()` draws the rate against the epoch (`per = "epoch"`) or the update
#' (`per = "batch"`), 0-based: with ggplot2 when it is installed, with a panel
#' for each scheduled hyperparameter too (see [autoplot()][autoplot-lrdecay]),
#' else (or with `options(lrdecay.ggplot = FALSE)`) with base graphics.
#'
#' @param ... `as.data.frame()`: unused. `plot()` with base graphics: passed to
#'   [graphics::plot()].
#' @param main,xlab,ylab Title and axis labels; by default "lrdecay: learning
#'   rate per epoch" and "epoch", or "per update" and "update" (`ylab` is used
#'   by base graphics only).
#' @param type Passed to [graphics::plot()] (base graphics).
#' @returns `as.data.frame()`: a data frame with columns `epoch`, `batch`,
#'   `learning_rate` and one per scheduled hyperparameter. `plot()`: the
#'   ggplot, or with base graphics that data frame, invisibly.
#' @name lr-logger-records
#' @family callbacks
#' @examplesIf lrdecay_available(keras = TRUE)
#' library(keras3)
#' x <- matrix(runif(256), ncol = 4)
#' s <- schedule_warmup(schedule_cosine(0.1, decay_steps = 20), warmup_steps = 5)
#' model <- keras_model_sequential(input_shape = 4) |> layer_dense(1)
#' model |> compile(optimizer = optimizer_sgd(as_keras_schedule(s)), loss = "mse")
#' logger <- callback_lr_logger(verbose = 0, per = "batch")
#' model |> fit(x, rowSums(x), epochs = 3, batch_size = 8, verbose = 0,
#'              callbacks = list(logger))
#' head(as.data.frame(logger))
#' plot(logger)
NULL

#' @rdname lr-logger-records
#' @export
as.data.frame.lrdecay.LRLogger <- function(x, row.names = NULL, optional = FALSE, ...) {
  table <- lrdecay_call(x$records_table)
  columns <- lapply(table, function(v) as.numeric(unlist(v)))
  columns$epoch <- as.integer(columns$epoch)
  columns$batch <- as.integer(columns$batch)
  as.data.frame(columns, row.names = row.names, optional = optional)
}

#' @rdname lr-logger-records
#' @export
plot.lrdecay.LRLogger <- function(x, ..., main = NULL, xlab = NULL,
                                  ylab = "learning rate", type = "l") {
  if (length(lrdecay_call(function() x$records)) == 0) {
    cli::cli_abort("{.arg x} has no records yet: pass the logger to {.fn fit} first.",
                   class = c("lrdecay_error_argument", "lrdecay_error"))
  }
  if (use_ggplot2()) {
    return(draw_ggplot(autoplot.lrdecay.LRLogger(x), main = main, xlab = xlab))
  }
  points <- logger_points(x)
  graphics::plot(points$at, points$data$learning_rate, type = type,
                 main = main %||% points$title, xlab = xlab %||% points$axis, ylab = ylab,
                 ...)
  invisible(points$data)
}

#' @rdname callback-methods
#' @export
format.lrdecay.HParamScheduler <- function(x, ...) format_lrdecay_callback(x, ...)

#' @rdname callback-methods
#' @export
print.lrdecay.HParamScheduler <- function(x, ...) print_lrdecay_callback(x, ...)
