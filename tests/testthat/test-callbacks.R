test_that("callback_lr_scheduler applies schedule(epoch) at every epoch, 0-based", {
  skip_without_keras()
  d <- regression_data()
  model <- linear_model()
  probe <- lr_probe()
  s <- schedule_step(0.04, drop = 0.5, every = 2)
  h <- model %>% fit(d$x, d$y, epochs = 6, batch_size = 16, verbose = 0,
                     callbacks = list(callback_lr_scheduler(s), probe$callback))
  expected <- 0.04 * 0.5^floor(0:5 / 2)
  expect_equal(probe$seen, expected, tolerance = 1e-7)
  expect_equal(h$metrics$learning_rate, expected, tolerance = 1e-7)
  expect_equal(get_learning_rate(model), expected[6], tolerance = 1e-7)
})

test_that("R functions of (epoch) and (epoch, lr) are both accepted, with R integers", {
  skip_without_keras()
  d <- regression_data()
  model <- linear_model(lr = 0.08)
  seen <- integer()
  one <- function(epoch) {
    seen <<- c(seen, epoch)
    if (epoch < 1) 1L / 10 else 1L  # 1L: a whole number from R is fine
  }
  h <- model %>% fit(d$x, d$y, epochs = 3, verbose = 0,
                     callbacks = list(callback_lr_scheduler(one)))
  expect_identical(seen, 0:2)
  expect_equal(h$metrics$learning_rate, c(0.1, 1, 1), tolerance = 1e-7)

  model <- linear_model(lr = 0.08)
  two <- function(epoch, lr) lr / 2
  h <- model %>% fit(d$x, d$y, epochs = 3, verbose = 0,
                     callbacks = list(callback_lr_scheduler(two)))
  expect_equal(h$metrics$learning_rate, 0.08 / c(2, 4, 8), tolerance = 1e-7)
})

test_that("initial_epoch resumes the schedule where it stopped", {
  skip_without_keras()
  d <- regression_data()
  s <- schedule_exponential(0.05, decay_rate = 0.5)
  model <- linear_model()
  h1 <- model %>% fit(d$x, d$y, epochs = 2, verbose = 0,
                      callbacks = list(callback_lr_scheduler(s)))
  h2 <- model %>% fit(d$x, d$y, epochs = 5, initial_epoch = 2, verbose = 0,
                      callbacks = list(callback_lr_scheduler(s)))
  expect_identical(h2$epoch, 2:4)
  expect_equal(c(h1$metrics$learning_rate, h2$metrics$learning_rate), lr_at(s, 0:4),
               tolerance = 1e-7)
})

test_that("a schedule returning nonsense stops training, names the epoch and keeps the LR", {
  skip_without_keras()
  d <- regression_data()
  bad <- list(NA, NaN, Inf, -1, "a", c(0.1, 0.2), numeric(), TRUE)
  shown <- c("NA", "NaN", "Inf", "-1", "\"a\"", "c(0.1, 0.2)", "an empty double vector", "TRUE")
  for (i in seq_along(bad)) {
    model <- linear_model(lr = 0.05)
    value <- bad[[i]]
    fn <- function(epoch) if (epoch < 2) 0.01 else value
    expect_error(
      model %>% fit(d$x, d$y, epochs = 4, verbose = 0, callbacks = list(callback_lr_scheduler(fn))),
      sprintf("The schedule returned %s at epoch 2 (0-based)", shown[i]), fixed = TRUE
    )
    expect_equal(get_learning_rate(model), 0.01, tolerance = 1e-7)
  }
})

test_that("an error inside the R function stops training with its message", {
  skip_without_keras()
  d <- regression_data()
  model <- linear_model(lr = 0.05)
  fn <- function(epoch) if (epoch == 1) stop("my schedule broke") else 0.02
  expect_error(model %>% fit(d$x, d$y, epochs = 3, verbose = 0,
                             callbacks = list(callback_lr_scheduler(fn))),
               "my schedule broke")
  expect_equal(get_learning_rate(model), 0.02, tolerance = 1e-7)
})

test_that("callback_lr_scheduler checks its arguments", {
  expect_error(callback_lr_scheduler(0.1), "`schedule` must be an lrdecay schedule or a function")
  expect_error(callback_lr_scheduler(schedule_constant(0.1), verbose = 3), "`verbose` must be 0 or 1")
  expect_error(callback_lr_scheduler(function() 0.1), "must take the epoch")
})

