# The three examples of the Keras 2 tutorial "learning rate decay in Keras with R" (step,
# exponential and cosine decay), as written in spirit, on a small data set made here; the LR applied at every epoch is read back from the
# optimizer.

tutorial_data <- function() {
  set.seed(7)
  x <- matrix(runif(256 * 784), ncol = 784)
  y <- sample(0:9, 256, replace = TRUE)
  list(x = x, y_train = to_categorical(y, 10))
}

tutorial_model <- function() {
  set_random_seed(7)
  model <- keras_model_sequential(input_shape = 784) %>%
    layer_dense(units = 64, activation = "relu") %>%
    layer_dense(units = 10, activation = "softmax")
  model %>% compile(loss = "categorical_crossentropy", optimizer = "adam", metrics = "accuracy")
  model
}

test_that("example 1: step decay through the scheduler callback", {
  skip_without_keras()
  d <- tutorial_data()
  model <- tutorial_model()
  step_decay <- function(epoch) {
    initial_lr <- 0.01
    drop <- 0.5
    epochs_drop <- 10
    initial_lr * drop^(floor(epoch / epochs_drop))
  }
  probe <- lr_probe()
  history <- model %>% fit(x = d$x, y = d$y_train, epochs = 25, batch_size = 128, verbose = 0,
                           callbacks = list(callback_lr_scheduler(step_decay), probe$callback))
  expected <- 0.01 * 0.5^floor(0:24 / 10)
  expect_equal(probe$seen, expected, tolerance = 1e-7)
  expect_equal(history$metrics$learning_rate, expected, tolerance = 1e-7)
  expect_equal(probe$seen[c(10, 11, 21)], c(0.01, 0.005, 0.0025), tolerance = 1e-7)
  # the package's own family gives the same rates
  expect_equal(lr_at(schedule_step(0.01, 0.5, 10), 0:24), expected)
})

test_that("example 2: exponential decay through the scheduler callback", {
  skip_without_keras()
  d <- tutorial_data()
  model <- tutorial_model()
  exponential_decay <- function(epoch) {
    initial_lr <- 0.01
    decay_rate <- 0.95
    initial_lr * decay_rate^epoch
  }
  probe <- lr_probe()
  history <- model %>% fit(x = d$x, y = d$y_train, epochs = 12, batch_size = 128, verbose = 0,
                           callbacks = list(callback_lr_scheduler(exponential_decay),
                                            probe$callback))
  expected <- 0.01 * 0.95^(0:11)
  expect_equal(probe$seen, expected, tolerance = 1e-6)
  expect_equal(history$metrics$learning_rate,
               lr_at(schedule_exponential(0.01, 1, 0.95), 0:11), tolerance = 1e-6)
})

test_that("example 3: cosine decay through a custom callback (Keras 3 way)", {
  skip_without_keras()
  d <- tutorial_data()
  model <- tutorial_model()
  cosine_decay <- callback_lr_custom(on_epoch_begin = function(epoch, lr, logs) {
    initial_lr <- 0.01
    total_epochs <- 50
    initial_lr * 0.5 * (1 + cos(pi * epoch / total_epochs))
  })
  probe <- lr_probe()
  history <- model %>% fit(x = d$x, y = d$y_train, epochs = 12, batch_size = 128, verbose = 0,
                           callbacks = list(cosine_decay, probe$callback))
  expected <- 0.01 * 0.5 * (1 + cos(pi * (0:11) / 50))
  expect_equal(probe$seen, expected, tolerance = 1e-6)
  expect_equal(lr_at(schedule_cosine(0.01, 50), 0:11), expected)
  expect_equal(get_learning_rate(model), expected[12], tolerance = 1e-6)
})
