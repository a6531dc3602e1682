#' Compare schedules on real data, over several seeds (the demo)
#'
#' Trains a small MLP (Flatten, Dense 128 relu, Dense 10 softmax, SGD) on
#' scikit-learn's handwritten digits (1,797 8x8 images shipped with
#' scikit-learn; a stratified held-out test split) once per schedule and seed:
#' seeds `seed`, `seed + 1`, ..., every schedule of a seed starting from the same
#' initial weights and seeing the batches in the same order. Reports, per
#' schedule, the mean and the standard deviation over the seeds of the test
#' accuracy and loss; `plot()` draws two panels against the epoch: the
#' learning rate, and the mean validation loss with a band of one standard
#' deviation (a PNG of them is written only when `output` names one).
#'
#' The schedules' clock is the 0-based epoch ([callback_lr_scheduler()]); each
#' is checked with [check_schedule()] before training, with a warning of class
#' `lrdecay_warning_schedule` for what it finds. The fits run in `workers`
#' Python processes (each imports Keras once and uses one thread); every fit
#' starts from its own seed, so the results are those of one fit after another
#' (`workers = 1`). A progress bar shows the fits done.
#'
#' @param schedules `NULL` for the eleven default schedules, sized to the run
#'   of `epochs` epochs (constant, step, exponential, inverse time, polynomial, cosine,
#'   warmup + cosine, one-cycle, cyclic, wsd, linear to zero (D2Z); see
#'   `default_schedules()` in Python's `lrdecay.compare`), or a named list of
#'   lrdecay schedules.
#' @param epochs Epochs per fit, a whole number `>= 1`.
#' @param seeds How many seeds each schedule is trained with, a whole number `>= 1`.
#' @param output `NULL` (the default) for no file, or a PNG file to write the
#'   curves to (drawn by Python's matplotlib).
#' @param batch_size,seed Batch size and first random seed (whole numbers).
#' @param verbose `1` to show a progress bar, `0` for quiet.
#' @param workers `NULL` (two processes, or fewer on a one-core machine), or the
#'   number of processes to train in: `1` trains in this R session's Python, one
#'   fit after another. A [schedule_function()] schedule always trains there.
#' @returns A data frame of class `lrdecay_comparison`, one row per schedule, with
#'   the same columns whatever `seeds` is: `schedule`, `final_lr` (the rate of
#'   the last epoch), `test_accuracy` and `test_accuracy_sd`, `test_loss` and
#'   `test_loss_sd` (means and standard deviations over the seeds; `NaN` sds for
#'   one seed), `seconds` (mean seconds per fit). Its attributes hold the rest:
#'   `attr(x, "per_seed")`, a data frame of each fit (`schedule`, `seed`,
#'   `final_lr`, `test_accuracy`, `test_loss`, `seconds`), and
#'   `attr(x, "curves")`, the curves per schedule and 0-based epoch (`schedule`,
#'   `epoch`, `lr`, `val_loss` and `val_loss_sd`: mean and sd over the seeds).
#'   `print()` shows a table of means ± sds and which differences between the
#'   schedules exceed the spread over the seeds; `plot()` and
#'   [autoplot()][autoplot-lrdecay] draw the curves.
#' @family training
#' @export
#' @examplesIf lrdecay_available(keras = TRUE) && reticulate::py_module_available("sklearn")
#' res <- compare_schedules(
#'   list(constant = schedule_constant(0.1), cosine = schedule_cosine(0.1, 2)),
#'   epochs = 2, seeds = 2, verbose = 0, workers = 1
#' )
#' res
#' attr(res, "per_seed")
#' plot(res)
#' \donttest{
#' # The eleven default schedules, 15 epochs, 3 seeds each, and a PNG of the curves:
#' compare_schedules(output = tempfile(fileext = ".png"))
#' }
compare_schedules <- function(schedules = NULL, epochs = 15, seeds = 3, output = NULL,
                              batch_size = 32, seed = 42, verbose = 1, workers = NULL) {
  if (!is.null(schedules)) {
    if (is_schedule(schedules)) schedules <- list(schedule = schedules)
    named <- is.list(schedules) && !inherits(schedules, "python.builtin.object") &&
      length(schedules) > 0 && !is.null(names(schedules)) && all(nzchar(names(schedules)))
    if (!named) {
      abort_arg("schedules", "a named list of lrdecay schedules", schedules, rlang::current_env())
    }
    schedules <- reticulate::dict(schedules)
  }
  if (!is.null(output)) output <- path.expand(as_string(output))
  verbose <- as_whole(verbose)
  progress <- NULL
  if (isTRUE(verbose == 1)) {
    # The bar belongs to this call's frame (cli ends it when the call returns); Python
    # updates it after each fit.
    bar <- cli::cli_progress_bar(
      "Training", total = NA, clear = FALSE,
      format = "Training {cli::pb_bar} {cli::pb_current}/{cli::pb_total} fits | {cli::pb_status}"
    )
    progress <- function(done, total, name, seed) {
      cli::cli_progress_update(id = bar, set = done, total = total,
                               status = sprintf("%s, seed %d", name, as.integer(seed)))
      invisible(NULL)
    }
  }
  args <- list(schedules = schedules, epochs = as_whole(epochs), seeds = as_whole(seeds),
               output = output, batch_size = as_whole(batch_size), seed = as_whole(seed),
               verbose = verbose, workers = as_whole(workers), progress = progress,
               `_warn_hook` = plan_warning_hook())
  rows <- do.call(lrdecay_call, c(list("compare_schedules"), args))
  new_lrdecay_comparison(rows, compare_module())
}

