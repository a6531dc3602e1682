# Argument checks: every constructor argument, every kind of bad value, fails
# in R with class "lrdecay_error_argument", a message naming the argument, and
# before any Python call. Nothing in this file needs Python.

# A stand-in for a schedule: passes the R checks without touching Python, so
# that the checks of schedule_warmup(), schedule_sequence(), lr_at() and
# as_keras_schedule() can be tested in a process where Python never starts.
fake_schedule <- function() structure(list(), class = c("lrdecay.Cosine", "lrdecay.Schedule"))

bad_values <- function(kind) {
  # NA, NaN, Inf, negative, wrong length, wrong type, for every number; the
  # rarer variants (TRUE, -Inf, NA_real_, empty, list, NULL) under kind "number_all".
  number <- list(NA, NaN, Inf, -1, c(0.1, 0.2), "0.1")
  vector <- list(NA, c(1, NA), c(1, NaN), c(1, Inf), c(-1, 1), c(20, 10), c(10, 10), "10",
                 numeric())
  switch(kind,
    number_all = c(number, list(TRUE, NA_real_, -Inf, numeric(), list(0.1), NULL, 0)),
    nonneg = number,
    positive = c(number, list(0)),
    positive_or_null = c(number, list(0)),
    unit_open0 = c(number, list(0, 1.5)),                # (0, 1]
    unit_closed = c(number, list(1.5)),                  # [0, 1]
    unit_open = c(number, list(0, 1, 0.01)),             # (0, 1), and too few warm-up steps
    whole2 = c(number, list(0, 1, 100.5)),
    t_mul = c(number, list(0, 0.5)),
    max_lr = c(number, list(0.001)),                     # below base_lr = 0.01
    flag = list(NA, "TRUE", 1, c(TRUE, FALSE), NULL),
    choice = list("bogus", NA_character_, 1, c("triangular", "exp_range"), NULL),
    vec_nonneg = vector,
    vec_positive = c(vector, list(0, c(0, 5))),
    values = list(NA, c(0.1, NA, 0.01), c(0.1, -1, 0.01), c(0.1, 0.01), c(0.1, Inf, 0.01),
                  "0.1", list(0.1, 0.01, 0.001), NULL),
    schedule = list(1, "cosine", list(fake_schedule()), NULL, function(t) 0.1),
    schedules = list(list(fake_schedule(), 1), list(), "cosine", NULL),
    fn = list(1, "mean", NULL, list(function(t) 0.1)),
    clock = list(NA, NA_real_, NaN, Inf, -1, c(0, NA), c(0, -1), "1", TRUE, list(1), NULL),
    stop("unknown kind ", kind)
  )
}

# One spec per function: valid arguments, and the kind of each argument to break.
arg_specs <- function() {
  fake <- fake_schedule()
  list(
    list("schedule_constant", list(lr = 0.1), c(lr = "nonneg")),
    list("schedule_step", list(initial_lr = 0.1, drop = 0.5, every = 10),
         c(initial_lr = "number_all", drop = "unit_open0", every = "positive")),
    list("schedule_multistep", list(initial_lr = 0.1, milestones = c(10, 20), gamma = 0.1),
         c(initial_lr = "positive", milestones = "vec_nonneg", gamma = "unit_open0")),
    list("schedule_piecewise", list(boundaries = c(10, 20), values = c(0.1, 0.01, 0.001)),
         c(boundaries = "vec_nonneg", values = "values")),
    list("schedule_exponential",
         list(initial_lr = 0.1, decay_rate = 0.96, decay_steps = 10, staircase = FALSE),
         c(initial_lr = "positive", decay_rate = "unit_open0", decay_steps = "positive",
           staircase = "flag")),
    list("schedule_exponential", list(initial_lr = 0.1, k = 0.5),
         c(k = "nonneg")),
    list("schedule_inverse_time",
         list(initial_lr = 0.1, decay_rate = 0.5, decay_steps = 1, staircase = FALSE),
         c(initial_lr = "positive", decay_rate = "nonneg", decay_steps = "positive",
           staircase = "flag")),
    list("schedule_polynomial",
         list(initial_lr = 0.1, decay_steps = 10, end_lr = 0, power = 1, cycle = FALSE),
         c(initial_lr = "positive", decay_steps = "positive", end_lr = "nonneg",
           power = "positive", cycle = "flag")),
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
    list("schedule_one_cycle",
         list(max_lr = 0.1, total_steps = 100, pct_start = 0.3, anneal = "cos",
              div_factor = 25, final_div_factor = 1e4, three_phase = FALSE),
         c(max_lr = "positive", total_steps = "whole2", pct_start = "unit_open",
           anneal = "choice", div_factor = "positive", final_div_factor = "positive",
           three_phase = "flag")),
    list("schedule_warmup",
         list(schedule = fake, warmup_steps = 5, start_lr = 0, shape = "linear"),
         c(schedule = "schedule", warmup_steps = "positive", start_lr = "nonneg",
           shape = "choice")),
    list("schedule_warmup",
         list(schedule = fake, warmup_steps = 5, start_lr = 0.001, shape = "exponential"),
         c(start_lr = "positive")),
    list("schedule_sequence", list(schedules = list(fake, fake), boundaries = 5),
         c(schedules = "schedules", boundaries = "vec_positive")),
    list("schedule_sequence", list(schedules = list(fake, fake, fake), boundaries = c(5, 10)),
         c(boundaries = "vec_positive")),
    list("schedule_function", list(fn = function(t) 0.1), c(fn = "fn")),
    list("lr_at", list(schedule = fake, t = 0), c(schedule = "schedule", t = "clock")),
    list("as_keras_schedule", list(schedule = fake, steps_per_epoch = 10),
         c(schedule = "schedule", steps_per_epoch = "positive_or_null"))
  )
}

