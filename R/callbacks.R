# Callbacks: thin R wrappers of the Keras callbacks in inst/python/lrdecay/callbacks.py.
# What stays in R is what only R can know: how many arguments an R function takes, and
# whether the value it returned is one R number (reticulate would turn NA into True).

#' Set the learning rate from a schedule at each epoch
#'
#' Mirrors Keras's `LearningRateScheduler` (keras3's
#' [keras3::callback_learning_rate_scheduler()]): at the start of each epoch
#' the optimizer's learning rate is set to `schedule(epoch)` (or
#' `schedule(epoch, lr)`). The rate applied is recorded in the history that
#' keras3's `fit()` returns, under `learning_rate`.
#'
#' @section Epochs are 0-based; keras3's `initial_epoch` is 1-based:
#' The schedule gets the 0-based epoch, as Keras passes it: the first epoch of
#' training is `epoch = 0`. keras3's `fit(initial_epoch = )` counts from 1 (its
#' default is `initial_epoch = 1`) and hands Keras `initial_epoch - 1`. So to
#' resume after `k` finished epochs, call `fit(..., epochs = n, initial_epoch =
#' k + 1)`: the schedule then continues at `epoch = k`, and the run gives the
#' same learning rates as `n` epochs without a break.
#'
#' @section Errors:
#' An error raised inside an R `schedule` function stops training with its own
#' message. If the function returns anything but one non-negative finite
#' number (`NA`, `NaN`, `Inf`, a negative number, a string, `NULL`, a vector of
#' another length), training stops with an error naming the epoch and the
#' value, and the optimizer's learning rate is left unchanged.
#'
#' @param schedule An lrdecay schedule (see [schedule_step()] and friends), or
#'   an R function of `(epoch)` or `(epoch, lr)` returning the new rate.
#'   `epoch` is 0-based; `lr` is the current rate.
#' @section The training plan is checked:
#' When training begins, an lrdecay `schedule` is checked against it with
#' [check_schedule()] (`t` counts epochs; the number of epochs and of steps per
#' epoch come from keras3's `fit()`), and a warning of class
#' `lrdecay_warning_schedule` lists what it finds, once per `fit()`: a schedule
#' sized in steps, one that ends long before training does or not at all, a
#' first epoch at rate 0, a jump. `check = FALSE` turns this off. R functions,
#' and schedules made with [schedule_function()], are not checked (the check
#' would call them). Any lrdecay callback also checks an in-graph schedule made
#' by [as_keras_schedule()].
#'
#' @param verbose `0` (quiet) or `1` (print the rate set at each epoch, as Keras does).
#' @param check `TRUE` to check an lrdecay `schedule` against the training when
#'   it begins and warn about what [check_schedule()] finds; `FALSE` for no check.
#' @returns A Keras callback, for `callbacks = list(...)` of keras3's [keras3::fit()].
#' @family callbacks
#' @export
#' @examplesIf lrdecay_available(keras = TRUE)
#' library(keras3)
#' x <- matrix(runif(256), ncol = 4)
#' y <- x %*% c(1, -2, 3, 0.5)
#' model <- keras_model_sequential(input_shape = 4) |> layer_dense(1)
#' model |> compile(optimizer = optimizer_sgd(learning_rate = 0.1), loss = "mse")
#' history <- model |> fit(x, y, epochs = 4, verbose = 0, callbacks = list(
#'   callback_lr_scheduler(schedule_step(0.01, drop = 0.5, every = 2))
#' ))
#' history$metrics$learning_rate
#'
#' # A function of (epoch) or (epoch, lr), as in Keras; resume after 4 epochs:
#' halve <- callback_lr_scheduler(function(epoch, lr) if (epoch < 5) lr else lr / 2)
#' halve
#' history <- model %>% fit(x, y, epochs = 7, initial_epoch = 5, verbose = 0,
#'                          callbacks = list(halve))
#' history$metrics$learning_rate
callback_lr_scheduler <- function(schedule, verbose = 0, check = TRUE) {
  if (missing(schedule)) abort_missing("schedule", rlang::current_env())
  verbose <- as_whole(verbose)
  check <- as_flag(check)
  if (is_r_function(schedule)) {
    arity <- function_arity(schedule, c("epoch", "lr"), optional = 1L)
    fn <- r_function_to_py(wrap_scheduler_fn(schedule, arity), schedule)
    return(with_plan_warning(lrdecay_call("LRScheduler", fn, verbose = verbose, arity = arity,
                                          check = check)))
  }
  if (!inherits(schedule, "python.builtin.object")) {
    abort_arg("schedule", "an lrdecay schedule or a function of (epoch) or (epoch, lr)",
              schedule, rlang::current_env())
  }
  with_plan_warning(lrdecay_call("LRScheduler", schedule, verbose = verbose, check = check))
}

