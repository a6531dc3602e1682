# Every family with a Keras twin, written as keras3 users write keras3's own schedule: the
# same POSITIONAL arguments must mean the same schedule. keras3's learning_rate_schedule_*()
# runs in float32, so the values agree at float32's precision (1e-6 relative, point-wise),
# not to the last bit of lr_at()'s float64.

# Each case: the lrdecay call and the keras3 call, with the same positional arguments.
keras_twins <- function() {
  list(
    exponential_staircase = list(
      quote(schedule_exponential(0.1, 1000, 0.96, TRUE)),
      quote(learning_rate_schedule_exponential_decay(0.1, 1000, 0.96, TRUE))),
    exponential = list(
      quote(schedule_exponential(0.1, 100, 0.5)),
      quote(learning_rate_schedule_exponential_decay(0.1, 100, 0.5))),
    inverse_time = list(
      quote(schedule_inverse_time(0.1, 1000, 0.5)),
      quote(learning_rate_schedule_inverse_time_decay(0.1, 1000, 0.5))),
    inverse_time_staircase = list(
      quote(schedule_inverse_time(0.1, 100, 2, TRUE)),
      quote(learning_rate_schedule_inverse_time_decay(0.1, 100, 2, TRUE))),
    polynomial = list(
      quote(schedule_polynomial(0.1, 1000, 0.001, 2)),
      quote(learning_rate_schedule_polynomial_decay(0.1, 1000, 0.001, 2))),
    polynomial_cycle = list(
      quote(schedule_polynomial(0.1, 300, 0.01, 1, TRUE)),
      quote(learning_rate_schedule_polynomial_decay(0.1, 300, 0.01, 1, TRUE))),
    cosine = list(
      quote(schedule_cosine(0.1, 1000, 0.1)),
      quote(learning_rate_schedule_cosine_decay(0.1, 1000, 0.1))),
    cosine_restarts = list(
      quote(schedule_cosine_restarts(0.1, 100, 2, 0.5, 0.1)),
      quote(learning_rate_schedule_cosine_decay_restarts(0.1, 100, 2, 0.5, 0.1))),
    piecewise = list(
      quote(schedule_piecewise(c(100, 1000), c(0.1, 0.01, 0.001))),
      quote(learning_rate_schedule_piecewise_constant_decay(c(100, 1000),
                                                            c(0.1, 0.01, 0.001))))
  )
}

# Steps on and around every boundary of the cases (100, 300, 1000 and their multiples),
# and far away (the API's seed value at 28125).
twin_steps <- c(0, 1, 2, 50, 99, 100, 101, 150, 299, 300, 301, 599, 600, 601, 999, 1000, 1001,
                1500, 2100, 2999, 3000, 3001, 10000, 28125)

# A keras3 schedule's value at each step, as Keras computes it (one call per step).
keras3_values <- function(schedule, steps) {
  vapply(steps, function(step) as.numeric(as.array(schedule(step))), numeric(1))
}

test_that("each family with a keras3 twin gives keras3's values with the same positional arguments", {
  skip_without_keras()
  for (name in names(keras_twins())) {
    twin <- keras_twins()[[name]]
    ours <- lr_at(eval(twin[[1]]), twin_steps)
    theirs <- keras3_values(eval(twin[[2]]), twin_steps)
    # Relative errors point-wise; below 1e-30 (float32 underflows near 1e-38 and 1e-45)
    # absolute.
    expect_in_graph_equal(theirs, ours, scale = 1e-30, tol = 1e-6,
                          label = paste("keras3's", name))
    # In-graph, both in float32: lrdecay's Keras schedule against keras3's.
    in_graph <- keras3_values(as_keras_schedule(eval(twin[[1]])), twin_steps)
    expect_in_graph_equal(in_graph, theirs, scale = 1e-30, tol = 1e-6,
                          label = paste("as_keras_schedule() of", name))
  }
})

