# lr_find() from R, in keras3's idiom: R converts, Python checks and runs the sweep; the
# same answers as Python's lr_find().
# A real small problem: linear regression y = x %*% w + 0.5 + noise, SGD with momentum.

skip_lr_find <- function() {
  skip_if_not(lrdecay_available(keras = TRUE), "Keras 3 is not available")
}

lrf_data <- function(n = 256) {
  set.seed(11)
  x <- matrix(rnorm(2 * n), ncol = 2)
  y <- as.numeric(x %*% c(1, -2) + 0.5 + rnorm(n, sd = 0.3))
  list(x = x, y = y)
}

lrf_model <- function(data, optimizer = NULL, train = TRUE) {
  set_random_seed(1)
  model <- keras_model_sequential(input_shape = 2) |> layer_dense(1)
  model |> compile(optimizer = optimizer %||% optimizer_sgd(learning_rate = 1e-3, momentum = 0.9),
                   loss = "mse")
  if (train) model |> fit(data$x, data$y, epochs = 1, batch_size = 64, verbose = 0)
  model
}

# Every variable that makes the training state, as R values.
lrf_state <- function(model) {
  vars <- c(model$variables, model$optimizer$variables, model$metrics_variables)
  lapply(vars, as.array)
}

test_that("the sweep is geometric, aligned, and the same as Python's", {
  skip_lr_find()
  d <- lrf_data()
  model <- lrf_model(d)
  before <- lrf_state(model)
  res <- model %>% lr_find(d$x, d$y, max_lr = 1e3, steps = 60, shuffle = FALSE)
  expect_s3_class(res, "lrdecay_lr_find")
  expect_identical(lrf_state(model), before)

  n <- length(res$lrs)
  expect_length(res$losses, n)
  expect_length(res$smoothed, n)
  expect_equal(res$lrs[1], 1e-7)
  expect_equal(diff(log(res$lrs)), rep(log(1e3 / 1e-7) / 59, n - 1), tolerance = 1e-10)

  # It went past the divergence point and stopped early.
  expect_true(res$stop_reason %in% c("diverged", "non-finite"))
  expect_lt(n, 60)
  # SGD with momentum 0.9 diverges on this problem above 2 (1 + 0.9) / lambda_max.
  design <- cbind(d$x, 1)
  critical <- 2 * 1.9 / max(eigen(2 * crossprod(design) / nrow(design))$values)
  expect_gt(res$lrs[n], critical)
  expect_equal(res$rule, "valley")
  expect_identical(res$suggestion, res$suggestions$valley)
  expect_gte(res$suggestion, res$lrs[1])
  expect_lt(res$suggestion, critical)
  expect_named(res$suggestions, c("steepest", "minimum", "valley"))

  # The same sweep run from Python directly, on the same (restored) model and data.
  py <- py_lrdecay()$lr_find(model, as_py_data(d$x), as_py_data(d$y), max_lr = 1e3,
                              steps = 60L, shuffle = FALSE)
  expect_identical(res$lrs, as.numeric(py$lrs))
  expect_equal(res$losses, as.numeric(py$losses), tolerance = 1e-6)
  expect_equal(res$smoothed, as.numeric(py$smoothed), tolerance = 1e-6)
  expect_equal(res$suggestion, py$suggestion)
  expect_equal(res$suggestions, py$suggestions[c("steepest", "minimum", "valley")])
  expect_identical(res$stop_reason, py$stop_reason)
  # ... and Python's rules applied to R's numbers give R's suggestions.
  rules <- reticulate::import("lrdecay.lr_range_test")$suggest_lr(res$lrs, res$smoothed,
                                                             skip_start = 6L)
  expect_equal(res$suggestions, rules[c("steepest", "minimum", "valley")])
})

test_that("a completed sweep ends at max_lr; the model is restored bit for bit (Adam)", {
  skip_lr_find()
  d <- lrf_data()
  model <- lrf_model(d, optimizer_adam(learning_rate = 1e-3))
  before <- lrf_state(model)
  lr <- as.array(model$optimizer$learning_rate)
  res <- lr_find(model, d$x, d$y, min_lr = 1e-5, max_lr = 1e-2, steps = 20, batch_size = 16)
  expect_identical(res$stop_reason, "completed")
  expect_length(res$lrs, 20)
  expect_equal(res$lrs[20], 1e-2)
  expect_identical(lrf_state(model), before)
  expect_identical(as.array(model$optimizer$learning_rate), lr)
})

