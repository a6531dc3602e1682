# The learning-rate range test: R converts, Python (inst/python/lrdecay/lr_range_test.py) checks
# the arguments, runs the sweep and computes the suggestions; R only presents the result.

#' Find a learning rate: the LR range test
#'
#' Trains `model` for at most `steps` batches while the learning rate grows
#' geometrically from `min_lr` to `max_lr`: batch `i` (0-based) uses
#' `min_lr * (max_lr / min_lr)^(i / (steps - 1))`. It records each batch's
#' raw loss and its exponentially smoothed, bias-corrected value
#' (`avg = smoothing * avg + (1 - smoothing) * loss`, `smoothed = avg / (1 - smoothing^(i + 1))`),
#' and stops early once the smoothed loss exceeds `stop_factor` times its
#' minimum, or the loss becomes `NaN` or infinite. This is fastai's
#' `lr_find()` (after Smith's LR range test), for Keras 3.
#'
#' Afterwards the model is exactly as before: its weights, its optimizer's
#' variables (iterations, momentum slots, learning rate) and its metrics are
#' restored bit for bit, also when the sweep stops early or an error
#' interrupts it. (A never-trained optimizer gets its slots built, at zero, as
#' its first `fit()` would.)
#'
#' The suggestions follow fastai, on the smoothed loss without the first
#' `steps %/% 10` and the last 5 points: `steepest`, where the loss falls
#' fastest against `log(lr)`; `minimum`, the learning rate of the lowest loss
#' divided by 10; `valley`, a point part-way down the longest decreasing run
#' of the loss. The recommended `suggestion` is `valley` (or `steepest` when
#' the loss never decreases). Use it as the peak of a one-cycle or warmup +
#' cosine schedule, e.g. `schedule_one_cycle(max_lr = result$suggestion, ...)`.
#'
#' The sweep is one Keras `fit()` in epochs of at most 100 batches; the
#' learning rate of each batch and each batch's own loss are computed inside
#' the compiled training step (no R or Python call between batches), so the
#' sweep takes about the time of as many plain training steps. The first
#' `lr_find()` on a compiled model compiles the sweep's training step once (it
#' is kept for the next ones; the model's own step is left as it was). The data
#' are not restarted: arrays and finite datasets are cycled through as needed (an
#' epoch ends early where a pass over the data ends), and a generator that runs
#' out ends the sweep. Callbacks given in `...` see these epochs.
#'
#' @param model A compiled Keras 3 model whose optimizer has a constant
#'   learning rate (not an in-graph schedule such as [as_keras_schedule()]).
#' @param x,y Inputs and targets: matrices, arrays, vectors (or lists of them
#'   for several inputs), or Python objects (NumPy arrays; a `tf.data.Dataset`
#'   or a Python generator of `(x, y)` batches as `x`, with `y = NULL`).
#' @param min_lr The first learning rate, a positive number.
#' @param max_lr The last learning rate, a number greater than `min_lr`.
#' @param steps The number of batches (learning rates) at most, a whole number >= 5.
#' @param batch_size The batch size for R and NumPy arrays, a positive whole
#'   number (ignored for datasets and generators).
#' @param smoothing The smoothing factor (beta) of the loss, a number in \[0, 1);
#'   `0` means no smoothing.
#' @param stop_factor Stop once the smoothed loss exceeds `stop_factor` times
#'   its minimum so far; a number > 1.
#' @param ... Further arguments to the model's `fit()`: `callbacks`, `shuffle`,
#'   `sample_weight`, `class_weight`, `verbose` (default 0). `epochs`,
#'   `steps_per_epoch`, `initial_epoch` and the validation arguments are the
#'   sweep's own and are refused.
#' @returns A `lrdecay_lr_find` object: a list with `lrs` (the learning rate of
#'   each batch trained), `losses` (raw), `smoothed`, `suggestion` (one
#'   learning rate, `NA` when too few finite losses), `suggestions` (a list
#'   with `steepest`, `minimum` and `valley`), `rule` (the rule behind
#'   `suggestion`), `stop_reason` (`"completed"`, `"diverged"`, `"non-finite"`
#'   or `"out of data"`), `ylim` (the y range the plots use: the descent,
#'   without the divergent tail) and `settings`; with `print()`, `plot()` and
#'   `as.data.frame()` methods.
#' @family training
#' @seealso [schedule_one_cycle()], [schedule_warmup()] to train with the rate found.
#' @export
#' @examplesIf lrdecay_available(keras = TRUE)
#' library(keras3)
#' x <- matrix(rnorm(1024), ncol = 4)
#' y <- x %*% c(1, -2, 3, 0.5) + rnorm(256, sd = 0.3)
#' model <- keras_model_sequential(input_shape = 4) |> layer_dense(1)
#' model |> compile(optimizer = optimizer_sgd(learning_rate = 0.01, momentum = 0.9),
#'                  loss = "mse")
#' result <- model %>% lr_find(x, y, max_lr = 10, steps = 50)
#' result
#' plot(result)
#' one_cycle <- schedule_one_cycle(max_lr = result$suggestion, total_steps = 100)
lr_find <- function(model, x, y = NULL, min_lr = 1e-7, max_lr = 1, steps = 100, batch_size = 32,
                    smoothing = 0.98, stop_factor = 4, ...) {
  call <- rlang::current_env()
  args <- list(as_model(model), as_py_data(x), as_py_data(y), min_lr = as_number(min_lr),
               max_lr = as_number(max_lr), steps = as_whole(steps),
               batch_size = as_whole(batch_size), smoothing = as_number(smoothing),
               stop_factor = as_number(stop_factor))
  dots <- lr_find_dots(list(...), call)
  result <- do.call(lrdecay_call, c(list("lr_find"), args, dots, list(.call = call)))
  as_lrdecay_lr_find(result, lr_find_module())
}

