"""Save, load and resume: an interrupted run, resumed, is the uninterrupted run.

For every way of driving the rate (``RATES`` in the children: ``LRScheduler``, in-graph
schedules on iterations and on epochs, run-sized ones, ``LRPlateau`` in every arrangement,
``HParamScheduler``), a SAVE child trains the uninterrupted run, saving after every epoch k;
a fresh LOAD child resumes at every k from the ``.keras`` file (callbacks made before or
after the load), from ``BackupAndRestore``'s folder, and after a real interruption: the same
rate at every update left, history, records, plateau scale and run sizes, and bit-identical
weights and optimizer variables. Every serializable schedule saved here loads here, in the
LOAD child (lrdecay must not import Keras) and in a fresh R session; R resumes too, with
keras3's 1-based ``initial_epoch = k + 1`` (the plateau through ``save_model()``).
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path
from typing import Any

import lrdecay
import numpy as np
import pytest
from kit import (
    assert_float32_agrees,
    check_process,
    f32,
    keras_model,
    last_json,
    r_string,
    require_r,
    run_processes,
    schedule_cases,
)
from lrdecay import Cosine, Warmup

keras = pytest.importorskip("keras")

pytestmark = [pytest.mark.keras, pytest.mark.slow]

MODES = ["callback", "graph", "graph_spe"]
PLATEAUS = ["constant", "graph_plateau", "scheduler", "plateau_first", "composite"]
#: config: (epochs, the epochs after which a run is really interrupted)
CONFIGS = {**{m: (6, [3]) for m in MODES}, "sized_callback": (6, [1, 2, 3]),
           "sized_graph": (6, [1, 2, 3]), **{p: (10, []) for p in PLATEAUS}}
#: The configs of each child (one pair of SAVE and LOAD children per group, side by side).
GROUPS = [PLATEAUS[:4], [*MODES, "sized_callback", "sized_graph", "composite"]]
STEPS = 4  # updates per epoch
SIZED = Warmup(Cosine(0.1), lrdecay.of_run(0.25), start_lr=0.01)

COMMON = r"""
import json, shutil, sys, warnings
from pathlib import Path
import lrdecay
KERAS_BEFORE = "keras" in sys.modules or "lrdecay.keras_schedule" in sys.modules
import numpy as np
import tensorflow as tf
import keras
from kit import rate_probe  # every update: its epoch, batch, iteration and rate

tf.config.experimental.enable_op_determinism()
work, table = Path(sys.argv[1]), json.loads(sys.argv[2])
STEPS, BATCH = 4, 8
rng = np.random.default_rng(0)
X = rng.normal(size=(STEPS * BATCH, 4)).astype("float32")
Y = (X @ np.array([[1.0], [-2.0], [0.5], [0.0]]) + rng.normal(scale=0.7, size=(STEPS * BATCH, 1))
     ).astype("float32")
BY_EPOCH = lrdecay.Warmup(lrdecay.Cosine(0.05, decay_steps=4, alpha=0.1), warmup_steps=2,
                          start_lr=0.005)
BY_ITER = lrdecay.Sequence([lrdecay.Linear(0.001, 0.05, 6),
                            lrdecay.Step(0.05, drop=0.7, every=4)], [6])
SIZED = lrdecay.Warmup(lrdecay.Cosine(0.1), lrdecay.of_run(0.25), start_lr=0.01)


def plateau(name):
    return lrdecay.LRPlateau(monitor="loss", factor=0.5, patience=1, min_delta=0.08,
                             cooldown=0 if name in ("scheduler", "composite") else 1,
                             min_lr=0.004 if name == "plateau_first" else 0)


