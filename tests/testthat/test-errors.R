# Python owns every rule on argument values (ranges, rules between arguments). Through
# lrdecay_call() its TypeError/ValueError reaches R users as an error of class
# "lrdecay_error_argument" (inheriting "lrdecay_error") with Python's message, reported
# in the user's call of the exported function; other Python errors as "lrdecay_error";
# and an error raised by the user's own R function as the very condition it raised.

# Values that break a Python rule (not an R one: each is one non-NA number, flag or string).
py_bad_values <- function(kind) {
  switch(kind,
    nonneg = list(-1, Inf, NaN, NULL),
    positive = list(0, -1, Inf, NaN),
    unit_open0 = list(0, 1.5, -0.5),       # (0, 1]
    unit_closed = list(1.5, -0.1),         # [0, 1]
    unit_open = list(0, 1, 0.01),          # (0, 1), and too few warm-up steps
    whole2 = list(0, 1, 100.5),
    t_mul = list(0, 0.5),
    max_lr = list(0.001),                  # below base_lr = 0.01
    choice = list("bogus", "Triangular"),
    vec_nonneg = list(c(-1, 1), c(20, 10), c(10, 10), c(1, Inf), numeric()),
    vec_positive = list(c(0, 5), c(20, 10), c(5, NaN)),
    values = list(c(0.1, -1, 0.01), c(0.1, 0.01), c(0.1, Inf, 0.01)),
    clock = list(-1, c(0, -0.5), Inf, NaN),
    stop("unknown kind ", kind)
  )
}

py_arg_specs <- function() {
  list(
    list("schedule_constant", list(lr = 0.1), c(lr = "nonneg")),
    list("schedule_step", list(initial_lr = 0.1, drop = 0.5, every = 10),
         c(initial_lr = "positive", drop = "unit_open0", every = "positive")),
    list("schedule_multistep", list(initial_lr = 0.1, milestones = c(10, 20), gamma = 0.1),
         c(initial_lr = "positive", milestones = "vec_nonneg", gamma = "unit_open0")),
    list("schedule_piecewise", list(boundaries = c(10, 20), values = c(0.1, 0.01, 0.001)),
         c(boundaries = "vec_nonneg", values = "values")),
    list("schedule_exponential", list(initial_lr = 0.1, decay_steps = 10, decay_rate = 0.96),
         c(initial_lr = "positive", decay_steps = "positive", decay_rate = "unit_open0")),
    list("schedule_exponential", list(initial_lr = 0.1, k = 0.5), c(k = "nonneg")),
    list("schedule_inverse_time", list(initial_lr = 0.1, decay_steps = 1, decay_rate = 0.5),
         c(initial_lr = "positive", decay_steps = "positive", decay_rate = "nonneg")),
    list("schedule_polynomial", list(initial_lr = 0.1, decay_steps = 10, end_lr = 0, power = 1),
         c(initial_lr = "positive", decay_steps = "positive", end_lr = "nonneg",
           power = "positive")),
    list("schedule_cosine", list(initial_lr = 0.1, decay_steps = 10, alpha = 0),
         c(initial_lr = "positive", decay_steps = "positive", alpha = "unit_closed")),
    list("schedule_cosine_restarts",
         list(initial_lr = 0.1, first_decay_steps = 10, t_mul = 2, m_mul = 1, alpha = 0),
         c(initial_lr = "positive", first_decay_steps = "positive", t_mul = "t_mul",
           m_mul = "unit_open0", alpha = "unit_closed")),
    list("schedule_linear", list(start_lr = 0.1, end_lr = 0.01, steps = 10),
         c(start_lr = "nonneg", end_lr = "nonneg", steps = "positive")),
    list("schedule_cyclic",
         list(base_lr = 0.01, max_lr = 0.1, step_size = 5, mode = "triangular", gamma = 1),
         c(base_lr = "nonneg", max_lr = "max_lr", step_size = "positive", mode = "choice",
           gamma = "unit_open0")),
    list("schedule_one_cycle", list(max_lr = 0.1, total_steps = 100, pct_start = 0.3),
         c(max_lr = "positive", total_steps = "whole2", pct_start = "unit_open",
           div_factor = "positive", final_div_factor = "positive", anneal = "choice")),
    list("schedule_warmup",
         list(schedule = quote(schedule_constant(0.1)), warmup_steps = 5, start_lr = 0),
         c(warmup_steps = "positive", start_lr = "nonneg", shape = "choice")),
    list("schedule_sequence",
         list(schedules = quote(list(schedule_constant(0.1), schedule_constant(0.01))),
              boundaries = 5),
         c(boundaries = "vec_positive")),
    list("lr_at", list(schedule = quote(schedule_constant(0.1)), t = 0), c(t = "clock")),
    list("as_keras_schedule", list(schedule = quote(schedule_constant(0.1))),
         c(steps_per_epoch = "positive"))
  )
}

