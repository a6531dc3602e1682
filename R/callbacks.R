# Callbacks: thin R wrappers of the Keras callbacks in inst/python/lrdecay/callbacks.py.
# R functions are wrapped here (arity decided in R, return values checked in R) because an
# R error reaches Python only as a RuntimeError.

#' Set the learning rate from a schedule at each epoch
#'
#' Mirrors Keras's `LearningRateScheduler` (`callback_learning_rate_scheduler()`
#' in keras3): at the start of each epoch the optimizer's learning rate is set
#' to `schedule(epoch)` (or `schedule(epoch, lr)`). Epochs are 0-based, as in
#' Keras: the first epoch is 0, and with `initial_epoch = k` the first epoch
#' seen is `k`, so a resumed run continues the schedule where it stopped. The
#' rate applied is recorded in the history under `learning_rate`.
#'
#' If the schedule returns anything but one non-negative finite number (`NA`,
#' `NaN`, `Inf`, a negative number, a string, a vector of another length),
#' training stops with an error naming the epoch and the value, and the
#' optimizer's learning rate is left unchanged.
#'
#' @param schedule An lrdecay schedule (see [schedule_step()] and friends), or
#'   an R function of `(epoch)` or `(epoch, lr)` returning the new rate.
#'   `epoch` is 0-based; `lr` is the current rate.
#' @param verbose `0` (quiet) or `1` (print the rate set at each epoch, as Keras does).
#' @returns A Keras callback, for `callbacks = list(...)` of [fit()].
#' @family callbacks
#' @export
#' @examplesIf lrdecay_available(keras = TRUE)
#' cb <- callback_lr_scheduler(schedule_step(0.01, drop = 0.5, every = 10))
#' cb2 <- callback_lr_scheduler(function(epoch, lr) if (epoch < 5) lr else lr * 0.9)
callback_lr_scheduler <- function(schedule, verbose = 0) {
  verbose <- check_verbose(verbose)
  if (is_r_function(schedule)) {
    arity <- function_arity(schedule, max = 2L)
    fn <- wrap_lr_function(schedule, arity, "epoch", allow_null = FALSE)
    return(py_lrdecay()$LRScheduler(fn, verbose = verbose, arity = arity))
  }
  if (!is_schedule(schedule) && !inherits(schedule, "python.builtin.object")) {
    abort_arg("schedule", "an lrdecay schedule or a function of (epoch) or (epoch, lr)",
              schedule, rlang::current_env())
  }
  py_lrdecay()$LRScheduler(schedule, verbose = verbose)
}

#' Print and record the learning rate of every epoch
#'
#' The seed's `PrintLR` callback, done right for Keras 3: at the start of each
#' epoch it prints `Epoch 01: learning rate = 0.10000` (when `verbose = 1`)
#' and records the epoch's rate in the history under `learning_rate`, whether
#' the optimizer has a constant rate or an in-graph schedule
#' ([as_keras_schedule()] or a Keras schedule).
#'
#' @param verbose `1` to print each epoch's rate, `0` to only record it.
#' @inherit callback_lr_scheduler return
#' @family callbacks
#' @export
#' @examplesIf lrdecay_available(keras = TRUE)
#' cb <- callback_lr_logger()
callback_lr_logger <- function(verbose = 1) {
  py_lrdecay()$LRLogger(verbose = check_verbose(verbose))
}

#' A custom callback that sets the learning rate
#'
#' The custom-callback route of the first seed, for Keras 3. Each function gets
#' `(epoch, lr, logs)` (or `(batch, lr, logs)`) and returns the new learning
#' rate, or `NULL` to keep the current one. `epoch` and `batch` are 0-based.
#' The rate is set at the start of the epoch or batch (Keras 3 may run
#' batch-end hooks on other threads).
#'
#' @param on_epoch_begin `NULL` or a function of `(epoch, lr, logs)`.
#' @param on_batch_begin `NULL` or a function of `(batch, lr, logs)`.
#' @inherit callback_lr_scheduler return
#' @family callbacks
#' @export
#' @examplesIf lrdecay_available(keras = TRUE)
#' cosine <- callback_lr_custom(on_epoch_begin = function(epoch, lr, logs) {
#'   0.01 * 0.5 * (1 + cos(pi * epoch / 50))
#' })
callback_lr_custom <- function(on_epoch_begin = NULL, on_batch_begin = NULL) {
  if (is.null(on_epoch_begin) && is.null(on_batch_begin)) {
    cli::cli_abort("Give {.arg on_epoch_begin}, {.arg on_batch_begin}, or both.",
                   class = "lrdecay_error_argument")
  }
  if (!is.null(on_epoch_begin)) {
    check_function(on_epoch_begin)
    if (is_r_function(on_epoch_begin)) {
      on_epoch_begin <- wrap_lr_function(on_epoch_begin, 3L, "epoch", allow_null = TRUE)
    }
  }
  if (!is.null(on_batch_begin)) {
    check_function(on_batch_begin)
    if (is_r_function(on_batch_begin)) {
      on_batch_begin <- wrap_lr_function(on_batch_begin, 3L, "batch", allow_null = TRUE)
    }
  }
  py_lrdecay()$LRCustom(on_epoch_begin = on_epoch_begin, on_batch_begin = on_batch_begin)
}

