# What R checks itself: the R side of a value (present, length one, not NA, of the right
# type), and the conversions Python needs (whole numbers to integers, vectors to lists).
# Ranges and rules between arguments live in Python only (inst/python/lrdecay): the
# wrappers pass the coerced values on through lrdecay_call() (R/python.R), which turns
# Python's TypeError/ValueError into R errors of class "lrdecay_error_argument".
#
# Every coercer passes NULL through (Python decides where None is allowed), names the
# argument, and reports an error in the user's call of the exported function:
#   `drop` must be a single number, not NA.

show_value <- function(x) {
  if (is.null(x)) return("NULL")
  if (is.function(x)) return("a function")
  if (inherits(x, "python.builtin.object")) return(paste0("a Python ", class(x)[1]))
  if (is.list(x)) return(paste0("a list of length ", length(x)))
  if (is.factor(x)) return("a factor")
  if (!is.atomic(x)) return(paste0("a ", class(x)[1]))
  if (length(x) == 0) return(paste0("an empty ", typeof(x), " vector"))
  if (length(x) > 1) {
    vals <- vapply(utils::head(x, 6), show_value, "")
    return(paste0("c(", paste(vals, collapse = ", "), if (length(x) > 6) ", ...", ")"))
  }
  if (is.character(x)) return(if (is.na(x)) "NA" else encodeString(x, quote = "\""))
  if (is.logical(x)) return(as.character(x))
  if (is.numeric(x)) {
    if (is.na(x) && !is.nan(x)) return("NA")
    return(format(unclass(x), digits = 15))
  }
  paste0("a ", class(x)[1])
}

abort_arg <- function(arg, must, x, call) {
  cli::cli_abort("{.arg {arg}} must be {must}, not {show_value(x)}.", call = call,
                 class = c("lrdecay_error_argument", "lrdecay_error"))
}

# An argument without a default that the user left out (as rlang::check_required()).
abort_missing <- function(arg, call) {
  cli::cli_abort("{.arg {arg}} is absent but must be supplied.", call = call,
                 class = c("lrdecay_error_argument", "lrdecay_error"))
}

# One number (NaN and Inf included: Python says what range it must be in), as a double.
as_number <- function(x, arg = rlang::caller_arg(x), call = rlang::caller_env()) {
  if (missing(x)) abort_missing(arg, call)
  if (is.null(x)) return(x)
  if (!is_plain_numeric(x) || length(x) != 1 || (is.na(x) && !is.nan(x))) {
    abort_arg(arg, "a single number", x, call)
  }
  as.double(x)
}

# One number that Python takes as an int: an R integer when it is whole and fits, else
# the double as given (Python then says it must be a whole number).
as_whole <- function(x, arg = rlang::caller_arg(x), call = rlang::caller_env()) {
  if (missing(x)) abort_missing(arg, call)
  x <- as_number(x, arg = arg, call = call)
  if (is.null(x) || !is.finite(x) || x != trunc(x) || abs(x) > .Machine$integer.max) {
    return(x)
  }
  as.integer(x)
}

as_flag <- function(x, arg = rlang::caller_arg(x), call = rlang::caller_env()) {
  if (missing(x)) abort_missing(arg, call)
  if (is.null(x)) return(x)
  if (!is.logical(x) || length(x) != 1 || is.na(x)) abort_arg(arg, "TRUE or FALSE", x, call)
  x
}

as_string <- function(x, arg = rlang::caller_arg(x), call = rlang::caller_env()) {
  if (missing(x)) abort_missing(arg, call)
  if (is.null(x)) return(x)
  if (!is.character(x) || length(x) != 1 || is.na(x)) abort_arg(arg, "a single string", x, call)
  x
}

is_of_run <- function(x) inherits(x, "lrdecay.OfRun")

# A converter that also lets of_run(fraction) through as it is; `convert` names the one for the rest.
or_of_run <- function(convert) {
  function(x, arg = rlang::caller_arg(x), call = rlang::caller_env()) {
    if (missing(x)) abort_missing(arg, call)
    if (is_of_run(x)) return(x)
    get(convert, mode = "function")(x, arg = arg, call = call)
  }
}

# A length: one number, of_run(fraction), or NULL (the whole run, where the schedule allows it).
as_length <- or_of_run("as_number")
# A length that Python takes as an int (total_steps), or of_run(fraction), or NULL.
as_whole_length <- or_of_run("as_whole")
# A vector of lengths: numbers, or of_run(fractions).
as_lengths <- or_of_run("as_numbers")

# A numeric vector without NA, as a list of doubles (a Python list, also of length 0 or 1).
as_numbers <- function(x, arg = rlang::caller_arg(x), call = rlang::caller_env()) {
  if (missing(x)) abort_missing(arg, call)
  if (is.null(x)) return(x)
  if (!is_plain_numeric(x)) abort_arg(arg, "a numeric vector", x, call)
  if (anyNA(x) && any(is.na(x) & !is.nan(x))) abort_arg(arg, "a numeric vector without NA", x, call)
  as.list(as.double(x))
}

# An R function, or a Python callable.
as_function <- function(x, arg = rlang::caller_arg(x), call = rlang::caller_env()) {
  if (missing(x)) abort_missing(arg, call)
  if (is.null(x)) return(x)
  if (!is.function(x) && !inherits(x, "python.builtin.object")) {
    abort_arg(arg, "a function", x, call)
  }
  x
}

is_schedule <- function(x) inherits(x, "lrdecay.Schedule")

# An lrdecay schedule. Other Python objects pass: Python says what they must be.
as_schedule <- function(x, arg = rlang::caller_arg(x), call = rlang::caller_env()) {
  if (missing(x)) abort_missing(arg, call)
  if (!inherits(x, "python.builtin.object")) {
    abort_arg(arg, "an lrdecay schedule (made by a schedule_*() function)", x, call)
  }
  x
}

# The lrdecay schedule `x` is, or the one an in-graph schedule (as_keras_schedule()) wraps;
# Python refuses anything else (a Keras schedule of Keras's own with advice).
lrdecay_schedule_of <- function(x, arg = rlang::caller_arg(x), call = rlang::caller_env()) {
  if (is_schedule(x)) return(x)
  lrdecay_call(function() py_lrdecay()$schedules$schedule_of(x, arg), .call = call)
}

# A Keras model. Other Python objects pass: Python says what they must be.
as_model <- function(x, arg = rlang::caller_arg(x), call = rlang::caller_env()) {
  if (missing(x)) abort_missing(arg, call)
  if (!inherits(x, "python.builtin.object")) abort_arg(arg, "a Keras model", x, call)
  x
}

# The clock: a numeric vector without NA, as a float64 NumPy array (Python checks the range).
as_clock <- function(t, arg = rlang::caller_arg(t), call = rlang::caller_env()) {
  if (missing(t)) abort_missing(arg, call)
  if (!is_plain_numeric(t)) abort_arg(arg, "a numeric vector", t, call)
  if (anyNA(t) && any(is.na(t) & !is.nan(t))) {
    abort_arg(arg, "a numeric vector without NA", t[is.na(t) & !is.nan(t)], call)
  }
  as.double(t)  # drops dim and names; no copy of a plain double vector
}

# Numbers as R users mean them: not factors, dates or other classed numbers.
is_plain_numeric <- function(x) {
  is.numeric(x) && (!is.object(x) || identical(class(x), "numeric") ||
                      identical(class(x), "integer"))
}

`%||%` <- function(x, y) if (is.null(x)) y else x