py_bad_arg_cases <- function() {
  cases <- list()
  for (spec in py_arg_specs()) {
    for (arg in names(spec[[3]])) {
      for (bad in py_bad_values(spec[[3]][[arg]])) {
        args <- spec[[2]]
        args[arg] <- list(bad)
        cases[[length(cases) + 1L]] <- list(call = as.call(c(as.name(spec[[1]]), args)),
                                            arg = arg)
      }
    }
  }
  cases
}

test_that("every value that breaks a Python rule fails as a classed R error in the user's call", {
  skip_if_no_keras()  # as_keras_schedule() needs Keras
  cases <- py_bad_arg_cases()
  expect_gt(length(cases), 100)
  for (case in cases) {
    label <- paste(deparse(case$call, width.cutoff = 500L), collapse = " ")
    cnd <- tryCatch({
      eval(case$call)
      NULL
    }, error = identity)
    expect(!is.null(cnd), paste(label, "gave no error"))
    if (is.null(cnd)) next
    expect(inherits(cnd, "lrdecay_error_argument") && inherits(cnd, "lrdecay_error"),
           paste(label, "gave an error of class", class(cnd)[1], conditionMessage(cnd)))
    expect(grepl(paste0("`", case$arg, "`"), cnd$message, fixed = TRUE),
           paste0(label, ": the message does not name `", case$arg, "`: ", cnd$message))
    expect(!grepl("^[A-Za-z]*Error: ", cnd$message),
           paste(label, "keeps Python's exception prefix:", cnd$message))
    # Reported in the user's call, never in an internal function or py_call_impl().
    expect(is.call(cnd$call) && identical(cnd$call[[1]], case$call[[1]]),
           paste(label, "is reported in", paste(deparse(cnd$call), collapse = " ")))
  }
})

test_that("the R message is Python's message, word for word", {
  skip_if_no_python()
  py <- py_module()
  pairs <- list(
    list(quote(schedule_step(0.01, drop = 2)), function() py$Step(0.01, drop = 2)),
    list(quote(schedule_exponential(0.1, 1000)), function() py$Exponential(0.1, 1000L)),
    list(quote(schedule_exponential(0.1, 1000, 0.9, k = 1)),
         function() py$Exponential(0.1, 1000L, 0.9, k = 1)),
    list(quote(schedule_cyclic(0.1, 0.01, 5)), function() py$Cyclic(0.1, 0.01, 5L)),
    list(quote(schedule_piecewise(c(10, 20), c(0.1, 0.01))),
         function() py$Piecewise(list(10, 20), list(0.1, 0.01)))
  )
  for (pair in pairs) {
    r_cnd <- tryCatch(eval(pair[[1]]), error = identity)
    py_cnd <- tryCatch(pair[[2]](), error = identity)
    expect_s3_class(r_cnd, "lrdecay_error_argument")
    expect_identical(r_cnd$message, reticulate::py_str(py_cnd), label = deparse(pair[[1]]))
  }
})

