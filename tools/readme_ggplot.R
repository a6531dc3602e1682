# README's ggplot2 picture, man/figures/plot-schedules.png (make figure).
library(lrdecay)
p <- plot_schedules(
  "cosine" = schedule_cosine(0.1, 30),
  "one-cycle" = schedule_one_cycle(0.1, 30),
  "warmup + cosine" = schedule_warmup(schedule_cosine(0.1, 25), 5),
  "wsd" = schedule_wsd(0.1, 3, 21, 6),
  "step" = schedule_step(0.1, 0.5, 10),
  t = seq(0, 30, by = 0.25)
)
ggplot2::ggsave("man/figures/plot-schedules.png", p, width = 7, height = 3.6, dpi = 110)