# config: (the optimizer's learning rate, the callbacks that set it: the plateau first,
# then what saves, as documented)
RATES = {
    "callback": (0.123, lambda: [lrdecay.LRScheduler(BY_EPOCH)]),
    "graph": (lambda: BY_ITER.to_keras(), list),
    "graph_spe": (lambda: BY_EPOCH.to_keras(steps_per_epoch=STEPS), list),
    "sized_callback": (0.5, lambda: [lrdecay.LRScheduler(SIZED)]),
    "sized_graph": (lambda: SIZED.to_keras(), list),
    "constant": (0.1, lambda: [plateau("constant")]),
    "graph_plateau": (lambda: lrdecay.Cosine(0.1, 40, alpha=0.2).to_keras(),
                      lambda: [plateau("graph_plateau")]),
    "scheduler": (0.1, lambda: [lrdecay.LRScheduler(lrdecay.Step(0.1, drop=0.8, every=3)),
                                plateau("scheduler")]),
    "plateau_first": (0.1, lambda: [plateau("plateau_first"),
                                    lrdecay.LRScheduler(lrdecay.Exponential(0.1, 3, 0.5))]),
    "composite": (0.1, lambda: [
        lrdecay.LRScheduler(lrdecay.OneCycle(0.1, total_steps=10)), plateau("composite"),
        lrdecay.HParamScheduler(momentum=lrdecay.OneCycle(0.1, total_steps=40).momentum())]),
}


def new_model(name):
    keras.utils.set_random_seed(1)
    lr = RATES[name][0]
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="tanh"),
                              keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=lr() if callable(lr) else lr,
                                                 momentum=0.5), loss="mse")
    return model


def hexes(variables):
    return [np.asarray(v).tobytes().hex() for v in variables]


def run(name, model, cbs, extra=(), initial_epoch=0):
    steps, logger = rate_probe(), lrdecay.LRLogger(verbose=0, per="batch")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("error", UserWarning)  # e.g. "Skipping variable loading"
        warnings.simplefilter("always", lrdecay.ScheduleWarning)  # recorded
        hist = model.fit(X, Y, batch_size=BATCH, epochs=table[name][0], shuffle=False,
                         initial_epoch=initial_epoch, verbose=0,
                         callbacks=[*cbs, logger, steps, *extra])
    ks = model.optimizer._learning_rate
    sizes = [repr(c.sized_schedule) for c in cbs if isinstance(c, lrdecay.LRScheduler)]
    if isinstance(ks, lrdecay.KerasSchedule):
        sizes += [repr(ks.schedule), ks.run]
    return {"epochs": hist.epoch, "lr": hist.history["learning_rate"], "steps": steps.rows,
            "records": logger.records_table(), "sizes": sizes,
            "scale": [c.scale for c in cbs if isinstance(c, lrdecay.LRPlateau)],
            "plan": [str(w.message) for w in caught
                     if issubclass(w.category, lrdecay.ScheduleWarning)],
            "weights": hexes(model.get_weights()),
            "optimizer": hexes(v.numpy() for v in model.optimizer.variables)}
"""

SAVE = COMMON + r"""
class Snapshot(keras.callbacks.Callback):
    # After ModelCheckpoint: the rate the file holds, and BackupAndRestore's folder.
    def __init__(self, name):
        super().__init__()
        self.name, self.saved_lr = name, {}

    def on_epoch_end(self, epoch, logs=None):
        self.saved_lr[epoch + 1] = lrdecay.get_learning_rate(self.model)
        shutil.copytree(work / f"{self.name}-backup", work / f"{self.name}-backup-{epoch + 1}")


out = {}
for name in table:
    snap = Snapshot(name)
    save = [keras.callbacks.ModelCheckpoint(str(work / (name + "-{epoch}.keras"))),
            keras.callbacks.BackupAndRestore(str(work / f"{name}-backup")), snap]
    out[name] = {**run(name, new_model(name), RATES[name][1](), save),
                 "saved_lr": snap.saved_lr}
print(json.dumps(out))
"""

LOAD = COMMON + r"""
class Interrupt(Exception):
    pass


class StopAfter(keras.callbacks.Callback):
    def __init__(self, k):
        super().__init__()
        self.k = k

    def on_epoch_end(self, epoch, logs=None):
        if epoch + 1 == self.k:
            raise Interrupt(epoch)


