# Reading and setting an optimizer's learning rate: thin R wrappers of
# inst/python/lrdecay/learning_rate.py.

#' Read or set a model's learning rate
#'
#' The Keras 3 replacement of the Keras 2 idioms `model$optimizer$lr` and
#' `k_set_value(model$optimizer$lr, lr)`. `get_learning_rate()` gives the
#' current value, also when the optimizer's rate is an in-graph schedule (its
#' value at the optimizer's current iteration). `set_learning_rate()` sets a
#' constant rate; it is an error when the rate is an in-graph schedule.
#'
#' @param model A compiled Keras model.
#' @param value The new learning rate, a non-negative number.
#' @returns `get_learning_rate()`: a number. `set_learning_rate()`: `model`, invisibly.
#' @family callbacks
#' @export
#' @examplesIf lrdecay_available(keras = TRUE)
#' library(keras3)
#' model <- keras_model_sequential(input_shape = 4) |> layer_dense(1)
#' model |> compile(optimizer = optimizer_sgd(learning_rate = 0.1), loss = "mse")
#' get_learning_rate(model)
#' model |> set_learning_rate(0.01)
#' get_learning_rate(model)
get_learning_rate <- function(model) {
  lrdecay_call("get_learning_rate", as_model(model))
}

#' @rdname get_learning_rate
#' @export
set_learning_rate <- function(model, value) {
  lrdecay_call("set_learning_rate", as_model(model), as_number(value))
  invisible(model)
}
