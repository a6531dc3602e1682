# What R checks itself (R/checks.R): an argument is present, of length one, not NA, of
# the right type; whole numbers become integers and vectors lists. These errors are
# R's own: they need no Python. Every range and cross-argument rule is Python's (see
# test-errors.R).

# A stand-in for a schedule (a Python object to R's eye), for calls that must fail in R
# before Python is reached.
fake_schedule <- function() {
  structure(new.env(), class = c("lrdecay.Cosine", "lrdecay.Schedule", "python.builtin.object"))
}

# Bad R values of each kind, and the words the message must have.
r_bad_values <- function(kind) {
  switch(kind,
    number = list(NA, NA_real_, NA_integer_, c(0.1, 0.2), numeric(), "0.1", TRUE, list(0.1),
                  factor("1"), as.Date("2020-01-01")),
    flag = list(NA, "TRUE", 1, c(TRUE, FALSE), logical()),
    string = list(NA_character_, 1, c("triangular", "exp_range"), character(), TRUE),
    numbers = list(NA, c(1, NA), "10", list(1, 2), TRUE, factor(1)),
    schedule = list(1, "cosine", list(), function(t) 0.1),
    fn = list(1, "mean", list(function(t) 0.1)),
    clock = list(NA, NA_real_, c(0, NA), "1", TRUE, list(1), NULL, factor(1)),
    stop("unknown kind ", kind)
  )
}

# One spec per function: valid arguments, and the kind of each argument to break.
r_arg_specs <- function() {
  fake <- fake_schedule()
  list(
    list("schedule_constant", list(lr = 0.1), c(lr = "number")),
    list("schedule_step", list(initial_lr = 0.1, drop = 0.5, every = 10),
         c(initial_lr = "number", drop = "number", every = "number")),
    list("schedule_multistep", list(initial_lr = 0.1, milestones = c(10, 20), gamma = 0.1),
         c(initial_lr = "number", milestones = "numbers", gamma = "number")),
    list("schedule_piecewise", list(boundaries = c(10, 20), values = c(0.1, 0.01, 0.001)),
         c(boundaries = "numbers", values = "numbers")),
    list("schedule_exponential",
         list(initial_lr = 0.1, decay_steps = 10, decay_rate = 0.96, staircase = FALSE),
         c(initial_lr = "number", decay_steps = "number", decay_rate = "number",
           staircase = "flag")),
    list("schedule_exponential", list(initial_lr = 0.1, k = 0.5), c(k = "number")),
    list("schedule_inverse_time",
         list(initial_lr = 0.1, decay_steps = 1, decay_rate = 0.5, staircase = FALSE),
         c(initial_lr = "number", decay_steps = "number", decay_rate = "number",
           staircase = "flag")),
    list("schedule_polynomial",
         list(initial_lr = 0.1, decay_steps = 10, end_lr = 0, power = 1, cycle = FALSE),
         c(initial_lr = "number", decay_steps = "number", end_lr = "number",
           power = "number", cycle = "flag")),
    list("schedule_cosine", list(initial_lr = 0.1, decay_steps = 10, alpha = 0),
         c(initial_lr = "number", decay_steps = "number", alpha = "number")),
    list("schedule_cosine_restarts",
         list(initial_lr = 0.1, first_decay_steps = 10, t_mul = 2, m_mul = 1, alpha = 0),
         c(initial_lr = "number", first_decay_steps = "number", t_mul = "number",
           m_mul = "number", alpha = "number")),
    list("schedule_linear", list(start_lr = 0.1, end_lr = 0.01, steps = 10),
         c(start_lr = "number", end_lr = "number", steps = "number")),
    list("schedule_cyclic",
         list(base_lr = 0.01, max_lr = 0.1, step_size = 5, mode = "triangular", gamma = 1),
         c(base_lr = "number", max_lr = "number", step_size = "number", mode = "string",
           gamma = "number")),
    list("schedule_one_cycle",
         list(max_lr = 0.1, total_steps = 100, pct_start = 0.3, anneal = "cos",
              div_factor = 25, final_div_factor = 1e4, three_phase = FALSE),
         c(max_lr = "number", total_steps = "number", pct_start = "number",
           anneal = "string", div_factor = "number", final_div_factor = "number",
           three_phase = "flag")),
    list("schedule_warmup",
         list(schedule = fake, warmup_steps = 5, start_lr = 0, shape = "linear"),
         c(schedule = "schedule", warmup_steps = "number", start_lr = "number",
           shape = "string")),
    list("schedule_function", list(fn = function(t) 0.1), c(fn = "fn")),
    list("lr_at", list(schedule = fake, t = 0), c(schedule = "schedule", t = "clock")),
    list("as_keras_schedule", list(schedule = fake, steps_per_epoch = 10, check = TRUE),
         c(schedule = "schedule", steps_per_epoch = "number", check = "flag")),
    list("callback_lr_scheduler", list(schedule = fake, verbose = 0, check = TRUE),
         c(verbose = "number", check = "flag")),
    list("callback_lr_logger", list(verbose = 1), c(verbose = "number")),
    list("callback_lr_custom", list(on_epoch_begin = function(epoch, lr, logs) NULL),
         c(on_epoch_begin = "fn", on_batch_begin = "fn")),
    list("set_learning_rate", list(model = fake, value = 0.1), c(value = "number")),
    list("compare_schedules", list(epochs = 15), c(epochs = "number", seeds = "number",
                                                  batch_size = "number", seed = "number",
                                                  verbose = "number", workers = "number"))
  )
}