test_that("the API's seed: schedule_exponential(0.1, 1000, 0.96, staircase = TRUE) is Keras's", {
  skip_without_keras()
  s <- schedule_exponential(0.1, 1000, 0.96, staircase = TRUE)
  k <- learning_rate_schedule_exponential_decay(0.1, 1000, 0.96, staircase = TRUE)
  expect_identical(lr_at(s, 28125), 0.1 * 0.96^28)
  expect_equal(keras3_values(k, 28125), 0.031885575503110886, tolerance = 1e-12)
  expect_equal(lr_at(s, 28125), keras3_values(k, 28125), tolerance = 1e-6)
  # Written out by name, in any order, it is the same schedule.
  named <- schedule_exponential(decay_rate = 0.96, staircase = TRUE, decay_steps = 1000,
                                initial_lr = 0.1)
  expect_identical(named$get_config(), s$get_config())
})

test_that("each keras3 twin with only its required arguments gives keras3's values (Keras's defaults)", {
  skip_without_keras()
  twins <- list(
    exponential = list(quote(schedule_exponential(0.1, 1000, 0.96)),
                       quote(learning_rate_schedule_exponential_decay(0.1, 1000, 0.96))),
    inverse_time = list(quote(schedule_inverse_time(0.1, 1000, 0.5)),
                        quote(learning_rate_schedule_inverse_time_decay(0.1, 1000, 0.5))),
    polynomial = list(quote(schedule_polynomial(0.1, 1000)),
                      quote(learning_rate_schedule_polynomial_decay(0.1, 1000))),
    cosine = list(quote(schedule_cosine(0.1, 1000)),
                  quote(learning_rate_schedule_cosine_decay(0.1, 1000))),
    cosine_restarts = list(quote(schedule_cosine_restarts(0.1, 100)),
                           quote(learning_rate_schedule_cosine_decay_restarts(0.1, 100))),
    piecewise = list(quote(schedule_piecewise(c(100, 1000), c(0.1, 0.01, 0.001))),
                     quote(learning_rate_schedule_piecewise_constant_decay(
                       c(100, 1000), c(0.1, 0.01, 0.001))))
  )
  for (name in names(twins)) {
    ours <- lr_at(eval(twins[[name]][[1]]), twin_steps)
    theirs <- keras3_values(eval(twins[[name]][[2]]), twin_steps)
    # float32: near the end of a decay to (almost) 0, errors relative to a tenth of the peak
    expect_in_graph_equal(theirs, ours, scale = 0.01, tol = 1e-6,
                          label = paste("keras3's", name, "with its defaults"))
  }
  # Polynomial ends at 1e-4, as Keras's end_learning_rate
  expect_equal(lr_at(schedule_polynomial(0.1, 1000), c(1000, 5000)), c(1e-4, 1e-4))
  # InverseTime per epoch without decay_steps: 0.1 / (1 + 0.5 t)
  expect_equal(lr_at(schedule_inverse_time(0.1, decay_rate = 0.5), 0:4), 0.1 / (1 + 0.5 * 0:4),
               tolerance = 1e-15)
  expect_error(schedule_inverse_time(0.1, 10), "`decay_rate` must be a non-negative number",
               class = "lrdecay_error_argument")
})

test_that("a schedule given as a keras3 learning rate fails naming as_keras_schedule()", {
  skip_without_keras()
  model <- keras3::keras_model_sequential(input_shape = 2) |> keras3::layer_dense(1)
  model |> keras3::compile(loss = "mse",
                           optimizer = keras3::optimizer_sgd(
                             learning_rate = schedule_cosine(0.1, 1000)))
  x <- matrix(0, 4, 2)
  y <- matrix(0, 4, 1)
  err <- expect_error(model |> fit(x, y, epochs = 1, verbose = 0))
  msg <- conditionMessage(err)
  expect_match(msg, "wrap it in as_keras_schedule() for the optimizer's `learning_rate`",
               fixed = TRUE)
  expect_no_match(msg, "to_keras", fixed = TRUE)
  expect_no_match(msg, "required positional argument", fixed = TRUE)
})
