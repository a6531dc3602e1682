"""The in-graph schedules on Keras's TensorFlow, JAX and PyTorch backends.

Each backend runs in its own fresh Python (``KERAS_BACKEND`` is read once, at import).
There, every schedule case (every family, nested ones included, with and without
``steps_per_epoch``) is evaluated in-graph: on a vector of iterations, and one
iteration at a time through the backend's compiler (``tf.function``, ``jax.jit``;
PyTorch runs eagerly). The values must equal NumPy's float64 to 1e-6 relative
(see ``kit.graph_mismatches``).

Then a short ``fit`` runs on each backend, and the learning rate the optimizer
*applied* at each step is read back from the weights: with SGD, a bias-free
``Dense(1)``, the input 1 and the loss ``mean(y_pred)``, every gradient is 1, so each
update moves the weight by exactly the learning rate of that step. That rate must be
the schedule's at the step's iteration. An epoch callback (``LRScheduler``) run is
checked the same way, epoch by epoch.

A backend whose package is not installed is skipped (``make setup`` installs all three).
"""

from __future__ import annotations

import json
from typing import Any

import lrdecay
import numpy as np
import pytest
from kit import (
    backend_available,
    graph_mismatches,
    last_json,
    run_python,
    schedule_cases,
)

pytestmark = [pytest.mark.keras, pytest.mark.slow]

BACKENDS = ["tensorflow", "jax", "torch"]
CASES = schedule_cases()
SPES = (None, 4)
ITERS = list(range(41))
SCALAR_ITERS = [0, 1, 2, 3, 5, 8, 13, 21, 34, 40]

#: fit with an in-graph schedule: (key, schedule, steps_per_epoch), 12 updates each.
FIT_GRAPH = [
    ("warmup_cosine", lrdecay.Warmup(lrdecay.Cosine(0.1, 8), warmup_steps=3), None),
    ("sequence_spe", lrdecay.Sequence([lrdecay.Linear(0.01, 0.1, 1), lrdecay.Step(0.1, 0.5, 1)],
                                      [1]), 3),
    ("one_cycle", lrdecay.OneCycle(0.1, total_steps=12), None),
    ("piecewise_spe", lrdecay.Piecewise([1, 2], [0.1, 0.05, 0.02]), 4),
]
FIT_STEPS = 12
#: fit with the epoch callback: the schedule of epochs, 4 epochs of 3 steps.
FIT_CALLBACK = lrdecay.Warmup(lrdecay.Exponential(0.1, 1, 0.5), warmup_steps=1,
                              start_lr=0.02)

CHILD = r"""
import json, sys
import numpy as np
import lrdecay
import keras
from keras import ops

spec = json.load(open(sys.argv[1]))
backend = keras.backend.backend()
out = {"backend": backend, "values": {}, "scalar": {}, "fit_graph": {}}

if backend == "tensorflow":
    import tensorflow as tf
    compile_fn = tf.function
    scalar = lambda i: tf.constant(i, dtype="int64")
elif backend == "jax":
    import jax
    compile_fn = jax.jit
    scalar = lambda i: ops.convert_to_tensor(i, dtype="int32")
else:
    compile_fn = lambda f: f
    scalar = lambda i: ops.convert_to_tensor(i, dtype="int64")

for case in spec["cases"]:
    ks = lrdecay.from_config(case["config"]).to_keras(steps_per_epoch=case["spe"])
    vec = ks(ops.convert_to_tensor(np.asarray(spec["iters"]), dtype="int32"))
    out["values"][case["key"]] = [float(v) for v in ops.convert_to_numpy(vec)]
    fn = compile_fn(ks)
    out["scalar"][case["key"]] = [float(ops.convert_to_numpy(fn(scalar(i))))
                                  for i in spec["scalar_iters"]]


def unit_model(learning_rate):
    # d loss / d w = 1 at every step: each SGD update moves w by exactly the learning rate.
    model = keras.Sequential([keras.Input((1,)),
                              keras.layers.Dense(1, use_bias=False, kernel_initializer="zeros")])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=learning_rate),
                  loss=lambda y_true, y_pred: ops.mean(y_pred))
    return model


class Weights(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.w = [float(ops.convert_to_numpy(self.model.weights[0])[0, 0])]

    def on_train_batch_end(self, batch, logs=None):
        self.w.append(float(ops.convert_to_numpy(self.model.weights[0])[0, 0]))


x = np.ones((3, 1), dtype="float32")
y = np.zeros((3, 1), dtype="float32")
for case in spec["fit_graph"]:
    ks = lrdecay.from_config(case["config"]).to_keras(steps_per_epoch=case["spe"])
    model = unit_model(ks)
    rec = Weights()
    hist = model.fit(x, y, batch_size=1, epochs=spec["fit_steps"] // 3, shuffle=False,
                     verbose=0, callbacks=[rec, lrdecay.LRLogger(verbose=0)])
    out["fit_graph"][case["key"]] = {
        "applied": [a - b for a, b in zip(rec.w, rec.w[1:])],
        "history": hist.history["learning_rate"],
        "iterations": int(ops.convert_to_numpy(model.optimizer.iterations)),
    }

model = unit_model(0.5)
rec = Weights()
sched = lrdecay.from_config(spec["fit_callback"])
hist = model.fit(x, y, batch_size=1, epochs=4, shuffle=False, verbose=0,
                 callbacks=[lrdecay.LRScheduler(sched), rec])
out["fit_callback"] = {"applied": [a - b for a, b in zip(rec.w, rec.w[1:])],
                       "history": hist.history["learning_rate"],
                       "loss": hist.history["loss"]}
print(json.dumps(out))
"""


