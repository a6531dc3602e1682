"""Hostile input from R and Python: each bad input must fail cleanly.

Every case raises an error (in R a condition) whose message names the argument, the clock
value or the epoch (batch) at fault; none may crash R, change the optimizer's learning
rate or weights, or change a saved model file. The R cases run in one ``Rscript``.

The same inputs asserted with their exact messages live in test_schedule_checks.py
(constructors), test_keras_schedule.py, test_callbacks.py, test_lr_find.py,
test_saving.py and tests/testthat/*.R; only what those do not try is tried here.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Callable

import kit
import lrdecay
import numpy as np
import pytest
from kit import keras_model, model_state, r_string, run_r, same_state, sha256
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


def _r_fit(callback: str, model: str = "model", epochs: Any = 3) -> str:
    """An R ``fit()`` of ``model`` on ``x``, ``y`` with one callback."""
    return (f"fit({model}, x, y, epochs = {epochs}, verbose = 0, "
            f"callbacks = list({callback}))")


# ---------------------------------------------------------------------------
# R: one Rscript, one line per case
# ---------------------------------------------------------------------------

#: (Asked of R in tests/testthat too, so not here: a bad ``t``, a schedule
#: function's bad value or own error in lr_at() and fit(), callbacks' and
#: as_keras_schedule()'s arguments, NULL for a required argument.)
R_CASES: list[tuple[str, str, str]] = [
    ("lr_at not a schedule", 'lr_at("s", 1)', "`schedule`"),
    ("fit: scheduler negative at epoch 2",
     _r_fit("callback_lr_scheduler(function(epoch, lr) if (epoch < 2) lr else -lr)"), "epoch 2"),
    ("fit: custom batch NaN at batch 1", _r_fit(
        "callback_lr_custom(on_batch_begin = function(batch, lr, logs) "
        "if (batch < 1) NULL else NaN)", epochs="1, batch_size = 2"), "batch 1"),
    ("fit: scheduler on in-graph", _r_fit("callback_lr_scheduler(s)", "in_graph", 1), "in-graph"),
    # the call is the case's name
    *[(call, call, fragment) for call, fragment in [
        ("as_keras_schedule(1)", "`schedule`"),
        ("callback_lr_logger(verbose = -1)", "`verbose`"),
        ("set_learning_rate(1, 0.1)", "`model`"),
        ("load_model(tampered)", "`decay_steps`"),
        ("schedule_cooldown(as_keras_schedule(s), 5, 5)", "`schedule`"),
        ("start_cooldown(model, NULL)", "not NULL."),
        ('start_cooldown(model, 5, shape = "cubic")', "`shape`"),
        ("start_cooldown(model, 5, final_lr = -1)", "`final_lr`"),
    ]],
    *[(f"hparam {arg} {bad}", _r_fit(f"callback_hparam_scheduler({arg} = {bad})", model, 1),
       f"`{arg}`") for model, arg, bad in [
        ("model_m", "momentum", "schedule_constant(1.5)"),
        ("model_adam", "beta_2", "function(t) 2"),
        ("model_adam", "epsilon", "function(t) -1")]],
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
model_m <- keras_model_sequential(input_shape = 2) |> layer_dense(1)
model_m |> compile(optimizer = optimizer_sgd(0.1, momentum = 0.9), loss = "mse")
model_adam <- keras_model_sequential(input_shape = 2) |> layer_dense(1)
model_adam |> compile(optimizer = optimizer_adam(0.1), loss = "mse")
weights0 <- list(get_weights(model_m), get_weights(model_adam))
lr0 <- get_learning_rate(model)
one_line <- function(x) gsub("[[:space:]]+", " ", paste(x, collapse = " "))
cases <- list(
{cases}
)
for (id in names(cases)) {{
  res <- tryCatch({{ eval(cases[[id]]); "NO ERROR" }},
                  error = function(e) paste("ERROR", class(e)[1], one_line(conditionMessage(e))))
  cat("CASE", id, res, "\\n", sep = "\\t")
  if (!identical(get_learning_rate(model), lr0)) cat("LR_CHANGED", id, "\\n", sep = "\\t")
}}
cat("LR", sprintf("%.17g", get_learning_rate(model)), sprintf("%.17g", lr0), "\\n", sep = "\\t")
cat("LR_IN_GRAPH", sprintf("%.17g", get_learning_rate(in_graph)), "\\n", sep = "\\t")
cat("WEIGHTS", identical(weights0, list(get_weights(model_m), get_weights(model_adam))), "\\n",
    sep = "\\t")
cat("MD5", md5_before == unname(tools::md5sum(saved)), "\\n", sep = "\\t")
"""


