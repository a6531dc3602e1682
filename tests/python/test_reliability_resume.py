"""Exact resume: an interrupted run, resumed, ends where the uninterrupted run ends.

A 6-epoch run (4 steps per epoch, SGD with momentum, fixed seeds, ``shuffle=False``, TensorFlow's
deterministic ops) is the reference. After each epoch k in 1..5 it leaves what an
interruption there would leave: the model saved as ``.keras``, and the folder of
``keras.callbacks.BackupAndRestore``. Then, for every k:

- *resume*: the ``.keras`` file is loaded and trained on with ``initial_epoch=k``;
- *backup*: a new model with ``BackupAndRestore`` on that folder resumes by itself;
- and once per mode a run is really interrupted (an exception after epoch 3) and a new
  model resumes through ``BackupAndRestore``.

Each resumed run must give the reference's learning rate at every step of epochs k..5
(with the same optimizer iteration), the same ``history["learning_rate"]``, and
bit-identical weights and optimizer variables at the end. Three ways of driving the
rate: the epoch callback (``LRScheduler``), an in-graph schedule on iterations, and an
in-graph schedule on fractional epochs (``steps_per_epoch``). Once more from R, through
keras3's ``fit()`` (a separate 3-epoch run, saved, loaded and resumed with keras3's 1-based
``initial_epoch = 3 + 1``).

Everything runs in a fresh process (deterministic ops are a process-wide switch).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from kit import last_json, run_python_parallel, run_r

pytestmark = [pytest.mark.keras, pytest.mark.slow]

MODES = ["callback", "graph", "graph_spe"]
KS = [1, 2, 3, 4, 5]
EPOCHS = 6
STEPS = 4  # per epoch
INTERRUPT_AT = 3  # the epoch after which a run is really interrupted (an exception)

CHILD = r"""
import json, shutil, sys
from pathlib import Path
import numpy as np
import tensorflow as tf
import keras
import lrdecay

tf.config.experimental.enable_op_determinism()
work = Path(sys.argv[1])
EPOCHS, STEPS, BATCH = 6, 4, 8
rng = np.random.default_rng(0)
X = rng.normal(size=(STEPS * BATCH, 4)).astype("float32")
Y = (X @ np.array([[1.0], [-2.0], [0.5], [0.0]]) + 0.1).astype("float32")

# Epoch schedule: warm-up, then cosine; iteration schedule: linear ramp, then step decay.
BY_EPOCH = lrdecay.Warmup(lrdecay.Cosine(0.05, decay_steps=4, alpha=0.1), warmup_steps=2,
                          start_lr=0.005)
BY_ITER = lrdecay.Sequence([lrdecay.Linear(0.001, 0.05, 6),
                            lrdecay.Step(0.05, drop=0.7, every=4)], [6])


def learning_rate(mode):
    if mode == "callback":
        return 0.123  # overwritten by LRScheduler at every epoch begin
    if mode == "graph":
        return BY_ITER.to_keras()
    return BY_EPOCH.to_keras(steps_per_epoch=STEPS)


def new_model(mode):
    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="tanh"),
                              keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=learning_rate(mode),
                                                 momentum=0.9), loss="mse")
    return model


class Steps(keras.callbacks.Callback):
    # The learning rate of every update, with its epoch, batch and optimizer iteration.
    def __init__(self):
        super().__init__()
        self.rows, self.epoch = [], None

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = int(epoch)

    def on_train_batch_begin(self, batch, logs=None):
        opt = self.model.optimizer
        self.rows.append([self.epoch, int(batch), int(opt.iterations.numpy()),
                          float(opt.learning_rate.numpy())])


class Interrupt(Exception):
    pass


class StopAfter(keras.callbacks.Callback):
    def __init__(self, k):
        super().__init__()
        self.k = k

    def on_epoch_end(self, epoch, logs=None):
        if epoch + 1 == self.k:
            raise Interrupt(f"interrupted after epoch {epoch}")


def run(model, mode, epochs, initial_epoch=0, extra=()):
    steps = Steps()
    cbs = [lrdecay.LRScheduler(BY_EPOCH)] if mode == "callback" else []
    cbs += [lrdecay.LRLogger(verbose=0), steps, *extra]
    hist = model.fit(X, Y, batch_size=BATCH, epochs=epochs, initial_epoch=initial_epoch,
                     shuffle=False, verbose=0, callbacks=cbs)
    return {"steps": steps.rows, "history_lr": hist.history.get("learning_rate"),
            "epochs": hist.epoch}


