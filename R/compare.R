#' Compare schedules on real data, over several seeds (the demo)
#'
#' Trains a small MLP (Flatten, Dense 128 relu, Dense 10 softmax, SGD) on
#' scikit-learn's handwritten digits (1,797 8x8 images shipped with
#' scikit-learn; a stratified held-out test split) once per schedule and seed:
#' seeds `seed`, `seed + 1`, ..., every schedule of a seed starting from the same
#' initial weights and seeing the batches in the same order. Reports, per
#' schedule, the mean and the standard deviation over the seeds of the test
#' accuracy and loss, and writes a PNG with two panels against the epoch: the
#' learning rate, and the mean validation loss with a band of one standard
#' deviation.
#'
#' The schedules' clock is the 0-based epoch ([callback_lr_scheduler()]); each
#' is checked with [check_schedule()] before training, with a warning of class
#' `lrdecay_warning_schedule` for what it finds. The fits run in `workers`
#' Python processes (each imports Keras once and uses one thread); every fit
#' starts from its own seed, so the results are those of one fit after another
#' (`workers = 1`). A progress bar shows the fits done.
#'
#' @param schedules `NULL` for the eleven default schedules, each sized to
#'   `epochs` (constant, step, exponential, inverse time, polynomial, cosine,
#'   warmup + cosine, one-cycle, cyclic, wsd, linear to zero (D2Z); see
#'   `default_schedules()` in Python's `lrdecay.compare`), or a named list of
#'   lrdecay schedules.
#' @param epochs Epochs per fit, a whole number `>= 1`.
#' @param seeds How many seeds each schedule is trained with, a whole number `>= 1`.
#' @param output The PNG file to write, or `NULL` for none.
#' @param batch_size,seed Batch size and first random seed (whole numbers).
#' @param verbose `1` to show a progress bar, `0` for quiet.
#' @param workers `NULL` (two processes, or fewer on a one-core machine), or the
#'   number of processes to train in: `1` trains in this R session's Python, one
#'   fit after another. A [schedule_function()] schedule always trains there.
#' @returns A data frame with one row per schedule: `schedule`, `final_lr` (the
#'   rate of the last epoch), `test_accuracy` and `test_loss` (means over the
#'   seeds), `test_accuracy_sd` and `test_loss_sd` (standard deviations, `NaN`
#'   for one seed), `seconds` (mean seconds per fit).
#' @family training
#' @export
#' @examplesIf lrdecay_available(keras = TRUE) && reticulate::py_module_available("sklearn")
#' compare_schedules(
#'   list(constant = schedule_constant(0.1), cosine = schedule_cosine(0.1, 2)),
#'   epochs = 2, seeds = 2, output = NULL, verbose = 0, workers = 1
#' )
#' \donttest{
#' # The eleven default schedules, 15 epochs, 3 seeds each, and a PNG of the curves:
#' compare_schedules(output = tempfile(fileext = ".png"))
#' }
compare_schedules <- function(schedules = NULL, epochs = 15, seeds = 3,
                              output = "lrdecay-demo.png", batch_size = 32, seed = 42,
                              verbose = 1, workers = NULL) {
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
  verbose <- as_whole(verbose)
  progress <- NULL
  if (isTRUE(verbose == 1)) {
    # The bar belongs to this call's frame (cli ends it when the call returns); Python
    # updates it after each fit.
    bar <- cli::cli_progress_bar(
      "Training", total = NA, clear = FALSE,
      format = "Training {cli::pb_bar} {cli::pb_current}/{cli::pb_total} fits | {cli::pb_status}"
    )
    progress <- function(done, total, name, seed) {
      cli::cli_progress_update(id = bar, set = done, total = total,
                               status = sprintf("%s, seed %d", name, as.integer(seed)))
      invisible(NULL)
    }
  }
  args <- list(schedules = schedules, epochs = as_whole(epochs), seeds = as_whole(seeds),
               output = output, batch_size = as_whole(batch_size), seed = as_whole(seed),
               verbose = verbose, workers = as_whole(workers), progress = progress,
               `_warn_hook` = plan_warning_hook())
  rows <- do.call(lrdecay_call, c(list("compare_schedules"), args))
  # One row per schedule, one column per number or string Python reports.
  columns <- names(rows[[1]])
  columns <- columns[vapply(rows[[1]][columns], function(v) is.atomic(v) && length(v) == 1, NA)]
  out <- lapply(columns, function(col) unlist(lapply(rows, function(r) r[[col]])))
  names(out) <- columns
  as.data.frame(out, stringsAsFactors = FALSE)
}
