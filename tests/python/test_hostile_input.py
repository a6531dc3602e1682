"""Hostile input from R: a table of bad inputs, each of which must fail cleanly.

Every case must raise an R error condition with a message that names the argument, the
clock value or the epoch (batch) at fault. None may crash R, change the optimizer's
learning rate, or change a saved model file (its SHA-256 / MD5 is compared before and
after). Covered: ``lr_at``, ``as_keras_schedule``, the callbacks' constructors, user
functions that return nonsense during keras3's ``fit()``, ``get/set_learning_rate`` and a
tampered ``.keras`` file. A user function's own exception is not lrdecay's to reword: it
propagates unchanged. The cases run in one ``Rscript`` that prints one line per case.

The same inputs from Python, each asserted once: constructors in
test_schedule_checks.py (R's agreement in test_r_parity.py, R's own checks in
tests/testthat/test-checks.R); the clock and user functions in test_schedules.py;
``to_keras`` and ``KerasSchedule.from_config`` in test_keras_schedule.py; the callbacks,
their bad return values during ``fit`` and ``get/set_learning_rate`` in test_callbacks.py;
tampered and unsaveable ``.keras`` files in test_reliability_saving.py.
"""

from __future__ import annotations

from pathlib import Path

import kit
import pytest
from kit import keras_model, r_string, run_r, sha256
from lrdecay import *  # noqa: F403 - the schedules API, lrdecay.__all__

keras = pytest.importorskip("keras")

pytestmark = pytest.mark.keras


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "saved.keras"
    model = keras_model(Cosine(0.1, 10).to_keras(steps_per_epoch=2), inputs=2)
    model.optimizer.build(model.trainable_variables)
    model.save(path)
    return path


# ---------------------------------------------------------------------------
# R: one Rscript, one line per case
# ---------------------------------------------------------------------------

R_CASES: list[tuple[str, str, str]] = [
    *[(f"lr_at t = {t}", f"lr_at(s, {t})", "`t`")
      for t in ("-1", "NA", '"a"', "Inf", "c(1, NaN)")],
    ("lr_at not a schedule", 'lr_at("s", 1)', "`schedule`"),
    ("lr_at function returns NA",
     "lr_at(schedule_function(function(t) rep(NA_real_, length(t))), 1)", "t = 1"),
    # The user's own R error reaches the user with its own message (not reworded).
    ("lr_at function stops", 'lr_at(schedule_function(function(t) stop("boom")), 2)',
     "ERROR simpleError boom"),
    ("as_keras_schedule function", "as_keras_schedule(schedule_function(function(t) t))",
     "schedule_function"),
    ("as_keras_schedule spe", "as_keras_schedule(s, steps_per_epoch = 0)",
     "`steps_per_epoch`"),
    ("as_keras_schedule number", "as_keras_schedule(1)", "`schedule`"),
    ("callback_lr_scheduler number", "callback_lr_scheduler(1)", "`schedule`"),
    ("callback_lr_scheduler verbose", "callback_lr_scheduler(s, verbose = 2)", "`verbose`"),
    ("callback_lr_logger verbose", "callback_lr_logger(verbose = -1)", "`verbose`"),
    ("callback_lr_custom nothing", "callback_lr_custom()", "on_epoch_begin"),
    ("callback_lr_custom number", "callback_lr_custom(on_epoch_begin = 1)", "`on_epoch_begin`"),
    *[(f"set_learning_rate {v}", f"set_learning_rate(model, {v})", "`value`")
      for v in ("-1", "NA", '"a"', "c(0.1, 0.2)")],
    ("set_learning_rate non-model", "set_learning_rate(1, 0.1)", "`model`"),
    ("get_learning_rate non-model", 'get_learning_rate("m")', "`model`"),
    ("set_learning_rate in-graph", "set_learning_rate(in_graph, 0.2)", "in-graph"),
    ("fit: scheduler NA at epoch 1",
     "fit(model, x, y, epochs = 3, verbose = 0, callbacks = list(callback_lr_scheduler("
     "function(epoch) if (epoch < 1) 0.1 else NA)))", "epoch 1"),
    ("fit: scheduler string at epoch 0",
     'fit(model, x, y, epochs = 3, verbose = 0, callbacks = list(callback_lr_scheduler('
     'function(epoch) "fast")))', "epoch 0"),
    ("fit: scheduler negative at epoch 2",
     "fit(model, x, y, epochs = 3, verbose = 0, callbacks = list(callback_lr_scheduler("
     "function(epoch, lr) if (epoch < 2) lr else -lr)))", "epoch 2"),
    ("fit: scheduler pair at epoch 1",
     "fit(model, x, y, epochs = 3, verbose = 0, callbacks = list(callback_lr_scheduler("
     "function(epoch) if (epoch < 1) 0.1 else c(0.1, 0.2))))", "epoch 1"),
    ("fit: scheduler stops at epoch 1",
     'fit(model, x, y, epochs = 3, verbose = 0, callbacks = list(callback_lr_scheduler('
     'function(epoch) if (epoch < 1) 0.1 else stop("no rate for epoch 1"))))',
     "no rate for epoch 1"),  # the user's own message (keras3's fit() reports it)
    ("fit: custom batch NaN at batch 1",
     "fit(model, x, y, epochs = 1, batch_size = 2, verbose = 0, callbacks = list("
     "callback_lr_custom(on_batch_begin = function(batch, lr, logs) "
     "if (batch < 1) NULL else NaN)))", "batch 1"),
    ("fit: scheduler on in-graph",
     "fit(in_graph, x, y, epochs = 1, verbose = 0, callbacks = list(callback_lr_scheduler(s)))",
     "in-graph"),
    ("load tampered copy", "load_model(tampered)", "`decay_steps`"),
]

