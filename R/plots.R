# Pictures with ggplot2 (a Suggests): autoplot() methods for lrdecay's objects and
# plot_schedules(). The plot() methods draw with ggplot2 when it is installed, with base
# graphics otherwise. The numbers come from the objects' own as.data.frame() and from
# Python (the LR range test's y range); nothing is computed here.

#' Draw lrdecay's objects with ggplot2
#'
#' `autoplot()` methods (ggplot2's generic) for a schedule, a
#' [callback_lr_logger()] after `fit()`, an [lr_find()] result and a
#' [compare_schedules()] result. Each returns a ggplot, to print or to extend
#' with `+`:
#'
#' * a schedule: the learning rate against `t` (by default the schedule's own
#'   range, as for `plot()`);
#' * a logger: the learning rate of each epoch (`per = "epoch"`, x axis
#'   `epoch`) or of each update (`per = "batch"`, x axis `update`), both
#'   0-based, with one panel more for each hyperparameter a
#'   [callback_hparam_scheduler()] drove;
#' * an LR range test: the raw loss (grey) and the smoothed loss against the
#'   learning rate on a log axis, one dashed line per suggestion
#'   (`steepest`, `minimum`, `valley`), the y range that of the base `plot()`
#'   (from the lowest smoothed loss to a little above the highest one before
#'   it);
#' * a comparison: two panels against the (0-based) epoch, the learning rate
#'   and the mean validation loss over the seeds with a band of one standard
#'   deviation.
#'
#' `plot()` of these objects draws the same picture when ggplot2 is installed
#' (and returns the ggplot, invisibly); with `options(lrdecay.ggplot = FALSE)`,
#' or without ggplot2, it draws with base graphics.
#'
#' @param object An lrdecay schedule, a [callback_lr_logger()] used in a
#'   `fit()`, a `lrdecay_lr_find` or a `lrdecay_comparison`.
#' @param t For a schedule: the clock values, or `NULL` for its default range.
#' @param raw For an LR range test: `TRUE` to draw the raw losses too.
#' @param ... Unused.
#' @returns A ggplot.
#' @name autoplot-lrdecay
#' @family plots
#' @examplesIf lrdecay_available() && requireNamespace("ggplot2", quietly = TRUE)
#' library(ggplot2)
#' autoplot(schedule_cosine(0.01, decay_steps = 50))
#' autoplot(schedule_one_cycle(0.1, total_steps = 100)) + ggtitle("one-cycle")
NULL

#' Several schedules on one picture
#'
#' Draws named schedules with ggplot2, one coloured line each, against the same
#' clock values.
#'
#' @param ... Schedules, named as the legend shows them
#'   (`cosine = schedule_cosine(...)`); an unnamed one is named after its
#'   expression. A named list of schedules is taken as its elements.
#' @param t The clock values, or `NULL` for the longest of the schedules'
#'   default ranges (`0, 1, ..., H`).
#' @returns A ggplot with the data (columns `schedule`, `t`, `lr`) in `$data`.
#' @family plots
#' @export
#' @examplesIf lrdecay_available() && requireNamespace("ggplot2", quietly = TRUE)
#' plot_schedules(
#'   cosine = schedule_cosine(0.1, 100),
#'   "warmup + cosine" = schedule_warmup(schedule_cosine(0.1, 90), 10),
#'   "one-cycle" = schedule_one_cycle(0.1, 100)
#' )
plot_schedules <- function(..., t = NULL) {
  call <- rlang::current_env()
  dots <- rlang::list2(...)
  labels <- names(rlang::quos_auto_name(rlang::enquos(...)))
  if (length(dots) == 1L && is.list(dots[[1]]) && !inherits(dots[[1]], "python.builtin.object")) {
    dots <- dots[[1]]
    labels <- names(dots)
    if (is.null(labels) || !all(nzchar(labels))) {
      abort_arg("...", "schedules, or a named list of them", dots, call)
    }
  }
  if (length(dots) == 0L) abort_arg("...", "one or more schedules", NULL, call)
  for (i in seq_along(dots)) {
    if (!is_schedule(dots[[i]])) {
      abort_arg(labels[[i]], "an lrdecay schedule (made by a schedule_*() function)",
                dots[[i]], call)
    }
  }
  if (anyDuplicated(labels)) {
    abort_arg("...", "schedules with different names", labels, call)
  }
  check_ggplot2("plot_schedules()")
  t <- if (is.null(t)) {
    as.double(seq(0, max(vapply(dots, function(s) max(default_clock(s, call)), 0))))
  } else {
    as_clock(t)
  }
  data <- do.call(rbind, lapply(seq_along(dots), function(i) {
    data.frame(schedule = labels[[i]], t = t, lr = lr_at(dots[[i]], t))
  }))
  data$schedule <- factor(data$schedule, levels = labels)
  ggplot2::ggplot(data, ggplot2::aes(x = .data$t, y = .data$lr, colour = .data$schedule)) +
    ggplot2::geom_line() +
    ggplot2::labs(x = "t", y = "learning rate", colour = "schedule")
}

