# callback_lr_plateau(): a thin wrapper of LRPlateau (inst/python/lrdecay/plateau.py), where
# the decisions, the scale and the argument rules live.

#' Reduce the learning rate on a plateau, on top of a schedule
#'
#' Makes the decisions of Keras's `ReduceLROnPlateau` (keras3's
#' [keras3::callback_reduce_lr_on_plateau()]), with the same arguments and the
#' same epochs reduced: after `patience` epochs in which `monitor` did not
#' improve by more than `min_delta`, the learning rate is multiplied by
#' `factor`, then `cooldown` epochs pass before the count starts again. Each
#' reduction is a *scale* on top of whatever sets the rate:
#'
#' * a constant rate (`optimizer_sgd(learning_rate = 0.1)`) is multiplied, as
#'   keras3's callback does;
#' * with [callback_lr_scheduler()], in either order in `callbacks`, each
#'   epoch's rate is the schedule's times the scale (beside keras3's own
#'   scheduler callback, keras3's plateau callback is undone at every epoch);
#' * with an in-graph schedule ([as_keras_schedule()]), update `t` uses
#'   `schedule(t)` times the scale (keras3's own callback stops with an error
#'   there). A keras3 `learning_rate_schedule_*()` cannot be scaled: the error
#'   says which lrdecay schedule to use.
#'
#' `min_lr` bounds the rate applied: `max(rate * scale, min(rate, min_lr))`,
#' so a reduction never takes the rate below `min_lr` (a schedule that decays
#' below it on its own still does).
#'
#' @section Saving and resuming:
#' The scale and the plateau state (the best value so far, the epochs waited,
#' the cooldown) are saved with the optimizer: in `.keras` files
#' ([keras3::save_model()], [keras3::callback_model_checkpoint()]), in weights
#' files and in the checkpoints of [keras3::callback_backup_and_restore()].
#' [keras3::load_model()] (with lrdecay attached, before or after the new
#' `callback_lr_plateau()` is made) and `callback_backup_and_restore()` restore
#' them, so a run interrupted after any epoch resumes with the same learning
#' rates: `fit(initial_epoch = )` after `load_model()`. List
#' `callback_lr_plateau()` before `callback_backup_and_restore()` (and
#' `callback_model_checkpoint()`), so that the checkpoint written at the end of
#' an epoch holds that epoch's decision. A `.keras` file saved after
#' reductions loads with its reduced rate. A `fit()` that continues where the
#' last one stopped continues the plateau state; one that starts over resets
#' it, as keras3's callback does.
#'
#' @param monitor The metric to watch, a name of the epoch's logs, e.g.
#'   `"val_loss"` or `"loss"`.
#' @param factor The rate is multiplied by `factor` at each reduction, a number
#'   in \[0, 1).
#' @param patience The number of epochs without improvement before a reduction
#'   (a whole number >= 0).
#' @param mode `"min"`, `"max"`, or `"auto"` (from the metric's name and
#'   direction, as Keras decides).
#' @param min_delta The smallest change of `monitor` that counts as an
#'   improvement (>= 0).
#' @param cooldown The number of epochs after a reduction before the wait
#'   counts again (a whole number >= 0).
#' @param min_lr The rate is not reduced below `min_lr` (>= 0).
#' @param verbose `0` (quiet) or `1` (print Keras's message at each reduction).
#' @inherit callback_lr_scheduler return
#' @family callbacks
#' @export
#' @examplesIf lrdecay_available(keras = TRUE)
#' library(keras3)
#' x <- matrix(runif(256), ncol = 4)
#' y <- x %*% c(1, -2, 3, 0.5)
#' model <- keras_model_sequential(input_shape = 4) |> layer_dense(1)
#' model |> compile(optimizer = optimizer_sgd(learning_rate = 0.1), loss = "mse")
#' history <- model |> fit(x, y, epochs = 8, validation_split = 0.25, verbose = 0,
#'   callbacks = list(
#'     callback_lr_scheduler(schedule_cosine(0.05, 8)),
#'     callback_lr_plateau(monitor = "val_loss", factor = 0.5, patience = 2)
#'   ))
#' history$metrics$learning_rate
#'
#' # On top of an in-graph schedule:
#' s <- as_keras_schedule(schedule_exponential(0.05, decay_steps = 10, decay_rate = 0.5))
#' model |> compile(optimizer = optimizer_sgd(learning_rate = s), loss = "mse")
#' history <- model |> fit(x, y, epochs = 4, validation_split = 0.25, verbose = 0,
#'   callbacks = list(callback_lr_plateau(patience = 1)))
callback_lr_plateau <- function(monitor = "val_loss", factor = 0.1, patience = 10,
                                mode = "auto", min_delta = 1e-4, cooldown = 0, min_lr = 0,
                                verbose = 0) {
  with_plan_warning(lrdecay_call(
    "LRPlateau", monitor = as_string(monitor), factor = as_number(factor),
    patience = as_whole(patience), mode = as_string(mode), min_delta = as_number(min_delta),
    cooldown = as_whole(cooldown), min_lr = as_number(min_lr), verbose = as_whole(verbose)
  ))
}

#' @rdname callback-methods
#' @export
format.lrdecay.LRPlateau <- function(x, ...) format_lrdecay_callback(x, ...)

#' @rdname callback-methods
#' @export
print.lrdecay.LRPlateau <- function(x, ...) print_lrdecay_callback(x, ...)
