"""Distributed training: ``tf.distribute.MirroredStrategy`` over two logical CPU devices.

In a fresh Python, the one physical CPU is split into two logical devices. The same
tiny model is trained on one device and under ``MirroredStrategy`` (two replicas, the
global batch split between them), with an in-graph schedule on iterations, an in-graph
schedule on fractional epochs (``steps_per_epoch``), and the epoch callback
(``LRScheduler``). Both must apply the same learning rate at every update (read from
the optimizer and recorded by ``LRLogger``) and reach the same weights, to float
tolerance (the two replicas' gradients are summed in another order).
"""

from __future__ import annotations

import json
from typing import Any

import lrdecay
import numpy as np
import pytest
from kit import backend_available, last_json, run_python

pytestmark = [pytest.mark.keras, pytest.mark.slow]

MODES = ["graph", "graph_spe", "callback"]
EPOCHS, STEPS = 4, 3
BY_EPOCH = lrdecay.Warmup(lrdecay.Cosine(0.05, decay_steps=3), warmup_steps=1, start_lr=0.01)
BY_ITER = lrdecay.Sequence([lrdecay.Linear(0.005, 0.05, 4), lrdecay.Exponential(0.05, 1, 0.8)],
                           [4])

CHILD = r"""
import json
import numpy as np
import tensorflow as tf

cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(
    cpu, [tf.config.LogicalDeviceConfiguration(), tf.config.LogicalDeviceConfiguration()])
import keras
import lrdecay

EPOCHS, STEPS, BATCH = 4, 3, 8
BY_EPOCH = lrdecay.from_config(json.loads(BY_EPOCH_JSON))
BY_ITER = lrdecay.from_config(json.loads(BY_ITER_JSON))
rng = np.random.default_rng(0)
X = rng.normal(size=(STEPS * BATCH, 3)).astype("float32")
Y = (X @ np.array([[1.0], [-1.0], [0.5]]) - 0.2).astype("float32")


class Steps(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.rows = []

    def on_train_batch_begin(self, batch, logs=None):
        opt = self.model.optimizer
        self.rows.append([int(opt.iterations.numpy()), float(opt.learning_rate.numpy())])


def train(mode, strategy):
    with strategy.scope():
        keras.utils.set_random_seed(3)
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="tanh"),
                                  keras.layers.Dense(1)])
        lr = {"graph": lambda: BY_ITER.to_keras(),
              "graph_spe": lambda: BY_EPOCH.to_keras(steps_per_epoch=STEPS),
              "callback": lambda: 0.5}[mode]()
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=lr, momentum=0.5),
                      loss="mse")
    steps = Steps()
    cbs = [lrdecay.LRScheduler(BY_EPOCH)] if mode == "callback" else []
    cbs += [lrdecay.LRLogger(verbose=0), steps]
    hist = model.fit(X, Y, batch_size=BATCH, epochs=EPOCHS, shuffle=False, verbose=0,
                     callbacks=cbs)
    return {"steps": steps.rows, "history_lr": hist.history["learning_rate"],
            "loss": hist.history["loss"],
            "weights": [w.ravel().tolist() for w in model.get_weights()]}


mirrored = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
out = {"replicas": mirrored.num_replicas_in_sync, "one": {}, "mirrored": {}}
for mode in MODES:
    out["one"][mode] = train(mode, tf.distribute.get_strategy())
    out["mirrored"][mode] = train(mode, mirrored)
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def runs() -> dict[str, Any]:
    if not backend_available("tensorflow"):
        pytest.skip("tensorflow is not installed")
    code = (CHILD.replace("BY_EPOCH_JSON", repr(json.dumps(BY_EPOCH.get_config())))
            .replace("BY_ITER_JSON", repr(json.dumps(BY_ITER.get_config())))
            .replace("MODES", repr(MODES)))
    return last_json(run_python(code, backend="tensorflow"))


def test_two_replicas(runs: dict[str, Any]) -> None:
    assert runs["replicas"] == 2


@pytest.mark.parametrize("mode", MODES)
def test_mirrored_follows_the_same_lr_trajectory(runs: dict[str, Any], mode: str) -> None:
    one, two = runs["one"][mode], runs["mirrored"][mode]
    n = EPOCHS * STEPS
    assert [r[0] for r in one["steps"]] == list(range(n))
    assert [r[0] for r in two["steps"]] == list(range(n))
    assert [r[1] for r in two["steps"]] == [r[1] for r in one["steps"]]
    assert two["history_lr"] == one["history_lr"]
    # ... and that trajectory is the schedule's.
    it = np.arange(n, dtype=np.float64)
    expected = {"graph": BY_ITER(it), "graph_spe": BY_EPOCH(it / STEPS),
                "callback": BY_EPOCH(np.floor(it / STEPS))}[mode]
    np.testing.assert_allclose([r[1] for r in one["steps"]], expected, rtol=1e-6)


@pytest.mark.parametrize("mode", MODES)
def test_mirrored_reaches_the_same_weights(runs: dict[str, Any], mode: str) -> None:
    one, two = runs["one"][mode], runs["mirrored"][mode]
    for a, b in zip(one["weights"], two["weights"]):
        np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(two["loss"], one["loss"], rtol=1e-5)
    assert not np.allclose(one["weights"][0], 0)  # it trained
