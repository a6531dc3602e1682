# ggplot2 pictures: the layers drawn (geoms, mappings, scales, data), not only the class.
# The numbers in them are the objects' own (as.data.frame(), Python's plot_ylim()).

skip_without_ggplot2 <- function() skip_if_not_installed("ggplot2")

geoms <- function(p) vapply(p$layers, function(l) class(l$geom)[1], "")

test_that("autoplot() of a schedule draws its rate against t, as plot() does", {
  skip_if_no_python()
  skip_without_ggplot2()
  s <- schedule_cosine(0.01, decay_steps = 50)
  p <- ggplot2::autoplot(s, t = 0:60)
  expect_s3_class(p, "ggplot")
  expect_identical(geoms(p), "GeomLine")
  drawn <- ggplot2::layer_data(p, 1)
  expect_identical(drawn$x, as.double(0:60))
  expect_identical(drawn$y, lr_at(s, 0:60))
  expect_identical(p$labels[c("title", "x", "y")],
                   list(title = "lrdecay: cosine", x = "t", y = "learning rate"))
  # plot() draws the same ggplot and returns it invisibly; its labels are the user's.
  grDevices::pdf(NULL)
  on.exit(grDevices::dev.off(), add = TRUE)
  res <- withVisible(plot(s, t = 0:60, main = "a cosine", xlab = "epoch"))
  expect_false(res$visible)
  expect_s3_class(res$value, "ggplot")
  expect_identical(ggplot2::layer_data(res$value, 1)$y, lr_at(s, 0:60))
  expect_identical(res$value$labels$title, "a cosine")
  expect_identical(res$value$labels$x, "epoch")
  # Default t: the schedule's own range.
  expect_identical(ggplot2::layer_data(ggplot2::autoplot(s), 1)$x, as.data.frame(s)$t)
  # options(lrdecay.ggplot = FALSE): base graphics, returning the data.
  withr::local_options(lrdecay.ggplot = FALSE)
  expect_identical(plot(s, t = 0:60), data.frame(t = as.double(0:60), lr = lr_at(s, 0:60)))
})

test_that("plot_schedules() draws named schedules on one picture", {
  skip_if_no_python()
  skip_without_ggplot2()
  cosine <- schedule_cosine(0.1, 100)
  one <- schedule_one_cycle(0.1, 300)
  p <- plot_schedules(cosine = cosine, "one-cycle" = one, schedule_constant(0.05))
  expect_identical(geoms(p), "GeomLine")
  expect_identical(levels(p$data$schedule), c("cosine", "one-cycle", "schedule_constant(0.05)"))
  expect_identical(rlang::as_label(p$mapping$colour), "schedule")
  # The longest default range, for every schedule; each schedule's own rates.
  t <- as.data.frame(one)$t
  expect_identical(p$data$t[p$data$schedule == "cosine"], t)
  expect_identical(p$data$lr[p$data$schedule == "cosine"], lr_at(cosine, t))
  expect_identical(p$data$lr[p$data$schedule == "one-cycle"], lr_at(one, t))
  drawn <- ggplot2::layer_data(p, 1)
  expect_identical(length(unique(drawn$colour)), 3L)
  expect_identical(p$labels[c("x", "y", "colour")],
                   list(x = "t", y = "learning rate", colour = "schedule"))
  # t given; a named list works as its elements.
  p <- plot_schedules(list(a = cosine, b = one), t = c(0, 50, 100))
  expect_identical(levels(p$data$schedule), c("a", "b"))
  expect_identical(p$data$lr, c(lr_at(cosine, c(0, 50, 100)), lr_at(one, c(0, 50, 100))))
  # What is not a schedule is named.
  expect_error(plot_schedules(cosine = cosine, bad = 0.1),
               "`bad` must be an lrdecay schedule (made by a schedule_*() function), not 0.1.",
               fixed = TRUE, class = "lrdecay_error_argument")
  expect_error(plot_schedules(), "`...` must be one or more schedules",
               class = "lrdecay_error_argument")
  expect_error(plot_schedules(a = cosine, a = one), "`...` must be schedules with different names",
               class = "lrdecay_error_argument")
})

test_that("a logger is drawn against the epoch (per = \"epoch\") or the update, with its hyperparameters", {
  skip_without_keras()
  skip_without_ggplot2()
  d <- regression_data(n = 32)
  rate <- schedule_step(0.1, drop = 0.5, every = 1)
  model <- linear_model(lr = 0.1)
  logger <- callback_lr_logger(verbose = 0)
  model |> fit(d$x, d$y, epochs = 3, batch_size = 16, verbose = 0,
               callbacks = list(callback_lr_scheduler(rate), logger))
  p <- ggplot2::autoplot(logger)
  expect_identical(geoms(p), c("GeomLine", "GeomPoint"))
  drawn <- ggplot2::layer_data(p, 1)
  expect_identical(drawn$x, c(0, 1, 2))
  expect_equal(drawn$y, lr_at(rate, 0:2), tolerance = 1e-7)
  expect_identical(p$labels$x, "epoch")
  expect_identical(p$labels$title, "lrdecay: learning rate per epoch")
  # Base graphics: the same title and axis, the epochs on x.
  withr::with_options(list(lrdecay.ggplot = FALSE), {
    grDevices::pdf(NULL)
    records <- plot(logger)
    usr <- graphics::par("usr")
    grDevices::dev.off()
  })
  expect_identical(records$epoch, 0:2)
  expect_equal(usr[1:2], c(0, 2) + c(-1, 1) * 0.04 * 2)

  # Per update, with a momentum an HParamScheduler drove: one panel each.
  model <- linear_model(lr = 0.1, momentum = 0.9)
  logger <- callback_lr_logger(verbose = 0, per = "batch")
  m <- schedule_linear(0.9, 0.8, 5)
  model |> fit(d$x, d$y, epochs = 3, batch_size = 16, verbose = 0,
               callbacks = list(callback_hparam_scheduler(momentum = m), logger))
  p <- ggplot2::autoplot(logger)
  expect_identical(geoms(p), "GeomLine")
  expect_s3_class(p$facet, "FacetWrap")
  expect_identical(p$labels$x, "update")
  expect_identical(p$labels$title, "lrdecay: learning rate per update")
  drawn <- ggplot2::layer_data(p, 1)
  expect_identical(as.integer(table(drawn$PANEL)), c(6L, 6L))
  expect_identical(drawn$x[drawn$PANEL == 2], as.double(0:5))
  expect_equal(drawn$y[drawn$PANEL == 2], lr_at(m, 0:5), tolerance = 1e-6)
  expect_identical(levels(p$data$name), c("learning rate", "momentum"))
  # An unused logger says what to do.
  expect_error(ggplot2::autoplot(callback_lr_logger()), "no records yet",
               class = "lrdecay_error")
})

