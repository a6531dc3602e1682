#' Train a Keras 3 model
#'
#' `model %>% fit(x, y, epochs = 10, callbacks = list(...))` for a Keras 3
#' model built through reticulate (for example with [keras]), without the
#' keras3 R package: R matrices, arrays and vectors become NumPy arrays, whole
#' numbers become integers where Keras wants them, and the history comes back
#' as R numeric vectors. When keras3 is installed, its own `fit()` method runs
#' instead (lrdecay's callbacks are plain Keras callbacks and work there too).
#'
#' `initial_epoch` is 0-based, as in Keras (Python) and as the epochs given to
#' [callback_lr_scheduler()]: to resume after `k` finished epochs, pass
#' `initial_epoch = k` and `epochs` = the total. (keras3 counts from 1.)
#'
#' @param object A compiled Keras 3 model.
#' @param x,y Inputs and targets: matrices, arrays, vectors (or lists of them
#'   for several inputs), or Python objects (NumPy arrays, a `tf.data.Dataset`).
#' @param batch_size,epochs,verbose,initial_epoch,steps_per_epoch,validation_steps,validation_batch_size,validation_freq
#'   Whole numbers, as in Keras. `verbose` is `0`, `1`, `2` or `"auto"`.
#' @param callbacks A list of Keras callbacks.
#' @param validation_split A fraction of the data to hold out, in \[0, 1).
#' @param validation_data `NULL` or `list(x_val, y_val)` (or with sample weights).
#' @param shuffle `TRUE` or `FALSE`.
#' @param class_weight,sample_weight As in Keras.
#' @param ... Further arguments to the model's `fit()` method.
#' @returns A `lrdecay_history`: a list with `params`, `metrics` (one numeric
#'   vector per metric, `learning_rate` included when a callback records it)
#'   and `epoch` (the 0-based epochs run), with `print()`, `plot()` and
#'   `as.data.frame()` methods.
#' @family training
#' @export
#' @examplesIf lrdecay_available(keras = TRUE)
#' x <- matrix(runif(200), ncol = 2)
#' y <- x %*% c(1, -1)
#' model <- keras$Sequential(list(keras$Input(shape = list(2L)), keras$layers$Dense(1L)))
#' model$compile(optimizer = keras$optimizers$SGD(learning_rate = 0.1), loss = "mse")
#' history <- model %>% fit(x, y, epochs = 3, verbose = 0,
#'   callbacks = list(callback_lr_scheduler(schedule_step(0.1, drop = 0.5, every = 1))))
#' history$metrics$learning_rate
fit <- function(object, ...) {
  UseMethod("fit")
}

#' @rdname fit
#' @method fit default
#' @export
fit.default <- function(object, ...) {
  abort_arg("object", "a compiled Keras 3 model", object, rlang::current_env())
}

#' @rdname fit
#' @method fit keras.src.models.model.Model
#' @export
fit.keras.src.models.model.Model <- function(object, x = NULL, y = NULL, batch_size = NULL,
                                             epochs = 1, verbose = "auto", callbacks = NULL,
                                             validation_split = 0, validation_data = NULL,
                                             shuffle = TRUE, class_weight = NULL,
                                             sample_weight = NULL, initial_epoch = 0,
                                             steps_per_epoch = NULL, validation_steps = NULL,
                                             validation_batch_size = NULL, validation_freq = 1,
                                             ...) {
  keras3_fit <- keras3_method("fit")
  if (!is.null(keras3_fit)) {
    return(keras3_fit(object, x = x, y = y, batch_size = batch_size, epochs = epochs,
                      verbose = verbose, callbacks = callbacks,
                      validation_split = validation_split, validation_data = validation_data,
                      shuffle = shuffle, class_weight = class_weight,
                      sample_weight = sample_weight, initial_epoch = initial_epoch + 1L,
                      steps_per_epoch = steps_per_epoch, validation_steps = validation_steps,
                      validation_batch_size = validation_batch_size,
                      validation_freq = validation_freq, ...))
  }
  epochs <- check_whole(epochs)
  initial_epoch <- check_whole(initial_epoch, lower = 0L)
  if (initial_epoch >= epochs) {
    abort_arg("initial_epoch", sprintf("less than `epochs` (%d)", epochs), initial_epoch,
              rlang::current_env())
  }
  if (!is.null(callbacks)) {
    if (inherits(callbacks, "python.builtin.object")) callbacks <- list(callbacks)
    if (!is.list(callbacks)) abort_arg("callbacks", "a list of Keras callbacks", callbacks,
                                       rlang::current_env())
  }
  if (!is.null(validation_data) && !is.list(validation_data) &&
      !inherits(validation_data, "python.builtin.object")) {
    abort_arg("validation_data", "a list(x_val, y_val)", validation_data, rlang::current_env())
  }
  args <- list(
    x = as_py_data(x), y = as_py_data(y),
    batch_size = if (!is.null(batch_size)) check_whole(batch_size),
    epochs = epochs,
    verbose = check_fit_verbose(verbose),
    callbacks = if (!is.null(callbacks)) unname(callbacks),
    validation_split = check_number(validation_split, 0, 1, upper_open = TRUE),
    validation_data = if (!is.null(validation_data)) {
      if (is.list(validation_data)) reticulate::tuple(lapply(validation_data, as_py_data))
      else validation_data
    },
    shuffle = check_flag(shuffle),
    class_weight = class_weight,
    sample_weight = as_py_data(sample_weight),
    initial_epoch = initial_epoch,
    steps_per_epoch = if (!is.null(steps_per_epoch)) check_whole(steps_per_epoch),
    validation_steps = if (!is.null(validation_steps)) check_whole(validation_steps),
    validation_batch_size = if (!is.null(validation_batch_size)) check_whole(validation_batch_size),
    validation_freq = check_whole(validation_freq)
  )
  call <- rlang::current_env()
  history <- tryCatch(do.call(object$fit, c(args, list(...))), error = function(e) {
    msg <- sub("^(RuntimeError|ValueError|TypeError): ", "", conditionMessage(e))
    cli::cli_abort(c("Training stopped with an error.", "x" = "{msg}"), call = call,
                   class = "lrdecay_error_training")
  })
  as_lrdecay_history(history)
}

