# compare_schedules() from R: the demo's training runs in Python; R converts and presents.

test_that("compare_schedules() trains each schedule on each seed, one row per schedule", {
  skip_without_keras()
  skip_if_not(reticulate::py_module_available("sklearn"), "scikit-learn is not available")
  schedules <- list(constant = schedule_constant(0.1),
                    "cosine to zero" = schedule_cosine(0.1, 2),
                    again = schedule_constant(0.1))
  res <- compare_schedules(schedules, epochs = 2, seeds = 2, output = NULL, seed = 3,
                           verbose = 0, workers = 1)
  expect_s3_class(res, "data.frame")
  expect_identical(res$schedule, names(schedules))
  expect_identical(names(res), c("schedule", "final_lr", "test_accuracy", "test_loss",
                                 "test_accuracy_sd", "test_loss_sd", "seconds"))
  # The rate of the last epoch (0-based epoch 1): the schedule's.
  expect_equal(res$final_lr, vapply(schedules, lr_at, 0, t = 1), tolerance = 1e-7,
               ignore_attr = TRUE)
  expect_true(all(res$test_accuracy >= 0 & res$test_accuracy <= 1))
  expect_true(all(res$test_loss_sd > 0))
  # The same schedule under two names: the same weights and batches on each seed.
  expect_identical(res[1, -c(1, 7)], res[3, -c(1, 7)], ignore_attr = TRUE)
})

test_that("compare_schedules() shows a progress bar and warns about a plan before training", {
  skip_without_keras()
  skip_if_not(reticulate::py_module_available("sklearn"), "scikit-learn is not available")
  withr::local_options(cli.dynamic = FALSE, cli.progress_show_after = 0)
  schedules <- list(steps = schedule_cosine(0.1, 1000))
  out <- NULL
  cnd <- expect_warning(
    out <- capture.output(
      res <- compare_schedules(schedules, epochs = 1, seeds = 2, output = NULL,
                               workers = 1),
      type = "message"
    ),
    "compare_schedules() (\"steps\")", fixed = TRUE, class = "lrdecay_warning_schedule"
  )
  expect_match(conditionMessage(cnd), paste0("to turn this check off: suppressWarnings(..., ",
                                            "classes = \"lrdecay_warning_schedule\")."),
               fixed = TRUE)
  expect_match(paste(out, collapse = "\n"), "2/2 fits | steps, seed 43", fixed = TRUE)
  expect_identical(res$schedule, "steps")
})

test_that("compare_schedules() refuses bad arguments before training, in its own call", {
  skip_without_keras()
  expect_error(compare_schedules(list(schedule_constant(0.1)), epochs = 1),
               "`schedules` must be a named list of lrdecay schedules",
               class = "lrdecay_error_argument")
  expect_error(compare_schedules(epochs = NA), "`epochs` must be a single number, not NA.",
               fixed = TRUE, class = "lrdecay_error_argument")
  cnd <- expect_error(compare_schedules(epochs = 0, output = NULL), "`epochs`",
                      class = "lrdecay_error_argument")
  expect_identical(cnd$call, quote(compare_schedules(epochs = 0, output = NULL)))
  cnd <- expect_error(compare_schedules(epochs = 1, output = tempfile(fileext = ".pdf")),
                      "`output`", class = "lrdecay_error_argument")
  expect_identical(cnd$call[[1]], quote(compare_schedules))
})
