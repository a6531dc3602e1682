"""The plateau resumes exactly: from a ``.keras`` file loaded in a fresh process, and from
``BackupAndRestore``, at every epoch of a 10-epoch run.

A 10-epoch run (4 updates per epoch, fixed seeds, ``shuffle=False``, TensorFlow's
deterministic ops) with ``LRPlateau`` is the reference; after each epoch k it leaves what an
interruption there would leave: a ``.keras`` file written by ``ModelCheckpoint`` and a copy
of ``BackupAndRestore``'s folder. A second, fresh process then resumes at every k:

- *keras*: ``keras.saving.load_model()`` and ``fit(initial_epoch=k)``, with a new
  ``LRPlateau`` made before the load (odd k) or after it (even k);
- *backup*: a new model with ``BackupAndRestore`` on that folder resumes by itself.

Each resumed run must apply the reference's rate at every epoch k..10 and end with
bit-identical weights. The rate is set five ways: a constant rate, an in-graph lrdecay
schedule, ``LRScheduler`` before ``LRPlateau``, ``LRScheduler`` after it (with a
``min_lr`` that the rate reaches), and the composite ``LRScheduler`` + ``LRPlateau`` +
``HParamScheduler(momentum=...)`` + ``LRLogger(per="batch")``, whose per-update records
(rate and momentum) must also equal the reference's. Once more from R: keras3's
``save_model()`` after epoch 6 of 10 and ``load_model()`` in a fresh R session.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from kit import last_json, run_python_parallel, run_r

pytestmark = [pytest.mark.keras, pytest.mark.slow]

CONFIGS = ["constant", "graph", "scheduler", "plateau_first", "composite"]
EPOCHS = 10

COMMON = r"""
import json, shutil, sys, warnings
from pathlib import Path
import numpy as np
import tensorflow as tf
import keras
import lrdecay

tf.config.experimental.enable_op_determinism()
config, work = sys.argv[1], Path(sys.argv[2])
EPOCHS, STEPS, BATCH = 10, 4, 8
rng = np.random.default_rng(0)
X = rng.normal(size=(STEPS * BATCH, 4)).astype("float32")
Y = (X @ np.array([[1.0], [-2.0], [0.5], [0.0]]) + rng.normal(scale=0.7, size=(STEPS * BATCH, 1))
     ).astype("float32")


def rate():
    if config == "graph":
        return lrdecay.Cosine(0.1, decay_steps=EPOCHS * STEPS, alpha=0.2).to_keras()
    return 0.1


def new_model():
    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="tanh"),
                              keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=rate(), momentum=0.5),
                  loss="mse")
    return model


def new_plateau():
    return lrdecay.LRPlateau(monitor="loss", factor=0.5, patience=1, min_delta=0.08,
                             cooldown=1 if config in ("constant", "graph", "plateau_first") else 0,
                             min_lr=0.004 if config == "plateau_first" else 0)


def callbacks(plateau):
    # The plateau first, then what saves (the documented order).
    if config == "scheduler":
        return [lrdecay.LRScheduler(lrdecay.Step(0.1, drop=0.8, every=3)), plateau]
    if config == "plateau_first":  # the plateau before the scheduler; min_lr reached
        return [plateau, lrdecay.LRScheduler(lrdecay.Exponential(0.1, 3, 0.5))]
    if config == "composite":
        logger = lrdecay.LRLogger(verbose=0, per="batch")
        return [lrdecay.LRScheduler(lrdecay.OneCycle(0.1, total_steps=EPOCHS)), plateau,
                lrdecay.HParamScheduler(
                    momentum=lrdecay.OneCycle(0.1, total_steps=EPOCHS * STEPS).momentum()),
                logger]
    return [plateau]


