# Schedule constructors, as thin as keras3's: coerce the R values (R/checks.R), then build
# the Python object (R/python.R). The formulas and every rule on the values live in
# inst/python/lrdecay/schedules.py only; Python's defaults are written here once more
# only so that R users see them in the usage.

#' Constant learning rate
#'
#' `lr(t) = lr`.
#'
#' A schedule maps a clock value `t >= 0` to a learning rate. Driven by
#' [callback_lr_scheduler()], `t` is the 0-based epoch; driven in-graph by
#' [as_keras_schedule()], `t` is the optimizer's iteration count (or fractional
#' epochs with `steps_per_epoch`).
#'
#' @param lr The learning rate, a non-negative number.
#' @returns An lrdecay schedule (a Python object of class `lrdecay.Schedule`):
#'   evaluate it with [lr_at()], show it with `print()` and `plot()`, use it with
#'   [callback_lr_scheduler()] or [as_keras_schedule()].
#' @family schedules
#' @export
#' @examplesIf lrdecay_available()
#' s <- schedule_constant(0.01)
#' lr_at(s, 0:3)
#' plot(s, t = 0:20)
schedule_constant <- function(lr) {
  new_schedule("Constant", lr = as_number(lr))
}

#' Step decay
#'
#' `lr(t) = initial_lr * drop^floor(t / every)`: the rate is multiplied by
#' `drop` every `every` epochs (or steps).
#'
#' @param initial_lr The learning rate at `t = 0`, a positive number.
#' @param drop The factor applied at each step, in (0, 1].
#' @param every How many epochs (or steps) between drops, a positive number,
#'   or [of_run()] of the run.
#' @inherit schedule_constant return
#' @family schedules
#' @export
#' @examplesIf lrdecay_available()
#' s <- schedule_step(0.01, drop = 0.5, every = 10)
#' lr_at(s, c(0, 9, 10, 20))
#' plot(s)
schedule_step <- function(initial_lr, drop = 0.5, every = 10) {
  new_schedule("Step", initial_lr = as_number(initial_lr), drop = as_number(drop),
               every = as_length(every))
}

#' Multi-step decay
#'
#' `lr(t) = initial_lr * gamma^(number of milestones <= t)`, as PyTorch's MultiStepLR.
#'
#' @inheritParams schedule_step
#' @param milestones A strictly increasing vector of non-negative clock values,
#'   or [of_run()] of a vector of fractions of the run.
#' @param gamma The factor applied at each milestone, in (0, 1].
#' @inherit schedule_constant return
#' @family schedules
#' @export
#' @examplesIf lrdecay_available()
#' s <- schedule_multistep(0.1, milestones = c(30, 80))
#' lr_at(s, c(0, 30, 80))
#' plot(s)
schedule_multistep <- function(initial_lr, milestones, gamma = 0.1) {
  new_schedule("MultiStep", initial_lr = as_number(initial_lr),
               milestones = as_lengths(milestones), gamma = as_number(gamma))
}

#' Piecewise constant learning rate
#'
#' Keras's `PiecewiseConstantDecay`: `values[1]` while `t <= boundaries[1]`,
#' `values[i + 1]` while `boundaries[i] < t <= boundaries[i + 1]`, and the last
#' value after the last boundary.
#'
#' @param boundaries A strictly increasing vector of non-negative clock values,
#'   or [of_run()] of a vector of fractions of the run.
#' @param values The learning rates, one more than `boundaries`.
#' @inherit schedule_constant return
#' @family schedules
#' @export
#' @examplesIf lrdecay_available()
#' s <- schedule_piecewise(c(10, 20), c(0.1, 0.01, 0.001))
#' lr_at(s, c(10, 11, 21))
#' plot(s)
schedule_piecewise <- function(boundaries, values) {
  new_schedule("Piecewise", boundaries = as_lengths(boundaries), values = as_numbers(values))
}

