# lrdecay's callbacks inside keras3's fit(), alone and beside keras3's own callbacks. The
# learning rate of every epoch is read back from the optimizer (lr_probe()) and from the
# history keras3's fit() returns.

test_that("callback_lr_scheduler applies schedule(epoch) at every epoch, 0-based", {
  skip_without_keras()
  d <- regression_data()
  model <- linear_model()
  probe <- lr_probe()
  s <- schedule_step(0.04, drop = 0.5, every = 2)
  h <- model |> fit(d$x, d$y, epochs = 6, batch_size = 16, verbose = 0,
                    callbacks = list(callback_lr_scheduler(s), probe$callback))
  expected <- 0.04 * 0.5^floor(0:5 / 2)
  expect_s3_class(h, "keras_training_history")
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
  h <- model |> fit(d$x, d$y, epochs = 3, verbose = 0,
                    callbacks = list(callback_lr_scheduler(two)))
  expect_equal(h$metrics$learning_rate, 0.08 / c(2, 4, 8), tolerance = 1e-7)
})

test_that("keras3's initial_epoch = k + 1 resumes after k epochs: a saved model resumes exactly", {
  skip_without_keras()
  d <- regression_data()
  s <- schedule_exponential(0.05, 1, 0.5)
  # Six epochs without a break.
  whole_model <- linear_model()
  whole <- whole_model |> fit(d$x, d$y, epochs = 6, shuffle = FALSE, verbose = 0,
                              callbacks = list(callback_lr_scheduler(s)))
  expect_equal(whole$metrics$learning_rate, lr_at(s, 0:5), tolerance = 1e-7)
  # Three epochs, saved, loaded, three more: keras3 counts initial_epoch from 1.
  model <- linear_model()
  first <- model |> fit(d$x, d$y, epochs = 3, shuffle = FALSE, verbose = 0,
                        callbacks = list(callback_lr_scheduler(s)))
  path <- withr::local_tempfile(fileext = ".keras")
  save_model(model, path)
  restored <- load_model(path)
  seen <- integer()
  spy <- function(epoch) {
    seen <<- c(seen, epoch)
    lr_at(s, epoch)
  }
  second <- restored |> fit(d$x, d$y, epochs = 6, initial_epoch = 4, shuffle = FALSE,
                            verbose = 0, callbacks = list(callback_lr_scheduler(spy)))
  expect_identical(seen, 3:5)  # the schedule's 0-based epochs continue at k = 3
  expect_equal(c(first$metrics$learning_rate, second$metrics$learning_rate),
               whole$metrics$learning_rate, tolerance = 1e-7)
  # ... and the same weights as the uninterrupted run.
  expect_equal(get_weights(restored), get_weights(whole_model), tolerance = 1e-6)
})

test_that("lrdecay's callbacks work beside keras3's checkpoint, backup-and-restore and early stopping", {
  skip_without_keras()
  d <- regression_data()
  s <- schedule_cosine(0.05, decay_steps = 6)
  backup <- withr::local_tempdir()
  checkpoint <- file.path(withr::local_tempdir(), "best.keras")
  probe <- lr_probe()
  interrupted <- FALSE
  # Interrupt the run at the start of epoch 3 (0-based), once.
  interrupt <- callback_lr_custom(on_epoch_begin = function(epoch, lr, logs) {
    if (epoch == 3 && !interrupted) {
      interrupted <<- TRUE
      stop("simulated interruption")
    }
    NULL
  })
  callbacks <- function() {
    list(
      callback_lr_scheduler(s),
      callback_lr_logger(verbose = 0),
      callback_model_checkpoint(checkpoint, monitor = "loss", save_best_only = TRUE),
      callback_backup_and_restore(backup),
      callback_early_stopping(monitor = "loss", patience = 100),
      interrupt,
      probe$callback
    )
  }
  model <- linear_model()
  expect_error(model |> fit(d$x, d$y, epochs = 6, verbose = 0, callbacks = callbacks()),
               "simulated interruption")
  expect_equal(probe$seen, lr_at(s, 0:2), tolerance = 1e-7)
  expect_true(file.exists(checkpoint))
  # The same call again: backup-and-restore resumes at epoch 3, and so does the schedule.
  h <- model |> fit(d$x, d$y, epochs = 6, verbose = 0, callbacks = callbacks())
  expect_equal(probe$seen, lr_at(s, 0:5), tolerance = 1e-7)
  expect_equal(h$metrics$learning_rate, lr_at(s, 3:5), tolerance = 1e-7)
  best <- load_model(checkpoint)
  expect_s3_class(best, "keras.src.models.model.Model")

  # Early stopping ends training; the rate of every epoch run is the schedule's.
  model <- linear_model()
  probe <- lr_probe()
  # (20 epochs planned for a 6-epoch schedule, as early stopping ends after 2: no plan check.)
  h <- model |> fit(d$x, d$y, epochs = 20, verbose = 0, callbacks = list(
    callback_early_stopping(monitor = "loss", min_delta = 1e6, patience = 1),
    callback_lr_scheduler(s, check = FALSE), probe$callback
  ))
  expect_length(h$metrics$loss, 2)
  expect_equal(h$metrics$learning_rate, lr_at(s, 0:1), tolerance = 1e-7)
  expect_equal(probe$seen, lr_at(s, 0:1), tolerance = 1e-7)
})

