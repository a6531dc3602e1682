test_that("model %>% fit() converts R data and returns R numeric metrics", {
  skip_without_keras()
  set.seed(3)
  x <- matrix(rnorm(120 * 5), ncol = 5)
  y <- as.integer(x[, 1] > 0)                  # integer labels
  xv <- x[1:20, ]; yv <- y[1:20]
  keras$utils$set_random_seed(1L)
  model <- keras$Sequential(list(keras$Input(shape = list(5L)),
                                 keras$layers$Dense(2L, activation = "softmax")))
  model$compile(optimizer = keras$optimizers$SGD(learning_rate = 0.1),
                loss = "sparse_categorical_crossentropy", metrics = list("accuracy"))
  h <- model %>% fit(x, y, epochs = 3, batch_size = 32, validation_data = list(xv, yv),
                     verbose = 0, callbacks = list(callback_lr_logger(verbose = 0)))
  expect_s3_class(h, "lrdecay_history")
  expect_setequal(names(h$metrics),
                  c("loss", "accuracy", "val_loss", "val_accuracy", "learning_rate"))
  for (m in h$metrics) {
    expect_type(m, "double")
    expect_length(m, 3)
  }
  expect_identical(h$epoch, 0:2)
  df <- as.data.frame(h)
  expect_identical(df$epoch, 0:2)
  expect_equal(df$learning_rate, rep(0.1, 3), tolerance = 1e-7)
  expect_output(print(h), "Trained for 3 epochs")
  pdf(NULL)
  on.exit(grDevices::dev.off(), add = TRUE)
  expect_identical(plot(h), h)
})

test_that("fit() takes R doubles where Keras wants integers, and checks its arguments", {
  skip_without_keras()
  d <- regression_data()
  model <- linear_model()
  h <- model %>% fit(d$x, as.vector(d$y), epochs = 2, batch_size = 16.0, verbose = 0)
  expect_length(h$metrics$loss, 2)
  expect_error(model %>% fit(d$x, d$y, epochs = 0), "`epochs` must be a positive whole number")
  expect_error(model %>% fit(d$x, d$y, epochs = 2.5), "`epochs` must be a positive whole number")
  expect_error(model %>% fit(d$x, d$y, epochs = 2, batch_size = NA), "`batch_size`")
  expect_error(model %>% fit(d$x, d$y, epochs = 2, initial_epoch = 2), "`initial_epoch` must be less")
  expect_error(model %>% fit(d$x, d$y, epochs = 2, verbose = 5), "`verbose` must be 0, 1, 2")
  expect_error(model %>% fit(d$x, d$y, epochs = 2, validation_split = 1), "`validation_split`")
  expect_error(model %>% fit(d$x, d$y, epochs = 2, callbacks = "x"), "`callbacks` must be a list")
  expect_error(model %>% fit(letters, d$y, epochs = 2), "Training data must be numeric")
  expect_error(fit(list(), d$x), "`object` must be a compiled Keras 3 model")
})

test_that("the exported keras module is Keras 3", {
  skip_without_keras()
  expect_match(keras$`__version__`, "^3\\.")
})
