# Schedules from R: each constructor builds the Python object, lr_at() gives
# the Python values exactly, and the methods (print, format, plot,
# as.data.frame, as_keras_schedule) behave. Reference values come from the
# Python module (helper-python.R), except the literal seed checks of API.md.

# Each family, built in R and directly in Python (ints and lists as Python
# wants them), over every branch: staircase, k, cycle, modes, anneals, shapes.
family_cases <- function() {
  list(
    constant = list(
      quote(schedule_constant(0.1)),
      quote(py_schedule("Constant", lr = 0.1))),
    step = list(
      quote(schedule_step(0.01, drop = 0.5, every = 10)),
      quote(py_schedule("Step", initial_lr = 0.01, drop = 0.5, every = 10L))),
    step_fractional = list(
      quote(schedule_step(0.3, drop = 0.9, every = 2.5)),
      quote(py_schedule("Step", initial_lr = 0.3, drop = 0.9, every = 2.5))),
    multistep = list(
      quote(schedule_multistep(0.1, milestones = c(30, 80), gamma = 0.2)),
      quote(py_schedule("MultiStep", initial_lr = 0.1, milestones = list(30L, 80L),
                        gamma = 0.2))),
    multistep_one = list(
      quote(schedule_multistep(0.1, milestones = 10)),
      quote(py_schedule("MultiStep", initial_lr = 0.1, milestones = list(10L)))),
    piecewise = list(
      quote(schedule_piecewise(c(10, 20), c(0.1, 0.01, 0.001))),
      quote(py_schedule("Piecewise", boundaries = list(10L, 20L),
                        values = list(0.1, 0.01, 0.001)))),
    exponential = list(
      quote(schedule_exponential(0.1, 1000, 0.96)),  # Keras's positional order
      quote(py_schedule("Exponential", initial_lr = 0.1, decay_rate = 0.96,
                        decay_steps = 1000L))),
    exponential_staircase = list(
      quote(schedule_exponential(0.1, 10, 0.5, TRUE)),
      quote(py_schedule("Exponential", initial_lr = 0.1, decay_rate = 0.5, decay_steps = 10L,
                        staircase = TRUE))),
    exponential_k = list(
      quote(schedule_exponential(0.01, k = 0.1)),
      quote(py_schedule("Exponential", initial_lr = 0.01, k = 0.1))),
    exponential_k_staircase = list(
      quote(schedule_exponential(0.01, k = 0.3, decay_steps = 7, staircase = TRUE)),
      quote(py_schedule("Exponential", initial_lr = 0.01, k = 0.3, decay_steps = 7L,
                        staircase = TRUE))),
    inverse_time = list(
      quote(schedule_inverse_time(0.1, 1, 0.5)),
      quote(py_schedule("InverseTime", initial_lr = 0.1, decay_steps = 1L, decay_rate = 0.5))),
    inverse_time_staircase = list(
      quote(schedule_inverse_time(0.1, 10, 0.5, TRUE)),
      quote(py_schedule("InverseTime", initial_lr = 0.1, decay_rate = 0.5, decay_steps = 10L,
                        staircase = TRUE))),
    polynomial = list(
      quote(schedule_polynomial(0.1, decay_steps = 50)),
      quote(py_schedule("Polynomial", initial_lr = 0.1, decay_steps = 50L))),
    polynomial_cycle = list(
      quote(schedule_polynomial(0.1, decay_steps = 10, end_lr = 0.01, power = 2, cycle = TRUE)),
      quote(py_schedule("Polynomial", initial_lr = 0.1, decay_steps = 10L, end_lr = 0.01,
                        power = 2L, cycle = TRUE))),
    cosine = list(
      quote(schedule_cosine(0.01, decay_steps = 50)),
      quote(py_schedule("Cosine", initial_lr = 0.01, decay_steps = 50L))),
    cosine_alpha = list(
      quote(schedule_cosine(0.01, decay_steps = 50, alpha = 0.1)),
      quote(py_schedule("Cosine", initial_lr = 0.01, decay_steps = 50L, alpha = 0.1))),
    cosine_restarts = list(
      quote(schedule_cosine_restarts(0.1, first_decay_steps = 10)),
      quote(py_schedule("CosineRestarts", initial_lr = 0.1, first_decay_steps = 10L))),
    cosine_restarts_flat = list(
      quote(schedule_cosine_restarts(0.1, 10, t_mul = 1, m_mul = 0.5, alpha = 0.05)),
      quote(py_schedule("CosineRestarts", initial_lr = 0.1, first_decay_steps = 10L,
                        t_mul = 1L, m_mul = 0.5, alpha = 0.05))),
    linear = list(
      quote(schedule_linear(0.1, 0.01, steps = 9)),
      quote(py_schedule("Linear", start_lr = 0.1, end_lr = 0.01, steps = 9L))),
    cyclic = list(
      quote(schedule_cyclic(0.001, 0.01, step_size = 5)),
      quote(py_schedule("Cyclic", base_lr = 0.001, max_lr = 0.01, step_size = 5L))),
    cyclic_triangular2 = list(
      quote(schedule_cyclic(0.001, 0.01, step_size = 5, mode = "triangular2")),
      quote(py_schedule("Cyclic", base_lr = 0.001, max_lr = 0.01, step_size = 5L,
                        mode = "triangular2"))),
    cyclic_exp_range = list(
      quote(schedule_cyclic(0.001, 0.01, step_size = 5, mode = "exp_range", gamma = 0.99)),
      quote(py_schedule("Cyclic", base_lr = 0.001, max_lr = 0.01, step_size = 5L,
                        mode = "exp_range", gamma = 0.99))),
    one_cycle = list(
      quote(schedule_one_cycle(0.1, total_steps = 100)),
      quote(py_schedule("OneCycle", max_lr = 0.1, total_steps = 100L))),
    one_cycle_linear_three = list(
      quote(schedule_one_cycle(0.1, 60, pct_start = 0.25, anneal = "linear", div_factor = 10,
                               final_div_factor = 100, three_phase = TRUE)),
      quote(py_schedule("OneCycle", max_lr = 0.1, total_steps = 60L, pct_start = 0.25,
                        anneal = "linear", div_factor = 10L, final_div_factor = 100L,
                        three_phase = TRUE))),
    warmup = list(
      quote(schedule_warmup(schedule_cosine(0.1, 50), warmup_steps = 5)),
      quote(py_schedule("Warmup", schedule = py_schedule("Cosine", initial_lr = 0.1,
                                                         decay_steps = 50L),
                        warmup_steps = 5L))),
    warmup_exponential = list(
      quote(schedule_warmup(schedule_step(0.1), 4, start_lr = 0.001, shape = "exponential")),
      quote(py_schedule("Warmup", schedule = py_schedule("Step", initial_lr = 0.1),
                        warmup_steps = 4L, start_lr = 0.001, shape = "exponential"))),
    sequence = list(
      quote(schedule_sequence(list(schedule_linear(0, 0.1, steps = 5),
                                   schedule_cosine(0.1, decay_steps = 20),
                                   schedule_constant(0.001)), boundaries = c(5, 25))),
      quote(py_schedule("Sequence",
                        schedules = list(py_schedule("Linear", start_lr = 0, end_lr = 0.1,
                                                     steps = 5L),
                                         py_schedule("Cosine", initial_lr = 0.1,
                                                     decay_steps = 20L),
                                         py_schedule("Constant", lr = 0.001)),
                        boundaries = list(5L, 25L))))
  )
}

