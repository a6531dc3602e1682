"""Distributed training: two devices give the rates and weights of one.

In one fresh Python per backend, the host CPU is split into two devices and the same tiny
model is trained on one device and on two, the global batch split between them:

- TensorFlow: ``tf.distribute.MirroredStrategy`` over two logical CPU devices, the model
  built and compiled inside ``strategy.scope()``;
- JAX: ``keras.distribution.DataParallel`` over two host CPU devices
  (``XLA_FLAGS=--xla_force_host_platform_device_count=2``), the model built, compiled and
  fitted inside ``distribution.scope()``.

Every run uses all of lrdecay's training features at once: the rate set by an in-graph
schedule on iterations, an in-graph schedule on fractional epochs (``steps_per_epoch``)
or the epoch callback (``LRScheduler``); ``LRPlateau`` reducing it (on a scripted
metric, so that its decisions are fixed); ``HParamScheduler`` scheduling the momentum per
update; ``LRLogger(per="batch")`` recording every update's rate and momentum. Both must
apply the same rate at every update (read from the optimizer, recorded by ``LRLogger`` and
in ``history``), the same momentum, and reach the same weights to float32 tolerance (the
two devices' gradients are summed in another order).
"""

from __future__ import annotations

import json
from typing import Any

import lrdecay
import numpy as np
import pytest
from kit import backend_available, last_json, run_python

pytestmark = [pytest.mark.keras, pytest.mark.slow]

BACKENDS = ["tensorflow", "jax"]
MODES = ["graph", "graph_spe", "callback"]
EPOCHS, STEPS = 4, 3
BY_EPOCH = lrdecay.Warmup(lrdecay.Cosine(0.05, decay_steps=3), warmup_steps=1, start_lr=0.01)
BY_ITER = lrdecay.Sequence([lrdecay.Linear(0.005, 0.05, 4), lrdecay.Exponential(0.05, 1, 0.8)],
                           [4])
MOMENTUM = lrdecay.OneCycle(0.05, total_steps=EPOCHS * STEPS).momentum()
#: The plateau's metric, one value per epoch, and the scale in force during each epoch
#: that Keras's ReduceLROnPlateau rule gives with factor 0.5, patience 1, min_delta 0.05:
#: no improvement at the end of epochs 1 and 2 (0-based), each halving the next epoch's rate.
SCORE = [1.0, 0.99, 0.98, 0.5]
SCALES = [1.0, 1.0, 0.5, 0.25]

PRELUDE = {
    "tensorflow": r"""
import contextlib
import tensorflow as tf

cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(
    cpu, [tf.config.LogicalDeviceConfiguration(), tf.config.LogicalDeviceConfiguration()])
import keras

TWO = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
# (scope of building and compiling, scope of fit()), on one device and on two
SETUPS = {"one": (tf.distribute.get_strategy().scope, contextlib.nullcontext),
          "two": (TWO.scope, contextlib.nullcontext)}


def devices(model):
    return model.distribute_strategy.num_replicas_in_sync
""",
    "jax": r"""
import contextlib
import jax
import keras

TWO = keras.distribution.DataParallel(devices=jax.devices())
SETUPS = {"one": (contextlib.nullcontext, contextlib.nullcontext),
          "two": (TWO.scope, TWO.scope)}


def devices(model):
    return len(model.trainable_variables[0].value.sharding.device_set)
""",
}

CHILD = r"""
import json
import numpy as np
import lrdecay

EPOCHS, STEPS, BATCH = 4, 3, 8
BY_EPOCH = lrdecay.from_config(json.loads(BY_EPOCH_JSON))
BY_ITER = lrdecay.from_config(json.loads(BY_ITER_JSON))
MOMENTUM = lrdecay.from_config(json.loads(MOMENTUM_JSON))
rng = np.random.default_rng(0)
X = rng.normal(size=(STEPS * BATCH, 3)).astype("float32")
Y = (X @ np.array([[1.0], [-1.0], [0.5]]) - 0.2).astype("float32")

from kit import script_callback


class Steps(keras.callbacks.Callback):
    # The rate the optimizer holds before each update (JAX: its step holds the variables
    # within an epoch, so they are synced first).
    def __init__(self):
        super().__init__()
        self.rows = []

    def on_train_batch_begin(self, batch, logs=None):
        if hasattr(self.model, "jax_state_sync"):
            self.model.jax_state_sync()
        opt = self.model.optimizer
        self.rows.append([int(keras.ops.convert_to_numpy(opt.iterations)),
                          float(keras.ops.convert_to_numpy(opt.learning_rate))])


def train(mode, build_scope, fit_scope):
    with build_scope():
        keras.utils.set_random_seed(3)
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="tanh"),
                                  keras.layers.Dense(1)])
        lr = {"graph": lambda: BY_ITER.to_keras(),
              "graph_spe": lambda: BY_EPOCH.to_keras(steps_per_epoch=STEPS),
              "callback": lambda: 0.5}[mode]()
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=lr, momentum=0.9),
                      loss="mse")
    steps, logger = Steps(), lrdecay.LRLogger(verbose=0, per="batch")
    cbs = [lrdecay.LRScheduler(BY_EPOCH)] if mode == "callback" else []
    cbs += [script_callback(SCORE),
            lrdecay.LRPlateau("score", factor=0.5, patience=1, mode="min", min_delta=0.05),
            lrdecay.HParamScheduler(momentum=MOMENTUM), logger, steps]
    with fit_scope():
        hist = model.fit(X, Y, batch_size=BATCH, epochs=EPOCHS, shuffle=False, verbose=0,
                         callbacks=cbs)
    return {"devices": devices(model), "steps": steps.rows, "records": logger.records_table(),
            "history_lr": [float(v) for v in hist.history["learning_rate"]],
            "loss": [float(v) for v in hist.history["loss"]],
            "weights": [np.asarray(w).ravel().tolist() for w in model.get_weights()]}


out = {setup: {mode: train(mode, *SETUPS[setup]) for mode in MODES} for setup in SETUPS}
print(json.dumps(out))
"""