test_that("Python's rules, as R users read them (frozen wording)", {
  skip_if_no_python()
  expect_snapshot(error = TRUE, schedule_constant(-0.1))
  expect_snapshot(error = TRUE, schedule_step(0.01, drop = 2))
  expect_snapshot(error = TRUE, schedule_step(0.01, every = 0))
  expect_snapshot(error = TRUE, schedule_multistep(0.1, milestones = c(30, 20)))
  expect_snapshot(error = TRUE, schedule_piecewise(c(10, 20), c(0.1, 0.01)))
  expect_snapshot(error = TRUE, schedule_exponential(0.1))
  expect_snapshot(error = TRUE, schedule_exponential(0.1, 1000, 0.9, k = 0.1))
  expect_snapshot(error = TRUE, schedule_exponential(0.1, 1000, decay_rate = NaN))
  expect_snapshot(error = TRUE, schedule_inverse_time(0.1, 1, decay_rate = -Inf))
  expect_snapshot(error = TRUE, schedule_polynomial(0.1, decay_steps = Inf))
  expect_snapshot(error = TRUE, schedule_cosine(0.1, 50, alpha = 1.5))
  expect_snapshot(error = TRUE, schedule_cosine_restarts(0.1, 10, t_mul = 0.5))
  expect_snapshot(error = TRUE, schedule_cyclic(0.1, 0.01, step_size = 5))
  expect_snapshot(error = TRUE, schedule_cyclic(0.001, 0.01, 5, mode = "exp"))
  expect_snapshot(error = TRUE, schedule_one_cycle(0.1, total_steps = 100.5))
  expect_snapshot(error = TRUE, schedule_one_cycle(0.1, total_steps = 3, pct_start = 0.1))
  expect_snapshot(error = TRUE, schedule_warmup(schedule_constant(0), 5, start_lr = 0.01,
                                                shape = "exponential"))
  expect_snapshot(error = TRUE, schedule_sequence(list(schedule_constant(0.1),
                                                       schedule_constant(0.01)), c(5, 10)))
  expect_snapshot(error = TRUE, lr_at(schedule_constant(0.1), c(0, 1, NaN, -2)))
})

test_that("other Python errors arrive as classed lrdecay errors, not as py_call_impl()'s", {
  skip_if_no_python()
  s <- schedule_function(reticulate::py_eval("lambda t: 1 / 0"))
  cnd <- expect_error(lr_at(s, 1), class = "lrdecay_error")
  expect_false(inherits(cnd, "lrdecay_error_argument"))
  expect_match(cnd$message, "ZeroDivisionError: ", fixed = TRUE)
  expect_identical(cnd$python_type, "ZeroDivisionError")
  expect_identical(cnd$call, quote(lr_at(s, 1)))
})

test_that("an R error raised by the user's function reaches the user as raised", {
  skip_if_no_python()
  # A function of (t, lr): R says "lr" is missing; lr_at() shows just that.
  s <- schedule_function(function(t, lr) t * lr)
  expect_error(lr_at(s, 0:3), "argument \"lr\" is missing, with no default", fixed = TRUE)
  cnd <- tryCatch(lr_at(s, 0:3), error = identity)
  expect_identical(conditionMessage(cnd), "argument \"lr\" is missing, with no default")
  expect_false(inherits(cnd, "python.builtin.object"))
  # stop() and classed rlang errors keep their class and fields.
  s <- schedule_function(function(t) if (t > 1) stop("too far") else 0.1)
  expect_error(lr_at(s, 0:3), "^too far$")
  s <- schedule_function(function(t) {
    if (t > 1) rlang::abort("too far", class = "my_error", data = 42)
    0.1
  })
  cnd <- expect_error(lr_at(s, 0:3), class = "my_error")
  expect_identical(cnd$data, 42)
  expect_identical(cnd$message, "too far")
  expect_false(any(startsWith(names(cnd), "__")))  # nothing Python added (its notes)
  # The failure is not remembered by the next call.
  expect_identical(lr_at(schedule_constant(0.1), 0), 0.1)
})