# Every bad call, as list(call, arg): the call breaks exactly one argument.
r_bad_arg_cases <- function() {
  cases <- list()
  for (spec in r_arg_specs()) {
    for (arg in names(spec[[3]])) {
      for (bad in r_bad_values(spec[[3]][[arg]])) {
        args <- spec[[2]]
        args[arg] <- list(bad)
        cases[[length(cases) + 1L]] <- list(call = as.call(c(as.name(spec[[1]]), args)),
                                            arg = arg)
      }
    }
  }
  cases
}

# The cases that do not fail as they should (class, argument named, user's call
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
    } else if (!inherits(cnd, "lrdecay_error_argument") || !inherits(cnd, "lrdecay_error")) {
      problems <- c(problems, paste0(label, ": error of class ", class(cnd)[1], ": ",
                                     conditionMessage(cnd)))
    } else if (!grepl(paste0("`", case$arg, "`"), cnd$message, fixed = TRUE) ||
               !grepl(" must be ", cnd$message, fixed = TRUE) ||
               !grepl(", not ", cnd$message, fixed = TRUE)) {
      # (cnd$message: the message as made; conditionMessage() would format it again)
      problems <- c(problems, paste0(label, ": message does not say `", case$arg,
                                     "` must be ..., not ...: ", cnd$message))
    } else if (!is.call(cnd$call) || !identical(cnd$call[[1]], case$call[[1]])) {
      problems <- c(problems, paste0(label, ": error reported in ",
                                     paste(deparse(cnd$call), collapse = " ")))
    }
  }
  problems
}