out = {"keras_imported_by_lrdecay": KERAS_BEFORE, "saved": {}}
for key, path in json.loads(sys.argv[3]).items():  # the schedules saved by the test process
    opt = keras.saving.load_model(path).optimizer
    sched = opt._learning_rate
    out["saved"][key] = {
        "class": type(sched).__name__, "config": sched.get_config(),
        "iterations": int(opt.iterations.numpy()), "lr": float(opt.learning_rate.numpy()),
        "values": [float(v) for v in sched(tf.constant(json.loads(sys.argv[4])))]}
for name, (epochs, interrupts) in table.items():
    res = out[name] = {"keras": {}, "backup": {}, "interrupted": {}}
    for k in range(1, epochs):
        cbs = RATES[name][1]() if k % 2 else None  # made before or after the load
        model = keras.saving.load_model(work / f"{name}-{k}.keras")
        loaded_lr = lrdecay.get_learning_rate(model)
        res["keras"][k] = {**run(name, model, cbs or RATES[name][1](), initial_epoch=k),
                           "loaded_lr": loaded_lr}
        backup = keras.callbacks.BackupAndRestore(str(work / f"{name}-backup-{k}"))
        res["backup"][k] = run(name, new_model(name), RATES[name][1](), [backup])
    for k in interrupts:
        folder = str(work / f"{name}-interrupted-{k}")
        try:
            run(name, new_model(name), RATES[name][1](),
                [keras.callbacks.BackupAndRestore(folder), StopAfter(k)])
            raise SystemExit("the run was not interrupted")
        except Interrupt:
            pass
        res["interrupted"][k] = run(name, new_model(name), RATES[name][1](),
                                    [keras.callbacks.BackupAndRestore(folder)])
print(json.dumps(out))
"""

# ---------------------------------------------------------------------------
# Schedules saved here: loaded here, in the LOAD child and in R
# ---------------------------------------------------------------------------

#: The iterations at which the saved and the loaded schedule are compared.
ITERS = list(range(0, 41, 3)) + [97, 1000]


def _lr_values(optimizer: Any) -> list[float]:
    values = optimizer._learning_rate(keras.ops.convert_to_tensor(np.asarray(ITERS), "int32"))
    return [float(v) for v in keras.ops.convert_to_numpy(values)]


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Every case (and spe None / 4) saved as .keras, at a case-specific iteration."""
    folder = tmp_path_factory.mktemp("saved")
    out: dict[str, dict[str, Any]] = {}
    for n, (name, sched) in enumerate(schedule_cases()):
        for spe in (None, 4):
            model = keras_model(sched.to_keras(steps_per_epoch=spe))
            model.optimizer.build(model.trainable_variables)
            model.optimizer.iterations.assign(5 + n)  # as if 5 + n updates had been made
            path = folder / f"{name}-{spe}.keras"
            model.save(path)
            out[f"{name}-{spe}"] = {
                "path": str(path), "iterations": 5 + n, "schedule": sched, "spe": spe,
                "lr": float(keras.ops.convert_to_numpy(model.optimizer.learning_rate)),
                "values": _lr_values(model.optimizer),
                "config": model.optimizer._learning_rate.get_config()}
    return out


# ---------------------------------------------------------------------------
# The Python children: SAVE, then LOAD
# ---------------------------------------------------------------------------


def _jobs(code: str, work: Path, manifest: dict[str, str]) -> list[dict[str, Any]]:
    jobs = []
    for i, group in enumerate(GROUPS):
        argv = [str(work), json.dumps({c: CONFIGS[c] for c in group}),
                json.dumps(manifest if i == 0 else {}), json.dumps(ITERS)]
        code_i = f"import sys; sys.argv = ['x', *{argv!r}]\n{textwrap.dedent(code)}"
        jobs.append({"argv": [sys.executable, "-c", code_i], "env": {"backend": "tensorflow"},
                     "what": f"child Python {group}"})
    return jobs


