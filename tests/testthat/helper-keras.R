# Small Keras models and data for the training tests (no downloads), in keras3's idiom.

library(keras3)

skip_without_keras <- function() {
  skip_if_not(lrdecay_available(keras = TRUE), "Keras 3 is not available in this Python")
}

regression_data <- function(n = 64, seed = 1) {
  set.seed(seed)
  x <- matrix(runif(n * 4), ncol = 4)
  list(x = x, y = x %*% c(1, -2, 3, 0.5))
}

linear_model <- function(lr = 0.05, momentum = 0) {
  set_random_seed(1)
  model <- keras_model_sequential(input_shape = 4) |> layer_dense(1)
  model |> compile(optimizer = optimizer_sgd(learning_rate = lr, momentum = momentum),
                   loss = "mse")
  model
}

# A callback that reads the optimizer's learning rate at the first batch of each epoch:
# the rate actually applied, read back from the optimizer.
lr_probe <- function() {
  env <- new.env()
  env$seen <- numeric()
  env$callback <- callback_lr_custom(on_batch_begin = function(batch, lr, logs) {
    if (batch == 0) env$seen <- c(env$seen, lr)
    NULL
  })
  env
}
