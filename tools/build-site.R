# The website, into docs/: `make site` (the installed lrdecay package, and the Python that
# RETICULATE_PYTHON names, run the examples and the articles).
# As pkgdown::build_site(), in its order, with one difference: the examples of the slow
# topics are shown but not run (compare_schedules()'s \donttest{} trains 33 models).
slow <- c("compare_schedules")
# lrdecay is not on CRAN: no look-up of a CRAN page for the sidebar (and no network needed).
options(pkgdown.internet = FALSE)

# Each step, and how long it took.
step <- function(what, expr) {
  took <- system.time(expr)[["elapsed"]]
  message(sprintf("[build-site] %s: %.0f s", what, took))
}

pkg <- pkgdown::as_pkgdown(".")
step("home", {
  pkgdown::init_site(pkg)
  pkgdown::build_home(pkg, preview = FALSE)
})
step("reference", {
  pkgdown::build_reference(pkg, lazy = FALSE, examples = TRUE, devel = FALSE, preview = FALSE,
                           topics = setdiff(pkg$topics$name, slow))
  pkgdown::build_reference(pkg, lazy = FALSE, examples = FALSE, devel = FALSE, preview = FALSE,
                           topics = intersect(slow, pkg$topics$name))
})
step("articles", pkgdown::build_articles(pkg, lazy = FALSE, preview = FALSE))
step("news and search", {
  pkgdown::build_news(pkg, preview = FALSE)
  pkgdown::build_search(pkg)
})

# Debian's pkgdown points MathJax at the builder's own file system
# (file:///usr/share/javascript/mathjax/MathJax.js), which no reader of the site has:
# back to upstream pkgdown 2.0.7's address (the integrity hash in the page is its file's).
mathjax <- c(debian = "file:///usr/share/javascript/mathjax/MathJax.js",
             upstream = "https://cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.5/MathJax.js")
for (file in list.files(pkg$dst_path, pattern = "[.]html$", recursive = TRUE, full.names = TRUE)) {
  html <- readLines(file, warn = FALSE)
  fixed <- gsub(mathjax[["debian"]], mathjax[["upstream"]], html, fixed = TRUE)
  if (!identical(html, fixed)) writeLines(fixed, file, useBytes = TRUE)
}
cat("The website is in ", normalizePath(pkg$dst_path), "/index.html\n", sep = "")
