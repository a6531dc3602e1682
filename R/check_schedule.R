#' Check a training plan
#'
#' Checks `schedule` against the training that will run it (`epochs` epochs of
#' `steps_per_epoch` updates) and reports the mistakes users keep making: a warmup
#' whose first update runs at rate 0, a step count used as epochs or the reverse, a
#' schedule that ends long before training does, or not at all, a jump of the rate.
#'
#' Training runs `T` updates at clock values `t = start, ..., start + T - 1`:
#' `T = epochs` when the schedule's clock counts epochs (`clock = "epoch"`:
#' [callback_lr_scheduler()], or [as_keras_schedule()] with `steps_per_epoch`),
#' `T = epochs * steps_per_epoch` when it counts steps (`clock = "step"`:
#' [as_keras_schedule()] without `steps_per_epoch`); `end = start + T`. `H` is the
#' schedule's horizon: the first `t` from which it stays at its final value (finite for
#' cosine, polynomial without cycle, linear, one-cycle, WSD, REX, piecewise, multistep,
#' and warmups and sequences ending in one of these; infinite for the others). The
#' findings:
#'
#' * `zero_start`: `lr(start) == 0`, the first update is wasted;
#' * `unit_mismatch`: clock `"epoch"` and `H > 20 * end` (a step count used as
#'   epochs), or clock `"step"` with `steps_per_epoch` given and
#'   `H <= end / steps_per_epoch` (an epoch count used as steps);
#' * `not_finished`: `H` finite and `end < 0.9 * H`, training stops before the
#'   schedule ends; or the last update comes before the end of a warmup
#'   ([schedule_warmup()], [schedule_wsd()], [schedule_inverse_sqrt()],
#'   [schedule_one_cycle()]);
#' * `ends_early`: `H` finite and more than half of the updates at `t >= H`, flat at
#'   the final value;
#' * `jump`: two adjacent updates whose rates differ by more than 10 times, the
#'   larger at least 1% of the peak, where the schedule breaks by more than 10 times
#'   at one point (a [schedule_piecewise()] value, a [schedule_sequence()] junction, a
#'   drop by a factor below 0.1). A warmup from a small start, a decay to its final
#'   value (0 included) and a drop by a factor of 0.1 or more are no jump;
#' * `flat`: a schedule that never settles and is not constant moves by less than 1%
#'   of its peak over `t = 0, ..., end - 1`, its changes all coming later (a
#'   step-sized exponential, step or restarts schedule driven per epoch).
#'
#' With `clock = "step"` and no `steps_per_epoch` the number of updates is
#' unknown, and only `zero_start` is checked. A sound plan gives no finding.
#'
#' @param schedule An lrdecay schedule, made by a `schedule_*()` function.
#' @param epochs The number of epochs trained, a positive whole number.
#' @param steps_per_epoch The number of updates per epoch, a positive whole number,
#'   or `NULL` when unknown.
#' @param clock What the schedule's `t` counts: `"epoch"` (0-based epochs) or
#'   `"step"` (0-based optimizer updates).
#' @param start The `t` of the first update, a non-negative number: 0 for a model
#'   trained from scratch; for a `fit()` that continues one, its `initial_epoch`
#'   (clock `"epoch"`) or its optimizer's iterations (clock `"step"`). The updates
#'   judged are `t = start, ..., start + T - 1`.
#' @returns A data frame of class `lrdecay_check` with one row per finding and
#'   columns `code`, `severity` (`"warning"`, or `"note"` for `ends_early`) and
#'   `message`; no rows for a sound plan. It prints as a list of findings.
#' @family schedule tools
#' @export
#' @examplesIf lrdecay_available()
#' # A cosine sized in steps, driven by the epoch callback for 15 epochs:
#' check_schedule(schedule_cosine(0.1, decay_steps = 1000), epochs = 15)
#' # The same schedule sized to the training: no finding.
#' check_schedule(schedule_cosine(0.1, decay_steps = 15), epochs = 15)
#' # A second fit() of 4 updates, after 8: judged at t = 8..11, no finding.
#' check_schedule(schedule_cosine(0.1, 12), epochs = 1, steps_per_epoch = 4,
#'                clock = "step", start = 8)
#' # A schedule sized in steps, driven per epoch: the rate never moves.
#' check_schedule(schedule_step(0.1, 0.5, 1000), epochs = 10)
#' # In-graph, per step: 15 epochs of 100 steps.
#' check_schedule(schedule_wsd(0.1, 50, 1000, 450, min_lr_ratio = 0.01),
#'                epochs = 15, steps_per_epoch = 100, clock = "step")
check_schedule <- function(schedule, epochs, steps_per_epoch = NULL, clock = "epoch",
                           start = 0) {
  findings <- lrdecay_call("check_schedule", as_schedule(schedule), epochs = as_whole(epochs),
                           steps_per_epoch = as_whole(steps_per_epoch),
                           clock = as_string(clock), start = as_number(start))
  # Python's Findings (a list subclass, which reticulate keeps as a Python object).
  if (inherits(findings, "python.builtin.object")) {
    findings <- reticulate::import_builtins(convert = TRUE)$list(findings)
  }
  field <- function(name) {
    vapply(findings, function(f) as.character(reticulate::py_get_attr(f, name)), "")
  }
  new_lrdecay_check(field("code"), field("severity"), field("message"))
}

