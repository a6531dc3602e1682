"""R and Python train the same model with the same schedule and agree exactly.

R runs as its own process (``Rscript`` on the installed package), so the check
does not compare the module with itself. (Training from R *inside* this process
through rpy2 is not possible with reticulate 1.28: rpy2 calls R without the GIL,
and Keras's callbacks then abort the interpreter; the schedule agreement suite
uses rpy2 for everything that does not train.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import lrdecay
import numpy as np
import pytest

pytestmark = pytest.mark.r_parity

keras = pytest.importorskip("keras")

EPOCHS = 5


def _data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(11)
    x = rng.normal(size=(96, 6)).astype("float32")
    y = (x @ rng.normal(size=(6, 1))).astype("float32")
    return x, y


def _python_run(callback: keras.callbacks.Callback) -> tuple[list[float], list[np.ndarray]]:
    x, y = _data()
    keras.utils.set_random_seed(5)
    model = keras.Sequential([keras.Input(shape=(6,)), keras.layers.Dense(8, activation="tanh"),
                              keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05, momentum=0.9), loss="mse")
    history = model.fit(x, y, epochs=EPOCHS, batch_size=16, shuffle=False, verbose=0,
                        callbacks=[callback])
    return [float(v) for v in history.history["learning_rate"]], model.get_weights()


R_SCRIPT = """
suppressMessages(library(lrdecay))
args <- commandArgs(trailingOnly = TRUE)
np <- reticulate::import("numpy", convert = FALSE)
x <- reticulate::py_to_r(np$load(file.path(args[1], "x.npy")))
y <- reticulate::py_to_r(np$load(file.path(args[1], "y.npy")))
keras$utils$set_random_seed(5L)
model <- keras$Sequential(list(keras$Input(shape = list(6L)),
                               keras$layers$Dense(8L, activation = "tanh"),
                               keras$layers$Dense(1L)))
model$compile(optimizer = keras$optimizers$SGD(learning_rate = 0.05, momentum = 0.9),
              loss = "mse")
schedule <- eval(parse(text = args[2]))
history <- model %>% fit(x, y, epochs = EPOCHS, batch_size = 16, shuffle = FALSE, verbose = 0,
                         callbacks = list(callback_lr_scheduler(schedule)))
w <- reticulate::r_to_py(model)$get_weights()
for (i in seq_along(w) - 1L) np$save(file.path(args[1], sprintf("w%d.npy", i)), w[i])
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
    ("schedule_cosine(0.05, decay_steps = 4)",
     lambda: lrdecay.LRScheduler(lrdecay.Cosine(0.05, decay_steps=4))),
    ("function(epoch) 0.05 * 0.8^epoch",
     lambda: lrdecay.LRScheduler(lambda epoch: 0.05 * 0.8**epoch)),
    ("function(epoch, lr) lr * 0.5",
     lambda: lrdecay.LRScheduler(lambda epoch, lr: lr * 0.5)),
]


@pytest.mark.parametrize(("r_code", "py_callback"), CASES,
                         ids=["step", "cosine", "r-function-1-arg", "r-function-2-args"])
def test_r_and_python_training_agree(tmp_path: Path, r_code: str, py_callback) -> None:
    py_lrs, py_weights = _python_run(py_callback())
    r_lrs, r_weights = _r_run(tmp_path, r_code, len(py_weights))
    assert len(r_lrs) == EPOCHS
    np.testing.assert_allclose(r_lrs, py_lrs, rtol=1e-7, atol=0)
    for rw, pw in zip(r_weights, py_weights):
        np.testing.assert_array_equal(rw, pw)
