#' Compare schedules on real data (the main job)
#'
#' Trains the second seed's model (Flatten, Dense 128 relu, Dense 10 softmax,
#' SGD) on scikit-learn's handwritten digits (1,797 8x8 images shipped with
#' scikit-learn; a stratified held-out test split), once per schedule, with the
#' same initial weights. Each epoch's learning rate is printed as the seed does
#' (`Epoch 01: learning rate = 0.10000`), with a progress line per schedule;
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
#'   `test_accuracy`, `test_loss`, `seconds`.
#' @family training
#' @export
#' @examplesIf lrdecay_available(keras = TRUE) && interactive()
#' compare_schedules(epochs = 5, output = tempfile(fileext = ".png"))
compare_schedules <- function(schedules = NULL, epochs = 15, output = "lrdecay-demo.png",
                              batch_size = 32, seed = 42, verbose = 1) {
  epochs <- check_whole(epochs)
  batch_size <- check_whole(batch_size)
  seed <- check_whole(seed, lower = 0L)
  verbose <- check_verbose(verbose)
  if (!is.null(output)) {
    if (!is.character(output) || length(output) != 1 || is.na(output)) {
      abort_arg("output", "a path to a .png file", output, rlang::current_env())
    }
    output <- path.expand(output)
  }
  if (!is.null(schedules)) {
    if (is_schedule(schedules)) schedules <- list(schedule = schedules)
    ok <- is.list(schedules) && length(schedules) > 0 && !is.null(names(schedules)) &&
      all(nzchar(names(schedules))) && all(vapply(schedules, is_schedule, NA))
    if (!ok) abort_arg("schedules", "a named list of lrdecay schedules", schedules,
                       rlang::current_env())
    schedules <- reticulate::dict(schedules)
  }
  py <- py_lrdecay()
  if (!is.null(output)) {
    call <- rlang::current_env()
    tryCatch(reticulate::import("lrdecay.compare")$check_output_path(output),
             error = function(e) {
               msg <- sub("^[A-Za-z]+Error: ", "", conditionMessage(e))
               cli::cli_abort("{msg}", class = "lrdecay_error_argument", call = call)
             })
  }
  rows <- py$compare_schedules(schedules = schedules, epochs = epochs, output = output,
                               batch_size = batch_size, seed = seed, verbose = verbose)
  data.frame(
    schedule = vapply(rows, function(r) r$schedule, ""),
    final_lr = vapply(rows, function(r) r$final_lr, 0),
    test_accuracy = vapply(rows, function(r) r$test_accuracy, 0),
    test_loss = vapply(rows, function(r) r$test_loss, 0),
    seconds = vapply(rows, function(r) r$seconds, 0)
  )
}
