#' Install the Python side of lrdecay
#'
#' Creates a Python virtual environment (as keras3's `install_keras()` does)
#' with what lrdecay needs: numpy (< 2, for reticulate 1.28), Keras 3 with the
#' CPU build of TensorFlow, matplotlib and scikit-learn (for the demo). On
#' load, lrdecay uses `RETICULATE_PYTHON` when it is set, else this
#' environment when it exists. Restart R afterwards.
#'
#' @param envname The environment's name, or a path.
#' @param python The Python used to create it; found by reticulate when `NULL`.
#' @param packages The pip packages to install.
#' @param ... Passed to [reticulate::virtualenv_install()].
#' @returns The environment's path, invisibly.
#' @export
#' @examplesIf interactive()
#' install_lrdecay()
install_lrdecay <- function(envname = "r-lrdecay", python = NULL,
                            packages = c("numpy<2", "tensorflow-cpu>=2.16", "keras>=3",
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
  cli::cli_inform(c("v" = "Installed lrdecay's Python side in {.file {envname}}.",
                    "i" = "Restart R; lrdecay will use it unless {.envvar RETICULATE_PYTHON} is set."))
  invisible(reticulate::virtualenv_python(envname))
}