#' @rdname autoplot-lrdecay
#' @exportS3Method ggplot2::autoplot
autoplot.lrdecay.Schedule <- function(object, t = NULL, ...) {
  check_ggplot2("autoplot()")
  data <- as.data.frame(object, t = t)
  family <- lrdecay_call(function() object$family)
  ggplot2::ggplot(data, ggplot2::aes(x = .data$t, y = .data$lr)) +
    ggplot2::geom_line() +
    ggplot2::labs(title = paste("lrdecay:", family), x = "t", y = "learning rate")
}

# A logger's records with the x value each is drawn at: the 0-based epoch (per = "epoch")
# or the 0-based update (per = "batch"), and the axis's name.
logger_points <- function(x, call = rlang::caller_env()) {
  data <- as.data.frame(x)
  if (nrow(data) == 0L) {
    cli::cli_abort(
      "The logger has no records yet: pass it to {.fn fit} in {.arg callbacks}, then plot it.",
      class = "lrdecay_error", call = call
    )
  }
  per <- lrdecay_call(function() x$per, .call = call)
  axis <- if (identical(per, "epoch")) "epoch" else "update"
  list(data = data, axis = axis,
       at = if (axis == "epoch") data$epoch else seq_len(nrow(data)) - 1L,
       title = paste("lrdecay: learning rate per", axis))
}

#' @rdname autoplot-lrdecay
#' @exportS3Method ggplot2::autoplot
autoplot.lrdecay.LRLogger <- function(object, ...) {
  check_ggplot2("autoplot()")
  points <- logger_points(object)
  data <- points$data
  values <- setdiff(names(data), c("epoch", "batch"))
  long <- do.call(rbind, lapply(values, function(v) {
    data.frame(at = points$at, value = data[[v]],
               name = if (v == "learning_rate") "learning rate" else v)
  }))
  long$name <- factor(long$name, levels = unique(long$name))
  p <- ggplot2::ggplot(long, ggplot2::aes(x = .data$at, y = .data$value)) +
    ggplot2::geom_line() +
    ggplot2::labs(title = points$title, x = points$axis,
                  y = if (length(values) == 1L) "learning rate" else NULL)
  if (points$axis == "epoch") p <- p + ggplot2::geom_point()
  if (length(values) > 1L) {
    p <- p + ggplot2::facet_wrap(ggplot2::vars(.data$name), ncol = 1, scales = "free_y")
  }
  p
}

# The LR range test's y range, by Python's rule (lrdecay.lr_range_test.plot_ylim, kept in
# the result as `ylim`): NULL when it has none.
lr_find_ylim <- function(x) {
  if (is.null(x$ylim) || anyNA(x$ylim)) NULL else x$ylim
}