#' Print and record the learning rate of every epoch
#'
#' At the start of each epoch it prints `Epoch 01: learning rate = 0.1` (when
#' `verbose = 1`) and records the epoch's rate in the history that keras3's
#' `fit()` returns, under `learning_rate`, whether the optimizer has a
#' constant rate or an in-graph schedule ([as_keras_schedule()] or a keras3
#' `learning_rate_schedule_*()`). The epoch printed is 1-based, as keras3's
#' progress bar counts. The rate is shown with 6 significant digits (`3e-06`).
#'
#' With `per = "batch"` it records the rate of every update, and the value of
#' each hyperparameter a [callback_hparam_scheduler()] drives, computed when
#' each epoch ends (no work per batch); `as.data.frame(logger)` and
#' `plot(logger)` give them (see [lr-logger-records]). A constant rate that a
#' callback may change within the epoch ([callback_lr_custom()] with
#' `on_batch_begin`, or any callback with batch hooks that is not keras3's or
#' lrdecay's) is read after each batch instead. The values are also written
#' into each batch's logs when a callback listed after the logger reads them,
#' so keras3's `callback_tensorboard(update_freq = "batch")` shows them (list
#' the logger before it), or when `batch_logs = TRUE`.
#'
#' @param verbose `1` to print each epoch's rate, `0` to only record it.
#' @param per `"epoch"` (one record per epoch) or `"batch"` (one per update).
#' @param batch_logs With `per = "batch"`: whether each batch's logs get the
#'   values. `NULL` (the default): when a callback listed after the logger
#'   reads batch logs (TensorBoard with `update_freq` other than `"epoch"`, or
#'   any callback with a batch-end hook other than keras3's progress bar and
#'   history); `TRUE`: always; `FALSE`: never.
#' @inherit callback_lr_scheduler return
#' @family callbacks
#' @export
#' @examplesIf lrdecay_available(keras = TRUE)
#' library(keras3)
#' x <- matrix(runif(256), ncol = 4)
#' y <- x %*% c(1, -2, 3, 0.5)
#' s <- schedule_exponential(0.1, decay_steps = 2, decay_rate = 0.5)
#' model <- keras_model_sequential(input_shape = 4) |> layer_dense(1)
#' model |> compile(optimizer = optimizer_sgd(learning_rate = as_keras_schedule(s)),
#'                  loss = "mse")
#' history <- model |> fit(x, y, epochs = 3, batch_size = 32, verbose = 0,
#'                         callbacks = list(callback_lr_logger()))
callback_lr_logger <- function(verbose = 1, per = "epoch", batch_logs = NULL) {
  with_plan_warning(lrdecay_call("LRLogger", verbose = as_whole(verbose), per = as_string(per),
                                 batch_logs = as_flag(batch_logs)))
}

#' A custom callback that sets the learning rate
#'
#' The custom-callback route, for Keras 3. Each function gets
#' `(epoch, lr, logs)` (or `(batch, lr, logs)`) and returns the new learning
#' rate, or `NULL` to keep the current one. `epoch` and `batch` are 0-based;
#' `lr` is the current rate and `logs` Keras's logs (a named list). The rate is
#' set at the start of the epoch or batch. A function that cannot take these
#' three arguments is refused when the callback is made (use `...` to ignore
#' some). For a function of `(epoch)` or `(epoch, lr)` only, use
#' [callback_lr_scheduler()].
#'
#' @param on_epoch_begin `NULL` or a function of `(epoch, lr, logs)`.
#' @param on_batch_begin `NULL` or a function of `(batch, lr, logs)`.
#' @inherit callback_lr_scheduler return
#' @family callbacks
#' @export
#' @examplesIf lrdecay_available(keras = TRUE)
#' library(keras3)
#' cosine <- callback_lr_custom(on_epoch_begin = function(epoch, lr, logs) {
#'   0.01 * 0.5 * (1 + cos(pi * epoch / 50))
#' })
#' cosine
#' x <- matrix(runif(256), ncol = 4)
#' model <- keras_model_sequential(input_shape = 4) |> layer_dense(1)
#' model |> compile(optimizer = optimizer_sgd(learning_rate = 0.1), loss = "mse")
#' history <- model |> fit(x, rowSums(x), epochs = 3, verbose = 0,
#'                         callbacks = list(cosine))
#' history$metrics$learning_rate
callback_lr_custom <- function(on_epoch_begin = NULL, on_batch_begin = NULL) {
  on_epoch_begin <- as_function(on_epoch_begin)
  on_batch_begin <- as_function(on_batch_begin)
  if (is_r_function(on_epoch_begin)) {
    function_arity(on_epoch_begin, c("epoch", "lr", "logs"))
    on_epoch_begin <- r_function_to_py(wrap_hook_fn(on_epoch_begin, "on_epoch_begin", "epoch"),
                                       on_epoch_begin)
  }
  if (is_r_function(on_batch_begin)) {
    function_arity(on_batch_begin, c("batch", "lr", "logs"))
    on_batch_begin <- r_function_to_py(wrap_hook_fn(on_batch_begin, "on_batch_begin", "batch"),
                                       on_batch_begin)
  }
  with_plan_warning(lrdecay_call("LRCustom", on_epoch_begin = on_epoch_begin,
                                 on_batch_begin = on_batch_begin))
}

# -- printing ------------------------------------------------------------------