# Clock values that hit boundaries, fractions, and far-away t.
clock <- c(0, 0.5, 1, 2.5, 4, 5, 9, 9.999, 10, 10.5, 19, 20, 25, 29, 30, 49.5, 50, 59, 80, 99,
           100, 250, 1e4)

test_that("every constructor builds its Python class and lr_at() gives Python's values exactly", {
  skip_if_no_python()
  for (name in names(family_cases())) {
    case <- family_cases()[[name]]
    s <- eval(case[[1]])
    p <- eval(case[[2]])
    py_class <- reticulate::py_to_r(reticulate::py_get_attr(p, "__class__")$`__name__`)
    expect_true(inherits(s, paste0("lrdecay.", py_class)) && inherits(s, "lrdecay.Schedule"),
                label = paste(name, "has its Python class"))
    values <- lr_at(s, clock)
    expect_type(values, "double")
    expect_identical(values, py_values(p, clock), label = paste("lr_at() of", name))
    # Same parameters: Python's own equality (equal configs).
    expect_identical(s$get_config(), reticulate::py_to_r(p$get_config()), label = name)
  }
})

test_that("the reference values of API.md hold exactly", {
  skip_if_no_python()
  expect_identical(lr_at(schedule_step(0.01, 0.5, 10), c(0, 10)), c(0.01, 0.005))
  s <- schedule_exponential(0.1, 1000, 0.96, staircase = TRUE)  # as in Keras
  expect_identical(lr_at(s, 28125), 0.1 * 0.96^28)
  expect_equal(lr_at(s, 28125), 0.0318855949686, tolerance = 1e-12)
  t <- c(0, 1, 12.5, 25, 37, 50)
  expect_equal(lr_at(schedule_cosine(0.01, 50), t), 0.01 * 0.5 * (1 + cos(pi * t / 50)),
               tolerance = 1e-15)
})

