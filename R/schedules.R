# Schedule constructors: check and coerce in R, then build the Python object.
# The formulas live in inst/python/lrdecay/schedules.py only.

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
schedule_constant <- function(lr) {
  lr <- check_lr(lr)
  py_lrdecay()$Constant(lr = lr)
}

#' Step decay
#'
#' `lr(t) = initial_lr * drop^floor(t / every)`: the rate is multiplied by
#' `drop` every `every` epochs (or steps).
#'
#' @param initial_lr The learning rate at `t = 0`, a positive number.
#' @param drop The factor applied at each step, in (0, 1].
#' @param every How many epochs (or steps) between drops, a positive number.
#' @inherit schedule_constant return
#' @family schedules
#' @export
#' @examplesIf lrdecay_available()
#' s <- schedule_step(0.01, drop = 0.5, every = 10)
#' lr_at(s, c(0, 9, 10, 20))
schedule_step <- function(initial_lr, drop = 0.5, every = 10) {
  initial_lr <- check_lr(initial_lr, positive = TRUE)
  drop <- check_number(drop, 0, 1, lower_open = TRUE)
  every <- check_number(every, lower = 0, lower_open = TRUE)
  py_lrdecay()$Step(initial_lr = initial_lr, drop = drop, every = every)
}

#' Multi-step decay
#'
#' `lr(t) = initial_lr * gamma^(number of milestones <= t)`, as PyTorch's MultiStepLR.
#'
#' @inheritParams schedule_step
#' @param milestones A strictly increasing vector of non-negative clock values.
#' @param gamma The factor applied at each milestone, in (0, 1].
#' @inherit schedule_constant return
#' @family schedules
#' @export
#' @examplesIf lrdecay_available()
#' s <- schedule_multistep(0.1, milestones = c(30, 80))
#' lr_at(s, c(0, 30, 80))
schedule_multistep <- function(initial_lr, milestones, gamma = 0.1) {
  initial_lr <- check_lr(initial_lr, positive = TRUE)
  milestones <- check_numbers(milestones, lower = 0, increasing = TRUE,
                              what = "non-negative numbers")
  gamma <- check_number(gamma, 0, 1, lower_open = TRUE)
  py_lrdecay()$MultiStep(initial_lr = initial_lr, milestones = as.list(milestones),
                         gamma = gamma)
}

#' Piecewise constant learning rate
#'
#' Keras's `PiecewiseConstantDecay`: `values[1]` while `t <= boundaries[1]`,
#' `values[i + 1]` while `boundaries[i] < t <= boundaries[i + 1]`, and the last
#' value after the last boundary.
#'
#' @param boundaries A strictly increasing vector of non-negative clock values.
#' @param values The learning rates, one more than `boundaries`.
#' @inherit schedule_constant return
#' @family schedules
#' @export
#' @examplesIf lrdecay_available()
#' s <- schedule_piecewise(c(10, 20), c(0.1, 0.01, 0.001))
#' lr_at(s, c(10, 11, 21))
schedule_piecewise <- function(boundaries, values) {
  boundaries <- check_numbers(boundaries, lower = 0, increasing = TRUE,
                              what = "non-negative numbers")
  values <- check_numbers(values, lower = 0, what = "non-negative numbers")
  if (length(values) != length(boundaries) + 1L) {
    abort_arg("values", sprintf("a vector of length %d (one more than `boundaries`)",
                                length(boundaries) + 1L), values, rlang::current_env())
  }
  py_lrdecay()$Piecewise(boundaries = as.list(boundaries), values = as.list(values))
}

