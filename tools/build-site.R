# The website, into docs/: `make site` (the installed lrdecay package, and the Python that
# RETICULATE_PYTHON names, run the examples and the articles).
# As pkgdown::build_site(), in its order, with one difference: the examples of the slow
# topics are shown but not run (compare_schedules()'s \donttest{} trains 33 models).
slow <- c("compare_schedules")
# lrdecay is not on CRAN: no look-up of a CRAN page for the sidebar (and no network needed).
options(pkgdown.internet = FALSE)

pkg <- pkgdown::as_pkgdown(".")
pkgdown::init_site(pkg)
pkgdown::build_home(pkg, preview = FALSE)
fast <- setdiff(pkg$topics$name, slow)
pkgdown::build_reference(pkg, lazy = FALSE, examples = TRUE, devel = FALSE, preview = FALSE,
                         topics = fast)
pkgdown::build_reference(pkg, lazy = FALSE, examples = FALSE, devel = FALSE, preview = FALSE,
                         topics = intersect(slow, pkg$topics$name))
pkgdown::build_articles(pkg, lazy = FALSE, preview = FALSE)
pkgdown::build_news(pkg, preview = FALSE)
pkgdown::build_search(pkg)
cat("The website is in ", normalizePath(pkg$dst_path), "/index.html\n", sep = "")