test_that("the model is restored after an error inside the sweep", {
  skip_lr_find()
  d <- lrf_data()
  model <- lrf_model(d)
  before <- lrf_state(model)
  calls <- 0
  boom <- callback_lambda(on_train_batch_end = function(batch, logs) {
    calls <<- calls + 1
    if (calls == 5) stop("boom in a callback")
  })
  # The callback's own R error, as raised (not wrapped in a Python RuntimeError).
  cnd <- expect_error(lr_find(model, d$x, d$y, callbacks = list(boom)), "^boom in a callback$")
  expect_false(inherits(cnd, "python.builtin.object"))
  expect_equal(calls, 5)
  expect_identical(lrf_state(model), before)
})

test_that("bad arguments fail naming the argument, in lr_find()'s call, before any training", {
  skip_lr_find()
  d <- lrf_data(64)
  model <- lrf_model(d)
  before <- lrf_state(model)
  expect_lr_find_error <- function(message, ...) {
    cnd <- expect_error(lr_find(model, d$x, d$y, ...), message, fixed = TRUE,
                        class = "lrdecay_error_argument")
    expect_identical(cnd$call[[1]], quote(lr_find))
  }
  # R's own: NA, length, type.
  expect_lr_find_error("`min_lr` must be a single number, not NA.", min_lr = NA)
  expect_lr_find_error("`stop_factor` must be a single number, not c(2, 3).",
                       stop_factor = c(2, 3))
  expect_lr_find_error("`steps` must be a single number, not \"10\".", steps = "10")
  expect_lr_find_error("`shuffle` must be TRUE or FALSE, not NA.", shuffle = NA)
  expect_lr_find_error("must be named", min_lr = 1e-7, max_lr = 1, steps = 100,
                       batch_size = 32, smoothing = 0.98, stop_factor = 4, 3)
  # Python's rules.
  cases <- list(
    list("min_lr", min_lr = 0), list("max_lr", max_lr = Inf),
    list("max_lr", min_lr = 0.1, max_lr = 0.01), list("max_lr", min_lr = 1),
    list("steps", steps = 4), list("steps", steps = 10.5), list("batch_size", batch_size = 0),
    list("smoothing", smoothing = 1), list("stop_factor", stop_factor = 1)
  )
  for (case in cases) {
    do.call(expect_lr_find_error, c(paste0("`", case[[1]], "` must be"), case[-1]))
  }
  expect_lr_find_error("do not pass `epochs`.", epochs = 3)
  expect_snapshot(error = TRUE, lr_find(model, d$x, d$y, min_lr = 0.1, max_lr = 0.01))
  expect_snapshot(error = TRUE, lr_find(model, d$x, d$y, steps = 4))
  expect_snapshot(error = TRUE, lr_find(model, d$x, d$y, validation_split = 0.2))
  expect_identical(lrf_state(model), before)

  expect_error(lr_find("model", d$x, d$y), "`model` must be a Keras model, not \"model\".",
               fixed = TRUE, class = "lrdecay_error_argument")
  expect_error(lr_find(model, letters, d$y), "`x` must be numeric data",
               fixed = TRUE, class = "lrdecay_error_argument")
})

test_that("models that cannot be swept get Python's message, before any training", {
  skip_lr_find()
  d <- lrf_data(64)
  uncompiled <- keras_model_sequential(input_shape = 2) |> layer_dense(1)
  expect_error(lr_find(uncompiled, d$x, d$y),
               "`model` must be compiled (call `compile()` with an optimizer and a loss first), not an uncompiled Sequential.",
               fixed = TRUE, class = "lrdecay_error_argument")
  scheduled <- keras_model_sequential(input_shape = 2) |> layer_dense(1)
  sched <- as_keras_schedule(schedule_step(0.1))
  scheduled |> compile(optimizer = optimizer_sgd(learning_rate = sched), loss = "mse")
  err <- expect_error(lr_find(scheduled, d$x, d$y), class = "lrdecay_error_argument")
  expect_match(conditionMessage(err), "in-graph schedule (KerasSchedule)", fixed = TRUE)
  py_err <- tryCatch(py_lrdecay()$lr_find(scheduled, as_py_data(d$x), as_py_data(d$y)),
                     error = function(e) reticulate::py_str(e))
  expect_identical(err$message, py_err)  # the same words
  expect_equal(as.numeric(as.array(scheduled$optimizer$iterations)), 0)
})