#' Exponential decay
#'
#' `lr(t) = initial_lr * decay_rate^p`, or `initial_lr * exp(-k * p)` when `k` is
#' given, with `p = t / decay_steps`, floored when `staircase = TRUE`. The same
#' values as Keras's `ExponentialDecay` (keras3's
#' [keras3::learning_rate_schedule_exponential_decay()]), with the arguments in
#' Keras's order: `schedule_exponential(0.1, 1000, 0.96)` is
#' `learning_rate_schedule_exponential_decay(0.1, 1000, 0.96)`. Give exactly one of
#' `decay_rate` and `k`.
#'
#' @inheritParams schedule_step
#' @param decay_steps The clock span of one decay period, a positive number, or
#'   [of_run()] of the run.
#' @param decay_rate The factor per `decay_steps`, in (0, 1].
#' @param staircase If `TRUE`, decay in whole periods (`p` floored).
#' @param k The continuous decay constant, a non-negative number (instead of `decay_rate`).
#' @inherit schedule_constant return
#' @family schedules
#' @export
#' @examplesIf lrdecay_available()
#' s <- schedule_exponential(0.1, 1000, 0.96, staircase = TRUE)
#' lr_at(s, 28125)  # 0.1 * 0.96^28
#' lr_at(schedule_exponential(0.01, k = 0.1), 0:3)
#' plot(s)
schedule_exponential <- function(initial_lr, decay_steps = 1, decay_rate = NULL,
                                 staircase = FALSE, k = NULL) {
  new_schedule("Exponential", initial_lr = as_number(initial_lr),
               decay_steps = as_length(decay_steps), decay_rate = as_number(decay_rate),
               staircase = as_flag(staircase), k = as_number(k))
}

#' Inverse time decay
#'
#' `lr(t) = initial_lr / (1 + decay_rate * p)` with `p = t / decay_steps`,
#' floored when `staircase = TRUE`; Keras's `InverseTimeDecay`
#' ([keras3::learning_rate_schedule_inverse_time_decay()]), with the arguments in
#' Keras's order. `decay_steps` defaults to 1, as in [schedule_exponential()]:
#' `schedule_inverse_time(0.1, decay_rate = 0.5)` is `0.1 / (1 + 0.5 * t)`, the
#' per-epoch formula of Keras tutorials.
#'
#' @inheritParams schedule_exponential
#' @param decay_rate How fast the rate falls, a non-negative number (required).
#' @inherit schedule_constant return
#' @family schedules
#' @export
#' @examplesIf lrdecay_available()
#' lr_at(schedule_inverse_time(0.1, 1, 0.5), 0:4)
#' plot(schedule_inverse_time(0.1, 1, 0.5))
#' lr_at(schedule_inverse_time(0.1, decay_rate = 0.5), 0:4)  # the same
schedule_inverse_time <- function(initial_lr, decay_steps = 1, decay_rate = NULL,
                                  staircase = FALSE) {
  new_schedule("InverseTime", initial_lr = as_number(initial_lr),
               decay_steps = as_length(decay_steps), decay_rate = as_number(decay_rate),
               staircase = as_flag(staircase))
}

#' Polynomial decay
#'
#' `lr(t) = (initial_lr - end_lr) * (1 - min(t, decay_steps) / decay_steps)^power + end_lr`;
#' Keras's `PolynomialDecay`. With `cycle = TRUE` the decay restarts with a
#' period stretched to the next multiple of `decay_steps`.
#'
#' @inheritParams schedule_exponential
#' @param decay_steps The clock span of the decay, a positive number,
#'   [of_run()] of the run, or `NULL` (the default): the whole run, sized when
#'   `fit()` begins (see [size_schedule()]).
#' @param end_lr The final learning rate, a non-negative number; `1e-4` by default, as
#'   Keras's `end_learning_rate`.
#' @param power The polynomial's power, a positive number (1 is linear).
#' @param cycle If `TRUE`, restart after `decay_steps` as Keras does.
#' @inherit schedule_constant return
#' @family schedules
#' @export
#' @examplesIf lrdecay_available()
#' lr_at(schedule_polynomial(0.1, decay_steps = 10, end_lr = 0.01, power = 2), c(0, 5, 10, 20))
#' plot(schedule_polynomial(0.1, decay_steps = 10, end_lr = 0.01, power = 2))
schedule_polynomial <- function(initial_lr, decay_steps = NULL, end_lr = 1e-4, power = 1,
                                cycle = FALSE) {
  new_schedule("Polynomial", initial_lr = as_number(initial_lr),
               decay_steps = as_length(decay_steps), end_lr = as_number(end_lr),
               power = as_number(power), cycle = as_flag(cycle))
}

