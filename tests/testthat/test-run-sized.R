# Schedules sized to the run: an omitted horizon or of_run() lengths, filled in by fit()
# (epochs for callback_lr_scheduler(), updates in-graph) or by size_schedule().

run_sized_cases <- function() {
  list(
    cosine = list(schedule_cosine(0.1), function(n) schedule_cosine(0.1, n)),
    one_cycle = list(schedule_one_cycle(0.1), function(n) schedule_one_cycle(0.1, n)),
    wsd = list(schedule_wsd(0.1, of_run(0.25), decay_steps = of_run(0.25), min_lr_ratio = 0.1),
               function(n) schedule_wsd(0.1, n / 4, n / 2, n / 4, min_lr_ratio = 0.1)),
    warmup = list(schedule_warmup(schedule_cosine(0.1), of_run(0.25), start_lr = 0.01),
                  function(n) schedule_warmup(schedule_cosine(0.1, 3 * n / 4), n / 4,
                                              start_lr = 0.01))
  )
}

test_that("of_run() and an omitted horizon print as such and size exactly", {
  skip_if_no_python()
  s <- schedule_warmup(schedule_cosine(0.1), warmup_steps = of_run(0.05))
  expect_match(format(s), "decay_steps = the run", fixed = TRUE, all = FALSE)
  expect_match(format(s), "warmup_steps = of_run(0.05)", fixed = TRUE, all = FALSE)
  expect_output(print(of_run(c(0.5, 0.75))), "of_run(c(0.5, 0.75))", fixed = TRUE)
  expect_equal(lr_at(size_schedule(s, 100), 0:100),
               lr_at(schedule_warmup(schedule_cosine(0.1, 95), 5), 0:100))
  expect_equal(lr_at(size_schedule(schedule_multistep(0.1, of_run(c(0.5, 0.75))), 40),
                     c(19, 20, 30)), c(0.1, 0.01, 0.001))
  expect_match(format(size_schedule(schedule_wsd(0.1, of_run(0.1), decay_steps = of_run(0.2)),
                                    30)),
               "warmup_steps = 3, stable_steps = 21, decay_steps = 6", fixed = TRUE, all = FALSE)
  expect_match(format(schedule_wsd(0.1, 3, decay_steps = 6)),
               "stable_steps = the rest of the run", fixed = TRUE, all = FALSE)
})

test_that("an unsized schedule cannot be evaluated and says to use size_schedule()", {
  skip_if_no_python()
  s <- schedule_cosine(0.1)
  expect_error(lr_at(s, 0:3), class = "lrdecay_error_unsized")
  err <- tryCatch(lr_at(s, 0:3), error = identity)
  expect_match(conditionMessage(err), "size_schedule(schedule, total)", fixed = TRUE)
  expect_no_match(conditionMessage(err), ".sized(", fixed = TRUE)
  expect_error(plot(s), "size_schedule", class = "lrdecay_error_unsized")
  expect_error(schedule_wsd(0.1, 3), "`decay_steps` must be given",
               class = "lrdecay_error_argument")
  expect_error(of_run(2), "`fraction` must be a number in (0, 1], not 2.", fixed = TRUE,
               class = "lrdecay_error_argument")
  expect_length(check_schedule(schedule_cosine(0.1), epochs = 8)$code, 0)
})

test_that("callback_lr_scheduler() sizes to fit(epochs = 8): the rates of the schedule for 8", {
  skip_without_keras()
  d <- regression_data()
  for (case in run_sized_cases()) {
    h <- linear_model() |> fit(d$x, d$y, epochs = 8, batch_size = 32, verbose = 0,
                               callbacks = list(callback_lr_scheduler(case[[1]], check = FALSE)))
    expect_equal(h$metrics$learning_rate, lr_at(case[[2]](8), 0:7), tolerance = 1e-7)
  }
  # resumed with initial_epoch (keras3 counts it from 1): the uninterrupted rates
  h <- linear_model() |> fit(d$x, d$y, epochs = 8, initial_epoch = 6, batch_size = 32,
                             verbose = 0,
                             callbacks = list(callback_lr_scheduler(schedule_one_cycle(0.1),
                                                                    check = FALSE)))
  expect_equal(h$metrics$learning_rate, lr_at(schedule_one_cycle(0.1, 8), 5:7),
               tolerance = 1e-7)
})

test_that("in-graph, 3 epochs of 10 updates size to 30: the weights of the schedule for 30", {
  skip_without_keras()
  d <- regression_data(n = 80)
  for (case in run_sized_cases()) {
    model <- linear_model(lr = as_keras_schedule(case[[1]]))
    model |> fit(d$x, d$y, epochs = 3, batch_size = 8, shuffle = FALSE, verbose = 0)
    reference <- linear_model(lr = as_keras_schedule(case[[2]](30)))
    reference |> fit(d$x, d$y, epochs = 3, batch_size = 8, shuffle = FALSE, verbose = 0)
    expect_identical(get_weights(model), get_weights(reference))
  }
  # clock = "epoch" reads the steps per epoch from fit(): the schedule for 3 epochs
  model <- linear_model(lr = as_keras_schedule(schedule_cosine(0.1), clock = "epoch"))
  model |> fit(d$x, d$y, epochs = 3, batch_size = 8, shuffle = FALSE, verbose = 0)
  reference <- linear_model(lr = as_keras_schedule(schedule_cosine(0.1, 3),
                                                   steps_per_epoch = 10))
  reference |> fit(d$x, d$y, epochs = 3, batch_size = 8, shuffle = FALSE, verbose = 0)
  expect_identical(get_weights(model), get_weights(reference))
})

test_that("a saved model keeps its sizes: loaded and resumed, the uninterrupted weights", {
  skip_without_keras()
  d <- regression_data(n = 80)
  s <- schedule_warmup(schedule_cosine(0.1), of_run(0.1), start_lr = 0.01)
  whole <- linear_model(lr = as_keras_schedule(s))
  whole |> fit(d$x, d$y, epochs = 3, batch_size = 8, shuffle = FALSE, verbose = 0)
  model <- linear_model(lr = as_keras_schedule(s))
  stop_after_one <- callback_lambda(on_epoch_end = function(epoch, logs) {
    model$stop_training <- TRUE
  })
  model |> fit(d$x, d$y, epochs = 3, batch_size = 8, shuffle = FALSE, verbose = 0,
               callbacks = list(stop_after_one))
  path <- withr::local_tempfile(fileext = ".keras")
  save_model(model, path)
  restored <- load_model(path)
  expect_match(format(restored$optimizer$`_learning_rate`$schedule),
               "decay_steps = 27", fixed = TRUE, all = FALSE)
  restored |> fit(d$x, d$y, epochs = 3, initial_epoch = 2, batch_size = 8, shuffle = FALSE,
                  verbose = 0)
  expect_identical(get_weights(restored), get_weights(whole))
})