@pytest.fixture(scope="module")
def children(saved: dict[str, dict[str, Any]], tmp_path_factory: pytest.TempPathFactory
             ) -> dict[str, Any]:
    """Two phases of fresh processes, all of a phase at once: the Python SAVE children with
    R's save script, then the LOAD children with R's load script (R's only when R is there).
    Each Python child's last JSON document by phase, and R's stdouts."""
    work, r_work = tmp_path_factory.mktemp("resume"), tmp_path_factory.mktemp("r")
    manifest = {k: r["path"] for k, r in saved.items()}
    keys = list(saved)
    r_load = R_LOAD.replace("WORK", r_string(str(r_work)))
    for name, values in [("PATHS", [r_string(saved[k]["path"]) for k in keys]),
                         ("KEYS", [r_string(k) for k in keys]), ("ITERS", map(str, ITERS))]:
        r_load = r_load.replace(name, f"c({', '.join(values)})")
    r_codes = {"SAVE": R_SAVE.replace("WORK", r_string(str(r_work))), "LOAD": r_load}
    try:  # Rscript when R and the installed lrdecay R package are there (else R's tests skip)
        rscript: str | None = require_r()
    except pytest.skip.Exception:
        rscript = None
    out: dict[str, Any] = {"r_work": r_work}
    for phase, code in (("SAVE", SAVE), ("LOAD", LOAD)):
        jobs = _jobs(code, work, manifest)
        if rscript:
            script = r_work / f"{phase.lower()}.R"
            script.write_text(r_codes[phase])
            jobs.append({"argv": [rscript, str(script)], "cwd": str(r_work),
                         "what": f"Rscript {script.name}"})
        procs = run_processes(jobs, workers=len(jobs), timeout=900)
        stdouts = [check_process(proc, job["what"]) for job, proc in zip(jobs, procs)]
        out[phase] = [last_json(stdout) for stdout in stdouts[:len(GROUPS)]]
        if rscript:
            out[f"R_{phase}"] = stdouts[-1]
    return out


