"""Hostile input: a table of bad inputs across Python and R, each of which must fail cleanly.

Every case must raise (Python: ``TypeError``, ``ValueError`` or ``RuntimeError``; R: an
error condition) with a message that names the argument, the clock value or the epoch
(batch) at fault. None may crash either language, change the optimizer's learning rate,
or change a saved model file (its SHA-256 / MD5 is compared before and after).

Covered (the constructors' bad arguments live in test_schedule_checks.py, R's in
test_r_parity.py and tests/testthat/test-checks.R): ``__call__`` / ``lr_at``,
``to_keras`` / ``as_keras_schedule``,
``from_config`` and ``KerasSchedule.from_config``, the callbacks' constructors, user
functions that return nonsense during ``fit``, ``get/set_learning_rate``, keras3's
``fit()`` (the R user's) with lrdecay's callbacks, and tampered ``.keras`` files. A user
function's own exception is not lrdecay's to reword: it propagates unchanged. The R cases
run in one ``Rscript`` that prints one line per case. The tests print how many inputs they
tried.
"""

from __future__ import annotations

import json
import math
import zipfile
from pathlib import Path
from typing import Any, Callable

import lrdecay
import numpy as np
import pytest
from kit import keras_model, lr_of, r_string, run_r, sha256
from lrdecay import *  # noqa: F403 - the schedules API, lrdecay.__all__

keras = pytest.importorskip("keras")

pytestmark = pytest.mark.keras

CLEAN = (TypeError, ValueError, RuntimeError)
NAN, INF = float("nan"), float("inf")
LR0 = float(np.float32(0.1))  # the compiled learning rate, as Keras stores it

# ---------------------------------------------------------------------------
# Python: (id, call, fragment the message must contain)
# ---------------------------------------------------------------------------


def _raise(_t: Any) -> Any:
    raise ZeroDivisionError("boom")


S = Step(0.1, 0.5, 2)

