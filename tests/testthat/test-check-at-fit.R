# The training plan checked when keras3's fit() begins: an R warning of class
# lrdecay_warning_schedule, once per fit(), listing check_schedule()'s findings;
# `check = FALSE` turns it off. Python raises it inside fit(): these tests read what an R
# user gets.

plan_warnings <- function(expr) {
  seen <- list()
  withCallingHandlers(expr, lrdecay_warning_schedule = function(w) {
    seen[[length(seen) + 1L]] <<- w
    invokeRestart("muffleWarning")
  })
  seen
}

test_that("callback_lr_scheduler() warns once, in R, for a schedule sized in steps", {
  skip_without_keras()
  d <- regression_data()
  model <- linear_model()
  s <- schedule_cosine(0.1, decay_steps = 1000)
  expect_warning(
    model |> fit(d$x, d$y, epochs = 15, batch_size = 16, verbose = 0,
                 callbacks = list(callback_lr_scheduler(s))),
    class = "lrdecay_warning_schedule"
  )
  seen <- plan_warnings(model |> fit(d$x, d$y, epochs = 15, batch_size = 16, verbose = 0,
                                     callbacks = list(callback_lr_scheduler(s))))
  expect_length(seen, 1)
  msg <- conditionMessage(seen[[1]])
  expect_s3_class(seen[[1]], "warning")
  expect_match(msg, paste0("callback_lr_scheduler(): the learning-rate schedule has 2 ",
                           "problems for this training (15 epochs of 4 steps; t counts epochs)"),
               fixed = TRUE)
  expect_match(msg, "schedule_cosine(initial_lr = 0.1, decay_steps = 1000", fixed = TRUE)
  expected <- check_schedule(s, epochs = 15)
  expect_identical(expected$code, c("unit_mismatch", "not_finished"))
  for (code in expected$code) expect_match(msg, paste0(code, " (warning)"), fixed = TRUE)
  expect_match(msg, "callback_lr_scheduler(..., check = FALSE)", fixed = TRUE)
})

test_that("a sound plan, check = FALSE and R functions give no warning", {
  skip_without_keras()
  d <- regression_data()
  model <- linear_model()
  expect_no_warning(
    model |> fit(d$x, d$y, epochs = 15, batch_size = 16, verbose = 0,
                 callbacks = list(callback_lr_scheduler(schedule_cosine(0.1, 15)),
                                  callback_lr_logger(verbose = 0)))
  )
  history <- NULL
  expect_no_warning(
    history <- model |> fit(d$x, d$y, epochs = 3, batch_size = 16, verbose = 0, callbacks = list(
      callback_lr_scheduler(schedule_cosine(0.1, 1000), check = FALSE)))
  )
  expect_equal(history$metrics$learning_rate, lr_at(schedule_cosine(0.1, 1000), 0:2),
               tolerance = 1e-7)
  expect_no_warning(
    model |> fit(d$x, d$y, epochs = 15, batch_size = 16, verbose = 0,
                 callbacks = list(callback_lr_scheduler(function(epoch) 0)))
  )
})

test_that("as_keras_schedule() warns once per fit() with the step clock", {
  skip_without_keras()
  d <- regression_data()
  s <- schedule_cosine(0.1, decay_steps = 15)  # sized in epochs, run per step
  model <- linear_model(lr = as_keras_schedule(s))
  seen <- plan_warnings(model |> fit(d$x, d$y, epochs = 15, batch_size = 16, verbose = 0))
  expect_length(seen, 1)
  msg <- conditionMessage(seen[[1]])
  expect_match(msg, paste0("as_keras_schedule(): the learning-rate schedule has 2 problems ",
                           "for this training (15 epochs of 4 steps; t counts optimizer steps)"),
               fixed = TRUE)
  expected <- check_schedule(s, epochs = 15, steps_per_epoch = 4, clock = "step")
  for (code in expected$code) expect_match(msg, code, fixed = TRUE)
  expect_match(msg, "as_keras_schedule(..., check = FALSE)", fixed = TRUE)
  # With lrdecay callbacks (two), every fit() is checked, once.
  seen <- plan_warnings(model |> fit(d$x, d$y, epochs = 15, batch_size = 16, verbose = 0,
                                     callbacks = list(callback_lr_logger(verbose = 0),
                                                      callback_lr_logger(verbose = 0))))
  expect_length(seen, 1)
})

test_that("as_keras_schedule(check = FALSE) and sound in-graph plans give no warning", {
  skip_without_keras()
  d <- regression_data()
  quiet <- linear_model(lr = as_keras_schedule(schedule_cosine(0.1, 15), check = FALSE))
  expect_no_warning(quiet |> fit(d$x, d$y, epochs = 15, batch_size = 16, verbose = 0,
                                 callbacks = list(callback_lr_logger(verbose = 0))))
  sound <- linear_model(lr = as_keras_schedule(schedule_cosine(0.1, 60)))
  expect_no_warning(sound |> fit(d$x, d$y, epochs = 15, batch_size = 16, verbose = 0))
  per_epoch <- linear_model(lr = as_keras_schedule(schedule_cosine(0.1, 15), steps_per_epoch = 4))
  expect_no_warning(per_epoch |> fit(d$x, d$y, epochs = 15, batch_size = 16, verbose = 0))
})

