# Schedules sized to the run: of_run() and size_schedule(). Python sizes them (the rule
# lives in inst/python/lrdecay/schedules.py); R passes the values.

#' A length that is a fraction of the run
#'
#' `of_run(0.05)` is 5% of the run that trains with the schedule, counted in the
#' clock's unit: epochs for [callback_lr_scheduler()], optimizer updates for
#' [as_keras_schedule()] (epochs with `clock = "epoch"`). Every length argument
#' of a schedule accepts it (`decay_steps`, `total_steps`, `steps`, `every`,
#' `step_size`, `first_decay_steps`, `warmup_steps`, `stable_steps`, and, as a
#' vector of fractions, `milestones` and `boundaries`). The length is that
#' fraction of the run exactly, without rounding; `fit()` fills it in when it
#' begins, and [size_schedule()] does so for a preview.
#'
#' @param fraction A number in (0, 1], or a strictly increasing vector of them
#'   (for `milestones` and `boundaries`).
#' @returns An object of class `lrdecay.OfRun`, printed as `of_run(0.05)`.
#' @seealso [size_schedule()]
#' @family schedule tools
#' @export
#' @examplesIf lrdecay_available()
#' s <- schedule_warmup(schedule_cosine(0.1), warmup_steps = of_run(0.05))
#' s
#' lr_at(size_schedule(s, 100), c(0, 5, 100))
of_run <- function(fraction) {
  if (missing(fraction)) abort_missing("fraction", rlang::current_env())
  if (!is_plain_numeric(fraction) || length(fraction) < 1 || anyNA(fraction)) {
    abort_arg("fraction", "a number in (0, 1], or an increasing vector of them", fraction,
              rlang::current_env())
  }
  fraction <- if (length(fraction) == 1) as.double(fraction) else as.list(as.double(fraction))
  lrdecay_call("of_run", fraction)
}

#' @export
format.lrdecay.OfRun <- function(x, ...) {
  reticulate::py_to_r(x$r_call())
}

#' @export
print.lrdecay.OfRun <- function(x, ...) {
  cat(format(x), "\n", sep = "")
  invisible(x)
}

#' Size a schedule for a run
#'
#' A schedule may leave its lengths to the run: its horizon omitted
#' (`schedule_cosine(0.1)`: `decay_steps = the run`) or given with [of_run()].
#' `fit()` sizes it when the first `fit()` that uses it begins, and keeps those
#' lengths (later `fit()` calls, saved models and resumed runs use them). The run
#' is counted in the clock's unit: `epochs` for [callback_lr_scheduler()];
#' `epochs * steps per epoch` in-graph ([as_keras_schedule()]), or `epochs` with
#' `clock = "epoch"`. `size_schedule()` gives the schedule that `fit()` will use,
#' to preview, plot or check it: an omitted horizon becomes the whole run (inside
#' [schedule_warmup()] or [schedule_sequence()], the run less what comes before),
#' `of_run(f)` becomes `f * total`. [lr_at()] and `plot()` of a schedule not yet
#' sized stop with an error that says to size it; [check_schedule()] sizes it
#' itself.
#'
#' @param schedule An lrdecay schedule.
#' @param total The length of the run, in the clock's unit: a positive number.
#' @returns The sized schedule (the same schedule when nothing is left to the run).
#' @seealso [of_run()]
#' @family schedule tools
#' @export
#' @examplesIf lrdecay_available()
#' s <- schedule_cosine(0.1)
#' s
#' size_schedule(s, 8)
#' lr_at(size_schedule(s, 8), 0:8)
#' # WSD: warmup and decay as fractions, the stable stage the rest of the run
#' size_schedule(schedule_wsd(0.1, of_run(0.1), decay_steps = of_run(0.2)), 30)
size_schedule <- function(schedule, total) {
  schedule <- as_schedule(schedule)
  total <- as_number(total)
  lrdecay_call(function() schedule$sized(total))
}