def result(model, history, cbs):
    out = {"lr": [float(v) for v in history.history["learning_rate"]],
           "weights": [np.asarray(w).tobytes().hex() for w in model.get_weights()],
           "scale": [c for c in cbs if isinstance(c, lrdecay.LRPlateau)][0].scale}
    loggers = [c for c in cbs if isinstance(c, lrdecay.LRLogger)]
    if loggers:
        out["records"] = loggers[0].records_table()
    return out
"""

SAVE = COMMON + r"""
class Snapshot(keras.callbacks.Callback):
    # What an interruption after epoch k leaves of BackupAndRestore's folder.
    def on_epoch_end(self, epoch, logs=None):
        shutil.copytree(work / "backup", work / f"backup_{epoch + 1}")


model = new_model()
cbs = callbacks(new_plateau())
history = model.fit(X, Y, batch_size=BATCH, epochs=EPOCHS, shuffle=False, verbose=0,
                    callbacks=cbs + [
                        keras.callbacks.ModelCheckpoint(str(work / "ck_{epoch}.keras")),
                        keras.callbacks.BackupAndRestore(str(work / "backup")), Snapshot()])
print(json.dumps(result(model, history, cbs)))
"""

LOAD = COMMON + r"""
warnings.simplefilter("error", UserWarning)  # e.g. Keras's "Skipping variable loading"
warnings.simplefilter("ignore", lrdecay.ScheduleWarning)  # the plan of a resumed fit()
out = {}
for k in range(1, EPOCHS):
    # From the .keras file, with the new LRPlateau made before or after the load.
    plateau = new_plateau() if k % 2 else None
    model = keras.saving.load_model(work / f"ck_{k}.keras")
    cbs = callbacks(plateau or new_plateau())
    history = model.fit(X, Y, batch_size=BATCH, epochs=EPOCHS, initial_epoch=k, shuffle=False,
                        verbose=0, callbacks=cbs)
    out[f"keras_{k}"] = result(model, history, cbs)
    # From BackupAndRestore's folder, into a new model.
    model = new_model()
    cbs = callbacks(new_plateau())
    history = model.fit(X, Y, batch_size=BATCH, epochs=EPOCHS, shuffle=False, verbose=0,
                        callbacks=cbs + [keras.callbacks.BackupAndRestore(
                            str(work / f"backup_{k}"))])
    out[f"backup_{k}"] = result(model, history, cbs)