def state(model):
    return {"weights": [w.ravel().tolist() for w in model.get_weights()],
            "optimizer": [np.asarray(v.numpy()).ravel().tolist()
                          for v in model.optimizer.variables]}


class Snapshot(keras.callbacks.Callback):
    # What an interruption after epoch k leaves behind: the model saved as .keras, and
    # BackupAndRestore's backup folder (this callback runs after it).
    def __init__(self, mode, backup):
        super().__init__()
        self.mode, self.backup = mode, backup

    def on_epoch_end(self, epoch, logs=None):
        k = epoch + 1
        if k < EPOCHS:
            self.model.save(work / f"{self.mode}-{k}.keras")
            shutil.copytree(self.backup, work / f"backup-{self.mode}-{k}")


out = {}
for mode in json.loads(sys.argv[2]):
    res = out[mode] = {"resume": {}, "backup": {}, "interrupted": {}}
    backup = work / f"backup-{mode}"
    model = new_model(mode)
    full = run(model, mode, EPOCHS, extra=[keras.callbacks.BackupAndRestore(str(backup)),
                                           Snapshot(mode, backup)])
    res["full"] = {**full, **state(model)}
    for k in json.loads(sys.argv[3]):
        # Stopped after epoch k, saved: loaded and resumed with initial_epoch = k.
        model = keras.saving.load_model(work / f"{mode}-{k}.keras")
        res["resume"][k] = {**run(model, mode, EPOCHS, initial_epoch=k), **state(model)}
        # Stopped after epoch k: a new model resumes through BackupAndRestore.
        model = new_model(mode)
        cb = keras.callbacks.BackupAndRestore(str(work / f"backup-{mode}-{k}"))
        res["backup"][k] = {**run(model, mode, EPOCHS, extra=[cb]), **state(model)}
    # A real interruption (an exception ends fit() after epoch K), then BackupAndRestore.
    K = json.loads(sys.argv[4])
    model = new_model(mode)
    try:
        run(model, mode, EPOCHS, extra=[keras.callbacks.BackupAndRestore(str(backup)),
                                        StopAfter(K)])
        raise SystemExit("the run was not interrupted")
    except Interrupt:
        pass
    model = new_model(mode)
    res["interrupted"][K] = {**run(model, mode, EPOCHS,
                                   extra=[keras.callbacks.BackupAndRestore(str(backup))]),
                             **state(model)}
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    work = tmp_path_factory.mktemp("resume")
    jobs = []
    for mode in MODES:  # one child per mode, run side by side
        code = CHILD.replace("sys.argv[1]", repr(str(work))).replace(
            "sys.argv[2]", repr(json.dumps([mode]))).replace(
            "sys.argv[3]", repr(json.dumps(KS))).replace(
            "sys.argv[4]", repr(json.dumps(INTERRUPT_AT)))
        jobs.append({"code": code, "backend": "tensorflow", "name": mode})
    out: dict[str, Any] = {}
    for stdout in run_python_parallel(jobs):
        out.update(last_json(stdout))
    return out


def test_reference_run_follows_the_schedule(runs: dict[str, Any]) -> None:
    """Sanity: the uninterrupted runs made 24 updates and the rate changed over them."""
    for mode in MODES:
        full = runs[mode]["full"]
        assert [r[2] for r in full["steps"]] == list(range(EPOCHS * STEPS)), mode
        assert len(full["history_lr"]) == EPOCHS, mode
        assert len({round(r[3], 9) for r in full["steps"]}) >= 4, mode


RESUMES = [(how, k) for how in ("resume", "backup") for k in KS] + [
    ("interrupted", INTERRUPT_AT)]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("how", "k"), RESUMES, ids=[f"{h}-{k}" for h, k in RESUMES])
def test_resumed_run_equals_uninterrupted_run(runs: dict[str, Any], mode: str, how: str,
                                              k: int) -> None:
    full = runs[mode]["full"]
    got = runs[mode][how][str(k)]
    assert got["epochs"] == list(range(k, EPOCHS))
    # Every update of epochs k..5: same epoch, batch, iteration and learning rate.
    assert got["steps"] == [r for r in full["steps"] if r[0] >= k]
    assert got["history_lr"] == full["history_lr"][k:]
    # Bit-identical weights and optimizer state (iterations, momenta).
    assert got["weights"] == full["weights"]
    assert got["optimizer"] == full["optimizer"]


