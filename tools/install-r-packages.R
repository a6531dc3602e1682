# Installs keras3 (>= 1.4.0) and reticulate (>= 1.42) with what they need, from the CRAN-like
# repository in ../shared/cran when it exists, else from the user's configured CRAN mirror.
# Does nothing when both are installed at those versions. Packages go to the first writable
# library on .libPaths() (the site library when run as root), else to the user library, so
# that a plain Rscript finds them.
need <- c(keras3 = "1.4.0", reticulate = "1.42.0")
have <- vapply(names(need), function(p) {
  v <- tryCatch(as.character(utils::packageVersion(p)), error = function(e) "0")
  utils::compareVersion(v, need[[p]]) >= 0
}, NA)
if (all(have)) quit(save = "no")

local_repo <- normalizePath(file.path("..", "shared", "cran"), mustWork = FALSE)
repos <- if (file.exists(file.path(local_repo, "src", "contrib", "PACKAGES"))) {
  paste0("file://", local_repo)
} else {
  r <- getOption("repos")
  if (is.null(r) || identical(unname(r["CRAN"]), "@CRAN@")) "https://cloud.r-project.org" else r
}
writable <- Filter(function(p) file.access(p, 2) == 0, .libPaths())
lib <- if (length(writable)) writable[[1]] else {
  user <- Sys.getenv("R_LIBS_USER")
  dir.create(user, recursive = TRUE, showWarnings = FALSE)
  user
}
message("Installing ", paste(names(need)[!have], collapse = ", "), " into ", lib, " from ",
        paste(repos, collapse = " "))
# reticulate first and explicitly: an older copy elsewhere on the library path must not satisfy it.
utils::install.packages(c("reticulate", "keras3"), lib = lib, repos = repos, type = "source",
                        Ncpus = 2L, quiet = TRUE)
for (p in names(need)) {
  v <- as.character(utils::packageVersion(p, lib.loc = lib))
  if (utils::compareVersion(v, need[[p]]) < 0) stop(p, " ", v, " installed; need >= ", need[[p]])
}