test_that("R doubles become the integers Python needs; non-whole ones are refused", {
  skip_if_no_python()
  s <- schedule_one_cycle(0.1, total_steps = 100)
  expect_identical(s$total_steps, 100L)
  expect_identical(lr_at(s, 0:120), lr_at(schedule_one_cycle(0.1, total_steps = 100L), 0:120))
  expect_identical(lr_at(s, 0:120), py_values(py_schedule("OneCycle", max_lr = 0.1,
                                                          total_steps = 100L), 0:120))
  expect_error(schedule_one_cycle(0.1, total_steps = 100.5), "total_steps",
               class = "lrdecay_error_argument")
  # R integers are fine where Python takes real numbers.
  expect_identical(lr_at(schedule_step(0.01, every = 10L), 0:30),
                   lr_at(schedule_step(0.01, every = 10), 0:30))
})

test_that("defaults left out are Python's defaults", {
  skip_if_no_python()
  pairs <- list(
    list(quote(schedule_step(0.01)), quote(py_schedule("Step", initial_lr = 0.01))),
    list(quote(schedule_multistep(0.1, c(3, 6))),
         quote(py_schedule("MultiStep", initial_lr = 0.1, milestones = list(3, 6)))),
    list(quote(schedule_exponential(0.1, decay_rate = 0.9)),
         quote(py_schedule("Exponential", initial_lr = 0.1, decay_rate = 0.9))),
    list(quote(schedule_exponential(0.1, k = 0.2)),
         quote(py_schedule("Exponential", initial_lr = 0.1, k = 0.2))),
    list(quote(schedule_inverse_time(0.1, 2, 0.5)),
         quote(py_schedule("InverseTime", initial_lr = 0.1, decay_steps = 2L,
                           decay_rate = 0.5))),
    list(quote(schedule_polynomial(0.1, 10)),
         quote(py_schedule("Polynomial", initial_lr = 0.1, decay_steps = 10L))),
    list(quote(schedule_cosine(0.1, 10)),
         quote(py_schedule("Cosine", initial_lr = 0.1, decay_steps = 10L))),
    list(quote(schedule_cosine_restarts(0.1, 10)),
         quote(py_schedule("CosineRestarts", initial_lr = 0.1, first_decay_steps = 10L))),
    list(quote(schedule_cyclic(0.001, 0.01, 5)),
         quote(py_schedule("Cyclic", base_lr = 0.001, max_lr = 0.01, step_size = 5L))),
    list(quote(schedule_one_cycle(0.1, 50)),
         quote(py_schedule("OneCycle", max_lr = 0.1, total_steps = 50L))),
    list(quote(schedule_warmup(schedule_constant(0.1), 3)),
         quote(py_schedule("Warmup", schedule = py_schedule("Constant", lr = 0.1),
                           warmup_steps = 3L)))
  )
  for (pair in pairs) {
    s <- eval(pair[[1]])
    p <- eval(pair[[2]])
    label <- deparse(pair[[1]])
    expect_identical(s$get_config(), reticulate::py_to_r(p$get_config()), label = label)
    expect_identical(lr_at(s, clock), py_values(p, clock), label = label)
  }
})