# Every bad call, as list(call, arg): the call breaks exactly one argument.
bad_arg_cases <- function() {
  cases <- list()
  for (spec in arg_specs()) {
    fn <- spec[[1]]
    for (arg in names(spec[[3]])) {
      for (bad in bad_values(spec[[3]][[arg]])) {
        args <- spec[[2]]
        args[arg] <- list(bad)
        cases[[length(cases) + 1L]] <- list(call = as.call(c(as.name(fn), args)), arg = arg)
      }
    }
  }
  cases
}

# The cases that do not fail as they should (class, argument named, call
# reported), described.
misfiring_cases <- function(cases, env = globalenv()) {
  problems <- character()
  for (case in cases) {
    cnd <- tryCatch({
      eval(case$call, env)
      NULL
    }, error = identity)
    label <- paste(deparse(case$call, width.cutoff = 500L), collapse = " ")
    if (is.null(cnd)) {
      problems <- c(problems, paste0(label, ": no error"))
    } else if (!inherits(cnd, "lrdecay_error_argument")) {
      problems <- c(problems, paste0(label, ": error of class ", class(cnd)[1], ": ",
                                     conditionMessage(cnd)))
    } else if (!grepl(paste0("`", case$arg, "`"), cnd$message, fixed = TRUE)) {
      # (cnd$message: the message as made; conditionMessage() would format it again)
      problems <- c(problems, paste0(label, ": message does not name `", case$arg, "`: ",
                                     cnd$message))
    } else if (!is.call(cnd$call) || !identical(cnd$call[[1]], case$call[[1]])) {
      # The error is reported in the user's call, not in an internal checker.
      problems <- c(problems, paste0(label, ": error reported in ",
                                     paste(deparse(cnd$call), collapse = " ")))
    }
  }
  problems
}

test_that("every bad argument fails in R, naming it, before Python starts", {
  # One fresh R process runs every bad call: each must fail with class
  # "lrdecay_error_argument" and a message naming the argument, and Python must
  # still not be running at the end (nor after library(lrdecay)).
  cases <- bad_arg_cases()
  expect_gt(length(cases), 400)
  cases_file <- tempfile(fileext = ".rds")
  on.exit(unlink(cases_file), add = TRUE)
  saveRDS(cases, cases_file)
  res <- run_fresh_r(c(
    "suppressPackageStartupMessages(library(lrdecay))",
    "cat('after library:', reticulate::py_available(), '\\n')",
    paste("misfiring_cases <-", paste(deparse(misfiring_cases), collapse = "\n")),
    sprintf("cases <- readRDS(%s)", deparse(cases_file)),
    "problems <- misfiring_cases(cases)",
    "if (length(problems)) writeLines(paste('PROBLEM:', problems))",
    "cat('checked:', length(cases), '\\n')",
    "cat('after bad calls:', reticulate::py_available(), '\\n')"
  ))
  output <- paste(res$output, collapse = "\n")
  expect_equal(res$status, 0L, info = output)
  expect_equal(grep("^PROBLEM:", res$output, value = TRUE), character())
  expect_true(sprintf("checked: %d ", length(cases)) %in% res$output, info = output)
  expect_true("after library: FALSE " %in% res$output, info = output)
  expect_true("after bad calls: FALSE " %in% res$output, info = output)
})