#' Print an lrdecay callback
#'
#' Shows the callback's class and its settings in R terms: an R function as its
#' source, an lrdecay schedule as the call that makes it.
#'
#' @param x A callback made by [callback_lr_scheduler()], [callback_lr_logger()],
#'   [callback_lr_custom()] or [callback_lr_plateau()].
#' @param ... Unused.
#' @returns `format()`: a character vector; `print()`: `x`, invisibly.
#' @name callback-methods
#' @family callbacks
#' @keywords internal
#' @examplesIf lrdecay_available(keras = TRUE)
#' callback_lr_scheduler(function(epoch) 0.01 * 0.9^epoch)
#' callback_lr_scheduler(schedule_cosine(0.01, 50), verbose = 1)
NULL

format_lrdecay_callback <- function(x, ...) {
  d <- lrdecay_call(x$describe)
  shown <- vapply(d$fields, describe_callback_field, "")
  c(sprintf("<lrdecay callback: %s>", d$class_name),
    if (length(shown)) paste0("  ", names(shown), ": ", shown))
}

describe_callback_field <- function(value) {
  if (is.null(value)) return("NULL")
  if (is_schedule(value)) return(trimws(format(value)[2]))
  if (inherits(value, "python.builtin.object")) {
    label <- reticulate::py_get_attr(value, "lrdecay_r_source", silent = TRUE)
    if (!is.null(label)) return(reticulate::py_to_r(label))
    return(paste("Python", reticulate::py_repr(value)))
  }
  if (is.function(value)) return(function_label(value, width = 500L))
  show_value(value)
}

#' @rdname callback-methods
#' @export
format.lrdecay.LRScheduler <- format_lrdecay_callback

#' @rdname callback-methods
#' @export
format.lrdecay.LRLogger <- format_lrdecay_callback

#' @rdname callback-methods
#' @export
format.lrdecay.LRCustom <- format_lrdecay_callback

print_lrdecay_callback <- function(x, ...) {
  cat(format(x, ...), sep = "\n")
  invisible(x)
}

#' @rdname callback-methods
#' @export
print.lrdecay.LRScheduler <- print_lrdecay_callback

#' @rdname callback-methods
#' @export
print.lrdecay.LRLogger <- print_lrdecay_callback

#' @rdname callback-methods
#' @export
print.lrdecay.LRCustom <- print_lrdecay_callback

# -- R functions called from Python ----------------------------------------------

# How many of `expected` (the arguments Python passes, in order) the R function `fn` takes,
# checking that it can be called with the first `optional` to all of them. A function with
# `...` takes all; more required arguments than expected, or fewer arguments than the
# minimum, is refused, naming the arguments expected.
function_arity <- function(fn, expected, optional = length(expected),
                           arg = rlang::caller_arg(fn), call = rlang::caller_env()) {
  f <- formals(args(fn)) %||% formals(fn)
  dots <- "..." %in% names(f)
  f <- f[names(f) != "..."]
  n <- length(f)
  required <- sum(vapply(f, function(a) identical(a, quote(expr = )), NA))
  if ((!dots && n < optional) || required > length(expected)) {
    must <- if (optional < length(expected)) {
      paste0("a function of (", paste(expected[seq_len(optional)], collapse = ", "), ") or (",
             paste(expected, collapse = ", "), ")")
    } else {
      paste0("a function of (", paste(expected, collapse = ", "), ")")
    }
    given <- paste0("a function of (", paste(names(f), collapse = ", "), ")")
    cli::cli_abort("{.arg {arg}} must be {must}, not {given}.", call = call,
                   class = c("lrdecay_error_argument", "lrdecay_error"))
  }
  as.integer(if (dots) length(expected) else min(n, length(expected)))
}

# The R `wrapper` of the user's `user_fn` as the Python callable handed to Python, named
# after the user's function: its source on one line, shortened as `__name__` (shown by
# Python's repr() and by a schedule's R call), whole as `lrdecay_r_source` (shown by
# print() of a callback).
r_function_to_py <- function(wrapper, user_fn) {
  py_lrdecay()  # Python started by lrdecay, with its error when there is none
  fn <- reticulate::r_to_py(wrapper, convert = TRUE)
  reticulate::py_set_attr(fn, "__name__", function_label(user_fn))
  reticulate::py_set_attr(fn, "lrdecay_r_source", function_label(user_fn, width = 500L))
  fn
}

# The user's function of (epoch) or (epoch, lr), its value checked in R. The user's own
# errors go on unchanged.
wrap_scheduler_fn <- function(schedule, arity) {
  force(schedule)
  force(arity)
  function(epoch, lr) {
    value <- if (arity == 2L) schedule(epoch, lr) else schedule(epoch)
    check_returned_lr(value, "The schedule", "epoch", epoch)
  }
}

# A callback hook of (index, lr, logs): NULL keeps the rate, else its value is checked.
wrap_hook_fn <- function(hook, name, unit) {
  force(hook)
  function(index, lr, logs) {
    value <- hook(index, lr, logs)
    if (is.null(value)) return(NULL)
    check_returned_lr(value, sprintf("The `%s` function", name), unit, index)
  }
}