# The Python module holding the range test (imports Keras).
lr_find_module <- function() {
  py_lrdecay()
  reticulate::import("lrdecay.lr_range_test", convert = TRUE)
}

lr_find_dots <- function(dots, call) {
  if (length(dots) && (is.null(names(dots)) || any(names(dots) == ""))) {
    cli::cli_abort("Arguments in {.arg ...} must be named (they go to the model's {.fn fit}).",
                   class = c("lrdecay_error_argument", "lrdecay_error"), call = call)
  }
  if (!is.null(dots$sample_weight)) {
    dots$sample_weight <- as_py_data(dots$sample_weight, arg = "sample_weight", call = call)
  }
  if (is.numeric(dots$verbose)) dots$verbose <- as_whole(dots$verbose, arg = "verbose", call = call)
  if (!is.null(dots$shuffle)) dots$shuffle <- as_flag(dots$shuffle, arg = "shuffle", call = call)
  if (!is.null(dots$callbacks)) {
    if (inherits(dots$callbacks, "python.builtin.object")) dots$callbacks <- list(dots$callbacks)
    if (!is.list(dots$callbacks)) {
      abort_arg("callbacks", "a list of Keras callbacks", dots$callbacks, call)
    }
    dots$callbacks <- unname(dots$callbacks)
  }
  dots
}

as_lrdecay_lr_find <- function(result, py) {
  num <- function(v) if (is.null(v)) NA_real_ else as.numeric(v)
  suggestions <- result$suggestions
  structure(list(
    lrs = as.numeric(result$lrs),
    losses = as.numeric(result$losses),
    smoothed = as.numeric(result$smoothed),
    suggestion = num(result$suggestion),
    suggestions = list(steepest = num(suggestions$steepest), minimum = num(suggestions$minimum),
                       valley = num(suggestions$valley)),
    rule = result$suggestion_rule %||% NA_character_,
    stop_reason = result$stop_reason,
    stop_message = py$STOP_REASONS[[result$stop_reason]],
    ylim = vapply(result$ylim, function(v) if (is.null(v)) NA_real_ else as.numeric(v), 0),
    settings = list(min_lr = result$min_lr, max_lr = result$max_lr, steps = result$steps,
                    smoothing = result$smoothing, stop_factor = result$stop_factor)
  ), class = "lrdecay_lr_find")
}

#' @export
print.lrdecay_lr_find <- function(x, ...) {
  n <- length(x$lrs)
  fmt <- function(v) if (is.na(v)) "NA" else format(signif(v, 3))
  cat(sprintf("<lrdecay_lr_find> LR range test, %d of %d steps: learning rate %s to %s\n",
              n, x$settings$steps, fmt(x$settings$min_lr), if (n) fmt(x$lrs[n]) else "-"))
  cat(sprintf("Sweep %s.\n", x$stop_message))
  rule <- if (is.na(x$rule)) "" else sprintf(" (%s)", x$rule)
  cat(sprintf("Suggested learning rate: %s%s\n", fmt(x$suggestion), rule))
  cat(paste0("Rules: ", paste(names(x$suggestions), vapply(x$suggestions, fmt, ""),
                              collapse = ", "), "\n"))
  invisible(x)
}

