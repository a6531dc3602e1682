# callback_lr_plateau() in keras3's fit(): Keras's plateau decisions applied as a scale on a
# constant rate, on callback_lr_scheduler() (either order) and on an in-graph schedule.
# With min_delta = 100 no epoch after the first counts as an improvement, so the epochs
# reduced are known in advance: with patience = 2, the ends of epochs 3 and 5 (1-based).

plateau_scales <- c(1, 1, 1, 0.5, 0.5, 0.25)

test_that("a constant rate is reduced as keras3's own callback reduces it", {
  skip_without_keras()
  d <- regression_data()
  ours <- linear_model(lr = 0.08) |> fit(d$x, d$y, epochs = 6, verbose = 0, callbacks = list(
    callback_lr_plateau(monitor = "loss", factor = 0.5, patience = 2, min_delta = 100)
  ))
  theirs <- linear_model(lr = 0.08) |> fit(d$x, d$y, epochs = 6, verbose = 0, callbacks = list(
    callback_reduce_lr_on_plateau(monitor = "loss", factor = 0.5, patience = 2, min_delta = 100)
  ))
  expect_equal(ours$metrics$learning_rate, 0.08 * plateau_scales, tolerance = 1e-7)
  expect_identical(ours$metrics$learning_rate, theirs$metrics$learning_rate)
})

test_that("the scale applies on top of callback_lr_scheduler(), in either order", {
  skip_without_keras()
  d <- regression_data()
  s <- schedule_exponential(0.1, decay_steps = 2, decay_rate = 0.5)
  expected <- lr_at(s, 0:5) * plateau_scales
  for (plateau_first in c(FALSE, TRUE)) {
    cbs <- list(callback_lr_scheduler(s),
                callback_lr_plateau(monitor = "loss", factor = 0.5, patience = 2,
                                    min_delta = 100))
    if (plateau_first) cbs <- rev(cbs)
    probe <- lr_probe()
    h <- linear_model() |> fit(d$x, d$y, epochs = 6, batch_size = 16, verbose = 0,
                               callbacks = c(cbs, list(probe$callback)))
    expect_equal(probe$seen, expected, tolerance = 1e-6)
    expect_equal(h$metrics$learning_rate, expected, tolerance = 1e-6)
  }
  # keras3's own plateau callback beside a scheduler: the reduction is undone every epoch
  probe <- lr_probe()
  linear_model() |> fit(d$x, d$y, epochs = 6, batch_size = 16, verbose = 0, callbacks = list(
    callback_lr_scheduler(s),
    callback_reduce_lr_on_plateau(monitor = "loss", factor = 0.5, patience = 2, min_delta = 100),
    probe$callback
  ))
  expect_equal(probe$seen, lr_at(s, 0:5), tolerance = 1e-6)
})

test_that("an in-graph schedule is scaled at every update; min_lr bounds the rate", {
  skip_without_keras()
  d <- regression_data()
  s <- schedule_cosine(0.1, decay_steps = 40)
  model <- linear_model(lr = as_keras_schedule(s))
  h <- model |> fit(d$x, d$y, epochs = 6, batch_size = 16, verbose = 0, callbacks = list(
    callback_lr_plateau(monitor = "loss", factor = 0.5, patience = 2, min_delta = 100)
  ))
  # four updates per epoch: each epoch's first update is at iteration 4 * epoch
  expect_equal(h$metrics$learning_rate, lr_at(s, 4 * 0:5) * plateau_scales, tolerance = 1e-6)
  expect_equal(get_learning_rate(model), lr_at(s, 24) * 0.25, tolerance = 1e-6)

  s <- schedule_exponential(0.1, decay_steps = 1, decay_rate = 0.5)
  h <- linear_model() |> fit(d$x, d$y, epochs = 6, verbose = 0, callbacks = list(
    callback_lr_scheduler(s),
    callback_lr_plateau(monitor = "loss", factor = 0.1, patience = 2, min_delta = 100,
                        min_lr = 0.006)
  ))
  rate <- lr_at(s, 0:5)
  expect_equal(h$metrics$learning_rate,
               pmax(rate * c(1, 1, 1, 0.1, 0.1, 0.01), pmin(rate, 0.006)), tolerance = 1e-6)
})

