# The schedules of 2024-26 practice: warmup-stable-decay, inverse square root, REX.
# As thin as the other constructors (R/schedules.R): coerce the R values (R/checks.R),
# build the Python object (R/python.R). The formulas and every rule on the values live
# in inst/python/lrdecay/schedules.py only.

#' Warmup-stable-decay (WSD) learning rate
#'
#' The warmup-stable-decay schedule of MiniCPM, with the values of Hugging Face
#' transformers' `get_wsd_schedule` at every whole `t`: `peak_lr` times its factor.
#' A warmup of `warmup_steps` from `min_lr_ratio * peak_lr` up to `peak_lr`, a
#' stable stage of `stable_steps` at `peak_lr`, and a decay of `decay_steps` back
#' down to `min_lr_ratio * peak_lr`, which then holds. With `p` the fraction of the
#' stage done, the shapes are `"linear"` (warmup `p`, decay `1 - p`), `"cosine"`
#' (`(1 - cos(pi p)) / 2`, `(1 + cos(pi p)) / 2`) and `"1-sqrt"`
#' (`1 - sqrt(1 - p)`, `1 - sqrt(p)`). transformers' `num_training_steps` is
#' `warmup_steps + stable_steps + decay_steps`.
#'
#' With the default `min_lr_ratio = 0` and a warmup, the first update runs at
#' learning rate 0 (as in transformers); [check_schedule()] reports it.
#'
#' @param peak_lr The learning rate of the stable stage, a positive number.
#' @param warmup_steps The length of the warmup, a non-negative number of epochs
#'   (0-based clock of [callback_lr_scheduler()]) or steps (in-graph); 0 for none;
#'   or [of_run()] of the run.
#' @param stable_steps The length of the stable stage, a non-negative number,
#'   [of_run()] of the run, or `NULL` (the default): the rest of the run after
#'   warmup and decay (see [size_schedule()]).
#' @param decay_steps The length of the decay, a positive number or [of_run()]
#'   of the run; it must be given.
#' @param warmup The warmup's shape: `"linear"`, `"cosine"` or `"1-sqrt"`.
#' @param decay The decay's shape: `"linear"`, `"cosine"` or `"1-sqrt"`.
#' @param min_lr_ratio Where the warmup starts and the decay ends, as a fraction of
#'   `peak_lr`, in \[0, 1\].
#' @returns An lrdecay schedule (a Python object of class `lrdecay.Schedule`):
#'   evaluate it with [lr_at()], show it with `print()` and `plot()`, use it with
#'   [callback_lr_scheduler()] or [as_keras_schedule()].
#' @family schedules
#' @seealso [check_schedule()] to check a schedule against the length of training.
#' @export
#' @examplesIf lrdecay_available()
#' s <- schedule_wsd(0.1, warmup_steps = 2, stable_steps = 3, decay_steps = 2,
#'                   decay = "linear", min_lr_ratio = 0.1)
#' lr_at(s, 0:8)
#' plot(s)
schedule_wsd <- function(peak_lr, warmup_steps, stable_steps = NULL, decay_steps,
                         warmup = "linear", decay = "cosine", min_lr_ratio = 0) {
  new_schedule("WSD", peak_lr = as_number(peak_lr), warmup_steps = as_length(warmup_steps),
               stable_steps = as_length(stable_steps),
               # missing: NULL, so that Python's message says what it must be
               decay_steps = if (missing(decay_steps)) NULL else as_length(decay_steps),
               warmup = as_string(warmup), decay = as_string(decay),
               min_lr_ratio = as_number(min_lr_ratio))
}

#' Inverse square root learning rate
#'
#' A linear warmup from 0 over `warmup_steps`, then
#' `peak_lr / sqrt((t + timescale - warmup_steps) / timescale)`: the schedule of
#' the original Transformer, with the values of Hugging Face transformers'
#' `get_inverse_sqrt_schedule` at every whole `t`.
#'
#' @param peak_lr The learning rate at the end of the warmup, a positive number.
#' @param warmup_steps The length of the warmup, a non-negative number (0 for
#'   none), or [of_run()] of the run.
#' @param timescale How slowly the rate falls, a positive number; `NULL` (the
#'   default) takes `warmup_steps`, or 10000 when `warmup_steps` is 0, as
#'   transformers does.
#' @inherit schedule_wsd return
#' @family schedules
#' @export
#' @examplesIf lrdecay_available()
#' s <- schedule_inverse_sqrt(0.1, warmup_steps = 4)
#' lr_at(s, c(0, 2, 4, 16, 64))
#' plot(s)
schedule_inverse_sqrt <- function(peak_lr, warmup_steps, timescale = NULL) {
  new_schedule("InverseSqrt", peak_lr = as_number(peak_lr),
               warmup_steps = as_length(warmup_steps), timescale = as_number(timescale))
}

