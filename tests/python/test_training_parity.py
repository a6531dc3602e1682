"""R and Python train the same model with the same schedule and agree exactly.

R users train with keras3's own idiom (``keras_model_sequential() |> layer_dense()``,
``compile()``, ``model |> fit(..., callbacks = list(callback_lr_scheduler(...)))``);
Python users with ``keras.Sequential`` and ``lrdecay.LRScheduler``. Both must apply the
same learning rate at every epoch (the history's ``learning_rate``) and end with
bit-identical weights.

Two routes into R:

* in this process, through rpy2 (``conftest.r_session``): reticulate 1.46 runs Keras
  training inside a Python -> R -> Python call chain, so R and pytest share one Keras and
  one ``lrdecay`` module: this proves the R layer (argument order, coercion, 0-based
  epochs, R functions as schedules) against the very Python it calls;
* as its own process (``Rscript`` on the installed package): no shared module, so the
  installed R package and its Python are checked end to end.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import lrdecay
import numpy as np
import pytest
from conftest import RSession

pytestmark = pytest.mark.r_parity

keras = pytest.importorskip("keras")


# ---------------------------------------------------------------------------
# In this process, through rpy2: keras3's idiom against lrdecay.LRScheduler
# ---------------------------------------------------------------------------

IN_PROCESS_EPOCHS = 6
SEED = 5


def _linear_data() -> tuple[np.ndarray, np.ndarray]:
    """96 samples, 4 features (float32 values, passed to both languages as float64)."""
    rng = np.random.default_rng(3)
    x = rng.normal(size=(96, 4)).astype("float32").astype("float64")
    y = (x @ np.array([[1.0], [-2.0], [0.5], [3.0]]) + 0.25).astype("float32").astype("float64")
    return x, y


# The R user's code, word for word as the keras3 documentation writes it (`x` and `y`
# arrive as vectors from Python and are shaped first).
R_KERAS3_TRAINING = """
library(keras3)
library(lrdecay)
x <- matrix(x, ncol = 4, byrow = TRUE)
y <- matrix(y, ncol = 1)
set_random_seed(SEED)
model <- keras_model_sequential(input_shape = 4) |> layer_dense(1)
model |> compile(optimizer = optimizer_sgd(learning_rate = 0.1), loss = "mse")
initial <- get_weights(model)
history <- model |> fit(x, y, epochs = EPOCHS, batch_size = 16, shuffle = FALSE, verbose = 0,
                        callbacks = list(callback_lr_scheduler(SCHEDULE)))
row_major <- function(w) as.vector(t(w))
list(lr = as.numeric(history$metrics$learning_rate),
     initial = lapply(initial, row_major),
     final = lapply(get_weights(model), row_major))