compare_module <- function() {
  py_lrdecay()
  reticulate::import("lrdecay.compare", convert = TRUE)
}

# Python's rows (one dict per schedule) as the comparison: a data frame of Python's
# COLUMNS, with the per-seed results and the curves as attributes.
new_lrdecay_comparison <- function(rows, py) {
  column <- function(records, name) unlist(lapply(records, function(r) r[[name]]))
  columns <- unlist(py$COLUMNS)
  out <- as.data.frame(lapply(stats::setNames(columns, columns), function(k) column(rows, k)),
                       stringsAsFactors = FALSE)
  per_seed <- do.call(rbind, lapply(rows, function(r) {
    data.frame(schedule = r$schedule, seed = as.integer(column(r$per_seed, "seed")),
               final_lr = column(r$per_seed, "final_lr"),
               test_accuracy = column(r$per_seed, "test_accuracy"),
               test_loss = column(r$per_seed, "test_loss"),
               seconds = column(r$per_seed, "seconds"))
  }))
  curves <- do.call(rbind, lapply(rows, function(r) {
    n <- length(r$lr)
    data.frame(schedule = rep(r$schedule, n), epoch = seq_len(n) - 1L,
               lr = as.numeric(unlist(r$lr)), val_loss = as.numeric(unlist(r$val_loss)),
               val_loss_sd = as.numeric(unlist(r$val_loss_sd)))
  }))
  attr(out, "per_seed") <- per_seed
  attr(out, "curves") <- curves
  class(out) <- c("lrdecay_comparison", "data.frame")
  out
}

# The rows of a comparison as Python's presenters take them (one dict per schedule).
comparison_rows <- function(x) {
  x <- as.data.frame(unclass(x)[c("schedule", "final_lr", "test_accuracy", "test_accuracy_sd",
                                  "test_loss", "test_loss_sd", "seconds")],
                     stringsAsFactors = FALSE)
  lapply(seq_len(nrow(x)), function(i) as.list(x[i, , drop = FALSE]))
}