#' @export
as.data.frame.lrdecay_lr_find <- function(x, row.names = NULL, optional = FALSE, ...) {
  data.frame(step = seq_along(x$lrs) - 1L, lr = x$lrs, loss = x$losses, smoothed = x$smoothed)
}

#' Plot an LR range test
#'
#' The smoothed loss (and, faintly, the raw loss) against the learning rate on
#' a log axis, with the suggested learning rate marked by a dashed line (with
#' ggplot2, one line per rule: see [autoplot()][autoplot-lrdecay]). The y axis
#' runs from the lowest smoothed loss to a little above the highest one before
#' it (Python's `plot_ylim()`), so the divergent tail leaves the plot. With
#' ggplot2 installed the picture is a ggplot; with `options(lrdecay.ggplot =
#' FALSE)`, or without ggplot2, it is drawn with base graphics.
#'
#' @param x A `lrdecay_lr_find` returned by [lr_find()].
#' @param y Unused.
#' @param raw `TRUE` to draw the raw losses too.
#' @param xlab,ylab,main Axis labels and title.
#' @param ... Passed to [graphics::plot()] (base graphics).
#' @returns `x`, invisibly.
#' @family training
#' @export
#' @examplesIf lrdecay_available(keras = TRUE)
#' library(keras3)
#' x <- matrix(rnorm(512), ncol = 2)
#' model <- keras_model_sequential(input_shape = 2) |> layer_dense(1)
#' model |> compile(optimizer = optimizer_sgd(learning_rate = 0.01), loss = "mse")
#' result <- model |> lr_find(x, x %*% c(1, -2), max_lr = 10, steps = 30)
#' plot(result)
#' plot(result, raw = FALSE, main = "without the raw losses")
plot.lrdecay_lr_find <- function(x, y, raw = TRUE, xlab = "learning rate (log scale)",
                                 ylab = "loss", main = "LR range test", ...) {
  if (use_ggplot2()) {
    draw_ggplot(autoplot.lrdecay_lr_find(x, raw = raw), main = main, xlab = xlab, ylab = ylab)
    return(invisible(x))
  }
  ok <- is.finite(x$smoothed)
  if (!any(ok)) {
    graphics::plot.new()
    graphics::title(main = main)
    return(invisible(x))
  }
  graphics::plot(x$lrs[ok], x$smoothed[ok], type = "l", log = "x", xlab = xlab, ylab = ylab,
                 main = main, ylim = x$ylim, lwd = 2, ...)
  if (raw) graphics::lines(x$lrs, x$losses, col = "grey70")
  if (!is.na(x$suggestion)) {
    graphics::abline(v = x$suggestion, col = "firebrick", lty = 2)
    graphics::legend("topleft", bty = "n", lty = 2, col = "firebrick",
                     legend = sprintf("suggestion %s (%s)", format(signif(x$suggestion, 3)), x$rule))
  }
  invisible(x)
}

# R data to what Keras takes: numeric arrays as NumPy arrays (integers stay integers),
# lists element-wise; Python objects and NULL pass through.
as_py_data <- function(x, arg = rlang::caller_arg(x), call = rlang::caller_env()) {
  if (is.null(x) || inherits(x, "python.builtin.object")) return(x)
  if (is.data.frame(x)) x <- as.matrix(x)
  if (is.list(x)) return(lapply(x, as_py_data, arg = arg, call = call))
  if (is.factor(x)) x <- as.integer(x) - 1L
  if (is.logical(x)) x <- as.integer(x)
  if (!is.numeric(x)) abort_arg(arg, "numeric data (or a list of numeric arrays)", x, call)
  if (is.null(dim(x))) x <- as.array(x)
  # R's NA is a signalling NaN, whose cast to float32 NumPy warns about: a plain NaN, which
  # Python's check then reports as a non-finite value of the argument.
  if (anyNA(x)) {
    storage.mode(x) <- "double"
    x[is.na(x)] <- NaN
  }
  reticulate::np_array(x, dtype = if (is.integer(x)) "int64" else "float32", order = "C")
}