#' Cosine decay
#'
#' `lr(t) = initial_lr * ((1 - alpha) * 0.5 * (1 + cos(pi * min(t, decay_steps) / decay_steps)) + alpha)`;
#' Keras's `CosineDecay` (for a warmup, wrap it in [schedule_warmup()]).
#'
#' @inheritParams schedule_polynomial
#' @param alpha The floor, as a fraction of `initial_lr`, in \[0, 1\].
#' @inherit schedule_constant return
#' @family schedules
#' @export
#' @examplesIf lrdecay_available()
#' s <- schedule_cosine(0.01, decay_steps = 50)
#' lr_at(s, c(0, 25, 50))
#' plot(s)
schedule_cosine <- function(initial_lr, decay_steps = NULL, alpha = 0) {
  new_schedule("Cosine", initial_lr = as_number(initial_lr),
               decay_steps = as_length(decay_steps), alpha = as_number(alpha))
}

#' Cosine decay with warm restarts (SGDR)
#'
#' Keras's `CosineDecayRestarts`: cosine decay over `first_decay_steps`, then
#' restarts; period `i` lasts `first_decay_steps * t_mul^i` and starts at
#' `initial_lr * m_mul^i`.
#'
#' @inheritParams schedule_cosine
#' @param first_decay_steps The length of the first period, a positive number,
#'   or [of_run()] of the run.
#' @param t_mul The factor by which each period is longer than the last, a number `>= 1`.
#' @param m_mul The factor by which each restart is lower than the last, in (0, 1].
#' @inherit schedule_constant return
#' @family schedules
#' @export
#' @examplesIf lrdecay_available()
#' lr_at(schedule_cosine_restarts(0.1, first_decay_steps = 10), c(0, 9, 10, 30))
#' plot(schedule_cosine_restarts(0.1, first_decay_steps = 10))
schedule_cosine_restarts <- function(initial_lr, first_decay_steps, t_mul = 2, m_mul = 1,
                                     alpha = 0) {
  new_schedule("CosineRestarts", initial_lr = as_number(initial_lr),
               first_decay_steps = as_length(first_decay_steps), t_mul = as_number(t_mul),
               m_mul = as_number(m_mul), alpha = as_number(alpha))
}

#' Linear schedule
#'
#' `lr(t) = start_lr + (end_lr - start_lr) * min(t, steps) / steps`.
#'
#' @param start_lr,end_lr The learning rates at `t = 0` and from `t = steps` on,
#'   non-negative numbers.
#' @param steps The clock span of the ramp, a positive number, [of_run()] of
#'   the run, or `NULL` (the default): the whole run (see [size_schedule()]).
#' @inherit schedule_constant return
#' @family schedules
#' @export
#' @examplesIf lrdecay_available()
#' lr_at(schedule_linear(0.1, 0.01, steps = 9), c(0, 3, 9, 12))
#' plot(schedule_linear(0.1, 0.01, steps = 9))
schedule_linear <- function(start_lr, end_lr, steps = NULL) {
  new_schedule("Linear", start_lr = as_number(start_lr), end_lr = as_number(end_lr),
               steps = as_length(steps))
}

#' Cyclical learning rate
#'
#' Smith's cyclical learning rate, with the values of PyTorch's `CyclicLR`
#' (`step_size_up = step_size_down = step_size`): a triangle wave between
#' `base_lr` and `max_lr` whose amplitude is constant (`"triangular"`), halved
#' each cycle (`"triangular2"`) or multiplied by `gamma^t` (`"exp_range"`).
#'
#' @param base_lr The lower bound, a non-negative number.
#' @param max_lr The upper bound, a number `>= base_lr`.
#' @param step_size Half a cycle, in epochs or steps, a positive number, or
#'   [of_run()] of the run.
#' @param mode One of `"triangular"`, `"triangular2"`, `"exp_range"`.
#' @param gamma The decay base of `"exp_range"`, in (0, 1].
#' @inherit schedule_constant return
#' @family schedules
#' @export
#' @examplesIf lrdecay_available()
#' s <- schedule_cyclic(0.001, 0.01, step_size = 5, mode = "triangular2")
#' lr_at(s, c(0, 5, 10, 15))
#' plot(s)
schedule_cyclic <- function(base_lr, max_lr, step_size, mode = "triangular", gamma = 1) {
  new_schedule("Cyclic", base_lr = as_number(base_lr), max_lr = as_number(max_lr),
               step_size = as_length(step_size), mode = as_string(mode),
               gamma = as_number(gamma))
}