test_that("`check` must be TRUE or FALSE", {
  skip_without_keras()
  expect_error(callback_lr_scheduler(schedule_cosine(0.1, 15), check = NA),
               "`check` must be TRUE or FALSE", class = "lrdecay_error_argument")
  expect_error(as_keras_schedule(schedule_cosine(0.1, 15), check = "no"),
               "`check` must be TRUE or FALSE", class = "lrdecay_error_argument")
})

test_that("check_schedule() judges the updates a continued fit() runs, and finds flat rates", {
  s <- schedule_cosine(0.1, 12)
  expect_identical(check_schedule(s, 1, 8, clock = "step")$code, "not_finished")
  expect_identical(nrow(check_schedule(s, 1, 4, clock = "step", start = 8)), 0L)
  expect_match(check_schedule(schedule_cosine(0.1, 100), 20, start = 10)$message,
               "Training runs 20 epochs (t = 10..29)", fixed = TRUE)
  expect_identical(check_schedule(schedule_exponential(0.1, 1000, 0.96), epochs = 20)$code,
                   "flat")
  expect_identical(check_schedule(schedule_step(0.1, 0.5, 1000), epochs = 10)$code, "flat")
  expect_identical(check_schedule(schedule_cosine_restarts(0.1, 1000), epochs = 10)$code,
                   "flat")
  found <- check_schedule(schedule_inverse_sqrt(0.1, warmup_steps = 500), 1, 100,
                          clock = "step")
  expect_identical(found$code, c("zero_start", "not_finished"))
  expect_match(found$message[2], "warmup only ends at t = 500", fixed = TRUE)
  # no jump for a decay to 0 or a warmup from a small start; a junction stays one
  expect_identical(nrow(check_schedule(schedule_cosine(0.1, 10), 12)), 0L)
  expect_identical(nrow(check_schedule(schedule_linear(0.001, 0.1, 10), 20)), 0L)
  expect_identical(check_schedule(schedule_piecewise(5, c(0.1, 0.001)), 10)$code, "jump")
  expect_error(check_schedule(s, 1, start = -1), "`start` must be a non-negative number",
               class = "lrdecay_error_argument")
})

test_that("a second fit() of an in-graph schedule continuing the first warns nothing", {
  skip_without_keras()
  model <- linear_model(lr = as_keras_schedule(schedule_cosine(0.1, 12)))
  x <- matrix(seq(0, 1, length.out = 256), 64, 4)
  y <- x[, 1] - x[, 2]
  first <- plan_warnings(model |> fit(x, y, epochs = 1, batch_size = 8, verbose = 0,
                                      callbacks = list(callback_lr_logger(verbose = 0))))
  expect_length(first, 1)
  expect_match(conditionMessage(first[[1]]), "not_finished", fixed = TRUE)
  second <- plan_warnings(model |> fit(x[1:32, ], y[1:32], epochs = 1, batch_size = 8,
                                       verbose = 0,
                                       callbacks = list(callback_lr_logger(verbose = 0))))
  expect_length(second, 0)
})

test_that("after load_model(), an in-graph schedule's findings are R warnings with R advice", {
  skip_without_keras()
  d <- regression_data()  # 64 rows: 4 updates of 16 per epoch
  model <- linear_model(lr = as_keras_schedule(schedule_cosine(0.1)))
  expect_length(plan_warnings(model |> fit(d$x, d$y, epochs = 2, batch_size = 16,
                                           verbose = 0)), 0)  # sized to 8 updates
  path <- withr::local_tempfile(fileext = ".keras")
  save_model(model, path)
  loaded <- load_model(path)
  seen <- plan_warnings(loaded |> fit(d$x, d$y, epochs = 8, batch_size = 16, verbose = 0))
  expect_length(seen, 1)
  msg <- conditionMessage(seen[[1]])
  expect_match(msg, paste0("as_keras_schedule(): the learning-rate schedule has 3 problems ",
                           "for this training (8 epochs of 4 steps from t = 8; t counts ",
                           "optimizer steps): schedule_cosine(initial_lr = 0.1, ",
                           "decay_steps = 8, alpha = 0)"), fixed = TRUE)
  expected <- check_schedule(schedule_cosine(0.1, 8), 8, 4, clock = "step", start = 8)
  expect_identical(expected$code, c("zero_start", "unit_mismatch", "ends_early"))
  for (code in expected$code) expect_match(msg, code, fixed = TRUE)
  expect_match(msg, "as_keras_schedule(steps_per_epoch = 4)", fixed = TRUE)
  expect_match(msg, "as_keras_schedule(..., check = FALSE)", fixed = TRUE)
  expect_no_match(msg, "to_keras|Cosine\\(|\\.py\\b|lrdecay/")
})