#' Print and plot a comparison of schedules
#'
#' `format()` and `print()` show the comparison [compare_schedules()] returns as
#' a table that fits in 100 columns: per schedule, the rate of the last epoch,
#' the mean test accuracy and loss over the seeds, each with its standard
#' deviation (`mean ± sd`), and the seconds per fit; then which differences
#' exceed the spread, counting a difference of two means as real when it is
#' larger than `sqrt(sd1^2 + sd2^2)` (a rough rule, not a significance test;
#' Python's `lrdecay.compare.spread_summary()`). `plot()` draws the learning
#' rate and the mean validation loss (with a band of one sd) against the
#' epoch: with ggplot2 when it is installed (see [autoplot()][autoplot-lrdecay]),
#' else (or with `options(lrdecay.ggplot = FALSE)`) with base graphics.
#'
#' @param x A `lrdecay_comparison`, as [compare_schedules()] returns.
#' @param digits Decimals of the accuracies and losses (significant digits of
#'   the rate).
#' @param y Unused.
#' @param ... Unused.
#' @returns `format()`: a character vector of lines; `print()`: `x`, invisibly;
#'   `plot()`: the ggplot, invisibly, or with base graphics `x`, invisibly.
#' @name comparison-methods
#' @family training
#' @examplesIf lrdecay_available(keras = TRUE) && reticulate::py_module_available("sklearn")
#' res <- compare_schedules(
#'   list(constant = schedule_constant(0.1), cosine = schedule_cosine(0.1, 2)),
#'   epochs = 2, seeds = 2, verbose = 0, workers = 1
#' )
#' print(res, digits = 3)
#' plot(res)
NULL

#' @rdname comparison-methods
#' @export
format.lrdecay_comparison <- function(x, digits = 4, ...) {
  py <- compare_module()
  rows <- comparison_rows(x)
  pm <- if (isTRUE(l10n_info()[["UTF-8"]])) "\u00b1" else "+/-"
  width <- min(getOption("width"), 100L)
  table <- lrdecay_call(py$format_table, rows, digits = as_whole(digits), pm = pm,
                        width = 100L)
  summary <- unlist(lrdecay_call(py$spread_summary, rows))
  wrapped <- unlist(lapply(summary, function(p) c("", strwrap(p, width = width))))
  c(strsplit(table, "\n", fixed = TRUE)[[1]], wrapped)
}

#' @rdname comparison-methods
#' @export
print.lrdecay_comparison <- function(x, digits = 4, ...) {
  cat(format(x, digits = digits), sep = "\n")
  invisible(x)
}

#' @rdname comparison-methods
#' @export
plot.lrdecay_comparison <- function(x, y, ...) {
  if (use_ggplot2()) return(draw_ggplot(autoplot.lrdecay_comparison(x)))
  curves <- attr(x, "curves")
  names <- unique(x$schedule)
  wide <- function(col) sapply(names, function(n) curves[[col]][curves$schedule == n])
  epoch <- sort(unique(curves$epoch))
  colours <- grDevices::hcl.colors(length(names), "Dark 3")
  old <- graphics::par(mfrow = c(1, 2))
  on.exit(graphics::par(old), add = TRUE)
  graphics::matplot(epoch, wide("lr"), type = "o", pch = 20, lty = 1, col = colours,
                    xlab = "epoch", ylab = "learning rate", main = "learning rate")
  mean <- wide("val_loss")
  sd <- wide("val_loss_sd")
  sd[!is.finite(sd)] <- 0
  graphics::matplot(epoch, mean, type = "o", pch = 20, lty = 1, col = colours,
                    ylim = range(mean - sd, mean + sd, na.rm = TRUE), xlab = "epoch",
                    ylab = "loss", main = "validation loss (mean, \u00b11 sd)")
  for (k in seq_along(names)) {
    graphics::polygon(c(epoch, rev(epoch)), c(mean[, k] - sd[, k], rev(mean[, k] + sd[, k])),
                      col = grDevices::adjustcolor(colours[k], alpha.f = 0.15), border = NA)
  }
  graphics::legend("topright", legend = names, col = colours, lty = 1, pch = 20, bty = "n",
                   cex = 0.8)
  invisible(x)
}