#' One-cycle learning rate
#'
#' The one-cycle policy with the values of PyTorch's `OneCycleLR` for `t` in
#' `0..total_steps - 1`: a warm-up from `max_lr / div_factor` to `max_lr` over
#' `pct_start` of the steps, then an anneal (`"cos"` or `"linear"`) down to
#' `max_lr / div_factor / final_div_factor`; `three_phase = TRUE` first anneals
#' back to the starting rate. The last value holds after `total_steps - 1`.
#'
#' @param max_lr The peak learning rate, a positive number.
#' @param total_steps The length of the cycle, a whole number `>= 2`,
#'   [of_run()] of the run, or `NULL` (the default): the whole run (see
#'   [size_schedule()]).
#' @param pct_start The fraction of the cycle spent warming up, in (0, 1).
#' @param anneal `"cos"` or `"linear"`.
#' @param div_factor The starting rate is `max_lr / div_factor`.
#' @param final_div_factor The final rate is the starting rate `/ final_div_factor`.
#' @param three_phase If `TRUE`, use PyTorch's three-phase variant.
#' @inherit schedule_constant return
#' @family schedules
#' @export
#' @examplesIf lrdecay_available()
#' s <- schedule_one_cycle(0.1, total_steps = 100)
#' lr_at(s, c(0, 29, 99))
#' plot(s)
schedule_one_cycle <- function(max_lr, total_steps = NULL, pct_start = 0.3, anneal = "cos",
                               div_factor = 25, final_div_factor = 1e4, three_phase = FALSE) {
  new_schedule("OneCycle", max_lr = as_number(max_lr), total_steps = as_whole_length(total_steps),
               pct_start = as_number(pct_start), anneal = as_string(anneal),
               div_factor = as_number(div_factor),
               final_div_factor = as_number(final_div_factor),
               three_phase = as_flag(three_phase))
}

#' Warm up to any schedule
#'
#' For `t < warmup_steps`, a linear ramp (or, with `shape = "exponential"`, a
#' geometric one, which needs `start_lr > 0`) from `start_lr` to `schedule`'s
#' value at 0; from then on `schedule(t - warmup_steps)`.
#'
#' @param schedule The lrdecay schedule to warm up to.
#' @param warmup_steps The length of the warm-up, a positive number, or
#'   [of_run()] of the run (the schedule warmed up to then runs on the rest).
#' @param start_lr The learning rate at `t = 0`, a non-negative number.
#' @param shape `"linear"` or `"exponential"`.
#' @inherit schedule_constant return
#' @family schedules
#' @export
#' @examplesIf lrdecay_available()
#' s <- schedule_warmup(schedule_cosine(0.1, decay_steps = 50), warmup_steps = 5)
#' lr_at(s, 0:6)
#' plot(s)
schedule_warmup <- function(schedule, warmup_steps, start_lr = 0, shape = "linear") {
  new_schedule("Warmup", schedule = as_schedule(schedule),
               warmup_steps = as_length(warmup_steps), start_lr = as_number(start_lr),
               shape = as_string(shape))
}