@pytest.mark.r_parity
@pytest.mark.slow
def test_r_table(saved: Path, tmp_path: Path) -> None:
    tampered = kit.tampered(saved, tmp_path / "tampered.keras", lambda lr: lr["config"][
        "schedule"]["config"].update(decay_steps=-3))
    before = sha256(saved)
    cases = ",\n".join(f"  {r_string(name)} = quote({expr})" for name, expr, _ in R_CASES)
    stdout = run_r(R_SCRIPT.format(saved=r_string(str(saved)), tampered=r_string(str(tampered)),
                                   cases=cases), cwd=tmp_path)
    tail: dict[str, list[str]] = {}  # the lines of R's output by their first field
    for line in stdout.splitlines():
        key, _, value = line.partition("\t")
        tail.setdefault(key, []).append(value.strip())
    results = dict(v.split("\t", 1) for v in tail.get("CASE", []))
    failures = [f"{name} (must fail naming {fragment!r}): {results.get(name, 'no result')}"
                for name, _, fragment in R_CASES
                if not results.get(name, "").startswith("ERROR") or fragment not in results[name]]
    assert "LR_CHANGED" not in tail, tail["LR_CHANGED"]
    lr, lr0 = (float(v) for v in tail["LR"][0].split())
    assert lr == lr0 == pytest.approx(0.1, rel=1e-7)
    assert float(tail["LR_IN_GRAPH"][0]) == pytest.approx(0.1, rel=1e-7)
    assert tail["MD5"] == ["TRUE"]
    assert tail["WEIGHTS"] == ["TRUE"]  # refused hyperparameters trained nothing
    assert sha256(saved) == before
    assert not failures, "\n".join(failures)


# ---------------------------------------------------------------------------
# Python: the newer features (modern families, cooldowns, in-graph schedules given where an
# lrdecay schedule is wanted, plots; HParamScheduler's ranges per optimizer: test_hparams.py)
# ---------------------------------------------------------------------------

NAN, INF = float("nan"), float("inf")
CLEAN = (TypeError, ValueError, RuntimeError)
S = Step(0.1, 0.5, 2)


def _keras_cosine() -> Any:
    return keras.optimizers.schedules.CosineDecay(0.1, 10)


#: (Every family's required arguments given None, and the newer families' numbers given
#: NaN, Inf and -1: tests/testthat/test-errors.R, and test_schedule_checks.py's tables.)
NEWER_CASES: list[tuple[str, Callable[[], Any], str]] = [
    ("FromFunction fn None", lambda: FromFunction(None), "`fn`"),  # no R twin
    # an in-graph schedule made again (as_keras_schedule(as_keras_schedule(s)))
    ("to_keras twice spe NaN", lambda: S.to_keras().to_keras(steps_per_epoch=NAN),
     "`steps_per_epoch`"),
    ("to_keras twice spe str", lambda: S.to_keras(steps_per_epoch=2).to_keras(
        steps_per_epoch="2"), "`steps_per_epoch`"),
    ("to_keras twice check str", lambda: S.to_keras().to_keras(check="no"), "`check`"),
    # a Keras schedule where an lrdecay schedule is wanted (R's lr_at(), plot(), ...)
    ("schedule_of Keras names the family",
     lambda: lrdecay.schedules.schedule_of(_keras_cosine()), "schedule_cosine() / Cosine()"),
    ("schedule_of number", lambda: lrdecay.schedules.schedule_of(0.1), "`schedule`"),
    ("schedule_of function", lambda: lrdecay.schedules.schedule_of(math.exp), "`schedule`"),
    ("Warmup of in-graph", lambda: Warmup(S.to_keras(), 3), "`schedule`"),
    ("Cooldown of in-graph", lambda: Cooldown(S.to_keras(), 3, 3), "`schedule`"),
    ("Cooldown of Keras's", lambda: Cooldown(_keras_cosine(), 3, 3), "`schedule`"),
    ("Sequence of in-graph", lambda: Sequence([S.to_keras(), S], [3]), "`schedules`"),
    ("check_schedule of Keras's", lambda: lrdecay.check_schedule(_keras_cosine(), epochs=3),
     "`schedule`"),
    # plots that could draw nothing
    ("plot t empty", lambda: S.plot(t=[]), "`t`"),
    ("plot t empty array", lambda: S.plot(t=np.array([])), "`t`"),
    ("plot t NaN", lambda: S.plot(t=[NAN]), "`t`"),
]