"""

# (R schedule, the same schedule for lrdecay.LRScheduler in Python)
IN_PROCESS_CASES = [
    pytest.param("schedule_step(0.1, 0.5, 2)", lambda: lrdecay.Step(0.1, 0.5, 2), id="step"),
    pytest.param("schedule_exponential(0.1, 2, 0.8, staircase = TRUE)",
                 lambda: lrdecay.Exponential(0.1, 2, 0.8, staircase=True),
                 id="exponential-keras-order"),
    pytest.param("schedule_inverse_time(0.1, 1, 0.5)", lambda: lrdecay.InverseTime(0.1, 1, 0.5),
                 id="inverse-time-keras-order"),
    pytest.param("function(epoch, lr) if (epoch < 3) lr else lr * 0.5",
                 lambda: (lambda epoch, lr: lr if epoch < 3 else lr * 0.5),
                 id="r-function-epoch-lr"),
]


def _python_keras_run(schedule: Any, initial: list[np.ndarray] | None = None,
                      ) -> tuple[list[float], list[np.ndarray], list[np.ndarray]]:
    """The same training in Python with lrdecay.LRScheduler.

    Returns:
        The learning rate of every epoch, the initial and the final weights (flattened).
    """
    x, y = _linear_data()
    keras.utils.set_random_seed(SEED)
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="mse")
    start = [w.ravel() for w in model.get_weights()]
    if initial is not None:
        model.set_weights([w.reshape(v.shape) for w, v in zip(initial, model.get_weights())])
    history = model.fit(x, y, epochs=IN_PROCESS_EPOCHS, batch_size=16, shuffle=False,
                        verbose=0, callbacks=[lrdecay.LRScheduler(schedule)])
    return ([float(v) for v in history.history["learning_rate"]], start,
            [w.ravel() for w in model.get_weights()])


@pytest.mark.keras
@pytest.mark.parametrize(("r_schedule", "py_schedule"), IN_PROCESS_CASES)
def test_keras3_fit_in_process_equals_python(r_session: RSession, r_schedule: str,
                                             py_schedule: Any) -> None:
    x, y = _linear_data()
    code = (R_KERAS3_TRAINING.replace("SCHEDULE", r_schedule)
            .replace("EPOCHS", str(IN_PROCESS_EPOCHS)).replace("SEED", str(SEED)))
    out = r_session.eval(code, x=x, y=y)
    r_lr = [float(v) for v in np.asarray(out[0])]
    r_initial = [np.asarray(w, dtype=np.float32) for w in out[1]]
    r_final = [np.asarray(w, dtype=np.float32) for w in out[2]]

    py_lr, py_initial, py_final = _python_keras_run(py_schedule(), initial=r_initial)
    # keras3's set_random_seed() seeds the very generator Python's set_random_seed() does.
    for rw, pw in zip(r_initial, py_initial):
        np.testing.assert_array_equal(rw, pw)
    # The rate applied at every epoch (0-based epochs in both), as Keras stored it (float32).
    assert len(r_lr) == IN_PROCESS_EPOCHS
    assert r_lr == py_lr
    sched = py_schedule()
    if isinstance(sched, lrdecay.Schedule):
        expected = [float(np.float32(sched(e))) for e in range(IN_PROCESS_EPOCHS)]
        assert r_lr == expected
    # Bit-identical weights after training.
    for rw, pw in zip(r_final, py_final):
        np.testing.assert_array_equal(rw, pw)


@pytest.mark.keras
def test_keras3_resume_with_one_based_initial_epoch(r_session: RSession) -> None:
    """keras3's initial_epoch counts from 1: resuming after k = 3 epochs is
    ``initial_epoch = 4``, and the schedule then sees the 0-based epochs 3, 4, 5."""
    x, y = _linear_data()
    code = """
library(keras3)
library(lrdecay)
x <- matrix(x, ncol = 4, byrow = TRUE)
y <- matrix(y, ncol = 1)
seen <- integer()
s <- schedule_step(0.1, 0.5, 2)
spy <- function(epoch) { seen <<- c(seen, epoch); lr_at(s, epoch) }
set_random_seed(5)
model <- keras_model_sequential(input_shape = 4) |> layer_dense(1)
model |> compile(optimizer = optimizer_sgd(learning_rate = 0.1), loss = "mse")
h1 <- model |> fit(x, y, epochs = 3, batch_size = 16, shuffle = FALSE, verbose = 0,
                   callbacks = list(callback_lr_scheduler(spy)))
h2 <- model |> fit(x, y, epochs = 6, initial_epoch = 4, batch_size = 16, shuffle = FALSE,
                   verbose = 0, callbacks = list(callback_lr_scheduler(spy)))
list(seen = as.numeric(seen), lr = as.numeric(c(h1$metrics$learning_rate,
                                                h2$metrics$learning_rate)),
     final = lapply(get_weights(model), function(w) as.vector(t(w))))
