# Every vignette, as R CMD build knitted it into the installed package (knitted here when the
# package was installed without its vignettes): none trains with a schedule that the check run
# when training begins finds fault with. The check's warning (R's, class
# lrdecay_warning_schedule, and Python's ScheduleWarning from the Python vignette's chunks) shows
# in the knitted document as a reader would see it; the test reads it there.

knitted_vignettes <- function() {
  built <- list.files(system.file("doc", package = "lrdecay"), pattern = "[.]html$",
                      full.names = TRUE)
  built <- built[basename(built) != "index.html"]
  if (length(built) > 0) return(built)
  dir <- testthat::test_path("..", "..", "vignettes")
  withr::local_dir(withr::local_tempdir(), .local_envir = parent.frame())
  vapply(normalizePath(list.files(dir, pattern = "[.]Rmd$", full.names = TRUE)), function(rmd) {
    knitr::knit(rmd, output = sub("[.]Rmd$", ".md", basename(rmd)), quiet = TRUE,
                envir = new.env(parent = globalenv()))
  }, character(1))
}

test_that("no vignette trains with a schedule that does not fit its training", {
  skip_without_keras()
  skip_on_cran()
  docs <- knitted_vignettes()
  expect_setequal(tools::file_path_sans_ext(basename(docs)),
                  c("custom-callbacks", "getting-started", "python", "schedule-gallery"))
  for (doc in docs) {
    text <- readLines(doc, warn = FALSE)
    # The chunks ran (a vignette whose code did not run would pass vacuously).
    expect_true(sum(grepl("(#>|#&gt;|## ) ", text)) > 5, label = basename(doc))
    found <- grep("the learning-rate schedule has [0-9]+ problems? for this training", text,
                  value = TRUE)
    expect_identical(found, character(), label = basename(doc))
  }
})