test_that("lr_at() is vectorised, keeps length, and takes length 0", {
  skip_if_no_python()
  s <- schedule_cyclic(0.001, 0.01, step_size = 5, mode = "triangular2")
  t <- c(17, 0, 3.5, 3.5, 100)
  expect_identical(lr_at(s, t), vapply(t, function(x) lr_at(s, x), numeric(1)))
  expect_length(lr_at(s, seq(0, 50, by = 0.25)), 201)
  expect_identical(lr_at(s, numeric()), numeric())
  expect_identical(lr_at(s, integer()), numeric())
  expect_identical(lr_at(s, 0:3), lr_at(s, c(0, 1, 2, 3)))
  expect_identical(lr_at(s, c(a = 1, b = 2)), lr_at(s, c(1, 2)))  # names dropped
  expect_identical(lr_at(s, matrix(0:3, 2)), lr_at(s, 0:3))
})

test_that("bad t fails, naming `t`: NA and types in R, the range in Python", {
  skip_if_no_python()
  s <- schedule_step(0.01)
  for (bad in list(NA, NA_real_, NaN, Inf, -Inf, -1, c(0, -0.5), c(1, NA), "1", TRUE,
                   list(1), NULL, factor(1))) {
    cnd <- expect_error(lr_at(s, bad), "`t`", fixed = TRUE, class = "lrdecay_error_argument")
    expect_identical(cnd$call[[1]], quote(lr_at))
  }
})

test_that("print() and format() show family, the R call and the formula", {
  skip_if_no_python()
  s <- schedule_step(0.01, drop = 0.5, every = 10)
  out <- format(s)
  expect_type(out, "character")
  expect_identical(out[1], "<lrdecay schedule: step>")
  expect_identical(out[2], "  schedule_step(initial_lr = 0.01, drop = 0.5, every = 10)")
  expect_match(out[3], "drop^floor(t / every)", fixed = TRUE)
  expect_output(vis <- withVisible(print(s)), "<lrdecay schedule: step>", fixed = TRUE)
  expect_false(vis$visible)
  expect_identical(vis$value, s)
  # R syntax, never Python's: no True/False/None, no [...] lists, no 'quotes'.
  schedules <- list(
    schedule_exponential(0.1, 1000, 0.96, staircase = TRUE),
    schedule_exponential(0.01, k = 0.1),
    schedule_multistep(0.1, c(20, 35)),
    schedule_cyclic(0.001, 0.01, 5, mode = "exp_range", gamma = 0.99),
    schedule_sequence(list(schedule_constant(0.1), schedule_constant(0.01)), 5),
    schedule_warmup(schedule_one_cycle(0.1, 20, three_phase = TRUE), 3)
  )
  for (x in schedules) {
    call <- format(x)[2]
    expect_no_match(call, "True|False|None|\\[|'", perl = TRUE)
    # The call is R code that makes the same schedule.
    again <- eval(parse(text = call))
    expect_identical(again$get_config(), x$get_config(), label = call)
  }
  expect_snapshot({
    schedule_constant(0.1)
    schedule_step(0.01, drop = 0.5, every = 10)
    schedule_multistep(0.1, c(30, 80))
    schedule_piecewise(c(20, 35), c(0.1, 0.01, 0.001))
    schedule_exponential(0.1, 1000, 0.96, staircase = TRUE)
    schedule_exponential(0.01, k = 0.1)
    schedule_inverse_time(0.1, 1, 0.5)
    schedule_polynomial(0.1, decay_steps = 10, cycle = TRUE)
    schedule_cosine(0.01, decay_steps = 50)
    schedule_cosine_restarts(0.1, first_decay_steps = 10)
    schedule_linear(0.1, 0.01, steps = 9)
    schedule_cyclic(0.001, 0.01, step_size = 5, mode = "exp_range", gamma = 0.99)
    schedule_one_cycle(0.1, total_steps = 100)
    schedule_warmup(schedule_cosine(0.1, 50), warmup_steps = 5)
    schedule_sequence(list(schedule_linear(0, 0.1, 5), schedule_cosine(0.1, 20)), 5)
    schedule_function(function(t) 0.01 * 0.95^t)
  })
})

