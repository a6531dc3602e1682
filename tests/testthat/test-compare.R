# compare_schedules() from R: the demo's training runs in Python; R converts and presents.

test_that("compare_schedules() trains each schedule on each seed: a comparison object", {
  skip_without_keras()
  skip_if_not(reticulate::py_module_available("sklearn"), "scikit-learn is not available")
  schedules <- list(constant = schedule_constant(0.1),
                    "cosine to zero" = schedule_cosine(0.1, 2),
                    again = schedule_constant(0.1))
  withr::local_dir(withr::local_tempdir())
  res <- compare_schedules(schedules, epochs = 2, seeds = 2, seed = 3, verbose = 0,
                           workers = 1)
  expect_identical(list.files(), character())  # output = NULL: no file
  expect_s3_class(res, c("lrdecay_comparison", "data.frame"), exact = TRUE)
  expect_identical(res$schedule, names(schedules))
  columns <- c("schedule", "final_lr", "test_accuracy", "test_accuracy_sd", "test_loss",
               "test_loss_sd", "seconds")
  expect_identical(names(res), columns)
  # The rate of the last epoch (0-based epoch 1): the schedule's.
  expect_equal(res$final_lr, vapply(schedules, lr_at, 0, t = 1), tolerance = 1e-7,
               ignore_attr = TRUE)
  expect_true(all(res$test_accuracy >= 0 & res$test_accuracy <= 1))
  expect_true(all(res$test_loss_sd > 0))
  # The same schedule under two names: the same weights and batches on each seed.
  expect_identical(res[1, 2:6], res[3, 2:6], ignore_attr = TRUE)

  per_seed <- attr(res, "per_seed")
  expect_identical(names(per_seed), c("schedule", "seed", "final_lr", "test_accuracy",
                                      "test_loss", "seconds"))
  expect_identical(per_seed$schedule, rep(names(schedules), each = 2))
  expect_identical(per_seed$seed, rep(3:4, 3))
  means <- tapply(per_seed$test_loss, per_seed$schedule, mean)[names(schedules)]
  sds <- tapply(per_seed$test_accuracy, per_seed$schedule, sd)[names(schedules)]
  expect_equal(res$test_loss, as.vector(means))
  expect_equal(res$test_accuracy_sd, as.vector(sds))

  curves <- attr(res, "curves")
  expect_identical(names(curves), c("schedule", "epoch", "lr", "val_loss", "val_loss_sd"))
  expect_identical(curves$epoch, rep(0:1, 3))
  cosine <- curves[curves$schedule == "cosine to zero", ]
  expect_equal(cosine$lr, lr_at(schedules[[2]], 0:1), tolerance = 1e-7)
  expect_true(all(cosine$val_loss_sd > 0))

  # One seed: the same columns, NaN sds.
  one <- compare_schedules(schedules[1], epochs = 1, seeds = 1, verbose = 0, workers = 1)
  expect_identical(names(one), columns)
  expect_true(is.nan(one$test_accuracy_sd) && is.nan(one$test_loss_sd))
  expect_identical(nrow(attr(one, "per_seed")), 1L)
  expect_identical(attr(one, "per_seed")$test_loss, one$test_loss)
})

# A comparison from Python-shaped rows (no training): accuracy 0.95 +- 0.01 and 0.90 +- 0.01.
fake_rows <- function(sd = 0.01) {
  row <- function(name, acc, loss) {
    list(schedule = name, final_lr = 0.05, test_accuracy = acc, test_accuracy_sd = sd,
         test_loss = loss, test_loss_sd = sd, seconds = 2.25, lr = list(0.1, 0.05),
         val_loss = list(0.5, loss), val_loss_sd = list(sd, sd),
         per_seed = list(list(seed = 42L, final_lr = 0.05, test_accuracy = acc,
                              test_loss = loss, seconds = 2.25)))
  }
  list(row("constant", 0.95, 0.2), row("a schedule with a long name", 0.90, 0.205))
}

test_that("print() shows a table of means and sds in 100 columns, and which differences are real", {
  skip_if_no_python()
  withr::local_options(width = 200)
  res <- lrdecay:::new_lrdecay_comparison(fake_rows(), lrdecay:::compare_module())
  out <- capture.output(print(res))
  pm <- if (isTRUE(l10n_info()[["UTF-8"]])) "\u00b1" else "+/-"
  expect_identical(out[1:4], c(
    sprintf("schedule                     final LR  test accuracy (%s sd)  test loss (%s sd)  s/fit", pm, pm),
    strrep("-", nchar(out[1])),
    sprintf("constant                         0.05       0.9500 %s 0.0100   0.2000 %s 0.0100    2.2", pm, pm),
    sprintf("a schedule with a long name      0.05       0.9000 %s 0.0100   0.2050 %s 0.0100    2.2", pm, pm)
  ))
  text <- paste(out[-(1:4)], collapse = " ")
  expect_match(text, "larger than their combined standard deviation sqrt(sd1^2 + sd2^2)",
               fixed = TRUE)
  expect_match(text, paste("Test accuracy: 1 of 1 pair of schedules differs by more than the",
                           "spread. The best, constant (0.95), is higher than a schedule with a",
                           "long name's by 0.05"), fixed = TRUE)
  expect_match(text, "Test loss: 0 of 1 pair of schedules differ by more than the spread.",
               fixed = TRUE)
  expect_true(all(nchar(out) <= 100))
  capture.output(expect_invisible(print(res)))
  # digits; a narrow console wraps the sentences, not the table.
  withr::local_options(width = 60)
  out <- format(res, digits = 2)
  expect_match(out[3], sprintf("0.95 %s 0.01", pm), fixed = TRUE)
  expect_true(all(nchar(out[-(1:4)]) <= 60))
  # One seed: the means alone, and why nothing can be told apart.
  res <- lrdecay:::new_lrdecay_comparison(fake_rows(NaN), lrdecay:::compare_module())
  out <- format(res)
  expect_false(any(grepl(pm, out, fixed = TRUE)))
  expect_match(paste(out, collapse = " "), "With one seed per schedule the spread over seeds is unknown")
})

test_that("plot() of a comparison draws with ggplot2, or with base graphics", {
  skip_if_no_python()
  res <- lrdecay:::new_lrdecay_comparison(fake_rows(), lrdecay:::compare_module())
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off(), add = TRUE)
  if (requireNamespace("ggplot2", quietly = TRUE)) {
    drawn <- withVisible(plot(res))
    expect_false(drawn$visible)
    expect_s3_class(drawn$value, "ggplot")
  }
  withr::local_options(lrdecay.ggplot = FALSE)
  expect_identical(withVisible(plot(res)), list(value = res, visible = FALSE))
  expect_equal(graphics::par("usr")[1:2], c(0, 1) + c(-1, 1) * 0.04)  # the 0-based epochs
})

test_that("compare_schedules() shows a progress bar and warns about a plan before training", {
  skip_without_keras()
  skip_if_not(reticulate::py_module_available("sklearn"), "scikit-learn is not available")
  withr::local_options(cli.dynamic = FALSE, cli.progress_show_after = 0)
  schedules <- list(steps = schedule_cosine(0.1, 1000))
  out <- NULL
  cnd <- expect_warning(
    out <- capture.output(
      res <- compare_schedules(schedules, epochs = 1, seeds = 2, workers = 1),
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
