#' Install the Python side of lrdecay
#'
#' lrdecay uses the Python that keras3 uses (reticulate's rules:
#' `RETICULATE_PYTHON`, keras3's [keras3::install_keras()] environment, or the
#' packages declared with [reticulate::py_require()]), so usually nothing more
#' is needed. This helper creates a virtual environment with what lrdecay
#' needs: numpy, Keras 3 with the CPU build of TensorFlow, matplotlib and
#' scikit-learn (for the demo). Point `RETICULATE_PYTHON` at its Python (the
#' path returned) and restart R.
#'
#' @param envname The environment's name, or a path.
#' @param python The Python used to create it; found by reticulate when `NULL`.
#' @param packages The pip packages to install.
#' @param ... Passed to [reticulate::virtualenv_install()].
#' @returns The path of the environment's Python, invisibly.
#' @export
#' @examplesIf interactive()
#' install_lrdecay()
install_lrdecay <- function(envname = "r-lrdecay", python = NULL,
                            packages = c("numpy", "tensorflow-cpu>=2.16", "keras>=3",
                                         "matplotlib", "scikit-learn"), ...) {
  if (!is.character(envname) || length(envname) != 1 || is.na(envname) || !nzchar(envname)) {
    abort_arg("envname", "a single environment name or path", envname, rlang::current_env())
  }
  if (!is.character(packages) || !length(packages) || anyNA(packages)) {
    abort_arg("packages", "a character vector of pip requirements", packages,
              rlang::current_env())
  }
  if (!reticulate::virtualenv_exists(envname)) {
    reticulate::virtualenv_create(envname, python = python)
  }
  reticulate::virtualenv_install(envname, packages = packages, ignore_installed = FALSE, ...)
  python <- reticulate::virtualenv_python(envname)
  cli::cli_inform(c("v" = "Installed lrdecay's Python side in {.file {envname}}.",
                    "i" = "Set {.envvar RETICULATE_PYTHON} to {.file {python}} and restart R."))
  invisible(python)
}