test_that("plot() with base graphics draws and returns its data invisibly; as.data.frame() has t and lr", {
  skip_if_no_python()
  withr::local_options(lrdecay.ggplot = FALSE)
  s <- schedule_cosine(0.01, decay_steps = 50)
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off(), add = TRUE)
  res <- withVisible(plot(s, t = 0:60))
  expect_false(res$visible)
  expect_s3_class(res$value, "data.frame")
  expect_named(res$value, c("t", "lr"))
  expect_identical(res$value$t, as.double(0:60))
  expect_identical(res$value$lr, lr_at(s, 0:60))
  # It did draw: the device holds a plot whose x range covers t.
  expect_equal(graphics::par("usr")[1:2], range(0:60) + c(-1, 1) * 0.04 * 60)
  # Default t: a range that shows the schedule's shape; extra graphics arguments pass on.
  res <- withVisible(plot(s, col = "red", main = "cosine", lwd = 2))
  expect_false(res$visible)
  expect_identical(res$value, as.data.frame(s))

  df <- as.data.frame(s, t = c(0, 25, 50))
  expect_identical(df, data.frame(t = c(0, 25, 50), lr = lr_at(s, c(0, 25, 50))))
  df <- as.data.frame(s)
  expect_named(df, c("t", "lr"))
  expect_type(df$t, "double")
  expect_identical(df$t[1], 0)
  expect_gte(max(df$t), 50)
  expect_identical(df$lr, lr_at(s, df$t))
  expect_error(as.data.frame(s, t = -1), "`t`", class = "lrdecay_error_argument")
})

test_that("plot()'s default range follows the schedule: decay_steps, total_steps", {
  skip_if_no_python()
  withr::local_options(lrdecay.ggplot = FALSE)
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off(), add = TRUE)
  # The README's schedule: decay_steps = 1000 must not plot as a flat line.
  s <- schedule_exponential(0.1, 1000, 0.96, staircase = TRUE)
  data <- plot(s)
  expect_gte(max(data$t), 5000)
  expect_gte(length(unique(data$lr)), 5)
  data <- plot(schedule_inverse_time(0.1, 500, 1))
  expect_gte(max(data$t), 2500)
  expect_lt(data$lr[nrow(data)], 0.1 / 5)
  expect_identical(max(plot(schedule_one_cycle(0.1, 300))$t), 300)
  expect_gte(max(plot(schedule_cosine(0.1, 200))$t), 200)
  expect_equal(graphics::par("usr")[2], max(plot(schedule_cosine(0.1, 200))$t) * 1.04,
               tolerance = 0.01)
})

test_that("as_keras_schedule() runs the schedule in-graph with lr_at()'s values", {
  skip_if_no_keras()
  steps <- c(0, 1, 2, 5, 9, 10, 11, 24, 25, 49, 50, 51, 99, 100, 101, 150, 299, 1000)
  for (name in names(family_cases())) {
    s <- eval(family_cases()[[name]][[1]])
    ks <- as_keras_schedule(s)
    expect_true(inherits(ks, "keras.src.optimizers.schedules.learning_rate_schedule.LearningRateSchedule"),
                label = name)
    expect_in_graph_equal(keras_values(ks, steps), lr_at(s, steps))
    # t = iterations / steps_per_epoch: fractional epochs.
    ks <- as_keras_schedule(s, steps_per_epoch = 4)
    expect_in_graph_equal(keras_values(ks, steps), lr_at(s, steps / 4))
  }
  # The MNIST walkthrough's value: Keras's own ExponentialDecay, to 1e-6 relative, point-wise.
  s <- schedule_exponential(0.1, decay_rate = 0.96, decay_steps = 1000, staircase = TRUE)
  expect_equal(keras_values(as_keras_schedule(s), 28125), 0.031885575503110886,
               tolerance = 1e-6)
  expect_equal(keras_values(as_keras_schedule(s, steps_per_epoch = 10L), 281250),
               lr_at(s, 28125), tolerance = 1e-6)
})

test_that("as_keras_schedule() refuses schedule_function() schedules clearly", {
  skip_if_no_keras()
  f <- schedule_function(function(t) 0.1 / (1 + t))
  expect_snapshot(error = TRUE, as_keras_schedule(f))
  for (s in list(f, schedule_warmup(f, 5), schedule_sequence(list(schedule_constant(0.1), f), 5))) {
    cnd <- expect_error(as_keras_schedule(s), "schedule_function()", fixed = TRUE,
                        class = "lrdecay_error_argument")
    expect_identical(cnd$call[[1]], quote(as_keras_schedule))
  }
})