#' Read or set a model's learning rate
#'
#' The Keras 3 replacement of the Keras 2 idioms `model$optimizer$lr` and
#' `k_set_value(model$optimizer$lr, lr)`. `get_learning_rate()` gives the
#' current value, also when the optimizer's rate is an in-graph schedule (its
#' value at the optimizer's current iteration). `set_learning_rate()` sets a
#' constant rate; it is an error when the rate is an in-graph schedule.
#'
#' @param model A compiled Keras model.
#' @param value The new learning rate, a non-negative number.
#' @returns `get_learning_rate()`: a number. `set_learning_rate()`: `model`, invisibly.
#' @family callbacks
#' @export
#' @examplesIf lrdecay_available(keras = TRUE)
#' model <- keras$Sequential(list(keras$Input(shape = list(2L)), keras$layers$Dense(1L)))
#' model$compile(optimizer = keras$optimizers$SGD(learning_rate = 0.1), loss = "mse")
#' get_learning_rate(model)
#' set_learning_rate(model, 0.01)
#' get_learning_rate(model)
get_learning_rate <- function(model) {
  check_model(model)
  py_lrdecay()$get_learning_rate(model)
}

#' @rdname get_learning_rate
#' @export
set_learning_rate <- function(model, value) {
  check_model(model)
  value <- check_lr(value)
  py_lrdecay()$set_learning_rate(model, value)
  invisible(model)
}

# -- helpers ---------------------------------------------------------------

check_verbose <- function(verbose, arg = rlang::caller_arg(verbose), call = rlang::caller_env()) {
  if (isTRUE(verbose) || isFALSE(verbose)) verbose <- as.integer(verbose)
  if (!is.numeric(verbose) || length(verbose) != 1 || is.na(verbose) || !verbose %in% c(0, 1)) {
    abort_arg(arg, "0 or 1", verbose, call)
  }
  as.integer(verbose)
}

check_model <- function(model, arg = rlang::caller_arg(model), call = rlang::caller_env()) {
  if (!inherits(model, "keras.src.models.model.Model")) {
    abort_arg(arg, "a Keras 3 model", model, call)
  }
  model
}

# An R function (reticulate presents callable Python objects as functions too).
is_r_function <- function(x) is.function(x) && !inherits(x, "python.builtin.object")

# How many arguments an R function takes (capped at `max`; `...` counts as `max`).
function_arity <- function(fn, max) {
  args <- names(formals(args(fn)) %||% formals(fn))
  if ("..." %in% args) return(max)
  n <- length(args)
  if (n < 1) {
    cli::cli_abort("The schedule function must take the epoch as its first argument.",
                   class = "lrdecay_error_argument", call = NULL)
  }
  as.integer(min(n, max))
}

# An R function called from Python with `arity` arguments, whose value is checked in R,
# so that a bad value stops training with the epoch (or batch) and the value named.
wrap_lr_function <- function(fn, arity, unit, allow_null) {
  force(fn)
  function(...) {
    args <- list(...)
    value <- do.call(fn, args[seq_len(min(arity, length(args)))])
    if (is.null(value) && allow_null) return(NULL)
    check_lr_value(value, sprintf("%s %s", unit, format(args[[1]])))
  }
}

check_lr_value <- function(value, where) {
  ok <- is.numeric(value) && length(value) == 1 && !is.na(value) && is.finite(value) &&
    value >= 0
  if (!ok) {
    stop(sprintf("The schedule returned %s at %s (0-based); it must return one non-negative finite number.",
                 show_value(value), where), call. = FALSE)
  }
  as.double(value)
}
