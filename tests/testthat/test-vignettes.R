# Every vignette, knitted as R CMD check builds it: none trains with a schedule that the
# check run when training begins finds fault with. The check's warning (R's, class
# lrdecay_warning_schedule, and Python's ScheduleWarning from the Python vignette's
# chunks) shows in the knitted document as a reader would see it; the test reads it there.

vignette_sources <- function() {
  dir <- testthat::test_path("..", "..", "vignettes")
  if (!dir.exists(dir)) dir <- system.file("doc", package = "lrdecay")  # under R CMD check
  normalizePath(list.files(dir, pattern = "[.]Rmd$", full.names = TRUE))
}

test_that("no vignette trains with a schedule that does not fit its training", {
  skip_without_keras()
  skip_on_cran()
  sources <- vignette_sources()
  expect_setequal(basename(sources), c("custom-callbacks.Rmd", "getting-started.Rmd",
                                       "python.Rmd", "schedule-gallery.Rmd"))
  withr::local_dir(withr::local_tempdir())
  for (rmd in sources) {
    md <- knitr::knit(rmd, output = sub("[.]Rmd$", ".md", basename(rmd)), quiet = TRUE,
                      envir = new.env(parent = globalenv()))
    text <- readLines(md, warn = FALSE)
    # The chunks ran (a vignette whose code did not run would pass vacuously).
    expect_true(sum(startsWith(text, "#> ") | startsWith(text, "## ")) > 5, label = rmd)
    found <- grep("the learning-rate schedule has [0-9]+ problems? for this training", text,
                  value = TRUE)
    expect_identical(found, character(), label = basename(rmd))
  }
})