R_SCRIPT = """
suppressPackageStartupMessages({{
  library(keras3)
  library(lrdecay)
}})
saved <- {saved}
tampered <- {tampered}
md5_before <- unname(tools::md5sum(saved))
s <- schedule_step(0.1, drop = 0.5, every = 2)
x <- matrix(seq(0, 1, length.out = 8), ncol = 2)
y <- matrix(c(1, 0, 1, 0), ncol = 1)
model <- keras_model_sequential(input_shape = 2) |> layer_dense(1)
model |> compile(optimizer = optimizer_sgd(learning_rate = 0.1), loss = "mse")
in_graph <- keras_model_sequential(input_shape = 2) |> layer_dense(1)
in_graph |> compile(optimizer = optimizer_sgd(learning_rate = as_keras_schedule(s)),
                    loss = "mse")
lr0 <- get_learning_rate(model)
one_line <- function(x) gsub("[[:space:]]+", " ", paste(x, collapse = " "))
cases <- list(
{cases}
)
for (id in names(cases)) {{
  res <- tryCatch({{ eval(cases[[id]]); "NO ERROR" }},
                  error = function(e) paste("ERROR", class(e)[1], one_line(conditionMessage(e))))
  cat("CASE", id, "\\t", res, "\\n", sep = "")
  if (!identical(get_learning_rate(model), lr0)) cat("LR_CHANGED", id, "\\n")
}}
cat("LR", sprintf("%.17g", get_learning_rate(model)), sprintf("%.17g", lr0), "\\n")
cat("LR_IN_GRAPH", sprintf("%.17g", get_learning_rate(in_graph)), "\\n")
cat("MD5", md5_before == unname(tools::md5sum(saved)), "\\n")
"""


@pytest.mark.r_parity
@pytest.mark.slow
def test_r_table(saved: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    tampered = kit.tampered(saved, tmp_path / "tampered.keras", lambda lr: lr["config"][
        "schedule"]["config"].update(decay_steps=-3))
    before = sha256(saved)
    cases = ",\n".join(f"  {r_string(name)} = quote({expr})" for name, expr, _ in R_CASES)
    stdout = run_r(R_SCRIPT.format(saved=r_string(str(saved)), tampered=r_string(str(tampered)),
                                   cases=cases), cwd=tmp_path)
    results: dict[str, str] = {}
    tail: dict[str, list[str]] = {}
    for line in stdout.splitlines():
        if line.startswith("CASE"):
            name, _, res = line[4:].partition("\t")
            results[name] = res
        elif line.split() and line.split()[0] in {"LR", "LR_IN_GRAPH", "MD5", "LR_CHANGED"}:
            tail.setdefault(line.split()[0], []).append(" ".join(line.split()[1:]))
    failures = []
    for name, _, fragment in R_CASES:
        res = results.get(name)
        if res is None:
            failures.append(f"{name}: no result (did R crash?)")
        elif not res.startswith("ERROR"):
            failures.append(f"{name}: {res}")
        elif fragment not in res:
            failures.append(f"{name}: message does not name {fragment!r}: {res}")
    assert "LR_CHANGED" not in tail, tail["LR_CHANGED"]
    lr, lr0 = (float(v) for v in tail["LR"][0].split())
    assert lr == lr0 == pytest.approx(0.1, rel=1e-7)
    assert float(tail["LR_IN_GRAPH"][0]) == pytest.approx(0.1, rel=1e-7)
    assert tail["MD5"] == ["TRUE"]
    assert sha256(saved) == before
    with capsys.disabled():
        print(f"\nhostile inputs tried (R table): {len(R_CASES)}")
    assert not failures, "\n".join(failures)