#: start_cooldown()'s arguments: (case, kwargs, fragment), on a model trained at rate 0.1.
COOLDOWN_CASES: list[tuple[str, dict[str, Any], str]] = [
    ("length 0", {"length": 0}, "`length`"),
    ("length NaN", {"length": NAN}, "`length`"),
    ("length Inf", {"length": INF}, "`length`"),
    ("length None", {"length": None}, "`length`"),
    ("length str", {"length": "10"}, "`length`"),
    ("shape None", {"length": 5, "shape": None}, "`shape`"),
    ("final_lr -1", {"length": 5, "final_lr": -1}, "`final_lr`"),
    ("final_lr NaN", {"length": 5, "final_lr": NAN}, "`final_lr`"),
    ("final_lr None", {"length": 5, "final_lr": None}, "`final_lr`"),
    ("model str", {"model": "m", "length": 5}, "`model`"),
]


@pytest.mark.parametrize(("call", "fragment"), [pytest.param(c, f, id=n)
                                               for n, c, f in NEWER_CASES])
def test_newer_features_fail_cleanly(call: Callable[[], Any], fragment: str) -> None:
    with pytest.raises(CLEAN) as err:
        call()
    assert fragment in str(err.value)


@pytest.fixture(scope="module")
def trained() -> Any:
    model = keras_model(seed=0)
    model.fit(kit.X, kit.Y, batch_size=8, epochs=1, verbose=0)
    return model


@pytest.mark.parametrize(("kwargs", "fragment"), [pytest.param(k, f, id=n)
                                                  for n, k, f in COOLDOWN_CASES])
def test_start_cooldown_refuses_bad_arguments_before_anything_changes(
        trained: Any, kwargs: dict[str, Any], fragment: str) -> None:
    before = model_state(trained)
    with pytest.raises(CLEAN) as err:
        lrdecay.start_cooldown(**{"model": trained, **kwargs})
    assert fragment in str(err.value)
    assert same_state(before, trained)
    assert isinstance(trained.optimizer._learning_rate, keras.Variable)  # not a schedule


def test_an_in_graph_schedule_made_again_is_the_same_schedule() -> None:
    """``to_keras()`` of an in-graph schedule (R: ``as_keras_schedule()`` twice) wraps the
    same lrdecay schedule again (its ``steps_per_epoch`` kept unless another is given, and
    ``check``: tests/testthat/test-errors.R)."""
    once = S.to_keras(steps_per_epoch=4)
    twice = once.to_keras()
    assert isinstance(twice, lrdecay.KerasSchedule) and twice is not once and twice.check
    steps = keras.ops.convert_to_tensor(np.arange(0, 40, 3, dtype="float32"))
    np.testing.assert_array_equal(np.asarray(twice(steps)), np.asarray(once(steps)))
    other = once.to_keras(steps_per_epoch=2, check=False)
    assert float(other(8)) == pytest.approx(S(4))
    assert lrdecay.schedules.schedule_of(once) is once.schedule
    assert lrdecay.schedules.schedule_of(S) is S