test_that("schedule_function() takes vectorised and non-vectorised R functions", {
  skip_if_no_python()
  # Vectorised: one call for the whole vector.
  calls <- 0
  s <- schedule_function(function(t) {
    calls <<- calls + 1
    0.01 * 0.95^t
  })
  expect_true(inherits(s, "lrdecay.FromFunction") && inherits(s, "lrdecay.Schedule"))
  expect_equal(lr_at(s, 0:10), 0.01 * 0.95^(0:10), tolerance = 1e-15)
  expect_identical(calls, 1)
  # Not vectorised (if on t fails for a vector in R >= 4.2): one call per value.
  step_fn <- function(epoch) if (epoch < 5) 0.1 else 0.01
  s <- schedule_function(step_fn)
  expect_identical(lr_at(s, 0:7), c(rep(0.1, 5), rep(0.01, 3)))
  expect_identical(lr_at(s, 6), 0.01)
  # A constant answer (length 1 for a vector): one call per value too.
  expect_identical(lr_at(schedule_function(function(t) 0.5), 0:2), c(0.5, 0.5, 0.5))
  # Integers are numbers.
  expect_identical(lr_at(schedule_function(function(t) 1L), 0:1), c(1, 1))
  # Inside other schedules.
  expect_identical(lr_at(schedule_warmup(s, 2), c(0, 1, 2, 8)), c(0, 0.05, 0.1, 0.01))
  # A Python callable works as well.
  py_fn <- reticulate::py_eval("lambda t: 0.2 / (1.0 + t)")
  expect_equal(lr_at(schedule_function(py_fn), c(0, 1, 3)), c(0.2, 0.1, 0.05))
})

test_that("a schedule function returning a bad value fails with a clear R error", {
  skip_if_no_python()
  bad <- list(
    na = function(t) NA, na_real = function(t) rep(NA_real_, length(t)),
    nan = function(t) NaN, negative = function(t) -0.1 * (t + 1), string = function(t) "0.1",
    long = function(t) c(0.1, 0.2), null = function(t) NULL, inf = function(t) Inf,
    list = function(t) list(0.1), logical = function(t) TRUE
  )
  for (name in names(bad)) {
    s <- schedule_function(bad[[name]])
    cnd <- expect_error(lr_at(s, 0:3), "The schedule function returned .* at t = 0",
                        class = "lrdecay_error_function", label = name)
    expect_s3_class(cnd, "lrdecay_error")
    expect_identical(cnd$call, quote(lr_at(s, 0:3)))
    expect_error(lr_at(s, 2), "at t = 2", class = "lrdecay_error_function", label = name)
  }
  # A bad value at one t only is reported at that t.
  s <- schedule_function(function(t) ifelse(t > 2, -1, 0.1))
  expect_error(lr_at(s, 0:5), "returned -1 at t = 3", class = "lrdecay_error_function")
  expect_snapshot(error = TRUE, lr_at(schedule_function(function(t) NA), 0:3))
  expect_snapshot(error = TRUE, lr_at(schedule_function(function(t) c(0.1, 0.2)), 1))
  expect_snapshot(error = TRUE, lr_at(schedule_function(function(t) "0.1"), 1))
  expect_snapshot(error = TRUE, lr_at(schedule_function(function(t) NULL), 1))
  # The failure is not remembered by the next call.
  expect_identical(lr_at(schedule_constant(0.1), 0), 0.1)
})

test_that("schedule_warmup() with an exponential ramp needs a positive target", {
  skip_if_no_python()
  expect_error(schedule_warmup(schedule_constant(0), 5, start_lr = 0.01, shape = "exponential"),
               "`schedule`", fixed = TRUE, class = "lrdecay_error_argument")
  expect_error(schedule_warmup(schedule_linear(0, 0.1, 5), 5, start_lr = 0.01,
                               shape = "exponential"),
               class = "lrdecay_error_argument")
})

test_that("schedule_sequence() takes one schedule without boundaries, and drops names", {
  skip_if_no_python()
  a <- schedule_constant(0.1)
  expect_identical(lr_at(schedule_sequence(a), c(0, 100)), c(0.1, 0.1))
  expect_identical(lr_at(schedule_sequence(list(a)), 5), 0.1)
  s <- schedule_sequence(list(first = a, second = schedule_constant(0.2)), 3)
  expect_identical(lr_at(s, c(2.9, 3)), c(0.1, 0.2))
})