@pytest.fixture(scope="module")
def runs(children: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for got in children["SAVE"]:
        out.update({name: {"full": full} for name, full in got.items()})
    for i, got in enumerate(children["LOAD"]):
        for name, value in got.items():
            if name in CONFIGS:
                out[name].update(value)
            elif i == 0:  # the child that loaded the schedules saved here
                out[name] = value
    return out


def test_load_here_and_in_fresh_python(runs: dict[str, Any],
                                       saved: dict[str, dict[str, Any]]) -> None:
    """Every saved model loads here and in the LOAD child, which only imports lrdecay (which
    must not import Keras) and Keras: ``keras.saving.load_model`` finds the class with
    nothing else registering it. The same schedule, iteration, rate and in-graph values."""
    assert runs["keras_imported_by_lrdecay"] is False
    assert set(runs["saved"]) == set(saved)
    for key, rec in saved.items():
        opt = keras.saving.load_model(rec["path"]).optimizer
        ks = opt._learning_rate
        assert (ks.schedule, ks.steps_per_epoch) == (rec["schedule"], rec["spe"]), key
        here = {"class": type(ks).__name__, "config": ks.get_config(),
                "iterations": int(keras.ops.convert_to_numpy(opt.iterations)),
                "lr": float(keras.ops.convert_to_numpy(opt.learning_rate)),
                "values": _lr_values(opt)}
        assert here == runs["saved"][key] == {"class": "KerasSchedule", **{
            k: rec[k] for k in ("config", "iterations", "lr", "values")}}, key


@pytest.mark.parametrize("config", list(CONFIGS))
def test_the_reference_run(runs: dict[str, Any], config: str) -> None:
    """The uninterrupted run made every update, and its rate did what resuming must keep."""
    ref, epochs = runs[config]["full"], CONFIGS[config][0]
    assert [r[2] for r in ref["steps"]] == list(range(epochs * STEPS))
    assert len(ref["lr"]) == epochs and not ref["plan"]
    if config in MODES:
        assert len({round(r[3], 9) for r in ref["steps"]}) >= 4
    if config in PLATEAUS:
        assert ref["scale"][0] <= 0.25, ref["lr"]  # two reductions or more
    if config == "constant":  # the file holds the rate reduced at that epoch's end
        assert [ref["saved_lr"][str(k)] for k in range(1, epochs)] == ref["lr"][1:]
        assert set(ref["lr"]) <= {f32(0.1 * 0.5**n) for n in range(8)}, ref["lr"]
    if config == "plateau_first":  # min_lr bounds it: max(rate * scale, min(rate, min_lr))
        assert min(ref["lr"]) == pytest.approx(0.004, rel=1e-6), ref["lr"]
    if config == "composite":
        momentum = ref["records"]["momentum"]
        assert len(momentum) == epochs * STEPS
        assert (min(momentum), max(momentum)) == pytest.approx((0.85, 0.95), abs=1e-6)
    if config == "sized_callback":  # sized to the fit's 6 epochs, exactly
        assert ref["lr"] == [f32(v) for v in SIZED.sized(epochs)(np.arange(epochs))]
        assert ref["sizes"] == [repr(Warmup(Cosine(0.1, 4.5), 1.5, start_lr=0.01))]
    if config == "sized_graph":  # sized to the fit's 24 updates
        assert_float32_agrees(SIZED.sized(24), np.arange(24), [r[3] for r in ref["steps"]])
        assert ref["sizes"] == [repr(Warmup(Cosine(0.1, 18), 6, start_lr=0.01)), 24]


RESUMES = [pytest.param(config, path, k, id=f"{config}-{path}-{k}")
           for config, (epochs, interrupts) in CONFIGS.items()
           for path, ks in [("keras", range(1, epochs)), ("backup", range(1, epochs)),
                            ("interrupted", interrupts)] for k in ks]


@pytest.mark.parametrize(("config", "path", "k"), RESUMES)
def test_resumed_run_equals_uninterrupted_run(runs: dict[str, Any], config: str, path: str,
                                              k: int) -> None:
    ref, got = runs[config]["full"], runs[config][path][str(k)]
    assert got["epochs"] == list(range(k, CONFIGS[config][0]))
    # Every update left: same epoch, batch, iteration and rate; the same logs and records.
    assert got["steps"] == [r for r in ref["steps"] if r[0] >= k]
    assert got["lr"] == ref["lr"][k:]
    keep = [i for i, epoch in enumerate(ref["records"]["epoch"]) if epoch >= k]
    assert got["records"] == {c: [v[i] for i in keep] for c, v in ref["records"].items()}
    # The plateau's state and the run's sizes came back; the plan check found nothing.
    assert (got["scale"], got["sizes"]) == (ref["scale"], ref["sizes"])
    if config.startswith("sized"):
        assert got["plan"] == []
    if path == "keras":
        assert got["loaded_lr"] == ref["saved_lr"][str(k)]
    # Bit-identical weights and optimizer state (iterations, momenta, the plateau's scale).
    assert got["weights"] == ref["weights"]
    assert got["optimizer"] == ref["optimizer"]


# ---------------------------------------------------------------------------
# R: one Rscript trains and saves (keras3 attached first), a fresh one loads and resumes
# (lrdecay attached first: saved schedules load whichever of the two imported Keras first)
# ---------------------------------------------------------------------------

R_DATA = r"""
set.seed(0)
x <- matrix(rnorm(32 * 4), ncol = 4)
y <- x %*% c(1, -2, 0.5, 0) + 0.1
set.seed(3)
x2 <- matrix(rnorm(128), ncol = 4)
y2 <- x2 %*% c(1, -2, 3, 0.5) + rnorm(32, sd = 0.3)
by_epoch <- schedule_warmup(schedule_cosine(0.05, decay_steps = 4, alpha = 0.1),
                            warmup_steps = 2, start_lr = 0.005)
new_model <- function(mode) {
  set_random_seed(1)
  model <- keras_model_sequential(input_shape = 4)
  if (mode == "plateau") {
    model |> layer_dense(1) |> compile(optimizer = optimizer_sgd(0.1), loss = "mse")
    return(model)
  }
  lr <- if (mode == "callback") 0.123 else as_keras_schedule(by_epoch, steps_per_epoch = 4)
  model |> layer_dense(8, activation = "tanh") |> layer_dense(1) |>
    compile(optimizer = optimizer_sgd(learning_rate = lr, momentum = 0.9), loss = "mse")
  model
}
# keras3's initial_epoch counts from 1: resuming after k finished epochs is k + 1.
train <- function(model, mode, epochs, initial_epoch = 1) {
  cbs <- switch(mode, callback = list(callback_lr_scheduler(by_epoch)), graph_spe = list(),
                plateau = list(callback_lr_plateau(monitor = "loss", factor = 0.5, patience = 1,
                                                   min_delta = 0.1),
                               callback_lr_scheduler(schedule_constant(0.1))))
  data <- if (mode == "plateau") list(x2, y2) else list(x, y)
  h <- model |> fit(data[[1]], data[[2]], batch_size = 8, epochs = epochs, shuffle = FALSE,
                    initial_epoch = initial_epoch, verbose = 0,
                    callbacks = c(cbs, list(callback_lr_logger(verbose = 0))))
  as.numeric(h$metrics$learning_rate)
}
weights <- function(model) unlist(lapply(get_weights(model), as.numeric))
path <- function(mode) file.path(WORK, paste0(mode, ".keras"))
out <- list()
"""

R_SAVE = r"""
suppressPackageStartupMessages({library(keras3); library(lrdecay)})
tf <- reticulate::import("tensorflow")
tf$config$experimental$enable_op_determinism()
""" + R_DATA + r"""
for (mode in c("callback", "graph_spe", "plateau")) {
  epochs <- if (mode == "plateau") c(10, 6) else c(6, 3)
  full <- new_model(mode)
  lr_full <- train(full, mode, epochs[1])
  part <- new_model(mode)
  lr_first <- train(part, mode, epochs[2])
  save_model(part, path(mode))
  out[[mode]] <- list(lr = lr_full, first = lr_first, weights = weights(full))
}
# A model saved from R, trained with keras3's fit(), for Python to load.
s <- schedule_warmup(schedule_sequence(list(schedule_cosine(0.1, 3), schedule_constant(0.01)),
                                       boundaries = 3), warmup_steps = 1)
model <- keras_model_sequential(input_shape = 3) |> layer_dense(1)
model |> compile(optimizer = optimizer_sgd(learning_rate = as_keras_schedule(
  s, steps_per_epoch = 4)), loss = "mse")
xs <- matrix(seq(0, 1, length.out = 48), ncol = 3)
h <- model |> fit(xs, matrix(rowSums(xs), ncol = 1), batch_size = 4, epochs = 2, verbose = 0,
                  shuffle = FALSE)
save_model(model, path("from_r"))
out$from_r <- sprintf("%.17g", as.numeric(keras$ops$convert_to_numpy(
  model$optimizer$learning_rate)))
cat(jsonlite::toJSON(out, digits = NA), "\n")
"""

R_LOAD = r"""
suppressPackageStartupMessages({library(lrdecay); library(keras3)})
for (i in seq_along(PATHS)) {  # saved by the test process
  opt <- load_model(PATHS[[i]])$optimizer
  sched <- opt$`_learning_rate`
  vals <- as.numeric(keras$ops$convert_to_numpy(
    sched(keras$ops$convert_to_tensor(as.integer(ITERS), "int32"))))
  cat(KEYS[[i]], class(sched)[1], as.integer(keras$ops$convert_to_numpy(opt$iterations)),
      sprintf("%.17g", as.numeric(keras$ops$convert_to_numpy(opt$learning_rate))),
      sprintf("%.17g", vals), "\n", sep = "\t")
}
tf <- reticulate::import("tensorflow")
tf$config$experimental$enable_op_determinism()
""" + R_DATA + r"""
for (mode in c("callback", "graph_spe", "plateau")) {
  model <- load_model(path(mode))
  lr <- train(model, mode, if (mode == "plateau") 10 else 6,
              initial_epoch = if (mode == "plateau") 6 + 1 else 3 + 1)
  out[[mode]] <- list(lr = lr, weights = weights(model), iterations = as.integer(
    keras$ops$convert_to_numpy(model$optimizer$iterations)))
}
cat(jsonlite::toJSON(out, digits = NA), "\n")
"""


@pytest.fixture(scope="module")
def r_runs(children: dict[str, Any], saved: dict[str, dict[str, Any]]
           ) -> tuple[dict[str, Any], dict[str, Any], dict[str, list[str]], Path]:
    if "R_LOAD" not in children:
        require_r()  # skips, saying what is missing
    stdout = children["R_LOAD"]
    rows = {p[0]: p for p in (line.rstrip("\t").split("\t") for line in stdout.splitlines())
            if p[0] in saved}
    return last_json(children["R_SAVE"]), last_json(stdout), rows, children["r_work"]


@pytest.mark.r_parity
def test_r_resumes_with_keras3_1_based_initial_epoch(r_runs: Any) -> None:
    """keras3: 6 epochs, versus 3 epochs + save_model() + load_model() in a fresh R session +
    ``fit(initial_epoch = 4)`` (the schedule still gets 0-based epochs 3, 4, 5), with
    callback_lr_scheduler() and with as_keras_schedule(steps_per_epoch); and the plateau's
    10 epochs, versus 6 + ``initial_epoch = 7``: the same rates and weights."""
    saved, loaded, _, _ = r_runs
    by_epoch = Warmup(Cosine(0.05, decay_steps=4, alpha=0.1), warmup_steps=2, start_lr=0.005)
    for mode in ("callback", "graph_spe", "plateau"):
        full, got = saved[mode], loaded[mode]
        assert full["first"] + got["lr"] == full["lr"], mode
        assert got["weights"] == full["weights"], mode
        if mode != "plateau":
            assert full["lr"] == pytest.approx(list(by_epoch(list(range(6)))), rel=1e-6), mode
            assert (len(full["first"]), got["iterations"]) == (3, [24]), mode
    assert saved["plateau"]["lr"][-1] <= 0.1 / 4 + 1e-9, saved["plateau"]  # reduced twice+


@pytest.mark.r_parity
def test_load_in_fresh_r_session(r_runs: Any, saved: dict[str, dict[str, Any]]) -> None:
    """``library(lrdecay); library(keras3); load_model(path)`` in a fresh R session loads every
    model with the same iteration and learning rate; and a model saved from R loads here."""
    r_saved, _, rows, work = r_runs
    assert set(rows) == set(saved)
    for key, rec in saved.items():
        parts = rows[key]
        assert parts[1].endswith("KerasSchedule"), parts
        assert int(parts[2]) == rec["iterations"], key
        assert float(parts[3]) == rec["lr"], key
        assert [float(v) for v in parts[4:]] == rec["values"], key
    # The R-saved model, loaded here: 8 updates, t = 8 / 4 = 2 epochs.
    opt = keras.saving.load_model(work / "from_r.keras").optimizer
    expected = Warmup(lrdecay.Sequence([Cosine(0.1, 3), lrdecay.Constant(0.01)], [3]),
                      warmup_steps=1)
    assert opt._learning_rate.schedule == expected
    assert opt._learning_rate.steps_per_epoch == 4
    assert int(keras.ops.convert_to_numpy(opt.iterations)) == 8
    lr = float(keras.ops.convert_to_numpy(opt.learning_rate))
    assert lr == float(r_saved["from_r"][0])
    assert lr == pytest.approx(expected(2.0), rel=1e-6)