def _spec() -> dict[str, Any]:
    return {
        "cases": [{"key": f"{name}-{spe}", "config": s.get_config(), "spe": spe}
                  for name, s in CASES for spe in SPES],
        "iters": ITERS,
        "scalar_iters": SCALAR_ITERS,
        "fit_graph": [{"key": k, "config": s.get_config(), "spe": spe} for k, s, spe in FIT_GRAPH],
        "fit_steps": FIT_STEPS,
        "fit_callback": FIT_CALLBACK.get_config(),
    }


@pytest.fixture(scope="module", params=BACKENDS)
def child(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict:
    backend = request.param
    if not backend_available(backend):
        pytest.skip(f"the {backend} package is not installed (make setup installs it)")
    spec_path = tmp_path_factory.mktemp(f"backend-{backend}") / "spec.json"
    spec_path.write_text(json.dumps(_spec()))
    stdout = run_python(CHILD.replace("sys.argv[1]", repr(str(spec_path))), backend=backend)
    result = last_json(stdout)
    assert result["backend"] == backend
    return result


def test_in_graph_values_equal_numpy(child: dict) -> None:
    problems = []
    for name, s in CASES:
        for spe in SPES:
            key = f"{name}-{spe}"
            t = np.asarray(ITERS, dtype=np.float64) / (spe or 1)
            problems += [f"{key} vector {m}" for m in graph_mismatches(s, t, child["values"][key])]
            ts = np.asarray(SCALAR_ITERS, dtype=np.float64) / (spe or 1)
            problems += [f"{key} compiled {m}"
                         for m in graph_mismatches(s, ts, child["scalar"][key])]
    assert not problems, f"{child['backend']}: " + "\n".join(problems[:20])


def test_fit_applies_the_in_graph_schedule(child: dict) -> None:
    for key, s, spe in FIT_GRAPH:
        got = child["fit_graph"][key]
        assert got["iterations"] == FIT_STEPS, key
        t = np.arange(FIT_STEPS, dtype=np.float64) / (spe or 1)
        # w is O(1) and float32: each difference carries ~1e-7 of rounding.
        np.testing.assert_allclose(got["applied"], s(t), rtol=1e-5, atol=3e-7,
                                   err_msg=f"{child['backend']} {key}")
        np.testing.assert_allclose(got["history"], s(t[::3]), rtol=1e-6, atol=1e-8,
                                   err_msg=f"{child['backend']} {key} LRLogger")


def test_fit_with_the_epoch_callback(child: dict) -> None:
    got = child["fit_callback"]
    epochs = np.arange(4, dtype=np.float64)
    np.testing.assert_allclose(got["history"], FIT_CALLBACK(epochs), rtol=1e-6,
                               err_msg=child["backend"])
    applied = np.repeat(FIT_CALLBACK(epochs), 3)  # 3 steps per epoch, one rate each
    np.testing.assert_allclose(got["applied"], applied, rtol=1e-5, atol=3e-7,
                               err_msg=child["backend"])
    assert all(np.isfinite(got["loss"]))