print(json.dumps(out))
"""


def _jobs(code: str, tmp_path: Path) -> list[dict[str, str]]:
    jobs = []
    for config in CONFIGS:
        (tmp_path / config).mkdir(exist_ok=True)
        script = tmp_path / f"{config}_{len(code)}.py"
        script.write_text(code)
        jobs.append({"name": config, "backend": "tensorflow",
                     "code": f"import runpy, sys; sys.argv = ['x', {config!r}, "
                             f"{str(tmp_path / config)!r}]; runpy.run_path({str(script)!r})"})
    return jobs


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[dict, dict]]:
    tmp = tmp_path_factory.mktemp("plateau_resume")
    saved = run_python_parallel(_jobs(SAVE, tmp), timeout=600)
    loaded = run_python_parallel(_jobs(LOAD, tmp), timeout=900)
    return {config: (last_json(s), last_json(x))
            for config, s, x in zip(CONFIGS, saved, loaded)}


def _tail(records: dict[str, list], k: int) -> dict[str, list]:
    keep = [i for i, epoch in enumerate(records["epoch"]) if epoch >= k]
    return {name: [column[i] for i in keep] for name, column in records.items()}


@pytest.mark.parametrize("config", CONFIGS)
def test_the_reference_run_reduces_the_rate(runs: dict, config: str) -> None:
    # Otherwise resuming would not test the plateau's state.
    ref, _ = runs[config]
    assert ref["scale"] <= 0.25, ref["lr"]  # two reductions or more
    assert len(ref["lr"]) == EPOCHS
    if config == "plateau_first":  # min_lr bounds the rate: max(rate * scale, min(rate, min_lr))
        assert min(ref["lr"]) == pytest.approx(0.004, rel=1e-6), ref["lr"]


@pytest.mark.parametrize("path", ["keras", "backup"])
@pytest.mark.parametrize("config", CONFIGS)
def test_every_resume_applies_the_uninterrupted_rates_and_weights(
        runs: dict, config: str, path: str) -> None:
    ref, resumed = runs[config]
    wrong = {}
    for k in range(1, EPOCHS):
        got = resumed[f"{path}_{k}"]
        problems = []
        if got["lr"] != ref["lr"][k:] or got["scale"] != ref["scale"]:
            problems.append(f"rates {got['lr']} != {ref['lr'][k:]} (scale {got['scale']})")
        if got["weights"] != ref["weights"]:
            problems.append("weights differ")
        if "records" in ref and got["records"] != _tail(ref["records"], k):
            problems.append("per-update records (rate, momentum) differ")
        if problems:
            wrong[k] = problems
    assert not wrong, f"uninterrupted rates {ref['lr']}; resumed after epoch k:\n" + \
        json.dumps(wrong, indent=1)


def test_composite_records_hold_the_momentum(runs: dict) -> None:
    ref, _ = runs["composite"]
    records = ref["records"]
    assert len(records["learning_rate"]) == EPOCHS * 4
    assert min(records["momentum"]) == pytest.approx(0.85, abs=1e-6)
    assert max(records["momentum"]) == pytest.approx(0.95, abs=1e-6)


R_RESUME = r"""
suppressPackageStartupMessages({library(keras3); library(lrdecay)})
path <- file.path(WORK, "plateau.keras")
set.seed(3)
x <- matrix(rnorm(128), ncol = 4)
y <- x %*% c(1, -2, 3, 0.5) + rnorm(32, sd = 0.3)
rates <- function(h) as.numeric(h$metrics$learning_rate)
build <- function() {
  set_random_seed(1)
  model <- keras_model_sequential(input_shape = 4) |> layer_dense(1)
  model |> compile(optimizer = optimizer_sgd(0.1), loss = "mse")
  model
}
cbs <- function() list(
  callback_lr_plateau(monitor = "loss", factor = 0.5, patience = 1, min_delta = 0.1),
  callback_lr_scheduler(schedule_constant(0.1)))
if (STAGE == "save") {
  m1 <- build()
  h1 <- m1 |> fit(x, y, batch_size = 8, epochs = 10, shuffle = FALSE, verbose = 0,
                     callbacks = cbs())
  model <- build()
  h2 <- model |> fit(x, y, batch_size = 8, epochs = 6, shuffle = FALSE, verbose = 0,
                     callbacks = cbs())
  save_model(model, path)
  w1 <- unlist(lapply(get_weights(m1), as.numeric))
  cat(jsonlite::toJSON(list(full = rates(h1), first = rates(h2), weights = w1), digits = NA),
      "\n")
} else {
  model <- load_model(path)
  h3 <- model |> fit(x, y, batch_size = 8, epochs = 10, initial_epoch = 7, shuffle = FALSE,
                     verbose = 0, callbacks = cbs())
  w3 <- unlist(lapply(get_weights(model), as.numeric))
  cat(jsonlite::toJSON(list(resumed = rates(h3), weights = w3), digits = NA), "\n")
}
"""


@pytest.mark.r_parity
def test_r_save_model_load_model_resumes_the_plateau(tmp_path: Path) -> None:
    code = R_RESUME.replace("WORK", json.dumps(str(tmp_path)))
    saved = last_json(run_r(code.replace("STAGE", '"save"')))
    loaded = last_json(run_r(code.replace("STAGE", '"load"')))
    full = saved["full"]
    assert full[-1] <= 0.1 / 4 + 1e-9, full  # reduced twice or more
    assert saved["first"] == full[:6]
    assert saved["first"] + loaded["resumed"] == full
    assert loaded["weights"] == saved["weights"]