test_that("set_learning_rate() and get_learning_rate() errors are classed, not Rcpp's", {
  skip_if_no_keras()
  model <- linear_model(lr = 0.1)
  expect_snapshot(error = TRUE, set_learning_rate(model, -1))
  expect_snapshot(error = TRUE, set_learning_rate(model, NA))
  cnd <- expect_error(get_learning_rate(reticulate::py_eval("object()")),
                      class = "lrdecay_error_argument")
  expect_identical(cnd$call[[1]], quote(get_learning_rate))
  expect_match(cnd$message, "`model`", fixed = TRUE)
  s <- schedule_exponential(0.1, 1000, 0.96, staircase = TRUE)
  model |> compile(optimizer = optimizer_sgd(learning_rate = as_keras_schedule(s)),
                   loss = "mse")
  cnd <- expect_error(set_learning_rate(model, 0.01), class = "lrdecay_error_argument")
  expect_match(cnd$message, "in-graph schedule", fixed = TRUE)
  expect_match(cnd$message, paste0("e.g. optimizer_sgd(learning_rate = 0.1), and drive it ",
                                   "with callback_lr_scheduler() or set_learning_rate();"),
               fixed = TRUE)
  expect_identical(cnd$call, quote(set_learning_rate(model, 0.01)))
  expect_false(inherits(cnd, "Rcpp::exception"))
})

test_that("Python's messages name R's functions when R calls, and Python's after", {
  skip_if_no_python()
  words <- lrdecay:::py_lrdecay()$words
  # R's dictionary has a word for every name Python's messages use.
  expect_setequal(names(lrdecay:::r_words), names(reticulate::py_to_r(words$PYTHON)))
  cnd <- expect_error(schedule_momentum(schedule_constant(0.1)),
                      class = "lrdecay_error_argument")
  expect_match(cnd$message, "(schedule_one_cycle() or schedule_cyclic())", fixed = TRUE)
  expect_no_match(cnd$message, "OneCycle|Cyclic\\b")
  # Python's words are back in force once the call has failed.
  expect_identical(words$current()[["OneCycle"]], "OneCycle")
  skip_if_no_keras()
  cnd <- expect_error(callback_hparam_scheduler(learning_rate = schedule_constant(0.1)),
                      class = "lrdecay_error_argument")
  expect_match(cnd$message, paste0("scheduled by an in-graph schedule (as_keras_schedule()) or ",
                                   "by callback_lr_scheduler(); callback_hparam_scheduler() ",
                                   "schedules the other hyperparameters"), fixed = TRUE)
  expect_match(conditionMessage(expect_error(callback_hparam_scheduler())),
               "e.g. callback_hparam_scheduler(momentum = schedule_momentum(", fixed = TRUE)
})

test_that("a callback made in R names R's functions when it fails during fit()", {
  skip_if_no_keras()
  d <- regression_data()
  model <- linear_model(lr = as_keras_schedule(schedule_constant(0.1), check = FALSE))
  cb <- callback_lr_scheduler(schedule_constant(0.1))
  err <- expect_error(model |> fit(d$x, d$y, epochs = 1, verbose = 0, callbacks = list(cb)))
  expect_match(conditionMessage(err), "callback_lr_scheduler(): cannot set the learning rate",
               fixed = TRUE)
  expect_match(conditionMessage(err), "drive it with callback_lr_scheduler() or", fixed = TRUE)
  expect_no_match(conditionMessage(err), "LRScheduler|keras.optimizers")
})

# -- the newer features: NULL for every required argument, the newer families' ranges,
# in-graph and Keras schedules where an lrdecay schedule is wanted, plots that could
# draw nothing ---------------------------------------------------------------------