test_that("R-own bad values (NA, length, type) fail in R, naming the argument, before Python starts", {
  # One fresh R process runs every bad call: each must fail with class
  # "lrdecay_error_argument", a message "`arg` must be ..., not ...", reported in the
  # user's call; and Python must still not be running at the end.
  cases <- r_bad_arg_cases()
  expect_gt(length(cases), 250)
  cases_file <- withr::local_tempfile(fileext = ".rds")
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

test_that("a required argument left out is named, in the user's call", {
  # Before: "Error in check_number(decay_steps, ...)": an internal function's name.
  expect_snapshot(error = TRUE, schedule_linear(0.1))
  expect_snapshot(error = TRUE, schedule_step())
  expect_snapshot(error = TRUE, schedule_sequence())
  expect_snapshot(error = TRUE, callback_lr_scheduler())
  # WSD's decay_steps, left out, gets Python's message (what it must be: a length)
  cnd <- expect_error(schedule_wsd(0.1, 3), class = "lrdecay_error_argument")
  expect_identical(cnd$call[[1]], quote(schedule_wsd))
  expect_match(cnd$message, "`decay_steps` must be given", fixed = TRUE)
  for (call in list(quote(schedule_piecewise(c(1, 2))),
                    quote(schedule_cosine_restarts(0.1)), quote(schedule_warmup(warmup_steps = 2)),
                    quote(lr_at(t = 1)), quote(schedule_function()))) {
    cnd <- expect_error(eval(call), class = "lrdecay_error_argument")
    expect_identical(cnd$call[[1]], call[[1]])
    expect_match(cnd$message, "is absent but must be supplied", fixed = TRUE)
  }
})

test_that("R-own error messages say argument, requirement and value (frozen wording)", {
  fake <- fake_schedule()
  expect_snapshot(error = TRUE, schedule_step(NA))
  expect_snapshot(error = TRUE, schedule_step(0.01, drop = NA))
  expect_snapshot(error = TRUE, schedule_step(0.01, every = c(5, 10)))
  expect_snapshot(error = TRUE, schedule_step("0.01"))
  expect_snapshot(error = TRUE, schedule_multistep(0.1, milestones = c(10, NA)))
  expect_snapshot(error = TRUE, schedule_exponential(0.1, 1000, 0.9, staircase = NA))
  expect_snapshot(error = TRUE, schedule_linear(0.1, 0.01, steps = numeric()))
  expect_snapshot(error = TRUE, schedule_cyclic(0.001, 0.01, 5, mode = NA))
  expect_snapshot(error = TRUE, schedule_warmup(list(fake), 5))
  expect_snapshot(error = TRUE, schedule_sequence(list(fake, 1), 5))
  expect_snapshot(error = TRUE, schedule_function("mean"))
  expect_snapshot(error = TRUE, lr_at(fake, c(0, NA)))
  expect_snapshot(error = TRUE, lr_at(fake, "10"))
  expect_snapshot(error = TRUE, lr_at(list(), 1))
  expect_snapshot(error = TRUE, callback_lr_scheduler(0.1))
  expect_snapshot(error = TRUE, set_learning_rate(list(), 0.1))
})

# -- the coercers themselves ------------------------------------------------------

test_that("as_number() takes one number (NaN and Inf too), returns a double, passes NULL", {
  as_number <- lrdecay:::as_number
  expect_identical(as_number(1L), 1)
  expect_identical(as_number(c(a = 0.5)), 0.5)
  expect_identical(as_number(NaN), NaN)
  expect_identical(as_number(-Inf), -Inf)  # Python says what range it must be in
  expect_null(as_number(NULL))
  for (bad in list(NA, NA_integer_, matrix(1:4, 2), factor("1"), as.Date("2020-01-01"),
                   "1", TRUE, list(1), numeric())) {
    expect_error(as_number(bad), class = "lrdecay_error_argument")
  }
  x <- NA
  expect_error(as_number(x), "`x` must be a single number, not NA.", fixed = TRUE,
               class = "lrdecay_error")
})

test_that("as_whole() gives R integers for whole numbers, leaves the rest to Python", {
  as_whole <- lrdecay:::as_whole
  expect_identical(as_whole(100), 100L)
  expect_identical(as_whole(100L), 100L)
  expect_identical(as_whole(-3), -3L)
  expect_identical(as_whole(1e10), 1e10)  # beyond R's integers: a whole double
  expect_identical(as_whole(100.5), 100.5)  # Python says it must be whole
  expect_identical(as_whole(Inf), Inf)
  expect_null(as_whole(NULL))
  expect_error(as_whole(NA), "`NA` must be a single number", class = "lrdecay_error_argument")
})

test_that("as_flag(), as_string() and as_function() accept only their type", {
  expect_true(lrdecay:::as_flag(TRUE))
  expect_null(lrdecay:::as_flag(NULL))
  for (bad in list(NA, 1, "TRUE", c(TRUE, TRUE), logical())) {
    expect_error(lrdecay:::as_flag(bad), class = "lrdecay_error_argument")
  }
  expect_identical(lrdecay:::as_string("b"), "b")
  for (bad in list(NA_character_, 1, c("a", "b"), character(), factor("a"))) {
    expect_error(lrdecay:::as_string(bad), class = "lrdecay_error_argument")
  }
  expect_identical(lrdecay:::as_function(identity), identity)
  expect_null(lrdecay:::as_function(NULL))
  expect_error(lrdecay:::as_function("identity"), class = "lrdecay_error_argument")
})

test_that("as_numbers() gives a list of doubles, for any length", {
  as_numbers <- lrdecay:::as_numbers
  expect_identical(as_numbers(c(1L, 5L)), list(1, 5))
  expect_identical(as_numbers(5), list(5))
  expect_identical(as_numbers(numeric()), list())
  expect_identical(as_numbers(c(20, 10)), list(20, 10))  # order is Python's rule
  expect_identical(as_numbers(c(1, NaN)), list(1, NaN))
  expect_null(as_numbers(NULL))
  expect_error(as_numbers(c(1, NA)), "`c(1, NA)` must be a numeric vector without NA",
               fixed = TRUE, class = "lrdecay_error_argument")
  expect_error(as_numbers(list(1, 2)), class = "lrdecay_error_argument")
  expect_error(as_numbers("1"), class = "lrdecay_error_argument")
})

test_that("as_clock() gives a plain double vector; NA is refused in R", {
  as_clock <- lrdecay:::as_clock
  expect_identical(as_clock(0:2), c(0, 1, 2))
  expect_identical(as_clock(numeric()), numeric())
  expect_identical(as_clock(integer()), numeric())
  expect_identical(as_clock(c(a = 1.5)), 1.5)
  expect_identical(as_clock(matrix(0:3, 2)), c(0, 1, 2, 3))
  expect_identical(as_clock(c(-1, Inf)), c(-1, Inf))  # Python's rule
  t <- c(1, NA, 2, NA)
  expect_error(as_clock(t), "`t` must be a numeric vector without NA, not c(NA, NA).",
               fixed = TRUE, class = "lrdecay_error_argument")
})

test_that("show_value() describes what was given, in R syntax", {
  show_value <- lrdecay:::show_value
  expect_identical(show_value(NULL), "NULL")
  expect_identical(show_value(NA), "NA")
  expect_identical(show_value(NA_real_), "NA")
  expect_identical(show_value(NA_character_), "NA")
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
  expect_identical(show_value(as.Date("2020-01-01")), "a Date")
})