new_lrdecay_check <- function(code = character(), severity = character(),
                              message = character()) {
  out <- data.frame(code = code, severity = severity, message = message,
                    stringsAsFactors = FALSE)
  class(out) <- c("lrdecay_check", "data.frame")
  out
}

#' @rdname check_schedule
#' @param x A `lrdecay_check` data frame, as `check_schedule()` returns.
#' @param ... Unused.
#' @method format lrdecay_check
#' @export
format.lrdecay_check <- function(x, ...) {
  if (nrow(x) == 0L) return("No problem found in this training plan.")
  n <- nrow(x)
  head <- sprintf("%d finding%s in this training plan:", n, if (n == 1L) "" else "s")
  items <- sprintf("* %s (%s): %s", x$code, x$severity, x$message)
  c(head, unlist(lapply(items, strwrap, width = getOption("width"), exdent = 2)))
}

#' @rdname check_schedule
#' @method print lrdecay_check
#' @export
print.lrdecay_check <- function(x, ...) {
  cat(format(x, ...), sep = "\n")
  invisible(x)
}

# -- the check run when training begins -------------------------------------------------

# An lrdecay object made in R (a callback, an in-graph schedule) reports the findings of
# the check run when keras3's fit() begins through this hook (Python:
# lrdecay.plan.warn_plan), as an R warning, rather than as a Python warning printed to
# the console. Returns `obj`.
with_plan_warning <- function(obj) {
  reticulate::py_set_attr(obj, "_warn_hook", plan_warning_hook())
  obj
}

plan_warning_hook <- function() reticulate::r_to_py(signal_plan_warning, convert = TRUE)

# An in-graph schedule that Python made (keras3's load_model() of a saved model) has no
# hook of its own: in a process that R runs, its findings come as R warnings too, in R's
# words (lrdecay.plan.set_host_reporter). Not when rpy2 embeds R in a Python process,
# whose Python users keep Python's warnings. Never stops the package from loading.
report_plans_in_r <- function() {
  tryCatch({
    if (!isTRUE(reticulate::py_eval("'rpy2' in __import__('sys').modules"))) {
      plan <- reticulate::import("lrdecay.plan", convert = TRUE)
      plan$set_host_reporter(plan_warning_hook(), py_r_words())
    }
  }, error = function(e) NULL)
  invisible(NULL)
}

# Python's header, findings and hint, as a cli warning of class lrdecay_warning_schedule.
signal_plan_warning <- function(header, findings, hint) {
  escape <- function(x) gsub("}", "}}", gsub("{", "{{", x, fixed = TRUE), fixed = TRUE)
  findings <- escape(as.character(unlist(findings)))
  names(findings) <- rep("*", length(findings))
  bullets <- c(escape(header), findings, i = escape(hint))
  cli::cli_warn(bullets, class = "lrdecay_warning_schedule")
  invisible(NULL)
}