test_that("error messages say argument, requirement and value (frozen wording)", {
  fake <- fake_schedule()
  expect_snapshot(error = TRUE, schedule_constant(-0.1))
  expect_snapshot(error = TRUE, schedule_step(NA))
  expect_snapshot(error = TRUE, schedule_step(0.01, drop = 2))
  expect_snapshot(error = TRUE, schedule_step(0.01, every = 0))
  expect_snapshot(error = TRUE, schedule_step(0.01, every = c(5, 10)))
  expect_snapshot(error = TRUE, schedule_step("0.01"))
  expect_snapshot(error = TRUE, schedule_multistep(0.1, milestones = c(30, 20)))
  expect_snapshot(error = TRUE, schedule_multistep(0.1, milestones = c(10, NA)))
  expect_snapshot(error = TRUE, schedule_piecewise(c(10, 20), c(0.1, 0.01)))
  expect_snapshot(error = TRUE, schedule_exponential(0.1))
  expect_snapshot(error = TRUE, schedule_exponential(0.1, decay_rate = 0.9, k = 0.1))
  expect_snapshot(error = TRUE, schedule_exponential(0.1, decay_rate = NaN))
  expect_snapshot(error = TRUE, schedule_exponential(0.1, 0.9, staircase = NA))
  expect_snapshot(error = TRUE, schedule_inverse_time(0.1, decay_rate = -Inf))
  expect_snapshot(error = TRUE, schedule_polynomial(0.1, decay_steps = Inf))
  expect_snapshot(error = TRUE, schedule_cosine(0.1, 50, alpha = 1.5))
  expect_snapshot(error = TRUE, schedule_cosine_restarts(0.1, 10, t_mul = 0.5))
  expect_snapshot(error = TRUE, schedule_linear(0.1, 0.01, steps = numeric()))
  expect_snapshot(error = TRUE, schedule_cyclic(0.1, 0.01, step_size = 5))
  expect_snapshot(error = TRUE, schedule_cyclic(0.001, 0.01, 5, mode = "exp"))
  expect_snapshot(error = TRUE, schedule_one_cycle(0.1, total_steps = 100.5))
  expect_snapshot(error = TRUE, schedule_one_cycle(0.1, total_steps = 3, pct_start = 0.1))
  expect_snapshot(error = TRUE, schedule_one_cycle(0.1, 100, anneal = NA))
  expect_snapshot(error = TRUE, schedule_warmup(list(fake), 5))
  expect_snapshot(error = TRUE, schedule_warmup(fake, 5, shape = "exponential"))
  expect_snapshot(error = TRUE, schedule_sequence(list(fake, 1), 5))
  expect_snapshot(error = TRUE, schedule_sequence(list(fake, fake), c(5, 10)))
  expect_snapshot(error = TRUE, schedule_sequence(list(fake, fake)))
  expect_snapshot(error = TRUE, schedule_function("mean"))
  expect_snapshot(error = TRUE, lr_at(fake, c(0, NA, -1, Inf)))
  expect_snapshot(error = TRUE, lr_at(fake, "10"))
  expect_snapshot(error = TRUE, lr_at(list(), 1))
  expect_snapshot(error = TRUE, as_keras_schedule(fake, steps_per_epoch = 0))
})

# -- the checkers themselves ---------------------------------------------------

test_that("check_number() returns a double and enforces its bounds", {
  check_number <- lrdecay:::check_number
  expect_identical(check_number(1L), 1)
  expect_identical(check_number(c(a = 0.5), 0, 1), 0.5)
  expect_identical(check_number(1, 0, 1), 1)
  expect_error(check_number(1, 0, 1, upper_open = TRUE), class = "lrdecay_error_argument")
  expect_error(check_number(0, 0, 1, lower_open = TRUE), class = "lrdecay_error_argument")
  expect_error(check_number(-1e-300, lower = 0), class = "lrdecay_error_argument")
  expect_error(check_number(NA_integer_), class = "lrdecay_error_argument")
  expect_error(check_number(matrix(1:4, 2)), class = "lrdecay_error_argument")
  expect_error(check_number(factor("1")), class = "lrdecay_error_argument")
  expect_error(check_number(as.Date("2020-01-01")), class = "lrdecay_error_argument")
  x <- -2
  expect_error(check_number(x, lower = 0), "`x` must be a non-negative number, not -2.",
               fixed = TRUE)
})