#' @rdname autoplot-lrdecay
#' @exportS3Method ggplot2::autoplot
autoplot.lrdecay_lr_find <- function(object, raw = TRUE, ...) {
  check_ggplot2("autoplot()")
  data <- as.data.frame(object)
  curves <- data.frame(lr = data$lr, loss = data$smoothed, series = "smoothed loss")
  if (isTRUE(raw)) curves <- rbind(data.frame(lr = data$lr, loss = data$loss, series = "loss"),
                                   curves)
  curves <- curves[is.finite(curves$loss), , drop = FALSE]
  curves$series <- factor(curves$series, levels = c("loss", "smoothed loss"))
  rules <- unlist(object$suggestions)
  marks <- data.frame(rule = names(rules), lr = unname(rules))
  marks <- marks[is.finite(marks$lr), , drop = FALSE]
  marks$rule <- factor(marks$rule, levels = names(object$suggestions))
  subtitle <- if (is.na(object$suggestion)) {
    "no suggestion"
  } else {
    sprintf("suggestion %s (%s)", format(signif(object$suggestion, 3)), object$rule)
  }
  p <- ggplot2::ggplot(curves, ggplot2::aes(x = .data$lr, y = .data$loss)) +
    ggplot2::geom_line(ggplot2::aes(colour = .data$series, linewidth = .data$series)) +
    ggplot2::scale_colour_manual(values = c(loss = "grey70", "smoothed loss" = "black"),
                                 name = NULL) +
    ggplot2::scale_linewidth_manual(values = c(loss = 0.4, "smoothed loss" = 0.9),
                                    name = NULL) +
    ggplot2::scale_x_log10() +
    ggplot2::labs(title = "LR range test", subtitle = subtitle,
                  x = "learning rate (log scale)", y = "loss")
  if (nrow(marks)) {
    p <- p +
      ggplot2::geom_vline(data = marks, ggplot2::aes(xintercept = .data$lr),
                          linetype = "dashed", colour = "firebrick") +
      ggplot2::geom_text(data = marks, inherit.aes = FALSE, angle = 90, vjust = -0.4,
                         hjust = 1, size = 3, colour = "firebrick",
                         ggplot2::aes(x = .data$lr, y = Inf, label = .data$rule))
  }
  ylim <- lr_find_ylim(object)
  if (!is.null(ylim)) p <- p + ggplot2::coord_cartesian(ylim = ylim)
  p
}

#' @rdname autoplot-lrdecay
#' @exportS3Method ggplot2::autoplot
autoplot.lrdecay_comparison <- function(object, ...) {
  check_ggplot2("autoplot()")
  curves <- attr(object, "curves")
  seeds <- length(unique(attr(object, "per_seed")$seed))
  panels <- c("learning rate",
              sprintf("validation loss: mean over %d seed%s%s", seeds,
                      if (seeds == 1L) "" else "s", if (seeds > 1L) " (band: \u00b11 sd)" else ""))
  long <- rbind(
    data.frame(schedule = curves$schedule, epoch = curves$epoch, value = curves$lr,
               sd = NA_real_, panel = panels[1]),
    data.frame(schedule = curves$schedule, epoch = curves$epoch, value = curves$val_loss,
               sd = curves$val_loss_sd, panel = panels[2])
  )
  long$panel <- factor(long$panel, levels = panels)
  long$schedule <- factor(long$schedule, levels = unique(object$schedule))
  band <- long[is.finite(long$sd), , drop = FALSE]
  p <- ggplot2::ggplot(long, ggplot2::aes(x = .data$epoch, y = .data$value,
                                          colour = .data$schedule))
  if (nrow(band)) {
    p <- p + ggplot2::geom_ribbon(
      data = band, alpha = 0.15, colour = NA,
      ggplot2::aes(ymin = .data$value - .data$sd, ymax = .data$value + .data$sd,
                   fill = .data$schedule)
    )
  }
  p + ggplot2::geom_line() +
    ggplot2::geom_point(size = 0.8) +
    ggplot2::facet_wrap(ggplot2::vars(.data$panel), scales = "free_y") +
    ggplot2::labs(x = "epoch", y = NULL, colour = "schedule", fill = "schedule")
}

# Whether plot() draws with ggplot2: installed, and not turned off by
# options(lrdecay.ggplot = FALSE).
use_ggplot2 <- function() {
  !isFALSE(getOption("lrdecay.ggplot")) && requireNamespace("ggplot2", quietly = TRUE)
}

check_ggplot2 <- function(what, call = rlang::caller_env()) {
  rlang::check_installed("ggplot2", reason = paste0("for ", what, "."), call = call)
}

# plot() through ggplot2: draws `p` with labels the user gave and returns it, invisibly.
draw_ggplot <- function(p, main = NULL, xlab = NULL, ylab = NULL) {
  labels <- list(title = main, x = xlab, y = ylab)
  labels <- labels[!vapply(labels, is.null, NA)]
  if (length(labels)) p <- p + do.call(ggplot2::labs, labels)
  print(p)
  invisible(p)
}