test_that("autoplot() of an LR range test: log x, raw and smoothed loss, suggestions, Python's y range", {
  skip_without_keras()
  skip_without_ggplot2()
  set.seed(11)
  x <- matrix(rnorm(512), ncol = 2)
  y <- as.numeric(x %*% c(1, -2) + rnorm(256, sd = 0.3))
  model <- keras_model_sequential(input_shape = 2) |> layer_dense(1)
  model |> compile(optimizer = optimizer_sgd(learning_rate = 1e-3, momentum = 0.9), loss = "mse")
  res <- lr_find(model, x, y, max_lr = 1e3, steps = 40)
  p <- ggplot2::autoplot(res)
  expect_identical(geoms(p), c("GeomLine", "GeomVline", "GeomText"))
  expect_identical(p$scales$get_scales("x")$trans$name, "log-10")
  lines <- ggplot2::layer_data(p, 1)
  expect_identical(sort(unique(as.character(p$data$series))), c("loss", "smoothed loss"))
  ok <- is.finite(res$smoothed)
  expect_equal(10^lines$x[lines$group == 2], res$lrs[ok])
  expect_equal(lines$y[lines$group == 2], res$smoothed[ok])
  expect_equal(lines$y[lines$group == 1], res$losses[is.finite(res$losses)])
  marks <- ggplot2::layer_data(p, 2)
  found <- unlist(res$suggestions)
  expect_equal(10^marks$xintercept, unname(found[is.finite(found)]))
  expect_identical(as.character(ggplot2::layer_data(p, 3)$label), names(found)[is.finite(found)])
  # The y range is Python's rule.
  lim <- reticulate::import("lrdecay.lr_range_test")$plot_ylim(as.list(res$smoothed))
  expect_identical(p$coordinates$limits$y, unlist(lim))
  expect_match(p$labels$subtitle, sprintf("suggestion %s (%s)", format(signif(res$suggestion, 3)),
                                          res$rule), fixed = TRUE)
  # raw = FALSE: the smoothed loss alone.
  expect_identical(levels(droplevels(ggplot2::autoplot(res, raw = FALSE)$data$series)),
                   "smoothed loss")
})

# A comparison as compare_schedules() returns it, from Python-shaped rows (no training).
fake_comparison <- function(seeds = 2) {
  row <- function(name, acc, loss, lr) {
    sd <- if (seeds > 1) 0.01 else NaN
    list(schedule = name, final_lr = lr[2], test_accuracy = acc, test_accuracy_sd = sd,
         test_loss = loss, test_loss_sd = sd, seconds = 1.5, lr = as.list(lr),
         val_loss = list(loss + 0.5, loss), val_loss_sd = list(sd, sd),
         per_seed = lapply(seq_len(seeds), function(k) {
           list(seed = 41L + k, final_lr = lr[2], test_accuracy = acc, test_loss = loss,
                seconds = 1.5)
         }))
  }
  rows <- list(row("constant", 0.95, 0.2, c(0.1, 0.1)), row("cosine", 0.90, 0.3, c(0.1, 0.05)))
  lrdecay:::new_lrdecay_comparison(rows, lrdecay:::compare_module())
}

test_that("autoplot() of a comparison: the rates and the mean validation loss with its band", {
  skip_if_no_python()
  skip_without_ggplot2()
  res <- fake_comparison()
  p <- ggplot2::autoplot(res)
  expect_identical(geoms(p), c("GeomRibbon", "GeomLine", "GeomPoint"))
  expect_s3_class(p$facet, "FacetWrap")
  expect_identical(p$labels$x, "epoch")
  expect_identical(levels(p$data$panel),
                   c("learning rate", "validation loss: mean over 2 seeds (band: \u00b11 sd)"))
  lines <- ggplot2::layer_data(p, 2)
  expect_identical(lines$x[lines$PANEL == 1], c(0, 1, 0, 1))
  expect_identical(lines$y[lines$PANEL == 1], c(0.1, 0.1, 0.1, 0.05))
  expect_identical(lines$y[lines$PANEL == 2], c(0.7, 0.2, 0.8, 0.3))
  band <- ggplot2::layer_data(p, 1)
  expect_identical(unique(band$PANEL), factor(2, levels = 1:2))
  expect_equal(band$ymax - band$ymin, rep(0.02, 4))
  # One seed: no band.
  p <- ggplot2::autoplot(fake_comparison(seeds = 1))
  expect_identical(geoms(p), c("GeomLine", "GeomPoint"))
  expect_identical(levels(p$data$panel)[2], "validation loss: mean over 1 seed")
})