"""
    out = r_session.eval(code, x=x, y=y)
    assert [int(v) for v in np.asarray(out[0])] == [0, 1, 2, 3, 4, 5]
    py_lr, _, py_final = _python_keras_run(lrdecay.Step(0.1, 0.5, 2))
    assert [float(v) for v in np.asarray(out[1])] == py_lr  # the uninterrupted run's rates
    for rw, pw in zip(out[2], py_final):
        np.testing.assert_array_equal(np.asarray(rw, dtype=np.float32), pw)


# ---------------------------------------------------------------------------
# R as its own process (Rscript), on the installed package
# ---------------------------------------------------------------------------

EPOCHS = 5


def _data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(11)
    x = rng.normal(size=(96, 6)).astype("float32")
    y = (x @ rng.normal(size=(6, 1))).astype("float32")
    return x, y


def _python_run(callback: Any) -> tuple[list[float], list[np.ndarray]]:
    x, y = _data()
    keras.utils.set_random_seed(5)
    model = keras.Sequential([keras.Input(shape=(6,)), keras.layers.Dense(8, activation="tanh"),
                              keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05, momentum=0.9), loss="mse")
    history = model.fit(x, y, epochs=EPOCHS, batch_size=16, shuffle=False, verbose=0,
                        callbacks=[callback])
    return [float(v) for v in history.history["learning_rate"]], model.get_weights()


R_SCRIPT = """
suppressMessages({
  library(keras3)
  library(lrdecay)
})
args <- commandArgs(trailingOnly = TRUE)
np <- reticulate::import("numpy", convert = FALSE)
x <- reticulate::py_to_r(np$load(file.path(args[1], "x.npy")))
y <- reticulate::py_to_r(np$load(file.path(args[1], "y.npy")))
set_random_seed(5)
model <- keras_model_sequential(input_shape = 6) |>
  layer_dense(8, activation = "tanh") |>
  layer_dense(1)
model |> compile(optimizer = optimizer_sgd(learning_rate = 0.05, momentum = 0.9), loss = "mse")
schedule <- eval(parse(text = args[2]))
history <- model |> fit(x, y, epochs = EPOCHS, batch_size = 16, shuffle = FALSE, verbose = 0,
                        callbacks = list(callback_lr_scheduler(schedule)))
w <- get_weights(model)
for (i in seq_along(w)) np$save(file.path(args[1], sprintf("w%d.npy", i - 1L)), np$asarray(w[[i]]))
writeLines(sprintf("%.17g", history$metrics$learning_rate), file.path(args[1], "lr.txt"))
""".replace("EPOCHS", str(EPOCHS))


def _r_run(tmp: Path, schedule_code: str, n_weights: int) -> tuple[list[float], list[np.ndarray]]:
    x, y = _data()
    np.save(tmp / "x.npy", x)
    np.save(tmp / "y.npy", y)
    script = tmp / "train.R"
    script.write_text(R_SCRIPT)
    env = dict(os.environ, RETICULATE_PYTHON=sys.executable, TF_CPP_MIN_LOG_LEVEL="2")
    proc = subprocess.run(["Rscript", str(script), str(tmp), schedule_code], env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    lrs = [float(v) for v in (tmp / "lr.txt").read_text().split()]
    weights = [np.load(tmp / f"w{i}.npy") for i in range(n_weights)]
    return lrs, weights


CASES = [
    ("schedule_step(0.05, drop = 0.5, every = 2)",
     lambda: lrdecay.LRScheduler(lrdecay.Step(0.05, drop=0.5, every=2))),
    ("schedule_exponential(0.05, 2, 0.7)",
     lambda: lrdecay.LRScheduler(lrdecay.Exponential(0.05, 2, 0.7))),
    ("schedule_cosine(0.05, decay_steps = 4)",
     lambda: lrdecay.LRScheduler(lrdecay.Cosine(0.05, decay_steps=4))),
    ("function(epoch) 0.05 * 0.8^epoch",
     lambda: lrdecay.LRScheduler(lambda epoch: 0.05 * 0.8**epoch)),
    ("function(epoch, lr) lr * 0.5",
     lambda: lrdecay.LRScheduler(lambda epoch, lr: lr * 0.5)),
]


@pytest.mark.slow
@pytest.mark.parametrize(("r_code", "py_callback"), CASES,
                         ids=["step", "exponential-keras-order", "cosine", "r-function-1-arg",
                              "r-function-2-args"])
def test_rscript_training_agrees(tmp_path: Path, r_code: str, py_callback) -> None:
    py_lrs, py_weights = _python_run(py_callback())
    r_lrs, r_weights = _r_run(tmp_path, r_code, len(py_weights))
    assert len(r_lrs) == EPOCHS
    assert r_lrs == py_lrs
    for rw, pw in zip(r_weights, py_weights):
        np.testing.assert_array_equal(rw, pw)
