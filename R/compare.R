#' Compare schedules on real data (the digits demo)
#'
#' Trains the small network of the Keras MNIST tutorials (Flatten, Dense 128 relu,
#' Dense 10 softmax, SGD) on scikit-learn's handwritten digits (1,797 8x8 images
#' shipped with scikit-learn; a stratified held-out test split), once per
#' schedule, with the same initial weights. Each epoch's learning rate is printed
#' as the PrintLR idiom of Keras 2 tutorials does
#' (`Epoch 01: learning rate = 0.1`), with a progress line per schedule;
#' then a table, and a PNG with two panels (learning rate and validation loss
#' against the epoch, one line per schedule).
#'
#' The schedules' clock is the 0-based epoch ([callback_lr_scheduler()]).
#'
#' @param schedules `NULL` for the nine default schedules (constant, step,
#'   exponential, inverse time, polynomial, cosine, warmup + cosine,
#'   one-cycle, cyclic), or a named list of lrdecay schedules.
#' @param epochs Epochs per schedule, a whole number `>= 1`.
#' @param output The PNG file to write, or `NULL` for none.
#' @param batch_size,seed Batch size and random seed (whole numbers).
#' @param verbose `1` to print the learning rates and progress, `0` for quiet.
#' @returns A data frame with one row per schedule: `schedule`, `final_lr`,
#'   `test_accuracy`, `test_loss`, `seconds` (and any other summary Python
#'   reports).
#' @family training
#' @export
#' @examplesIf lrdecay_available(keras = TRUE) && reticulate::py_module_available("sklearn")
#' compare_schedules(
#'   list(constant = schedule_constant(0.1), cosine = schedule_cosine(0.1, 2)),
#'   epochs = 2, output = NULL, verbose = 0
#' )
#' \donttest{
#' # The nine default schedules, 15 epochs each, and a PNG of the curves:
#' compare_schedules(output = tempfile(fileext = ".png"))
#' }
compare_schedules <- function(schedules = NULL, epochs = 15, output = "lrdecay-demo.png",
                              batch_size = 32, seed = 42, verbose = 1) {
  if (!is.null(schedules)) {
    if (is_schedule(schedules)) schedules <- list(schedule = schedules)
    named <- is.list(schedules) && !inherits(schedules, "python.builtin.object") &&
      length(schedules) > 0 && !is.null(names(schedules)) && all(nzchar(names(schedules)))
    if (!named) {
      abort_arg("schedules", "a named list of lrdecay schedules", schedules, rlang::current_env())
    }
    schedules <- reticulate::dict(schedules)
  }
  if (!is.null(output)) output <- path.expand(as_string(output))
  rows <- lrdecay_call("compare_schedules", schedules = schedules, epochs = as_whole(epochs),
                       output = output, batch_size = as_whole(batch_size), seed = as_whole(seed),
                       verbose = as_whole(verbose))
  # One row per schedule, one column per number or string Python reports.
  columns <- names(rows[[1]])
  columns <- columns[vapply(rows[[1]][columns], function(v) is.atomic(v) && length(v) == 1, NA)]
  out <- lapply(columns, function(col) unlist(lapply(rows, function(r) r[[col]])))
  names(out) <- columns
  as.data.frame(out, stringsAsFactors = FALSE)
}