test_that("a schedule returning nonsense stops training, names the epoch and keeps the LR", {
  skip_without_keras()
  d <- regression_data()
  bad <- list(NA, NaN, Inf, -1, "a", c(0.1, 0.2), numeric(), TRUE, NULL)
  shown <- c("NA", "NaN", "Inf", "-1", "\"a\"", "c(0.1, 0.2)", "an empty double vector", "TRUE",
             "NULL")
  for (i in seq_along(bad)) {
    model <- linear_model(lr = 0.05)
    value <- bad[[i]]
    fn <- function(epoch) if (epoch < 2) 0.01 else value
    expect_error(
      model |> fit(d$x, d$y, epochs = 4, verbose = 0,
                   callbacks = list(callback_lr_scheduler(fn))),
      sprintf("The schedule returned %s at epoch 2 (0-based)", shown[i]), fixed = TRUE
    )
    expect_equal(get_learning_rate(model), 0.01, tolerance = 1e-7)
  }
})

test_that("the user's own R error inside fit() reaches the user with its own message", {
  skip_without_keras()
  d <- regression_data()
  model <- linear_model(lr = 0.05)
  # Before: "The schedule function failed at t = 0" hid "my boom".
  cnd <- expect_error(
    model |> fit(d$x, d$y, epochs = 3, verbose = 0,
                 callbacks = list(callback_lr_scheduler(function(epoch) stop("my boom")))),
    "my boom", fixed = TRUE
  )
  expect_no_match(conditionMessage(cnd), "failed at", fixed = TRUE)
  fn <- function(epoch) if (epoch == 1) stop("my schedule broke") else 0.02
  expect_error(model |> fit(d$x, d$y, epochs = 3, verbose = 0,
                            callbacks = list(callback_lr_scheduler(fn))),
               "my schedule broke", fixed = TRUE)
  expect_equal(get_learning_rate(model), 0.02, tolerance = 1e-7)
  # A schedule_function() of (t, lr): R's own "argument lr is missing" is what one reads.
  s <- schedule_function(function(t, lr) t * lr)
  expect_error(model |> fit(d$x, d$y, epochs = 1, verbose = 0,
                            callbacks = list(callback_lr_scheduler(s))),
               "argument \"lr\" is missing, with no default", fixed = TRUE)
  # And a callback_lr_custom() hook's error too.
  hook <- callback_lr_custom(on_epoch_begin = function(epoch, lr, logs) stop("hook boom"))
  expect_error(model |> fit(d$x, d$y, epochs = 1, verbose = 0, callbacks = list(hook)),
               "hook boom", fixed = TRUE)
})

test_that("callback_lr_scheduler checks its arguments", {
  expect_snapshot(error = TRUE, callback_lr_scheduler(0.1))
  expect_snapshot(error = TRUE, callback_lr_scheduler(function() 0.1))
  expect_snapshot(error = TRUE, callback_lr_scheduler(function(epoch, lr, extra) 0.1))
  skip_without_keras()
  expect_snapshot(error = TRUE, callback_lr_scheduler(schedule_constant(0.1), verbose = 3))
  # (epoch, lr = 0.1, ...) and (...) are fine.
  expect_no_error(callback_lr_scheduler(function(epoch, lr = 0.1, ...) lr))
  expect_no_error(callback_lr_scheduler(function(...) 0.1))
})

test_that("callback_lr_custom refuses a hook that cannot take (epoch, lr, logs), when made", {
  expect_snapshot(error = TRUE, callback_lr_custom(on_epoch_begin = function(epoch) 0.01))
  expect_snapshot(error = TRUE, callback_lr_custom(on_batch_begin = function(batch, lr) NULL))
  expect_snapshot(error = TRUE, callback_lr_custom(on_epoch_begin = 3))
  skip_without_keras()
  expect_snapshot(error = TRUE, callback_lr_custom())
  expect_no_error(callback_lr_custom(on_epoch_begin = function(epoch, ...) NULL))
  expect_no_error(callback_lr_custom(on_epoch_begin = function(epoch, lr, logs, extra = 1) NULL))
})

test_that("callbacks print as R callbacks, with the R function's source", {
  skip_without_keras()
  expect_snapshot({
    callback_lr_scheduler(function(epoch) 0.01 * 0.95^epoch)
    callback_lr_scheduler(schedule_exponential(0.1, 1000, 0.96, staircase = TRUE), verbose = 1)
    callback_lr_logger()
    callback_lr_custom(on_epoch_begin = function(epoch, lr, logs) if (epoch > 2) lr / 2)
  })
  out <- format(callback_lr_scheduler(function(epoch, lr) lr))
  expect_identical(out[1], "<lrdecay callback: LRScheduler>")
  expect_no_match(paste(out, collapse = "\n"), "<function|python_function|0x", perl = TRUE)
})