test_that("verbose = 1 prints the rate as Keras does", {
  skip_without_keras()
  d <- regression_data()
  model <- linear_model()
  out <- reticulate::py_capture_output(
    model %>% fit(d$x, d$y, epochs = 2, verbose = 0,
                  callbacks = list(callback_lr_scheduler(schedule_step(0.01, every = 1),
                                                         verbose = 1)))
  )
  expect_match(out, "Epoch 1: LearningRateScheduler setting learning rate to 0.01.", fixed = TRUE)
  expect_match(out, "Epoch 2: LearningRateScheduler setting learning rate to 0.005.", fixed = TRUE)
})

test_that("callback_lr_logger prints and records the rate, constant or in-graph", {
  skip_without_keras()
  d <- regression_data()
  model <- linear_model(lr = 0.1)
  out <- reticulate::py_capture_output(
    h <- model %>% fit(d$x, d$y, epochs = 2, verbose = 0, callbacks = list(callback_lr_logger()))
  )
  expect_match(out, "Epoch 01: learning rate = 0.10000", fixed = TRUE)
  expect_match(out, "Epoch 02: learning rate = 0.10000", fixed = TRUE)
  expect_equal(h$metrics$learning_rate, c(0.1, 0.1), tolerance = 1e-7)

  s <- schedule_exponential(0.1, decay_rate = 0.5, decay_steps = 4, staircase = TRUE)
  model$compile(optimizer = keras$optimizers$SGD(learning_rate = as_keras_schedule(s)),
                loss = "mse")
  out <- reticulate::py_capture_output(
    h <- model %>% fit(d$x, d$y, epochs = 3, batch_size = 16, verbose = 0,
                       callbacks = list(callback_lr_logger()))
  )
  # 4 batches per epoch: epoch e starts at iteration 4e
  expect_equal(h$metrics$learning_rate, lr_at(s, c(0, 4, 8)), tolerance = 1e-6)
  expect_match(out, "Epoch 02: learning rate = 0.05000", fixed = TRUE)
  expect_match(out, "Epoch 03: learning rate = 0.02500", fixed = TRUE)
})

test_that("callback_lr_custom sets the rate per epoch and per batch; NULL keeps it", {
  skip_without_keras()
  d <- regression_data()
  model <- linear_model(lr = 0.05)
  probe <- lr_probe()
  cosine <- callback_lr_custom(on_epoch_begin = function(epoch, lr, logs) {
    0.01 * 0.5 * (1 + cos(pi * epoch / 4))
  })
  h <- model %>% fit(d$x, d$y, epochs = 4, verbose = 0, callbacks = list(cosine, probe$callback))
  expected <- lr_at(schedule_cosine(0.01, decay_steps = 4), 0:3)
  expect_equal(probe$seen, expected, tolerance = 1e-7)
  expect_equal(h$metrics$learning_rate, expected, tolerance = 1e-7)

  model <- linear_model(lr = 0.05)
  batches <- list()
  warm <- callback_lr_custom(on_batch_begin = function(batch, lr, logs) {
    batches[[length(batches) + 1]] <<- c(batch, lr)
    if (batch == 1) 0.001 else NULL
  })
  model %>% fit(d$x, d$y, epochs = 1, batch_size = 16, verbose = 0, callbacks = list(warm))
  seen <- do.call(rbind, batches)
  expect_equal(seen[, 1], 0:3)
  expect_equal(seen[, 2], c(0.05, 0.05, 0.001, 0.001), tolerance = 1e-7)
  expect_error(callback_lr_custom(), "Give `on_epoch_begin`")
  expect_error(callback_lr_custom(on_epoch_begin = 3), "`on_epoch_begin` must be a function")
})

test_that("get_learning_rate and set_learning_rate replace model$optimizer$lr", {
  skip_without_keras()
  model <- linear_model(lr = 0.1)
  expect_equal(get_learning_rate(model), 0.1, tolerance = 1e-7)
  expect_identical(set_learning_rate(model, 0.02), model)
  expect_equal(get_learning_rate(model), 0.02, tolerance = 1e-7)
  for (bad in list(NA, -1, Inf, "a", c(1, 2))) {
    expect_error(set_learning_rate(model, bad), "`value` must be a non-negative number")
    expect_equal(get_learning_rate(model), 0.02, tolerance = 1e-7)
  }
  expect_error(get_learning_rate(list()), "`model` must be a Keras 3 model")

  s <- schedule_exponential(0.1, decay_rate = 0.96, decay_steps = 1000, staircase = TRUE)
  model$compile(optimizer = keras$optimizers$SGD(learning_rate = as_keras_schedule(s)),
                loss = "mse")
  model$optimizer$iterations$assign(28125L)
  expect_equal(get_learning_rate(model), 0.031885575503110886, tolerance = 1e-8)
  expect_error(set_learning_rate(model, 0.01), "in-graph schedule")
})