R_SCRIPT = r"""
suppressPackageStartupMessages({
  library(keras3)
  library(lrdecay)
})
tf <- reticulate::import("tensorflow")
tf$config$experimental$enable_op_determinism()
set.seed(0)
x <- matrix(rnorm(32 * 4), ncol = 4)
y <- x %*% c(1, -2, 0.5, 0) + 0.1
by_epoch <- schedule_warmup(schedule_cosine(0.05, decay_steps = 4, alpha = 0.1),
                            warmup_steps = 2, start_lr = 0.005)

new_model <- function(mode) {
  set_random_seed(1)
  model <- keras_model_sequential(input_shape = 4) |>
    layer_dense(8, activation = "tanh") |>
    layer_dense(1)
  lr <- if (mode == "callback") 0.123 else as_keras_schedule(by_epoch, steps_per_epoch = 4)
  model |> compile(optimizer = optimizer_sgd(learning_rate = lr, momentum = 0.9), loss = "mse")
  model
}
# keras3's initial_epoch counts from 1: resuming after k finished epochs is k + 1.
train <- function(model, mode, epochs, initial_epoch = 1) {
  cbs <- if (mode == "callback") list(callback_lr_scheduler(by_epoch)) else list()
  cbs <- c(cbs, list(callback_lr_logger(verbose = 0)))
  h <- model |> fit(x, y, batch_size = 8, epochs = epochs, initial_epoch = initial_epoch,
                    shuffle = FALSE, verbose = 0, callbacks = cbs)
  h$metrics$learning_rate
}
weights <- function(model) unlist(lapply(get_weights(model), as.numeric))

for (mode in c("callback", "graph_spe")) {
  full <- new_model(mode)
  lr_full <- train(full, mode, 6)
  part <- new_model(mode)
  train(part, mode, 3)
  path <- file.path(getwd(), paste0(mode, ".keras"))
  save_model(part, path)
  resumed <- load_model(path)
  lr_resumed <- train(resumed, mode, 6, initial_epoch = 3 + 1)
  cat("MODE", mode, "\n")
  cat("LR_FULL", sprintf("%.17g", lr_full), "\n")
  cat("LR_RESUMED", sprintf("%.17g", lr_resumed), "\n")
  cat("ITERATIONS", as.integer(keras$ops$convert_to_numpy(resumed$optimizer$iterations)), "\n")
  cat("WEIGHTS_IDENTICAL", identical(weights(full), weights(resumed)), "\n")
  cat("MAX_DIFF", max(abs(weights(full) - weights(resumed))), "\n")
}
"""


@pytest.mark.r_parity
def test_resume_from_r(tmp_path: Path) -> None:
    """In R with keras3: 6 epochs, versus 3 epochs + save + load + ``fit(initial_epoch = 4)``
    (keras3 counts from 1; the schedule still gets 0-based epochs 3, 4, 5), with
    callback_lr_scheduler() and with as_keras_schedule(steps_per_epoch)."""
    stdout = run_r(R_SCRIPT, cwd=tmp_path)
    blocks: dict[str, dict[str, list[str]]] = {}
    mode = None
    for line in stdout.splitlines():
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "MODE":
            mode = parts[1]
            blocks[mode] = {}
        elif mode is not None:
            blocks[mode][parts[0]] = parts[1:]
    assert set(blocks) == {"callback", "graph_spe"}, stdout
    from lrdecay import Cosine, Warmup

    by_epoch = Warmup(Cosine(0.05, decay_steps=4, alpha=0.1), warmup_steps=2, start_lr=0.005)
    for mode, b in blocks.items():
        lr_full = [float(v) for v in b["LR_FULL"]]
        lr_resumed = [float(v) for v in b["LR_RESUMED"]]
        assert len(lr_full) == 6 and lr_resumed == lr_full[3:], (mode, lr_full, lr_resumed)
        assert lr_full == pytest.approx(list(by_epoch(list(range(6)))), rel=1e-6), mode
        assert b["ITERATIONS"] == ["24"], mode
        assert b["WEIGHTS_IDENTICAL"] == ["TRUE"], (mode, b["MAX_DIFF"])