#' Join schedules in sequence
#'
#' Schedule `i` runs on `[boundaries[i - 1], boundaries[i])` with its own clock,
#' `t - boundaries[i - 1]`, as optax's `join_schedules`.
#'
#' @param schedules A list of lrdecay schedules.
#' @param boundaries A strictly increasing vector of positive clock values, one
#'   fewer than `schedules`, or [of_run()] of a vector of fractions of the run.
#' @inherit schedule_constant return
#' @family schedules
#' @export
#' @examplesIf lrdecay_available()
#' s <- schedule_sequence(
#'   list(schedule_linear(0, 0.1, steps = 5), schedule_cosine(0.1, decay_steps = 20)),
#'   boundaries = 5
#' )
#' lr_at(s, c(0, 4, 5, 25))
#' plot(s)
schedule_sequence <- function(schedules, boundaries) {
  if (missing(schedules)) abort_missing("schedules", rlang::current_env())
  if (is_schedule(schedules)) schedules <- list(schedules)
  if (!is.list(schedules) || inherits(schedules, "python.builtin.object") ||
      !all(vapply(schedules, inherits, NA, what = "python.builtin.object"))) {
    abort_arg("schedules", "a list of lrdecay schedules", schedules, rlang::current_env())
  }
  # One schedule needs no boundaries.
  boundaries <- if (missing(boundaries)) list() else as_lengths(boundaries)
  new_schedule("Sequence", schedules = unname(schedules), boundaries = boundaries)
}

#' A schedule from your own function
#'
#' `lr(t) = fn(t)`. `fn` is first called with the whole vector of `t`; when that
#' fails or returns the wrong length it is called once per value. Each value it
#' returns must be one non-negative finite number: anything else (`NA`, `NaN`,
#' `Inf`, a negative number, a string, `NULL`, a vector of another length) stops
#' with an error of class `lrdecay_error_function` that names `t` and the value.
#' An error raised inside `fn` reaches you as `fn` raised it, with its own
#' message. Such a schedule works with [callback_lr_scheduler()] and [lr_at()],
#' but cannot run inside the training graph ([as_keras_schedule()]) and cannot
#' be saved.
#'
#' @param fn An R function (or a Python callable) of `t`.
#' @inherit schedule_constant return
#' @family schedules
#' @export
#' @examplesIf lrdecay_available()
#' s <- schedule_function(function(t) 0.01 * 0.95^t)
#' lr_at(s, 0:3)
#' s
#' plot(s, t = 0:50)
schedule_function <- function(fn) {
  fn <- as_function(fn)
  if (is_r_function(fn)) fn <- r_function_to_py(wrap_schedule_fn(fn), fn)
  new_schedule("FromFunction", fn = fn)
}

# An R function (reticulate presents callable Python objects as functions too).
is_r_function <- function(x) is.function(x) && !inherits(x, "python.builtin.object")

# An R function on one short line, for print().
function_label <- function(fn, width = 60L) {
  text <- paste(trimws(deparse(fn, width.cutoff = 500L)), collapse = " ")
  text <- sub("^function \\(", "function(", text)
  if (nchar(text) > width) text <- paste0(substr(text, 1L, width - 3L), "...")
  text
}

# An R schedule function as Python calls it: given a vector of `t`, it returns one value
# per `t`, each checked in R (reticulate would turn R's NA into Python's True). The whole
# vector is tried first; when `fn` fails or gives the wrong length, it is called once
# per value, and an error it raises then goes on unchanged to the user.
wrap_schedule_fn <- function(fn) {
  force(fn)
  function(t) {
    t <- as.double(t)
    if (length(t) > 1) {
      out <- tryCatch(fn(t), error = function(e) NULL)
      if (is.numeric(out) && length(out) == length(t)) {
        bad <- which(!(is.finite(out) & out >= 0))
        if (length(bad)) check_returned_lr(out[bad[1]], "The schedule function", "t", t[bad[1]])
        return(as.double(out))
      }
    }
    vapply(t, function(t) check_returned_lr(fn(t), "The schedule function", "t", t),
           numeric(1))
  }
}

# A learning rate returned by a user's function: one non-negative finite number, else an
# error of class "lrdecay_error_function" naming where (`t = 3`, `epoch 2`) and the value.
check_returned_lr <- function(value, who, unit, at) {
  ok <- is.numeric(value) && length(value) == 1 && !is.na(value) && is.finite(value) &&
    value >= 0
  if (!ok) {
    where <- if (unit == "t") paste("t =", format(at)) else paste(unit, format(at), "(0-based)")
    cli::cli_abort(
      "{who} returned {show_value(value)} at {where}; it must return one non-negative finite number.",
      class = c("lrdecay_error_function", "lrdecay_error"), call = NULL,
      lrdecay_returned = TRUE  # Python names the argument when it knows it (hparams.py)
    )
  }
  as.double(value)
}