PY_CASES: list[tuple[str, Callable[[], Any], str]] = [
    # constructors: test_schedule_checks.py's table (and test_r_parity.py for R)
    # evaluation (the clock)
    ("call t<0", lambda: S(-1), "`t`"),
    ("call t NaN", lambda: S(NAN), "`t`"),
    ("call t Inf", lambda: S(INF), "`t`"),
    ("call t str", lambda: S("3"), "`t`"),
    ("call t bool", lambda: S(True), "`t`"),
    ("call t None", lambda: S(None), "`t`"),
    ("call t mixed list", lambda: S([1, -2]), "`t`"),
    ("call t object list", lambda: S([[1, "a"]]), "`t`"),
    ("call t NaN array", lambda: S(np.array([1.0, NAN])), "`t`"),
    ("call t dict", lambda: S({"t": 1}), "`t`"),
    ("call t complex", lambda: S(1 + 1j), "`t`"),
    # user functions that return nonsense or raise
    ("fn returns <0", lambda: FromFunction(lambda t: -1.0)(0), "t = 0"),
    ("fn returns NaN", lambda: FromFunction(lambda t: NAN)(2), "t = 2"),
    ("fn returns Inf", lambda: FromFunction(lambda t: INF)([1, 2]), "t = 1"),
    ("fn returns str", lambda: FromFunction(lambda t: "a")(3), "t = 3"),
    ("fn returns None", lambda: FromFunction(lambda t: None)(4), "t = 4"),
    ("fn returns pair", lambda: FromFunction(lambda t: [0.1, 0.2])(5), "t = 5"),
    # to_keras / KerasSchedule
    ("to_keras spe 0", lambda: S.to_keras(steps_per_epoch=0), "`steps_per_epoch`"),
    ("to_keras spe -1", lambda: S.to_keras(steps_per_epoch=-1), "`steps_per_epoch`"),
    ("to_keras spe str", lambda: S.to_keras(steps_per_epoch="4"), "`steps_per_epoch`"),
    ("to_keras spe NaN", lambda: S.to_keras(steps_per_epoch=NAN), "`steps_per_epoch`"),
    ("to_keras function", lambda: FromFunction(math.exp).to_keras(), "training graph"),
    ("KerasSchedule float", lambda: lrdecay.KerasSchedule(0.1), "`schedule`"),
    # from_config
    ("from_config None", lambda: lrdecay.from_config(None), "`config`"),
    ("from_config no config", lambda: lrdecay.from_config({"class_name": "Step"}), "`config`"),
    ("from_config unknown", lambda: lrdecay.from_config({"class_name": "Nope", "config": {}}),
     "`class_name`"),
    ("from_config extra", lambda: lrdecay.from_config(
        {"class_name": "Step", "config": {"initial_lr": 0.1, "evil": 1}}), '"evil"'),
    ("from_config missing", lambda: lrdecay.from_config({"class_name": "Step", "config": {}}),
     "initial_lr"),
    ("from_config wrong type", lambda: lrdecay.from_config(
        {"class_name": "Step", "config": {"initial_lr": "0.1"}}), "`initial_lr`"),
    ("from_config config list", lambda: lrdecay.from_config(
        {"class_name": "Step", "config": [0.1]}), "`config`"),
    ("from_config function", lambda: lrdecay.from_config(
        {"class_name": "FromFunction", "config": {"fn": "print"}}), "`class_name`"),
    ("KerasSchedule.from_config {}", lambda: lrdecay.KerasSchedule.from_config({}), '"schedule"'),
    ("KerasSchedule.from_config spe", lambda: lrdecay.KerasSchedule.from_config(
        {"schedule": S.get_config(), "steps_per_epoch": -2}), "`steps_per_epoch`"),
    # callback constructors
    ("LRScheduler number", lambda: lrdecay.LRScheduler(0.1), "`schedule`"),
    ("LRScheduler verbose -1", lambda: lrdecay.LRScheduler(S, verbose=-1), "`verbose`"),
    ("LRScheduler verbose str", lambda: lrdecay.LRScheduler(S, verbose="1"), "`verbose`"),
    ("LRScheduler arity 3", lambda: lrdecay.LRScheduler(lambda e: 0.1, arity=3), "`arity`"),
    ("LRScheduler arity 2 schedule", lambda: lrdecay.LRScheduler(S, arity=2), "`arity`"),
    ("LRScheduler 3 args", lambda: lrdecay.LRScheduler(lambda a, b, c: 0.1), "`schedule`"),
    ("LRLogger verbose -1", lambda: lrdecay.LRLogger(verbose=-1), "`verbose`"),
    ("LRLogger verbose 1.5", lambda: lrdecay.LRLogger(verbose=1.5), "`verbose`"),
    ("LRCustom nothing", lambda: lrdecay.LRCustom(), "on_epoch_begin"),
    ("LRCustom number", lambda: lrdecay.LRCustom(on_epoch_begin=3), "`on_epoch_begin`"),
    ("LRCustom batch str", lambda: lrdecay.LRCustom(on_batch_begin="f"), "`on_batch_begin`"),
]


@pytest.mark.parametrize(("t", "at"), [(6, "t = 6"), ([7, 8], "t = 7")], ids=["scalar", "vector"])
def test_user_function_errors_propagate_unchanged(t: Any, at: str) -> None:
    """A user's own exception is not a hostile input: it reaches the caller as raised (same
    type, same message), with a note naming t."""
    with pytest.raises(ZeroDivisionError) as err:
        FromFunction(_raise)(t)
    assert str(err.value) == "boom"
    assert err.value.__notes__ == [f"(raised by the schedule function at {at})"]


# get/set_learning_rate on a compiled model (its rate must stay 0.1)
SET_CASES: list[tuple[str, Any, str]] = [
    ("set -1", -1, "`value`"), ("set NaN", NAN, "`value`"), ("set Inf", INF, "`value`"),
    ("set str", "0.1", "`value`"), ("set None", None, "`value`"),
    ("set pair", [0.1, 0.2], "`value`"),
    ("set bool", True, "`value`"), ("set empty", [], "`value`"),
    ("set array", np.array([0.1, 0.2]), "`value`"),
]


