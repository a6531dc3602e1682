# R's words for the messages of lrdecay's Python: the names of R's functions and the
# calls its advice shows. inst/python/lrdecay/words.py has Python's words and the keys;
# lrdecay_call() puts these in force around every call into Python, so that an error or
# warning an R user gets names R's functions, never Python's.
r_words <- c(
  # the callbacks and the in-graph schedule, as the messages they give begin
  LRScheduler = "callback_lr_scheduler()",
  LRLogger = "callback_lr_logger()",
  LRCustom = "callback_lr_custom()",
  LRPlateau = "callback_lr_plateau()",
  HParamScheduler = "callback_hparam_scheduler()",
  KerasSchedule = "as_keras_schedule()",
  # schedule families named in advice
  FromFunction = "schedule_function()",
  OneCycle = "schedule_one_cycle()",
  Cyclic = "schedule_cyclic()",
  # keras3's callbacks named in advice
  BackupAndRestore = "callback_backup_and_restore()",
  ModelCheckpoint = "callback_model_checkpoint()",
  # calls shown in advice
  set_learning_rate = "set_learning_rate()",
  start_cooldown = "start_cooldown()",
  size_schedule = "size_schedule(schedule, total)",
  in_graph = "as_keras_schedule()",
  in_graph_steps = "as_keras_schedule(steps_per_epoch = {n})",
  in_graph_example = "as_keras_schedule(schedule_exponential(...))",
  sgd_rate = "optimizer_sgd(learning_rate = 0.1)",
  sgd_momentum = "optimizer_sgd(momentum = 0.9)",
  hparam_example = paste0("callback_hparam_scheduler(momentum = ",
                          "schedule_momentum(schedule_one_cycle(0.1, 1000)))"),
  # how to turn the plan check off
  LRScheduler.check_off = "callback_lr_scheduler(..., check = FALSE)",
  KerasSchedule.check_off = "as_keras_schedule(..., check = FALSE)",
  compare.check_off = 'suppressWarnings(..., classes = "lrdecay_warning_schedule")'
)

# The Python side of the words: lrdecay.words, and R's words as a Python dict (made once).
words_state <- new.env(parent = emptyenv())

py_r_words <- function() {
  if (is.null(words_state$dict)) {
    words_state$dict <- reticulate::r_to_py(as.list(r_words))
  }
  words_state$dict
}
