# Cooldowns: schedule_cooldown() built from R, and start_cooldown() branching a cooldown
# from a saved model in keras3's idiom (save_model(), load_model(), fit()).

test_that("schedule_cooldown() decays from the schedule's rate at start to final_lr", {
  skip_if_no_python()
  s <- schedule_cooldown(schedule_constant(0.1), start = 10, length = 4)
  expect_equal(lr_at(s, c(0, 10, 11, 14, 100)), c(0.1, 0.1, 0.1 * (1 - sqrt(0.25)), 0, 0))
  lin <- schedule_cooldown(schedule_wsd(0.1, 2, 100, 5), 20, 8, shape = "linear",
                           final_lr = 0.002)
  expect_equal(lr_at(lin, c(19, 20, 24, 28)), c(0.1, 0.1, 0.051, 0.002))
  cosine <- schedule_cooldown(schedule_constant(0.1), 0, 2, shape = "cosine")
  expect_equal(lr_at(cosine, 1), 0.05)
  expect_match(format(lin), 'schedule_cooldown(schedule = schedule_wsd(peak_lr = 0.1',
               fixed = TRUE, all = FALSE)
  expect_match(format(lin), 'shape = "linear", final_lr = 0.002)', fixed = TRUE, all = FALSE)
})

test_that("schedule_cooldown() rejects bad arguments, naming them", {
  skip_if_no_python()
  base <- schedule_constant(0.1)
  expect_error(schedule_cooldown(base, 5, 0), "`length` must be a positive number, not 0.",
               class = "lrdecay_error_argument", fixed = TRUE)
  expect_error(schedule_cooldown(base, -1, 5), "`start` must be a non-negative number",
               class = "lrdecay_error_argument")
  expect_error(schedule_cooldown(base, 5, 5, shape = "sqrt"), "`shape` must be one of",
               class = "lrdecay_error_argument")
  expect_error(schedule_cooldown(0.1, 5, 5), "`schedule` must be an lrdecay schedule",
               class = "lrdecay_error_argument")
  expect_error(schedule_cooldown(base, 5, NA), "length", class = "lrdecay_error")
})

cooldown_data <- function() {
  set.seed(3)
  x <- matrix(runif(40 * 4), ncol = 4)
  list(x = x, y = x %*% c(1, -2, 3, 0.5))
}

test_that("start_cooldown() after load_model() gives the planned cooldown's rates and weights", {
  skip_without_keras()
  d <- cooldown_data()
  make <- function(lr) {
    set_random_seed(1)
    model <- keras_model_sequential(input_shape = 4) |> layer_dense(3, activation = "relu") |>
      layer_dense(1)
    model |> compile(optimizer = optimizer_adam(learning_rate = lr), loss = "mse")
    model
  }
  run <- function(model, epochs) {
    logger <- callback_lr_logger(verbose = 0, per = "batch")
    model |> fit(d$x, d$y, epochs = epochs, batch_size = 8, shuffle = FALSE, verbose = 0,
                 callbacks = list(logger))
    as.data.frame(logger)$learning_rate
  }
  planned <- make(as_keras_schedule(schedule_cooldown(schedule_constant(0.01), 20, 15)))
  planned_rates <- run(planned, 7)

  long <- make(0.01)
  long |> fit(d$x, d$y, epochs = 4, batch_size = 8, shuffle = FALSE, verbose = 0)  # 20 updates
  path <- withr::local_tempfile(fileext = ".keras")
  save_model(long, path)

  branched <- load_model(path)
  expect_identical(start_cooldown(branched, 15), branched)
  rates <- suppressWarnings(run(branched, 3))
  expect_identical(rates, planned_rates[21:35])
  expect_equal(rates[c(1, 15)], c(0.01, 0.01 * (1 - sqrt(14 / 15))), tolerance = 1e-6)
  expect_identical(get_weights(branched), get_weights(planned))

  # A fresh R session: load, start_cooldown(), fit(), the same weights bit for bit.
  out <- withr::local_tempfile(fileext = ".rds")
  res <- run_fresh_r(c(
    "library(keras3); library(lrdecay)",
    sprintf("set.seed(3); x <- matrix(runif(40 * 4), ncol = 4); y <- x %%*%% c(1, -2, 3, 0.5)"),
    sprintf("model <- load_model(%s)", deparse(path)),
    "model |> start_cooldown(15)",
    "suppressWarnings(model |> fit(x, y, epochs = 3, batch_size = 8, shuffle = FALSE,",
    "                              verbose = 0))",
    sprintf("saveRDS(get_weights(model), %s)", deparse(out))
  ))
  expect_equal(res$status, 0L, info = paste(res$output, collapse = "\n"))
  expect_identical(readRDS(out), get_weights(planned))

  # The model saves and loads with its cooldown.
  again <- withr::local_tempfile(fileext = ".keras")
  save_model(branched, again)
  loaded <- load_model(again)
  expect_match(format(loaded$optimizer$`_learning_rate`$schedule),
               "schedule_cooldown(schedule = schedule_constant(lr = 0.01), start = 20, length = 15",
               fixed = TRUE, all = FALSE)
})

test_that("start_cooldown() names what is wrong", {
  skip_without_keras()
  model <- linear_model()
  expect_error(start_cooldown(model, 0), "`length` must be a positive number, not 0.",
               class = "lrdecay_error_argument", fixed = TRUE)
  expect_error(start_cooldown("model", 10), "`model` must be a Keras model",
               class = "lrdecay_error_argument")
  expect_equal(get_learning_rate(model), 0.05, tolerance = 1e-7)
})