#' Exponential decay
#'
#' `lr(t) = initial_lr * decay_rate^p`, or `initial_lr * exp(-k * p)` when `k` is
#' given, with `p = t / decay_steps`, floored when `staircase = TRUE`. The same
#' values as Keras's `ExponentialDecay`. Give exactly one of `decay_rate` and `k`.
#'
#' @inheritParams schedule_step
#' @param decay_rate The factor per `decay_steps`, in (0, 1].
#' @param decay_steps The clock span of one decay period, a positive number.
#' @param staircase If `TRUE`, decay in whole periods (`p` floored).
#' @param k The continuous decay constant, a non-negative number (instead of `decay_rate`).
#' @inherit schedule_constant return
#' @family schedules
#' @export
#' @examplesIf lrdecay_available()
#' s <- schedule_exponential(0.1, decay_rate = 0.96, decay_steps = 1000, staircase = TRUE)
#' lr_at(s, 28125)  # 0.1 * 0.96^28
#' lr_at(schedule_exponential(0.01, k = 0.1), 0:3)
schedule_exponential <- function(initial_lr, decay_rate = NULL, decay_steps = 1,
                                 staircase = FALSE, k = NULL) {
  initial_lr <- check_lr(initial_lr, positive = TRUE)
  if (is.null(decay_rate) == is.null(k)) {
    cli::cli_abort(
      "Exactly one of {.arg decay_rate} and {.arg k} must be given, not {if (is.null(k)) 'neither' else 'both'}.",
      class = "lrdecay_error_argument"
    )
  }
  if (!is.null(decay_rate)) decay_rate <- check_number(decay_rate, 0, 1, lower_open = TRUE)
  if (!is.null(k)) k <- check_number(k, lower = 0)
  decay_steps <- check_number(decay_steps, lower = 0, lower_open = TRUE)
  staircase <- check_flag(staircase)
  py_lrdecay()$Exponential(initial_lr = initial_lr, decay_rate = decay_rate,
                           decay_steps = decay_steps, staircase = staircase, k = k)
}

#' Inverse time decay
#'
#' `lr(t) = initial_lr / (1 + decay_rate * p)` with `p = t / decay_steps`,
#' floored when `staircase = TRUE`; Keras's `InverseTimeDecay`.
#'
#' @inheritParams schedule_exponential
#' @param decay_rate How fast the rate falls, a non-negative number.
#' @inherit schedule_constant return
#' @family schedules
#' @export
#' @examplesIf lrdecay_available()
#' lr_at(schedule_inverse_time(0.1, decay_rate = 0.5), 0:4)
schedule_inverse_time <- function(initial_lr, decay_rate, decay_steps = 1, staircase = FALSE) {
  initial_lr <- check_lr(initial_lr, positive = TRUE)
  decay_rate <- check_number(decay_rate, lower = 0)
  decay_steps <- check_number(decay_steps, lower = 0, lower_open = TRUE)
  staircase <- check_flag(staircase)
  py_lrdecay()$InverseTime(initial_lr = initial_lr, decay_rate = decay_rate,
                           decay_steps = decay_steps, staircase = staircase)
}