# Valid arguments of every schedule constructor.
valid_schedule_args <- function() {
  s <- quote(schedule_step(0.1, drop = 0.5, every = 2))
  list(
    schedule_constant = list(lr = 0.1),
    schedule_step = list(initial_lr = 0.1),
    schedule_multistep = list(initial_lr = 0.1, milestones = c(3, 6)),
    schedule_piecewise = list(boundaries = 3, values = c(0.1, 0.01)),
    schedule_exponential = list(initial_lr = 0.1, decay_rate = 0.9),
    schedule_inverse_time = list(initial_lr = 0.1, decay_rate = 0.5),
    schedule_polynomial = list(initial_lr = 0.1, decay_steps = 10),
    schedule_cosine = list(initial_lr = 0.1, decay_steps = 10),
    schedule_cosine_restarts = list(initial_lr = 0.1, first_decay_steps = 10),
    schedule_linear = list(start_lr = 0.1, end_lr = 0.01, steps = 10),
    schedule_cyclic = list(base_lr = 0.01, max_lr = 0.1, step_size = 5),
    schedule_one_cycle = list(max_lr = 0.1, total_steps = 100),
    schedule_warmup = list(schedule = s, warmup_steps = 5),
    schedule_sequence = list(schedules = call("list", s, s), boundaries = 5),
    schedule_wsd = list(peak_lr = 0.1, warmup_steps = 2, stable_steps = 3, decay_steps = 2),
    schedule_inverse_sqrt = list(peak_lr = 0.1, warmup_steps = 4),
    schedule_rex = list(initial_lr = 0.1, total_steps = 10),
    schedule_cooldown = list(schedule = s, start = 5, length = 5)
  )
}

test_that("NULL for any required argument of any schedule is reported as NULL, not None", {
  skip_if_no_python()
  checked <- 0
  for (fn in names(valid_schedule_args())) {
    valid <- valid_schedule_args()[[fn]]
    f <- formals(getExportedValue("lrdecay", fn))
    required <- names(f)[vapply(f, function(a) identical(a, quote(expr = )), TRUE)]
    expect_setequal(intersect(required, names(valid)), required)
    for (arg in required) {
      args <- valid
      args[arg] <- list(NULL)
      call <- as.call(c(as.name(fn), args))
      cnd <- tryCatch({
        eval(call)
        NULL
      }, error = identity)
      label <- paste(deparse(call, width.cutoff = 500L), collapse = " ")
      expect(inherits(cnd, "lrdecay_error_argument"), paste(label, "gave no argument error"))
      if (is.null(cnd)) next
      expect(grepl(paste0("`", arg, "`"), cnd$message, fixed = TRUE) &&
               grepl("NULL|must be given", cnd$message) &&
               !grepl("None", cnd$message, fixed = TRUE),
             paste0(label, ": the message does not name `", arg, "` and NULL: ", cnd$message))
      expect(identical(cnd$call[[1]], as.name(fn)), paste(label, "is reported elsewhere"))
      checked <- checked + 1
    }
  }
  expect_gte(checked, 30)
})

test_that("None is R's NULL only in lrdecay's own messages", {
  skip_if_no_python()
  expect_snapshot(error = TRUE, schedule_cosine(NULL, 10))
  expect_snapshot(error = TRUE, schedule_wsd(0.1, NULL, 3, 2))
  # A user function returning NULL: lrdecay's message speaks of NULL too.
  cnd <- expect_error(lr_at(schedule_function(function(t) NULL), 2), class = "lrdecay_error")
  expect_match(cnd$message, "returned NULL at t = 2", fixed = TRUE)
  # Another library's message is left as written.
  cnd <- expect_error(lrdecay:::lrdecay_call(reticulate::py_eval(
    "lambda: (_ for _ in ()).throw(ValueError('None values not supported.'))")),
    class = "lrdecay_error_argument")
  expect_identical(cnd$message, "None values not supported.")
})

