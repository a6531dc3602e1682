# The one way R calls lrdecay's Python. Python owns every rule on argument values and
# raises TypeError or ValueError naming the argument; lrdecay_call() turns those into R
# errors of class "lrdecay_error_argument" with Python's message, reported in the user's
# call of the exported function (never in an internal helper, never "py_call_impl").
# An R error raised by the user's own R function (a schedule function, a callback hook)
# that went through Python arrives as the very R condition the function signalled. Any
# other Python error becomes an R error of class "lrdecay_error".

# Call `.fn` (a Python callable, an R function calling Python, or the name of an attribute
# of the lrdecay module) with `...`; `.call` is the frame whose call the error names (the
# exported function's). (Dotted names: `...` holds Python's arguments, `fn` among them.)
lrdecay_call <- function(.fn, ..., .call = rlang::caller_env()) {
  # The arguments first: R's own errors (from the coercers) come before Python starts.
  args <- list(...)
  # R's words (R/words.R) in force for the call: its messages name R's functions, and
  # the objects it makes keep them for the messages they give during fit().
  words <- py_lrdecay()$words
  token <- words$use(py_r_words())
  on.exit(words$reset(token), add = TRUE)
  tryCatch(
    {
      if (is.character(.fn)) .fn <- reticulate::py_get_attr(py_lrdecay(), .fn)
      do.call(.fn, args)
    },
    python.builtin.BaseException = function(e) signal_python_error(e, .call)
  )
}

# A schedule of Python class `.class_name` built from the coerced arguments.
new_schedule <- function(.class_name, ..., .call = rlang::caller_env()) {
  schedule <- lrdecay_call(.class_name, ..., .call = .call)
  # What Keras's error says when the schedule is given as a learning rate, in R's words.
  reticulate::py_set_attr(schedule, "_keras_advice", keras_advice)
  schedule
}

keras_advice <- paste0(
  "wrap it in as_keras_schedule() for the optimizer's `learning_rate`, e.g. ",
  "optimizer_sgd(learning_rate = as_keras_schedule(schedule_cosine(0.1, 1000)))"
)

signal_python_error <- function(e, call) {
  r_condition <- r_condition_of(e)
  if (!is.null(r_condition)) {
    # lrdecay's own checks of the values a user's function returned name no call:
    # report them in the user's call (the user's own errors keep theirs).
    if (inherits(r_condition, "lrdecay_error") && is.null(r_condition$call)) {
      r_condition$call <- rlang::frame_call(call)
    }
    stop(r_condition)
  }
  type <- python_error_type(e)
  message <- python_error_message(e)
  if (identical(type, "UnsizedScheduleError")) {
    # A schedule sized to the run, evaluated before it was sized (the advice is in R's words).
    rlang::abort(message, class = c("lrdecay_error_unsized", "lrdecay_error"), call = call,
                 python_type = type)
  }
  if (type %in% c("TypeError", "ValueError")) {
    class <- c("lrdecay_error_argument", "lrdecay_error")
    message <- none_as_null(message, e)
  } else {
    class <- "lrdecay_error"
    message <- paste0(type, ": ", message)
  }
  # Python's message verbatim (rlang::abort(): no cli markup, interpolation or re-wrapping).
  rlang::abort(message, class = class, call = call, python_type = type)
}

# lrdecay's own message in R's words: Python's `None` (what R's NULL became) reads `NULL`.
# Only lrdecay's messages (raised in its Python code): another library's are left as written.
none_as_null <- function(message, e) {
  in_lrdecay <- tryCatch(isTRUE(py_lrdecay()$`_checks`$raised_in_lrdecay(e)),
                         error = function(err) FALSE)
  if (!in_lrdecay) return(message)
  gsub("(?<![\\w\"`])None(?![\\w\"`/])", "NULL", message, perl = TRUE)
}

# The R condition an R function signalled while Python called it, or NULL. reticulate
# passes it through Python as a RuntimeError carrying the condition's fields and class.
r_condition_of <- function(e) {
  r_class <- tryCatch(
    reticulate::py_to_r(reticulate::py_get_attr(e, "r_class", silent = TRUE)),
    error = function(err) NULL
  )
  if (!is.character(r_class)) return(NULL)
  fields <- names(reticulate::py_to_r(reticulate::py_get_attr(e, "__dict__")))
  # The condition's own fields: not the class, nor what Python added (`__notes__`).
  fields <- fields[fields != "r_class" & !startsWith(fields, "__")]
  values <- lapply(fields, function(f) reticulate::py_to_r(reticulate::py_get_attr(e, f)))
  names(values) <- fields
  structure(values, class = r_class)
}

python_error_type <- function(e) {
  cls <- reticulate::py_get_attr(e, "__class__")
  reticulate::py_to_r(reticulate::py_get_attr(cls, "__name__"))
}

# str(exception): the message without the "ValueError: " prefix.
python_error_message <- function(e) {
  message <- tryCatch(reticulate::py_str(e), error = function(err) "")
  if (!nzchar(message)) message <- python_error_type(e)
  message
}