#' Polynomial decay
#'
#' `lr(t) = (initial_lr - end_lr) * (1 - min(t, decay_steps) / decay_steps)^power + end_lr`;
#' Keras's `PolynomialDecay`. With `cycle = TRUE` the decay restarts with a
#' period stretched to the next multiple of `decay_steps`.
#'
#' @inheritParams schedule_exponential
#' @param decay_steps The clock span of the decay, a positive number.
#' @param end_lr The final learning rate, a non-negative number.
#' @param power The polynomial's power, a positive number (1 is linear).
#' @param cycle If `TRUE`, restart after `decay_steps` as Keras does.
#' @inherit schedule_constant return
#' @family schedules
#' @export
#' @examplesIf lrdecay_available()
#' lr_at(schedule_polynomial(0.1, decay_steps = 10, end_lr = 0.01, power = 2), c(0, 5, 10, 20))
schedule_polynomial <- function(initial_lr, decay_steps, end_lr = 0, power = 1, cycle = FALSE) {
  initial_lr <- check_lr(initial_lr, positive = TRUE)
  decay_steps <- check_number(decay_steps, lower = 0, lower_open = TRUE)
  end_lr <- check_lr(end_lr)
  power <- check_number(power, lower = 0, lower_open = TRUE)
  cycle <- check_flag(cycle)
  py_lrdecay()$Polynomial(initial_lr = initial_lr, decay_steps = decay_steps, end_lr = end_lr,
                          power = power, cycle = cycle)
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
schedule_cosine <- function(initial_lr, decay_steps, alpha = 0) {
  initial_lr <- check_lr(initial_lr, positive = TRUE)
  decay_steps <- check_number(decay_steps, lower = 0, lower_open = TRUE)
  alpha <- check_number(alpha, 0, 1)
  py_lrdecay()$Cosine(initial_lr = initial_lr, decay_steps = decay_steps, alpha = alpha)
}

#' Cosine decay with warm restarts (SGDR)
#'
#' Keras's `CosineDecayRestarts`: cosine decay over `first_decay_steps`, then
#' restarts; period `i` lasts `first_decay_steps * t_mul^i` and starts at
#' `initial_lr * m_mul^i`.
#'
#' @inheritParams schedule_cosine
#' @param first_decay_steps The length of the first period, a positive number.
#' @param t_mul The factor by which each period is longer than the last, a number `>= 1`.
#' @param m_mul The factor by which each restart is lower than the last, in (0, 1].
#' @inherit schedule_constant return
#' @family schedules
#' @export
#' @examplesIf lrdecay_available()
#' lr_at(schedule_cosine_restarts(0.1, first_decay_steps = 10), c(0, 9, 10, 30))
schedule_cosine_restarts <- function(initial_lr, first_decay_steps, t_mul = 2, m_mul = 1,
                                     alpha = 0) {
  initial_lr <- check_lr(initial_lr, positive = TRUE)
  first_decay_steps <- check_number(first_decay_steps, lower = 0, lower_open = TRUE)
  t_mul <- check_number(t_mul, lower = 0, lower_open = TRUE)
  if (t_mul < 1) {  # shrinking periods end at a finite t, after which lr would be NaN
    abort_arg("t_mul", "a number >= 1 (periods that shrink would end at a finite t)", t_mul,
              rlang::current_env())
  }
  m_mul <- check_number(m_mul, 0, 1, lower_open = TRUE)
  alpha <- check_number(alpha, 0, 1)
  py_lrdecay()$CosineRestarts(initial_lr = initial_lr, first_decay_steps = first_decay_steps,
                              t_mul = t_mul, m_mul = m_mul, alpha = alpha)
}

#' Linear schedule
#'
#' `lr(t) = start_lr + (end_lr - start_lr) * min(t, steps) / steps`.
#'
#' @param start_lr,end_lr The learning rates at `t = 0` and from `t = steps` on,
#'   non-negative numbers.
#' @param steps The clock span of the ramp, a positive number.
#' @inherit schedule_constant return
#' @family schedules
#' @export
#' @examplesIf lrdecay_available()
#' lr_at(schedule_linear(0.1, 0.01, steps = 9), c(0, 3, 9, 12))
schedule_linear <- function(start_lr, end_lr, steps) {
  start_lr <- check_lr(start_lr)
  end_lr <- check_lr(end_lr)
  steps <- check_number(steps, lower = 0, lower_open = TRUE)
  py_lrdecay()$Linear(start_lr = start_lr, end_lr = end_lr, steps = steps)
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
#' @param step_size Half a cycle, in epochs or steps, a positive number.
#' @param mode One of `"triangular"`, `"triangular2"`, `"exp_range"`.
#' @param gamma The decay base of `"exp_range"`, in (0, 1].
#' @inherit schedule_constant return
#' @family schedules
#' @export
#' @examplesIf lrdecay_available()
#' s <- schedule_cyclic(0.001, 0.01, step_size = 5, mode = "triangular2")
#' lr_at(s, c(0, 5, 10, 15))
schedule_cyclic <- function(base_lr, max_lr, step_size, mode = "triangular", gamma = 1) {
  base_lr <- check_lr(base_lr)
  max_lr <- check_number(max_lr, lower = base_lr,
                         must = sprintf("a number >= `base_lr` (%s)", format(base_lr)))
  step_size <- check_number(step_size, lower = 0, lower_open = TRUE)
  mode <- check_choice(mode, c("triangular", "triangular2", "exp_range"))
  gamma <- check_number(gamma, 0, 1, lower_open = TRUE)
  py_lrdecay()$Cyclic(base_lr = base_lr, max_lr = max_lr, step_size = step_size, mode = mode,
                      gamma = gamma)
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
#' @param total_steps The length of the cycle, a whole number `>= 2`.
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
schedule_one_cycle <- function(max_lr, total_steps, pct_start = 0.3, anneal = "cos",
                               div_factor = 25, final_div_factor = 1e4, three_phase = FALSE) {
  max_lr <- check_lr(max_lr, positive = TRUE)
  total_steps <- check_whole(total_steps, lower = 2)
  pct_start <- check_number(pct_start, 0, 1, lower_open = TRUE, upper_open = TRUE)
  anneal <- check_choice(anneal, c("cos", "linear"))
  div_factor <- check_number(div_factor, lower = 0, lower_open = TRUE)
  final_div_factor <- check_number(final_div_factor, lower = 0, lower_open = TRUE)
  three_phase <- check_flag(three_phase)
  check_one_cycle_phases(pct_start, total_steps, three_phase)
  py_lrdecay()$OneCycle(max_lr = max_lr, total_steps = total_steps, pct_start = pct_start,
                        anneal = anneal, div_factor = div_factor,
                        final_div_factor = final_div_factor, three_phase = three_phase)
}

# Every phase of the one-cycle policy needs at least one step (as PyTorch builds
# the phases: the warm-up ends at step pct_start * total_steps - 1).
check_one_cycle_phases <- function(pct_start, total_steps, three_phase,
                                   call = rlang::caller_env()) {
  up <- pct_start * total_steps - 1
  last <- total_steps - 1
  ends <- if (three_phase) c(up, 2 * pct_start * total_steps - 2, last) else c(up, last)
  starts <- c(0, ends[-length(ends)])
  if (any(ends <= starts)) {
    abort_arg("pct_start", sprintf(
      "a fraction that gives every phase at least one step of total_steps = %s",
      format(total_steps, scientific = FALSE)
    ), pct_start, call)
  }
  invisible(pct_start)
}

#' Warm up to any schedule
#'
#' For `t < warmup_steps`, a linear ramp (or, with `shape = "exponential"`, a
#' geometric one, which needs `start_lr > 0`) from `start_lr` to `schedule`'s
#' value at 0; from then on `schedule(t - warmup_steps)`.
#'
#' @param schedule The lrdecay schedule to warm up to.
#' @param warmup_steps The length of the warm-up, a positive number.
#' @param start_lr The learning rate at `t = 0`, a non-negative number.
#' @param shape `"linear"` or `"exponential"`.
#' @inherit schedule_constant return
#' @family schedules
#' @export
#' @examplesIf lrdecay_available()
#' s <- schedule_warmup(schedule_cosine(0.1, decay_steps = 50), warmup_steps = 5)
#' lr_at(s, 0:6)
schedule_warmup <- function(schedule, warmup_steps, start_lr = 0, shape = "linear") {
  check_is_schedule(schedule)
  warmup_steps <- check_number(warmup_steps, lower = 0, lower_open = TRUE)
  shape <- check_choice(shape, c("linear", "exponential"))
  exponential <- identical(shape, "exponential")
  start_lr <- check_number(start_lr, lower = 0, lower_open = exponential,
                           must = if (exponential) "a positive number (shape \"exponential\")")
  if (exponential && !inherits(schedule, "lrdecay.FromFunction")) {
    target <- lr_at(schedule, 0)
    if (!(target > 0)) {
      abort_arg("schedule",
                "a schedule whose value at t = 0 is positive (shape \"exponential\")",
                target, rlang::current_env())
    }
  }
  py_lrdecay()$Warmup(schedule = schedule, warmup_steps = warmup_steps, start_lr = start_lr,
                      shape = shape)
}

#' Join schedules in sequence
#'
#' Schedule `i` runs on `[boundaries[i - 1], boundaries[i])` with its own clock,
#' `t - boundaries[i - 1]`, as optax's `join_schedules`.
#'
#' @param schedules A list of lrdecay schedules.
#' @param boundaries A strictly increasing vector of positive clock values, one
#'   fewer than `schedules`.
#' @inherit schedule_constant return
#' @family schedules
#' @export
#' @examplesIf lrdecay_available()
#' s <- schedule_sequence(
#'   list(schedule_linear(0, 0.1, steps = 5), schedule_cosine(0.1, decay_steps = 20)),
#'   boundaries = 5
#' )
#' lr_at(s, c(0, 4, 5, 25))
schedule_sequence <- function(schedules, boundaries) {
  if (is_schedule(schedules)) schedules <- list(schedules)
  if (!is.list(schedules) || length(schedules) < 1 || !all(vapply(schedules, is_schedule, NA))) {
    abort_arg("schedules", "a list of lrdecay schedules", schedules, rlang::current_env())
  }
  if (missing(boundaries)) boundaries <- NULL
  if (length(schedules) == 1 && length(boundaries) == 0) {
    boundaries <- numeric()
  } else {
    boundaries <- check_numbers(boundaries, lower = 0, lower_open = TRUE, increasing = TRUE,
                                what = "positive numbers")
    if (length(boundaries) != length(schedules) - 1L) {
      abort_arg("boundaries", sprintf("a vector of length %d (one less than `schedules`)",
                                      length(schedules) - 1L), boundaries, rlang::current_env())
    }
  }
  py_lrdecay()$Sequence(schedules = unname(schedules), boundaries = as.list(boundaries))
}

#' A schedule from your own function
#'
#' `lr(t) = fn(t)`. `fn` is first called with the whole vector of `t`; when that
#' fails or returns the wrong length it is called once per value. Each value it
#' returns must be one non-negative finite number: anything else (`NA`, `NaN`,
#' `Inf`, a negative number, a string, `NULL`, a vector of another length) stops
#' with an error of class `lrdecay_error_function` that names `t` and the value,
#' as does an error inside `fn`. Such a schedule works with
#' [callback_lr_scheduler()] and [lr_at()], but cannot run inside the training
#' graph ([as_keras_schedule()]) and cannot be saved.
#'
#' @param fn An R function (or a Python callable) of `t`.
#' @inherit schedule_constant return
#' @family schedules
#' @export
#' @examplesIf lrdecay_available()
#' s <- schedule_function(function(t) 0.01 * 0.95^t)
#' lr_at(s, 0:3)
schedule_function <- function(fn) {
  check_function(fn)
  if (is.function(fn)) {
    label <- function_label(fn)
    fn <- reticulate::r_to_py(wrap_schedule_fn(fn), convert = TRUE)
    reticulate::py_set_attr(fn, "__name__", label)  # shown by print()
  }
  py_lrdecay()$FromFunction(fn = fn)
}

# An R function on one short line, for print().
function_label <- function(fn, width = 60L) {
  text <- paste(trimws(deparse(fn, width.cutoff = 500L)), collapse = " ")
  text <- sub("^function \\(", "function(", text)
  if (nchar(text) > width) text <- paste0(substr(text, 1L, width - 3L), "...")
  text
}

# An R schedule function as Python calls it: given a vector of `t`, it returns
# one checked value per `t`. The whole vector is tried first; when `fn` fails
# or gives the wrong length, it is called once per value. Values are checked in
# R, because reticulate turns R's NA into Python's True and an R error reaches
# Python only as a RuntimeError: the condition is kept for lr_at() to re-signal.
wrap_schedule_fn <- function(fn) {
  force(fn)
  function(t) {
    t <- as.double(t)
    if (length(t) > 1) {
      out <- tryCatch(fn(t), error = function(e) NULL)
      if (is.numeric(out) && length(out) == length(t)) {
        bad <- which(!(is.finite(out) & out >= 0))
        if (length(bad)) check_schedule_fn_value(out[bad[1]], t[bad[1]])
        return(as.double(out))
      }
    }
    vapply(t, function(ti) {
      out <- withCallingHandlers(
        fn(ti),
        error = function(e) {
          if (inherits(e, "lrdecay_error_function")) return()
          schedule_fn_abort("The schedule function failed at t = {format(ti)}.", parent = e)
        }
      )
      check_schedule_fn_value(out, ti)
    }, numeric(1))
  }
}

check_schedule_fn_value <- function(value, t) {
  ok <- is.numeric(value) && length(value) == 1 && !is.na(value) && is.finite(value) &&
    value >= 0
  if (!ok) {
    schedule_fn_abort(paste0(
      "The schedule function returned {show_value(value)} at t = {format(t)}; ",
      "it must return one non-negative finite number."
    ))
  }
  as.double(value)
}

# The condition is remembered before it is signalled: Python catches it, and
# lr_at() signals it again in R.
schedule_fn_abort <- function(message, parent = NULL, env = rlang::caller_env()) {
  cnd <- tryCatch(
    cli::cli_abort(message, parent = parent, class = "lrdecay_error_function", call = NULL,
                   .envir = env),
    error = identity
  )
  lrdecay_state$fn_error <- cnd
  stop(cnd)
}

lrdecay_state <- new.env(parent = emptyenv())