test_that("verbose = 1 prints the rate as Keras does", {
  skip_without_keras()
  d <- regression_data()
  model <- linear_model()
  out <- reticulate::py_capture_output(
    model |> fit(d$x, d$y, epochs = 2, verbose = 0,
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
  fit_logged <- function(...) {
    out <- reticulate::py_capture_output(
      h <- model |> fit(d$x, d$y, verbose = 0, callbacks = list(callback_lr_logger()), ...)
    )
    list(out = out, h = h)
  }
  run <- fit_logged(epochs = 2)
  expect_match(run$out, "Epoch 01: learning rate = 0.1", fixed = TRUE)
  expect_match(run$out, "Epoch 02: learning rate = 0.1", fixed = TRUE)
  expect_equal(run$h$metrics$learning_rate, c(0.1, 0.1), tolerance = 1e-7)

  s <- schedule_exponential(0.1, 4, 0.5, staircase = TRUE)
  model |> compile(optimizer = optimizer_sgd(learning_rate = as_keras_schedule(s)),
                   loss = "mse")
  run <- fit_logged(epochs = 3, batch_size = 16)
  # 4 batches per epoch: epoch e starts at iteration 4e
  expect_equal(run$h$metrics$learning_rate, lr_at(s, c(0, 4, 8)), tolerance = 1e-6)
  expect_match(run$out, "Epoch 02: learning rate = 0.05", fixed = TRUE)
  expect_match(run$out, "Epoch 03: learning rate = 0.025", fixed = TRUE)
})

test_that("callback_lr_logger(per = \"batch\"): records of every update; batch_logs", {
  skip_without_keras()
  d <- regression_data()
  model <- linear_model(lr = 0.1)
  custom <- callback_lr_custom(on_batch_begin = function(batch, lr, logs) 0.01 * (batch + 1))
  quiet <- callback_lr_logger(verbose = 0, per = "batch")
  model |> fit(d$x, d$y, epochs = 2, batch_size = 16, verbose = 0,
               callbacks = list(custom, quiet))
  expect_equal(as.data.frame(quiet)$learning_rate, rep(0.01 * 1:4, 2), tolerance = 1e-6)
  expect_snapshot(error = TRUE, callback_lr_logger(per = "batch", batch_logs = "yes"))
})

test_that("callback_lr_custom sets the rate per epoch and per batch; NULL keeps it", {
  skip_without_keras()
  d <- regression_data()
  model <- linear_model(lr = 0.05)
  probe <- lr_probe()
  cosine <- callback_lr_custom(on_epoch_begin = function(epoch, lr, logs) {
    0.01 * 0.5 * (1 + cos(pi * epoch / 4))
  })
  h <- model |> fit(d$x, d$y, epochs = 4, verbose = 0, callbacks = list(cosine, probe$callback))
  expected <- lr_at(schedule_cosine(0.01, decay_steps = 4), 0:3)
  expect_equal(probe$seen, expected, tolerance = 1e-7)
  expect_equal(h$metrics$learning_rate, expected, tolerance = 1e-7)

  model <- linear_model(lr = 0.05)
  batches <- list()
  warm <- callback_lr_custom(on_batch_begin = function(batch, lr, logs) {
    batches[[length(batches) + 1]] <<- c(batch, lr)
    if (batch == 1) 0.001 else NULL
  })
  model |> fit(d$x, d$y, epochs = 1, batch_size = 16, verbose = 0, callbacks = list(warm))
  seen <- do.call(rbind, batches)
  expect_equal(seen[, 1], 0:3)
  expect_equal(seen[, 2], c(0.05, 0.05, 0.001, 0.001), tolerance = 1e-7)
})

test_that("get_learning_rate and set_learning_rate replace model$optimizer$lr", {
  skip_without_keras()
  model <- linear_model(lr = 0.1)
  expect_equal(get_learning_rate(model), 0.1, tolerance = 1e-7)
  expect_identical(set_learning_rate(model, 0.02), model)
  expect_invisible(model |> set_learning_rate(0.02))
  expect_equal(get_learning_rate(model), 0.02, tolerance = 1e-7)
  for (bad in list(NA, -1, Inf, "a", c(1, 2), NULL)) {
    expect_error(set_learning_rate(model, bad), "`value` must be", class = "lrdecay_error_argument")
    expect_equal(get_learning_rate(model), 0.02, tolerance = 1e-7)
  }
  expect_error(get_learning_rate(list()), "`model` must be a Keras model",
               class = "lrdecay_error_argument")

  s <- schedule_exponential(0.1, 1000, 0.96, staircase = TRUE)
  model |> compile(optimizer = optimizer_sgd(learning_rate = as_keras_schedule(s)),
                   loss = "mse")
  model$optimizer$iterations$assign(28125L)
  expect_equal(get_learning_rate(model), 0.031885575503110886, tolerance = 1e-8)
  expect_error(set_learning_rate(model, 0.01), "in-graph schedule",
               class = "lrdecay_error_argument")
})
