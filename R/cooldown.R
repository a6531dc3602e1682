# Branching a cooldown from a trained model: a thin R wrapper of
# inst/python/lrdecay/cooldown.py.

#' Start a cooldown from a model's current iteration
#'
#' Turns the learning rate of a compiled model's optimizer into a
#' [schedule_cooldown()] that starts at the optimizer's current iteration, so the
#' next `fit()` decays from the current rate to `final_lr` over `length` updates,
#' then holds `final_lr`. A constant rate `r` becomes
#' `schedule_cooldown(schedule_constant(r), start = iterations, length)`; an
#' in-graph lrdecay schedule `s` ([as_keras_schedule()], e.g. a [schedule_wsd()]
#' still in its stable stage) becomes `schedule_cooldown(s, start, length)` on the
#' same clock (with `steps_per_epoch`, `start` and `length` count epochs). The
#' weights and the optimizer's state are kept; the model saves and loads with its
#' cooldown (`save_model()`, `load_model()`).
#'
#' The typical use: train one long run at a constant or WSD rate and save
#' checkpoints; load any checkpoint, `start_cooldown()`, `fit()`: a finished model
#' for that budget, while the long run goes on. A cooldown branched so gives the
#' same rates and weights as the same cooldown planned from the start.
#'
#' @param model A compiled Keras model whose learning rate is a number or an
#'   lrdecay in-graph schedule.
#' @param length The length of the cooldown, a positive number of updates (of
#'   epochs for a schedule with `steps_per_epoch`).
#' @inheritParams schedule_cooldown
#' @returns `model`, invisibly (its optimizer now evaluates the cooldown in-graph).
#' @family callbacks
#' @seealso `vignette("custom-callbacks")` for the workflow: one long run, three
#'   cooldowns branched at different budgets.
#' @export
#' @examplesIf lrdecay_available(keras = TRUE)
#' library(keras3)
#' set.seed(1)
#' x <- matrix(runif(64 * 4), ncol = 4)
#' y <- x %*% c(1, -2, 3, 0.5)
#' model <- keras_model_sequential(input_shape = 4) |> layer_dense(1)
#' model |> compile(optimizer = optimizer_sgd(learning_rate = 0.05), loss = "mse")
#' model |> fit(x, y, epochs = 3, batch_size = 16, verbose = 0)  # 12 updates
#' model |> start_cooldown(length = 8, shape = "linear")
#' h <- model |> fit(x, y, epochs = 2, batch_size = 16, verbose = 0,
#'                   callbacks = list(callback_lr_logger(verbose = 0)))
#' h$metrics$learning_rate  # 0.05 at update 12, half of it at update 16
#' get_learning_rate(model)  # 0 after the cooldown
start_cooldown <- function(model, length, shape = "1-sqrt", final_lr = 0) {
  lrdecay_call("start_cooldown", as_model(model), length = as_number(length),
               shape = as_string(shape), final_lr = as_number(final_lr))
  invisible(model)
}
