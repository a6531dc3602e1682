# lrdecay in a fresh R session beside keras3, as users start one: no masking messages, and
# a `.keras` file holding an lrdecay in-graph schedule loads with keras3's load_model()
# after library(lrdecay), whichever of keras3 and lrdecay imported Keras first.

test_that("library(keras3) and library(lrdecay), in either order, print no masking message", {
  for (order in list(c("keras3", "lrdecay"), c("lrdecay", "keras3"))) {
    res <- run_fresh_r(c(
      sprintf("library(%s)", order),
      "cat('attached:', search()[2:3], '\\n')"
    ))
    output <- paste(res$output, collapse = "\n")
    expect_equal(res$status, 0L, info = output)
    expect_match(output, sprintf("attached: package:%s package:%s", order[2], order[1]),
                 fixed = TRUE)
    expect_no_match(output, "masked", fixed = TRUE)
  }
  # lrdecay exports no keras3 name but magrittr's pipe, the very same object as keras3's.
  shared <- intersect(getNamespaceExports("lrdecay"), getNamespaceExports("keras3"))
  expect_identical(shared, "%>%")
  expect_identical(lrdecay::`%>%`, keras3::`%>%`)
})

test_that("a saved model with an lrdecay schedule loads with keras3's load_model() in a fresh session", {
  skip_without_keras()
  d <- regression_data()
  s <- schedule_exponential(0.1, 4, 0.5, staircase = TRUE)
  model <- linear_model()
  model |> compile(optimizer = optimizer_sgd(learning_rate = as_keras_schedule(s)),
                   loss = "mse")
  model |> fit(d$x, d$y, epochs = 2, batch_size = 16, verbose = 0)  # 8 iterations
  path <- withr::local_tempfile(fileext = ".keras")
  save_model(model, path)
  expected <- get_learning_rate(model)
  expect_equal(expected, lr_at(s, 8), tolerance = 1e-6)

  check <- c(
    sprintf("model <- load_model(%s)", deparse(path)),
    "cat('class:', class(model$optimizer$`_learning_rate`)[1], '\\n')",
    "cat('lr:', format(get_learning_rate(model), digits = 10), '\\n')",
    "set.seed(1); x <- matrix(runif(64), ncol = 4)",
    "h <- model |> fit(x, rowSums(x), epochs = 1, batch_size = 16, verbose = 0,",
    "                  callbacks = list(callback_lr_logger(verbose = 0)))",
    "cat('trained:', format(h$metrics$learning_rate, digits = 10), '\\n')"
  )
  starts <- list(
    # keras3 attached and Keras imported (by keras3) before lrdecay is loaded.
    keras3_first = c("library(keras3)", "invisible(keras_model_sequential(input_shape = 1))",
                     "cat('keras before lrdecay:', reticulate::py_module_available('keras') &&",
                     "  'keras' %in% names(reticulate::import('sys')$modules), '\\n')",
                     "library(lrdecay)"),
    # lrdecay attached first; keras3's load_model() imports Keras.
    lrdecay_first = c("library(lrdecay)", "library(keras3)")
  )
  for (name in names(starts)) {
    res <- run_fresh_r(c(starts[[name]], check))
    output <- paste(res$output, collapse = "\n")
    expect_equal(res$status, 0L, info = paste(name, output, sep = "\n"))
    expect_true("class: lrdecay.keras_schedule.KerasSchedule " %in% res$output, info = output)
    lr <- as.numeric(sub("^lr: ", "", grep("^lr: ", res$output, value = TRUE)))
    expect_equal(lr, expected, tolerance = 1e-7, label = paste(name, "learning rate"))
    trained <- as.numeric(sub("^trained: ", "", grep("^trained: ", res$output, value = TRUE)))
    expect_equal(trained, lr_at(s, 8), tolerance = 1e-6, label = paste(name, "after fit"))
    if (name == "keras3_first") {
      expect_true("keras before lrdecay: TRUE " %in% res$output, info = output)
    }
  }
})
