test_that("a Python without numpy gets an error that says how to get one", {
  python <- Sys.which("python3")
  skip_if(!nzchar(python), "no python3 on the PATH to make a test environment")
  home <- withr::local_tempdir()
  venv <- file.path(home, "no-numpy")
  status <- system2(python, c("-m", "venv", "--without-pip", venv))
  skip_if(status != 0, "python3 cannot create a virtual environment here")
  script <- withr::local_tempfile(fileext = ".R")
  writeLines(c(
    "library(lrdecay)",
    "r <- tryCatch(lr_at(schedule_constant(0.1), 0), error = function(e) conditionMessage(e))",
    "cat(r, '\\n')",
    "cat('python:', reticulate::py_config()$python, '\\n')"
  ), script)
  env <- c(paste0("RETICULATE_PYTHON=", file.path(venv, "bin", "python")), "R_TESTS=",
           paste0("R_LIBS=", paste(.libPaths(), collapse = ":")))
  out <- system2(file.path(R.home("bin"), "Rscript"), script, env = env, stdout = TRUE,
                 stderr = TRUE)
  out <- paste(out, collapse = "\n")
  expect_match(out, "lrdecay could not load its Python module", fixed = TRUE)
  expect_match(out, "No module named 'numpy'", fixed = TRUE)
  expect_match(out, "keras3::install_keras()", fixed = TRUE)
  expect_match(out, "install_lrdecay()", fixed = TRUE)
  expect_match(out, file.path(venv, "bin", "python"), fixed = TRUE)
})

test_that("install_lrdecay() checks its arguments before creating anything", {
  expect_error(install_lrdecay(envname = NA), "`envname` must be a single environment name",
               class = "lrdecay_error_argument")
  expect_error(install_lrdecay(packages = character()), "`packages` must be a character vector",
               class = "lrdecay_error_argument")
})