test_that("print(), plot() and as.data.frame() present the result", {
  skip_lr_find()
  d <- lrf_data()
  model <- lrf_model(d)
  res <- lr_find(model, d$x, d$y, max_lr = 1e3, steps = 40)
  out <- capture.output(print(res))
  expect_match(out[1], sprintf("LR range test, %d of 40 steps", length(res$lrs)), fixed = TRUE)
  expect_match(out[2], "^Sweep stopped early: ")
  expect_match(out[3], sprintf("Suggested learning rate: %s (valley)",
                               format(signif(res$suggestion, 3))), fixed = TRUE)
  expect_match(out[4], "^Rules: steepest .*, minimum .*, valley [0-9.e-]+$")
  capture.output(expect_invisible(print(res)))

  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off(), add = TRUE)
  withr::with_options(list(lrdecay.ggplot = FALSE), {
    expect_identical(withVisible(plot(res)), list(value = res, visible = FALSE))
    expect_equal(graphics::par("xlog"), TRUE)
    # The y range is Python's (lrdecay.lr_range_test.plot_ylim), as R drew it (par() adds 4%).
    lim <- unlist(reticulate::import("lrdecay.lr_range_test")$plot_ylim(as.list(res$smoothed)))
    expect_equal(graphics::par("usr")[3:4], lim + c(-1, 1) * 0.04 * diff(lim))
  })
  if (requireNamespace("ggplot2", quietly = TRUE)) {
    expect_identical(withVisible(plot(res)), list(value = res, visible = FALSE))
  }

  df <- as.data.frame(res)
  expect_named(df, c("step", "lr", "loss", "smoothed"))
  expect_equal(nrow(df), length(res$lrs))
})

test_that("unusable data fails naming x or y, before any training", {
  skip_lr_find()
  d <- lrf_data()
  model <- lrf_model(d)
  before <- lrf_state(model)
  x_na <- d$x
  x_na[3, 2] <- NA
  expect_error(lr_find(model, x_na, d$y), "`x` must hold finite numbers only, not 1 NaN",
               class = "lrdecay_error_argument")
  expect_error(lr_find(model, d$x, replace(d$y, 4, Inf)), "`y` must hold finite numbers only",
               class = "lrdecay_error_argument")
  expect_error(lr_find(model, d$x), "`y` must be given (the targets of `x`)", fixed = TRUE,
               class = "lrdecay_error_argument")
  expect_error(lr_find(model, d$x[1:20, ], d$y[1:20]),
               "`batch_size` must be at most the number of samples in `x` (20), not 32",
               fixed = TRUE, class = "lrdecay_error_argument")
  expect_identical(lrf_state(model), before)
})

test_that("the plot's y range leaves out an exploding tail (Python's rule)", {
  skip_lr_find()
  set.seed(3)
  x <- matrix(rnorm(1024), ncol = 4)
  y <- x %*% c(1, -2, 3, 0.5) + rnorm(256, sd = 0.3)
  set_random_seed(39)
  model <- keras_model_sequential(input_shape = 4) |> layer_dense(8, activation = "relu") |>
    layer_dense(1)
  model |> compile(optimizer = optimizer_sgd(learning_rate = 0.01, momentum = 0.9), loss = "mse")
  res <- lr_find(model, x, y, max_lr = 10, steps = 50)
  expect_gt(max(res$smoothed), 1000)  # the loss explodes at the end
  shown <- res$smoothed[res$smoothed >= res$ylim[1] & res$smoothed <= res$ylim[2]]
  expect_gte(length(shown), length(res$smoothed) - 1)  # all but the explosion
  expect_lt(diff(res$ylim), 10 * diff(range(res$smoothed[-length(res$smoothed)])))
  py <- reticulate::import("lrdecay.lr_range_test")
  expect_equal(res$ylim, unlist(py$plot_ylim(res$smoothed, 4)))
  pdf(NULL)
  on.exit(grDevices::dev.off(), add = TRUE)
  withr::local_options(lrdecay.ggplot = FALSE)  # base graphics: par("usr") holds the range
  plot(res)
  expect_equal(graphics::par("usr")[3:4], res$ylim + c(-0.04, 0.04) * diff(res$ylim))
})