def _model(lr: Any = 0.1) -> Any:
    return keras_model(lr, inputs=2, seed=0)


def _check(case: str, call: Callable[[], Any], fragment: str, failures: list[str]) -> None:
    try:
        call()
    except CLEAN as err:
        if fragment not in str(err):
            failures.append(f"{case}: message does not name {fragment!r}: {err}")
    except BaseException as err:  # noqa: BLE001 - anything else is a crash
        failures.append(f"{case}: unclean {type(err).__name__}: {err}")
    else:
        failures.append(f"{case}: no error")


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "saved.keras"
    model = _model(Cosine(0.1, 10).to_keras(steps_per_epoch=2))
    model.optimizer.build(model.trainable_variables)
    model.save(path)
    return path


def test_python_table(saved: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    before = sha256(saved)
    model = _model()
    in_graph = _model(Step(0.1).to_keras())
    uncompiled = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    failures: list[str] = []
    cases = list(PY_CASES)
    cases += [(name, lambda v=v: lrdecay.set_learning_rate(model, v), frag)
              for name, v, frag in SET_CASES]
    cases += [
        ("set on in-graph", lambda: lrdecay.set_learning_rate(in_graph, 0.2), "in-graph"),
        ("set on non-model", lambda: lrdecay.set_learning_rate("model", 0.1), "`model`"),
        ("set uncompiled", lambda: lrdecay.set_learning_rate(uncompiled, 0.1), "optimizer"),
        ("get on non-model", lambda: lrdecay.get_learning_rate(42), "`model`"),
    ]
    # Tampered copies of the saved model: the copy fails to load, the original is untouched.
    for name, key, value, frag in [
            ("load: drop out of range", "decay_steps", -3, "`decay_steps`"),
            ("load: unknown family", None, "Bogus", "`class_name`"),
            ("load: wrong type", "alpha", "0", "`alpha`")]:
        bad = tmp_path / f"{len(cases)}.keras"
        _tamper(saved, bad, key, value)
        cases.append((name, lambda bad=bad: keras.saving.load_model(bad), frag))
    # A loaded model's schedule cannot become unsaveable (saving it would truncate the file).
    loaded = keras.saving.load_model(saved)
    cases.append(("assign function schedule",
                  lambda: setattr(loaded.optimizer._learning_rate, "schedule",
                                  FromFunction(math.exp)), "not serializable"))
    for case, call, fragment in cases:
        _check(case, call, fragment, failures)
    assert lr_of(model) == LR0
    assert lr_of(in_graph) == LR0
    assert sha256(saved) == before
    loaded.save(tmp_path / "again.keras")  # the refused assignment left it saveable
    again = keras.saving.load_model(tmp_path / "again.keras")
    assert again.optimizer._learning_rate.schedule == Cosine(0.1, 10)
    with capsys.disabled():
        print(f"\nhostile inputs tried (Python table): {len(cases)}")
    assert not failures, "\n".join(failures)
    assert len(cases) >= 100


def _tamper(src: Path, dst: Path, key: str | None, value: Any) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "config.json":
                cfg = json.loads(data)
                sched = cfg["compile_config"]["optimizer"]["config"]["learning_rate"][
                    "config"]["schedule"]
                if key is None:
                    sched["class_name"] = value
                else:
                    sched["config"][key] = value
                data = json.dumps(cfg).encode()
            zout.writestr(item, data)


# ---------------------------------------------------------------------------
# Python: user functions that fail during fit
# ---------------------------------------------------------------------------

def _at(k: int, bad: Any) -> Callable[[int], Any]:
    """A schedule function of the epoch: 0.1 (the compiled rate) before epoch k, then ``bad``."""
    def fn(epoch: int) -> Any:
        if epoch < k:
            return 0.1
        if isinstance(bad, BaseException):
            raise bad
        return bad
    return fn


FIT_CASES: list[tuple[str, Callable[[], Any], str]] = [
    ("epoch 0 NaN", lambda: lrdecay.LRScheduler(_at(0, NAN)), "epoch 0"),
    ("epoch 1 Inf", lambda: lrdecay.LRScheduler(_at(1, INF)), "epoch 1"),
    ("epoch 2 negative", lambda: lrdecay.LRScheduler(_at(2, -0.1)), "epoch 2"),
    ("epoch 1 str", lambda: lrdecay.LRScheduler(_at(1, "0.1")), "epoch 1"),
    ("epoch 1 None", lambda: lrdecay.LRScheduler(_at(1, None)), "epoch 1"),
    ("epoch 2 pair", lambda: lrdecay.LRScheduler(_at(2, [0.1, 0.2])), "epoch 2"),
    ("epoch 1 bool", lambda: lrdecay.LRScheduler(_at(1, True)), "epoch 1"),
    ("epoch 0 raises", lambda: lrdecay.LRScheduler(_at(0, ValueError("no rate at epoch 0"))),
     "epoch 0"),
    ("(epoch, lr) NaN at 1", lambda: lrdecay.LRScheduler(lambda e, lr: lr if e < 1 else NAN),
     "epoch 1"),
    ("custom epoch Inf at 2",
     lambda: lrdecay.LRCustom(on_epoch_begin=lambda e, lr, logs: None if e < 2 else INF),
     "epoch 2"),
    ("custom batch -1 at 2",
     lambda: lrdecay.LRCustom(on_batch_begin=lambda b, lr, logs: None if b < 2 else -1.0),
     "batch 2"),
    ("function schedule NaN at 1",
     lambda: lrdecay.LRScheduler(FromFunction(lambda t: np.where(np.asarray(t) < 1, 0.1, NAN))),
     "t = 1"),
]


def test_python_fit_with_failing_functions(saved: Path, capsys: pytest.CaptureFixture) -> None:
    """The error names the epoch (batch); the rate stays at its last good value, 0.1; a
    checkpoint file that no finished epoch wrote is untouched."""
    x = np.ones((8, 2), dtype="float32")
    y = np.zeros((8, 1), dtype="float32")
    model = _model()
    before = sha256(saved)
    failures: list[str] = []
    for case, make, fragment in FIT_CASES:
        cbs = [make()]
        if "0" in fragment and "epoch" in fragment:  # fails before any epoch ends
            cbs.append(keras.callbacks.ModelCheckpoint(str(saved)))
        _check(case, lambda cbs=cbs: model.fit(x, y, batch_size=2, epochs=4, verbose=0,
                                               shuffle=False, callbacks=cbs),
               fragment, failures)
        if lr_of(model) != LR0:
            failures.append(f"{case}: the learning rate changed to {lr_of(model)}")
    in_graph = _model(Step(0.1).to_keras())
    _check("LRScheduler on in-graph", lambda: in_graph.fit(
        x, y, epochs=1, verbose=0, callbacks=[lrdecay.LRScheduler(Step(0.2))]), "in-graph",
        failures)
    assert lr_of(in_graph) == LR0
    assert sha256(saved) == before
    with capsys.disabled():
        print(f"\nhostile inputs tried (Python fit): {len(FIT_CASES) + 1}")
    assert not failures, "\n".join(failures)


# ---------------------------------------------------------------------------
# R: one Rscript, one line per case
# ---------------------------------------------------------------------------

R_CASES: list[tuple[str, str, str]] = [
    *[(f"lr_at t = {t}", f"lr_at(s, {t})", "`t`") for t in ("-1", "NA", '"a"', "Inf", "c(1, NaN)")],
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
    tampered = tmp_path / "tampered.keras"
    _tamper(saved, tampered, "decay_steps", -3)
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