@pytest.fixture(scope="module", params=BACKENDS)
def runs(request: pytest.FixtureRequest) -> dict[str, Any]:
    backend = request.param
    if not backend_available(backend):
        pytest.skip(f"the {backend} package is not installed (make setup installs it)")
    code = PRELUDE[backend] + (
        CHILD.replace("BY_EPOCH_JSON", repr(json.dumps(BY_EPOCH.get_config())))
        .replace("BY_ITER_JSON", repr(json.dumps(BY_ITER.get_config())))
        .replace("MOMENTUM_JSON", repr(json.dumps(MOMENTUM.get_config())))
        .replace("SCORE", repr(SCORE)).replace("MODES", repr(MODES)))
    extra = {"XLA_FLAGS": "--xla_force_host_platform_device_count=2"} if backend == "jax" else {}
    return last_json(run_python(code, backend=backend, **extra))


def test_two_devices(runs: dict[str, Any]) -> None:
    for mode in MODES:
        assert runs["one"][mode]["devices"] == 1
        assert runs["two"][mode]["devices"] == 2


def expected_rates(mode: str) -> np.ndarray:
    """The rate of every update: the schedule's, times the plateau's scale of its epoch."""
    it = np.arange(EPOCHS * STEPS, dtype=np.float64)
    rate = {"graph": BY_ITER(it), "graph_spe": BY_EPOCH(it / STEPS),
            "callback": BY_EPOCH(np.floor(it / STEPS))}[mode]
    return rate * np.repeat(SCALES, STEPS)


@pytest.mark.parametrize("mode", MODES)
def test_two_devices_apply_the_same_rates(runs: dict[str, Any], mode: str) -> None:
    one, two = runs["one"][mode], runs["two"][mode]
    n = EPOCHS * STEPS
    assert [r[0] for r in one["steps"]] == list(range(n))
    assert [r[0] for r in two["steps"]] == list(range(n))
    assert [r[1] for r in two["steps"]] == [r[1] for r in one["steps"]]
    assert two["history_lr"] == one["history_lr"]
    assert two["records"] == one["records"]
    # ... and those are the schedule's rates, reduced by the plateau,
    want = expected_rates(mode)
    np.testing.assert_allclose([r[1] for r in one["steps"]], want, rtol=1e-6)
    np.testing.assert_allclose(one["records"]["learning_rate"], want, rtol=1e-6)
    np.testing.assert_allclose(one["history_lr"], want[::STEPS], rtol=1e-6)
    assert one["records"]["epoch"] == [e for e in range(EPOCHS) for _ in range(STEPS)]
    assert one["records"]["batch"] == [b for _ in range(EPOCHS) for b in range(STEPS)]


@pytest.mark.parametrize("mode", MODES)
def test_two_devices_schedule_the_same_momentum(runs: dict[str, Any], mode: str) -> None:
    one, two = runs["one"][mode], runs["two"][mode]
    assert two["records"]["momentum"] == one["records"]["momentum"]
    want = MOMENTUM(np.arange(EPOCHS * STEPS, dtype=np.float64))
    np.testing.assert_allclose(one["records"]["momentum"], want, rtol=1e-6)
    assert min(want) < 0.9 < max(want)  # it moves away from the optimizer's own 0.9


@pytest.mark.parametrize("mode", MODES)
def test_two_devices_reach_the_same_weights(runs: dict[str, Any], mode: str) -> None:
    one, two = runs["one"][mode], runs["two"][mode]
    for a, b in zip(one["weights"], two["weights"]):
        np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(two["loss"], one["loss"], rtol=1e-5)
    assert not np.allclose(one["weights"][0], 0)  # it trained