#' REX learning rate
#'
#' REX (Chen et al. 2022, "REX: Revisiting Budgeted Training with an Improved
#' Schedule"): `min_lr + (initial_lr - min_lr) * (1 - p) / (1 - p / 2)` with
#' `p = min(t, total_steps) / total_steps`. It starts at `initial_lr`, stays above
#' the linear decay, and reaches `min_lr` at `total_steps`, which then holds.
#'
#' @param initial_lr The learning rate at `t = 0`, a positive number.
#' @param total_steps The length of the schedule, a positive number of epochs or
#'   steps, [of_run()] of the run, or `NULL` (the default): the whole run (see
#'   [size_schedule()]).
#' @param min_lr The final learning rate, in \[0, `initial_lr`\].
#' @inherit schedule_wsd return
#' @family schedules
#' @export
#' @examplesIf lrdecay_available()
#' s <- schedule_rex(0.1, total_steps = 10)
#' lr_at(s, c(0, 5, 10, 20))
#' plot(s)
schedule_rex <- function(initial_lr, total_steps = NULL, min_lr = 0) {
  new_schedule("Rex", initial_lr = as_number(initial_lr), total_steps = as_length(total_steps),
               min_lr = as_number(min_lr))
}

#' Cooldown learning rate, branched from any schedule
#'
#' A cooldown (Hägele et al. 2024, "Scaling Laws and Compute-Optimal Training
#' Beyond Fixed Training Durations"): `schedule(t)` before `start`, then a decay
#' from `r0 = schedule(start)` to `final_lr` over `length`:
#' `final_lr + (r0 - final_lr) * f(p)` with `p = (t - start) / length`, where
#' `f` is `1 - p` (`"linear"`), `(1 + cos(pi p)) / 2` (`"cosine"`) or
#' `1 - sqrt(p)` (`"1-sqrt"`); `final_lr` from `start + length` on.
#'
#' A long run at a constant rate (or a [schedule_wsd()] in its stable stage) then
#' gives a finished model at any budget: the cooldown planned from the start is this
#' schedule; branched later from a saved model, it is [start_cooldown()].
#'
#' @param schedule The lrdecay schedule the cooldown branches from.
#' @param start Where the cooldown begins, a non-negative number of epochs
#'   (0-based clock of [callback_lr_scheduler()]) or steps (in-graph).
#' @param length The length of the cooldown, a positive number in the same unit.
#' @param shape The cooldown's shape: `"1-sqrt"`, `"linear"` or `"cosine"`.
#' @param final_lr The learning rate at the end of the cooldown, a non-negative number.
#' @inherit schedule_wsd return
#' @family schedules
#' @seealso [start_cooldown()] to branch a cooldown from a trained model.
#' @export
#' @examplesIf lrdecay_available()
#' long_run <- schedule_constant(0.1)
#' s <- schedule_cooldown(long_run, start = 60, length = 40)
#' lr_at(s, c(0, 60, 70, 100, 120))
#' plot(s, t = 0:120)
#' # the three shapes, branched from the stable stage of a WSD schedule
#' wsd <- schedule_wsd(0.1, warmup_steps = 10, stable_steps = 1000, decay_steps = 10)
#' for (shape in c("1-sqrt", "linear", "cosine")) {
#'   print(lr_at(schedule_cooldown(wsd, 50, 20, shape = shape), c(55, 60, 65)))
#' }
schedule_cooldown <- function(schedule, start, length, shape = "1-sqrt", final_lr = 0) {
  new_schedule("Cooldown", schedule = as_schedule(schedule), start = as_number(start),
               length = as_number(length), shape = as_string(shape),
               final_lr = as_number(final_lr))
}