test_that("check_whole() coerces R doubles to the integers Python needs", {
  check_whole <- lrdecay:::check_whole
  expect_identical(check_whole(100), 100L)
  expect_identical(check_whole(100L), 100L)
  expect_identical(check_whole(2, lower = 2), 2L)
  expect_identical(check_whole(1e10), 1e10)  # beyond R's integers: a whole double
  expect_error(check_whole(100.5), class = "lrdecay_error_argument")
  expect_error(check_whole(1, lower = 2), "a whole number >= 2", class = "lrdecay_error_argument")
  expect_error(check_whole(0), "a positive whole number", class = "lrdecay_error_argument")
  expect_error(check_whole(Inf), class = "lrdecay_error_argument")
})

test_that("check_flag(), check_choice() and check_function() accept only their type", {
  expect_true(lrdecay:::check_flag(TRUE))
  for (bad in list(NA, 1, "TRUE", c(TRUE, TRUE), logical(), NULL)) {
    expect_error(lrdecay:::check_flag(bad), class = "lrdecay_error_argument")
  }
  expect_identical(lrdecay:::check_choice("b", c("a", "b")), "b")
  for (bad in list("B", NA_character_, 1, c("a", "b"), character(), NULL)) {
    expect_error(lrdecay:::check_choice(bad, c("a", "b")), class = "lrdecay_error_argument")
  }
  expect_identical(lrdecay:::check_function(identity), identity)
  expect_error(lrdecay:::check_function("identity"), class = "lrdecay_error_argument")
})

test_that("check_numbers() returns doubles and rejects bad vectors", {
  check_numbers <- lrdecay:::check_numbers
  expect_identical(check_numbers(c(1L, 5L), lower = 0, increasing = TRUE), c(1, 5))
  expect_identical(check_numbers(5), 5)
  expect_error(check_numbers(c(5, 1), increasing = TRUE), "strictly increasing",
               class = "lrdecay_error_argument")
  expect_error(check_numbers(c(1, 1), increasing = TRUE), "strictly increasing",
               class = "lrdecay_error_argument")
  expect_error(check_numbers(c(0, 1), lower = 0, lower_open = TRUE),
               class = "lrdecay_error_argument")
  expect_error(check_numbers(numeric()), class = "lrdecay_error_argument")
  expect_error(check_numbers(list(1, 2)), class = "lrdecay_error_argument")
})

test_that("check_clock() takes numeric vectors of finite t >= 0, of any length", {
  check_clock <- lrdecay:::check_clock
  expect_identical(check_clock(0:2), c(0, 1, 2))
  expect_identical(check_clock(numeric()), numeric())
  expect_identical(check_clock(integer()), numeric())
  expect_identical(check_clock(c(a = 1.5)), 1.5)
  t <- c(1, -2, NA)
  expect_error(check_clock(t), "`t` must be a vector of non-negative finite numbers, not c(-2, NA).",
               fixed = TRUE, class = "lrdecay_error_argument")
})

test_that("show_value() describes what was given", {
  show_value <- lrdecay:::show_value
  expect_identical(show_value(NULL), "NULL")
  expect_identical(show_value(NA), "NA")
  expect_identical(show_value(NA_real_), "NA")
  expect_identical(show_value(NaN), "NaN")
  expect_identical(show_value(-Inf), "-Inf")
  expect_identical(show_value(0.1), "0.1")
  expect_identical(show_value(1e-20), "1e-20")
  expect_identical(show_value("a"), "\"a\"")
  expect_identical(show_value(TRUE), "TRUE")
  expect_identical(show_value(numeric()), "an empty double vector")
  expect_identical(show_value(list(1, 2)), "a list of length 2")
  expect_identical(show_value(mean), "a function")
  expect_identical(show_value(1:3), "c(1, 2, 3)")
  expect_identical(show_value(1:10), "c(1, 2, 3, 4, 5, 6, ...)")
  expect_identical(show_value(factor("a")), "a factor")
})
