"""R (keras3's idiom, ``callback_lr_scheduler()``) and Python (``keras.Sequential``,
``LRScheduler``) train the same model from the same seed: the same initial weights, the same
rate at every epoch (float32), bit-identical final weights. The cases run in one ``Rscript``
on the installed package; resuming with keras3's 1-based ``initial_epoch`` runs through rpy2.
"""

from __future__ import annotations

import json
from typing import Any

import lrdecay
import numpy as np
import pytest
from conftest import RSession
from kit import r_string, run_r

pytestmark = pytest.mark.r_parity

keras = pytest.importorskip("keras")

EPOCHS = 5
_RNG = np.random.default_rng(11)
#: 96 samples of 6 features (float32) and a linear target.
X = _RNG.normal(size=(96, 6)).astype("float32")
Y = (X @ _RNG.normal(size=(6, 1))).astype("float32")


def _python_run(callback: Any, epochs: int = EPOCHS) -> dict[str, Any]:
    """The training in Python: the rate of every epoch, the initial and final weights."""
    keras.utils.set_random_seed(5)
    model = keras.Sequential([keras.Input(shape=(6,)), keras.layers.Dense(8, activation="tanh"),
                              keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.05, momentum=0.9), loss="mse")
    initial = [w.ravel() for w in model.get_weights()]
    history = model.fit(X, Y, epochs=epochs, batch_size=16, shuffle=False, verbose=0,
                        callbacks=[callback])
    return {"lr": [float(v) for v in history.history["learning_rate"]], "initial": initial,
            "final": [w.ravel() for w in model.get_weights()]}


# The R user's model, word for word as the keras3 documentation writes it.
R_MODEL = """
set_random_seed(5)
model <- keras_model_sequential(input_shape = 6) |>
  layer_dense(8, activation = "tanh") |>
  layer_dense(1)
model |> compile(optimizer = optimizer_sgd(learning_rate = 0.05, momentum = 0.9), loss = "mse")
row_major <- function(w) as.list(as.vector(t(w)))
initial <- lapply(get_weights(model), row_major)
"""

R_SCRIPT = """
suppressMessages({
  library(keras3)
  library(lrdecay)
})
np <- reticulate::import("numpy", convert = FALSE)
json <- reticulate::import("json")
x <- reticulate::py_to_r(np$load("x.npy"))
y <- reticulate::py_to_r(np$load("y.npy"))
cases <- list(CASES)
for (id in names(cases)) {
  MODEL
  history <- model |> fit(x, y, epochs = EPOCHS, batch_size = 16, shuffle = FALSE, verbose = 0,
                          callbacks = list(callback_lr_scheduler(cases[[id]])))
  cat(json$dumps(list(case = id, lr = as.list(history$metrics$learning_rate),
                      initial = initial, final = lapply(get_weights(model), row_major))), "\\n")
}
"""

# (id, the R schedule, the same schedule for lrdecay.LRScheduler in Python)
CASES = [
    ("step", "schedule_step(0.05, drop = 0.5, every = 2)", lrdecay.Step(0.05, drop=0.5, every=2)),
    ("exponential-keras-order", "schedule_exponential(0.05, 2, 0.7, staircase = TRUE)",
     lrdecay.Exponential(0.05, 2, 0.7, staircase=True)),
    ("inverse-time-keras-order", "schedule_inverse_time(0.05, 1, 0.5)",
     lrdecay.InverseTime(0.05, 1, 0.5)),
    ("cosine", "schedule_cosine(0.05, decay_steps = 4)", lrdecay.Cosine(0.05, decay_steps=4)),
    ("r-function-1-arg", "function(epoch) 0.05 * 0.8^epoch", lambda epoch: 0.05 * 0.8**epoch),
    ("r-function-2-args", "function(epoch, lr) if (epoch < 3) lr else lr * 0.5",
     lambda epoch, lr: lr if epoch < 3 else lr * 0.5),
]


@pytest.fixture(scope="module")
def rscript_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Every case trained in one ``Rscript``, one after another: a JSON line per case."""
    tmp = tmp_path_factory.mktemp("rscript_training")
    np.save(tmp / "x.npy", X)
    np.save(tmp / "y.npy", Y)
    cases = ", ".join(f"{r_string(name)} = {code}" for name, code, _ in CASES)
    script = (R_SCRIPT.replace("MODEL", R_MODEL).replace("EPOCHS", str(EPOCHS))
              .replace("CASES", cases))
    runs = [json.loads(line) for line in run_r(script, cwd=tmp).splitlines()
            if line.startswith("{")]
    return {run["case"]: run for run in runs}


def _assert_same_weights(r_weights: list[Any], py_weights: list[np.ndarray]) -> None:
    assert len(r_weights) == len(py_weights)
    for rw, pw in zip(r_weights, py_weights):
        np.testing.assert_array_equal(np.asarray(rw, dtype=np.float32), pw)


@pytest.mark.slow
@pytest.mark.keras
@pytest.mark.parametrize(("name", "py_schedule"), [(n, s) for n, _, s in CASES],
                         ids=[n for n, _, _ in CASES])
def test_rscript_training_agrees(rscript_runs: dict[str, dict[str, Any]], name: str,
                                 py_schedule: Any) -> None:
    py = _python_run(lrdecay.LRScheduler(py_schedule))
    r = rscript_runs[name]
    # keras3's set_random_seed() seeds the very generators Python's set_random_seed() does.
    _assert_same_weights(r["initial"], py["initial"])
    # The rate applied at every epoch (0-based epochs in both), as Keras stores it (float32).
    assert len(r["lr"]) == EPOCHS
    assert r["lr"] == py["lr"]
    if isinstance(py_schedule, lrdecay.Schedule):
        assert r["lr"] == [float(np.float32(py_schedule(e))) for e in range(EPOCHS)]
    _assert_same_weights(r["final"], py["final"])


@pytest.mark.keras
def test_keras3_resume_with_one_based_initial_epoch(r_session: RSession) -> None:
    """keras3's initial_epoch counts from 1: resuming after k = 3 epochs is
    ``initial_epoch = 4``, and the schedule then sees the 0-based epochs 3, 4, 5."""
    code = """
library(keras3)
x <- matrix(x, ncol = 6, byrow = TRUE)
y <- matrix(y, ncol = 1)
seen <- integer()
s <- schedule_step(0.05, 0.5, 2)
spy <- function(epoch) { seen <<- c(seen, epoch); lr_at(s, epoch) }
MODEL
h1 <- model |> fit(x, y, epochs = 3, batch_size = 16, shuffle = FALSE, verbose = 0,
                   callbacks = list(callback_lr_scheduler(spy)))
h2 <- model |> fit(x, y, epochs = 6, initial_epoch = 4, batch_size = 16, shuffle = FALSE,
                   verbose = 0, callbacks = list(callback_lr_scheduler(spy)))
list(seen = as.numeric(seen), lr = as.numeric(c(h1$metrics$learning_rate,
                                                h2$metrics$learning_rate)),
     final = lapply(get_weights(model), function(w) as.vector(t(w))))
""".replace("MODEL", R_MODEL)
    out = r_session.eval(code, x=X.astype("float64"), y=Y.astype("float64"))
    assert [int(v) for v in np.asarray(out[0])] == [0, 1, 2, 3, 4, 5]
    py = _python_run(lrdecay.LRScheduler(lrdecay.Step(0.05, 0.5, 2)), epochs=6)
    assert [float(v) for v in np.asarray(out[1])] == py["lr"]  # the uninterrupted run's rates
    _assert_same_weights(list(out[2]), py["final"])
