# compare_schedules() from R: the demo's training runs in Python; R converts and presents.

test_that("compare_schedules() trains each schedule and gives one row per schedule", {
  skip_without_keras()
  skip_if_not(reticulate::py_module_available("sklearn"), "scikit-learn is not available")
  schedules <- list(constant = schedule_constant(0.1),
                    "cosine to zero" = schedule_cosine(0.1, 1))
  out <- reticulate::py_capture_output(
    res <- compare_schedules(schedules, epochs = 2, output = NULL, seed = 3, verbose = 1)
  )
  expect_s3_class(res, "data.frame")
  expect_identical(res$schedule, names(schedules))
  expect_true(all(c("final_lr", "test_accuracy", "test_loss", "seconds") %in% names(res)))
  # The rate of the last epoch (0-based epoch 1): the schedule's.
  expect_equal(res$final_lr, c(lr_at(schedules[[1]], 1), lr_at(schedules[[2]], 1)),
               tolerance = 1e-7)
  expect_true(all(res$test_accuracy >= 0 & res$test_accuracy <= 1))
  expect_match(out, "Epoch 01: learning rate = 0.1", fixed = TRUE)
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