test_that("the newer families' numbers: NaN, Inf and negative values name the argument", {
  skip_if_no_python()
  numbers <- list(schedule_wsd = c("peak_lr", "warmup_steps", "stable_steps", "decay_steps",
                                   "min_lr_ratio"),
                  schedule_inverse_sqrt = c("peak_lr", "warmup_steps", "timescale"),
                  schedule_rex = c("initial_lr", "total_steps", "min_lr"),
                  schedule_cooldown = c("start", "length", "final_lr"))
  checked <- 0
  for (fn in names(numbers)) {
    for (arg in numbers[[fn]]) {
      for (bad in list(NaN, Inf, -1)) {
        args <- valid_schedule_args()[[fn]]
        args[arg] <- list(bad)
        call <- as.call(c(as.name(fn), args))
        cnd <- expect_error(eval(call), class = "lrdecay_error_argument")
        expect_match(cnd$message, paste0("`", arg, "` must be"), fixed = TRUE)
        expect_identical(cnd$call[[1]], as.name(fn))
        checked <- checked + 1
      }
    }
  }
  expect_equal(checked, 42)
})

test_that("an in-graph schedule made again, evaluated and plotted is its lrdecay schedule", {
  skip_if_no_keras()
  s <- schedule_cosine(0.1, 10)
  k <- as_keras_schedule(s, steps_per_epoch = 4)
  again <- as_keras_schedule(k)
  expect_s3_class(again, "lrdecay.keras_schedule.KerasSchedule")
  expect_identical(again$steps_per_epoch, 4)
  expect_identical(again$schedule$get_config(), s$get_config())
  expect_identical(as_keras_schedule(k, steps_per_epoch = 2)$steps_per_epoch, 2)
  expect_false(as_keras_schedule(k, check = FALSE)$check)
  expect_identical(lr_at(k, 0:12), lr_at(s, 0:12))
  expect_identical(as.data.frame(k), as.data.frame(s))
  pdf(NULL)
  on.exit(grDevices::dev.off(), add = TRUE)
  withr::local_options(lrdecay.ggplot = FALSE)  # base graphics: plot() returns the data
  expect_no_warning(data <- plot(k))
  expect_identical(data, as.data.frame(s))
  expect_error(as_keras_schedule(k, steps_per_epoch = 0), "`steps_per_epoch`",
               class = "lrdecay_error_argument")
})

test_that("a Keras schedule of Keras's own is refused where an lrdecay schedule is wanted", {
  skip_if_no_keras()
  keras_cosine <- keras3::learning_rate_schedule_cosine_decay(0.1, 10)
  expect_snapshot(error = TRUE, lr_at(keras_cosine, 1:3))
  cnd <- expect_error(as_keras_schedule(keras_cosine), class = "lrdecay_error_argument")
  expect_match(cnd$message, "not Keras's CosineDecay", fixed = TRUE)
  expect_identical(cnd$call[[1]], quote(as_keras_schedule))
  cnd <- expect_error(lr_at(keras_cosine, numeric()), class = "lrdecay_error_argument")
  expect_match(cnd$message, "schedule_cosine()", fixed = TRUE)
})

test_that("plots that would draw nothing fail with lrdecay's error and no base-R warning", {
  skip_if_no_keras()
  pdf(NULL)
  on.exit(grDevices::dev.off(), add = TRUE)
  s <- schedule_cosine(0.1, 10)
  expect_snapshot(error = TRUE, plot(callback_lr_logger()))
  expect_snapshot(error = TRUE, plot(s, t = numeric(0)))
  expect_no_warning(expect_error(plot(callback_lr_logger(per = "batch")), "no records yet",
                                 class = "lrdecay_error_argument"))
  expect_no_warning(expect_error(plot(s, t = integer(0)), "`t`",
                                 class = "lrdecay_error_argument"))
  cnd <- expect_error(plot(as_keras_schedule(s), t = numeric(0)),
                      class = "lrdecay_error_argument")
  expect_identical(cnd$call[[1]], quote(plot))
})
