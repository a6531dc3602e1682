# Small argument checkers. Each names the argument, says what it must be and
# what it got, in the same words as Python's lrdecay/_checks.py:
#   `drop` must be a number in (0, 1], not 2.

show_value <- function(x) {
  if (is.null(x)) return("NULL")
  if (is.function(x)) return("a function")
  if (inherits(x, "python.builtin.object")) return(paste0("a Python ", class(x)[1]))
  if (is.list(x)) return(paste0("a list of length ", length(x)))
  if (length(x) == 0) return(paste0("an empty ", typeof(x), " vector"))
  if (length(x) > 1) {
    vals <- vapply(utils::head(x, 6), show_value, "")
    return(paste0("c(", paste(vals, collapse = ", "), if (length(x) > 6) ", ...", ")"))
  }
  if (is.character(x)) return(encodeString(x, quote = "\""))
  if (is.logical(x)) return(as.character(x))
  if (is.numeric(x)) {
    if (is.na(x) && !is.nan(x)) return("NA")
    return(format(x, digits = 15))
  }
  paste0("a ", class(x)[1])
}

abort_arg <- function(arg, must, x, call) {
  cli::cli_abort("{.arg {arg}} must be {must}, not {show_value(x)}.", call = call,
                 class = "lrdecay_error_argument")
}

range_text <- function(lower, upper, lower_open, upper_open) {
  if (!is.null(lower) && !is.null(upper)) {
    return(sprintf("a number in %s%s, %s%s", if (lower_open) "(" else "[", format(lower),
                   format(upper), if (upper_open) ")" else "]"))
  }
  if (identical(lower, 0)) return(if (lower_open) "a positive number" else "a non-negative number")
  if (!is.null(lower)) return(sprintf("a number %s %s", if (lower_open) ">" else ">=", format(lower)))
  "a finite number"
}

check_number <- function(x, lower = NULL, upper = NULL, lower_open = FALSE, upper_open = FALSE,
                         must = NULL, arg = rlang::caller_arg(x), call = rlang::caller_env()) {
  must <- must %||% range_text(lower, upper, lower_open, upper_open)
  if (!is.numeric(x) || length(x) != 1 || is.na(x) || !is.finite(x) ||
      (!is.null(lower) && (x < lower || (lower_open && x == lower))) ||
      (!is.null(upper) && (x > upper || (upper_open && x == upper)))) {
    abort_arg(arg, must, x, call)
  }
  as.double(x)
}

check_lr <- function(x, positive = FALSE, arg = rlang::caller_arg(x), call = rlang::caller_env()) {
  check_number(x, lower = 0, lower_open = positive, arg = arg, call = call)
}

check_whole <- function(x, lower = 1, arg = rlang::caller_arg(x), call = rlang::caller_env()) {
  must <- if (lower == 1) "a positive whole number" else sprintf("a whole number >= %d", lower)
  check_number(x, must = must, arg = arg, call = call)
  if (x != floor(x) || x < lower) abort_arg(arg, must, x, call)
  # An R integer where it fits; beyond that a whole double, which Python takes as an int.
  if (abs(x) <= .Machine$integer.max) as.integer(x) else as.double(x)
}

check_flag <- function(x, arg = rlang::caller_arg(x), call = rlang::caller_env()) {
  if (!is.logical(x) || length(x) != 1 || is.na(x)) abort_arg(arg, "TRUE or FALSE", x, call)
  x
}

check_choice <- function(x, choices, arg = rlang::caller_arg(x), call = rlang::caller_env()) {
  if (!is.character(x) || length(x) != 1 || is.na(x) || !x %in% choices) {
    abort_arg(arg, paste("one of", paste0("\"", choices, "\"", collapse = ", ")), x, call)
  }
  x
}

check_numbers <- function(x, lower = NULL, lower_open = FALSE, increasing = FALSE,
                          min_length = 1L, what = "numbers",
                          arg = rlang::caller_arg(x), call = rlang::caller_env()) {
  if (!is.numeric(x) || length(x) < min_length) {
    abort_arg(arg, paste("a numeric vector of", what), x, call)
  }
  if (anyNA(x) || !all(is.finite(x))) abort_arg(arg, paste("a vector of finite", what), x, call)
  if (!is.null(lower) && any(x < lower | (lower_open & x == lower))) {
    abort_arg(arg, paste("a vector of", what), x, call)
  }
  if (increasing && length(x) > 1 && any(diff(x) <= 0)) {
    abort_arg(arg, paste("a strictly increasing vector of", what), x, call)
  }
  as.double(x)
}

check_function <- function(x, arg = rlang::caller_arg(x), call = rlang::caller_env()) {
  if (!is.function(x) && !inherits(x, "python.builtin.object")) {
    abort_arg(arg, "a function", x, call)
  }
  x
}

check_clock <- function(t, arg = rlang::caller_arg(t), call = rlang::caller_env()) {
  if (!is.numeric(t)) abort_arg(arg, "a numeric vector of non-negative finite numbers", t, call)
  # Fast path without whole-vector temporaries: anyNA(), min() and max() are single
  # passes (-Inf fails min() >= 0, Inf fails max() < Inf).
  if (length(t) && (anyNA(t) || min(t) < 0 || max(t) == Inf)) {
    bad <- is.na(t) | !is.finite(t) | t < 0
    abort_arg(arg, "a vector of non-negative finite numbers", t[bad], call)
  }
  as.double(t)
}

is_schedule <- function(x) inherits(x, "lrdecay.Schedule")

check_is_schedule <- function(x, arg = rlang::caller_arg(x), call = rlang::caller_env()) {
  if (!is_schedule(x)) {
    abort_arg(arg, "an lrdecay schedule (made by a schedule_*() function)", x, call)
  }
  x
}

`%||%` <- function(x, y) if (is.null(x)) y else x