# keras3's S3 method for a Keras model, when keras3 is installed.
keras3_method <- function(generic) {
  if (!isTRUE(getOption("lrdecay.use_keras3", TRUE)) ||
      !requireNamespace("keras3", quietly = TRUE)) {
    return(NULL)
  }
  utils::getS3method(generic, "keras.src.models.model.Model", optional = TRUE,
                     envir = asNamespace("keras3"))
}

check_fit_verbose <- function(verbose, call = rlang::caller_env()) {
  if (identical(verbose, "auto")) return(verbose)
  if (!is.numeric(verbose) || length(verbose) != 1 || is.na(verbose) || !verbose %in% 0:2) {
    abort_arg("verbose", "0, 1, 2 or \"auto\"", verbose, call)
  }
  as.integer(verbose)
}

# R data to what Keras takes: numeric arrays as NumPy arrays (integers stay integers),
# lists element-wise; Python objects and NULL pass through.
as_py_data <- function(x) {
  if (is.null(x) || inherits(x, "python.builtin.object")) return(x)
  if (is.data.frame(x)) x <- as.matrix(x)
  if (is.list(x)) return(lapply(x, as_py_data))
  if (is.factor(x)) x <- as.integer(x) - 1L
  if (is.logical(x)) x <- as.integer(x)
  if (!is.numeric(x)) {
    cli::cli_abort("Training data must be numeric, not {.cls {class(x)[1]}}.",
                   class = "lrdecay_error_argument", call = NULL)
  }
  if (is.null(dim(x))) x <- as.array(x)
  reticulate::np_array(x, dtype = if (is.integer(x)) "int64" else "float32", order = "C")
}

as_lrdecay_history <- function(history) {
  r <- function(x) if (inherits(x, "python.builtin.object")) reticulate::py_to_r(x) else x
  metrics <- lapply(r(history$history), function(v) as.numeric(unlist(v)))
  structure(list(params = r(history$params), metrics = metrics,
                 epoch = as.integer(unlist(r(history$epoch)))),
            class = "lrdecay_history")
}

#' @export
print.lrdecay_history <- function(x, ...) {
  n <- length(x$metrics[[1]] %||% numeric())
  cat(sprintf("Trained for %d epoch%s.\n", n, if (n == 1) "" else "s"))
  last <- vapply(x$metrics, function(v) v[length(v)], numeric(1))
  if (length(last)) {
    cat("Final epoch:", paste(sprintf("%s = %.5g", names(last), last), collapse = ", "), "\n")
  }
  invisible(x)
}

#' @export
as.data.frame.lrdecay_history <- function(x, row.names = NULL, optional = FALSE, ...) {
  n <- length(x$metrics[[1]] %||% numeric())
  epoch <- if (length(x$epoch) == n) x$epoch else seq_len(n) - 1L
  data.frame(epoch = epoch, x$metrics, check.names = FALSE)
}

#' Plot a training history
#'
#' One panel per metric (its validation counterpart drawn dashed in the same
#' panel), `learning_rate` included, against the epoch (1 for the first, as
#' Keras prints it).
#'
#' @param x A `lrdecay_history` returned by [fit()].
#' @param y Unused.
#' @param metrics The metrics to draw; all by default.
#' @param ... Passed to [graphics::plot()].
#' @returns `x`, invisibly.
#' @family training
#' @export
plot.lrdecay_history <- function(x, y, metrics = NULL, ...) {
  all <- names(x$metrics)
  metrics <- metrics %||% all[!startsWith(all, "val_")]
  if (!length(metrics)) return(invisible(x))
  old <- graphics::par(mfrow = c(length(metrics), 1), mar = c(3, 4, 1, 1))
  on.exit(graphics::par(old))
  for (m in metrics) {
    v <- x$metrics[[m]]
    val <- x$metrics[[paste0("val_", m)]]
    ep <- seq_along(v)
    graphics::plot(ep, v, type = "b", pch = 20, xlab = "epoch", ylab = m,
                   ylim = range(c(v, val), finite = TRUE), ...)
    if (!is.null(val)) graphics::lines(seq_along(val), val, type = "b", pch = 1, lty = 2)
  }
  invisible(x)
}