test_that("a keras3 schedule is refused with the lrdecay schedule to use", {
  skip_without_keras()
  d <- regression_data()
  model <- linear_model(lr = learning_rate_schedule_exponential_decay(0.1, 10, 0.5))
  expect_error(
    model |> fit(d$x, d$y, epochs = 2, verbose = 0, callbacks = list(callback_lr_plateau())),
    "(ExponentialDecay) that is not an lrdecay schedule. Use the lrdecay schedule of the",
    fixed = TRUE
  )
})

test_that("a .keras file saved after reductions loads with its reduced rate", {
  skip_without_keras()
  d <- regression_data()
  s <- schedule_exponential(0.1, decay_steps = 8, decay_rate = 0.5)
  model <- linear_model(lr = as_keras_schedule(s))
  model |> fit(d$x, d$y, epochs = 6, batch_size = 16, verbose = 0, callbacks = list(
    callback_lr_plateau(monitor = "loss", factor = 0.5, patience = 2, min_delta = 100)
  ))
  path <- withr::local_tempfile(fileext = ".keras")
  save_model(model, path)
  restored <- load_model(path)
  expect_equal(get_learning_rate(restored), lr_at(s, 24) * 0.25, tolerance = 1e-6)
})

test_that("callback_lr_plateau() prints its settings and keeps Keras's defaults", {
  skip_without_keras()
  expect_snapshot(callback_lr_plateau())
  cb <- callback_lr_plateau(monitor = "val_mae", factor = 0.5, patience = 3L, mode = "min",
                            min_delta = 0, cooldown = 2, min_lr = 1e-5, verbose = 1)
  expect_identical(
    list(cb$monitor, cb$factor, cb$patience, cb$mode, cb$min_delta, cb$cooldown, cb$min_lr,
         cb$verbose),
    list("val_mae", 0.5, 3L, "min", 0, 2L, 1e-5, 1L)
  )
})

test_that("bad arguments name the argument, what it must be and what was given", {
  skip_without_keras()
  expect_snapshot(error = TRUE, {
    callback_lr_plateau(factor = 1)
    callback_lr_plateau(factor = -0.5)
    callback_lr_plateau(factor = NA)
    callback_lr_plateau(factor = c(0.1, 0.2))
    callback_lr_plateau(patience = 1.5)
    callback_lr_plateau(patience = -1)
    callback_lr_plateau(cooldown = Inf)
    callback_lr_plateau(min_delta = -1)
    callback_lr_plateau(min_lr = NaN)
    callback_lr_plateau(mode = "up")
    callback_lr_plateau(mode = NULL)
    callback_lr_plateau(monitor = 1)
    callback_lr_plateau(monitor = "")
    callback_lr_plateau(verbose = 2)
  })
  expect_error(callback_lr_plateau(factor = 2), class = "lrdecay_error_argument")
  expect_error(callback_lr_plateau(monitor = NA_character_), class = "lrdecay_error_argument")
})

test_that("a run interrupted and resumed with callback_backup_and_restore() keeps its rates", {
  skip_without_keras()
  d <- regression_data()
  s <- schedule_exponential(0.1, decay_steps = 2, decay_rate = 0.5)
  callbacks <- function() list(
    callback_lr_scheduler(s),
    callback_lr_plateau(monitor = "loss", factor = 0.5, patience = 2, min_delta = 100)
  )
  whole <- linear_model() |> fit(d$x, d$y, epochs = 6, verbose = 0, callbacks = callbacks())
  backup <- withr::local_tempdir()
  # keras3 hands R's callback_lambda() 1-based epochs: stop as the 4th epoch begins
  interrupt <- callback_lambda(on_epoch_begin = function(epoch, logs) {
    if (epoch == 4) stop("interrupted")
  })
  expect_error(
    linear_model() |> fit(d$x, d$y, epochs = 6, verbose = 0, callbacks = c(
      callbacks(), list(callback_backup_and_restore(backup), interrupt)
    )),
    "interrupted"
  )
  resumed <- linear_model() |> fit(d$x, d$y, epochs = 6, verbose = 0, callbacks = c(
    callbacks(), list(callback_backup_and_restore(backup))
  ))
  expect_length(resumed$metrics$learning_rate, 3)  # epochs 4 to 6, reductions after 3 and 5
  expect_equal(resumed$metrics$learning_rate, whole$metrics$learning_rate[4:6], tolerance = 1e-7)
  expect_equal(whole$metrics$learning_rate, lr_at(s, 0:5) * plateau_scales, tolerance = 1e-6)
})
