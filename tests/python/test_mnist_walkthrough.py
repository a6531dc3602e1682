"""The Keras MNIST walkthrough (SGD with in-graph exponential decay, PrintLR), on small data.

The walkthrough trains on MNIST with
``SGD(learning_rate=ExponentialDecay(0.1, decay_steps=1000, decay_rate=0.96, staircase=True))``,
prints the learning rate at every epoch with a ``PrintLR`` callback, and reads the
current learning rate after 15 epochs of 1875 steps (28125 updates):
0.031885575503110886. Here the same model runs on a few hundred random 28x28
images (no download), with lrdecay's schedule and ``LRLogger``.
"""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import warnings  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402

keras = pytest.importorskip("keras")

import lrdecay  # noqa: E402

pytestmark = pytest.mark.keras

WALKTHROUGH_LR = 0.031885575503110886  # what Keras printed at iterations = 28125


def small_mnist(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 256, size=(n, 28, 28)).astype("float32") / 255.0
    y = rng.integers(0, 10, size=n)
    return x, y


def test_mnist_walkthrough(capsys):
    (x_train, y_train), (x_test, y_test) = small_mnist(256, 1), small_mnist(64, 2)

    with warnings.catch_warnings():  # Keras 3 prefers keras.Input to input_shape=
        warnings.simplefilter("ignore", UserWarning)
        model = keras.Sequential([
            keras.layers.Flatten(input_shape=(28, 28)),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ])

    schedule = lrdecay.Exponential(0.1, 1000, 0.96, staircase=True)
    lr_schedule = schedule.to_keras()
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=lr_schedule),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])

    # 256 samples, batch 32: 8 updates per epoch, all before the first drop at 1000.
    history = model.fit(x_train, y_train, epochs=3, batch_size=32,
                        validation_data=(x_test, y_test), callbacks=[lrdecay.LRLogger()],
                        verbose=2)
    lines = [ln for ln in capsys.readouterr().out.splitlines() if "learning rate" in ln]
    assert lines == ["Epoch 01: learning rate = 0.1",
                     "Epoch 02: learning rate = 0.1",
                     "Epoch 03: learning rate = 0.1"]
    assert history.history["learning_rate"] == pytest.approx([0.1] * 3, rel=1e-7)
    assert int(keras.ops.convert_to_numpy(model.optimizer.iterations)) == 24

    test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=0)
    assert np.isfinite(test_loss) and 0.0 <= test_accuracy <= 1.0

    # Resume just before the first drop: epoch 4 starts at update 996 (lr 0.1)
    # and epoch 5 at 1004, after the drop (lr 0.1 * 0.96).
    model.optimizer.iterations.assign(996)
    history = model.fit(x_train, y_train, epochs=6, initial_epoch=3, batch_size=32,
                        callbacks=[lrdecay.LRLogger()], verbose=0)
    assert capsys.readouterr().out == ("Epoch 04: learning rate = 0.1\n"
                                       "Epoch 05: learning rate = 0.096\n"
                                       "Epoch 06: learning rate = 0.096\n")
    assert history.history["learning_rate"] == pytest.approx([0.1, 0.096, 0.096], rel=1e-6)

    # The walkthrough's "current learning rate" readout, after 15 epochs of 1875 updates.
    model.optimizer.iterations.assign(28125)
    current = lrdecay.get_learning_rate(model)
    assert current == pytest.approx(WALKTHROUGH_LR, abs=1e-8)
    in_graph = float(keras.ops.convert_to_numpy(lr_schedule(model.optimizer.iterations)))
    keras_decay = keras.optimizers.schedules.ExponentialDecay(
        initial_learning_rate=0.1, decay_steps=1000, decay_rate=0.96, staircase=True)
    keras_value = float(keras.ops.convert_to_numpy(keras_decay(model.optimizer.iterations)))
    assert in_graph == current
    assert in_graph == pytest.approx(keras_value, abs=1e-8)
    assert keras_value == pytest.approx(WALKTHROUGH_LR, abs=1e-8)
    # The float64 preview gives 0.1 * 0.96^28, which float32 matches to 1e-6 relative.
    assert schedule(28125) == pytest.approx(0.1 * 0.96**28, rel=1e-12)
    assert current == pytest.approx(schedule(28125), rel=1e-6)

    # The in-graph rate cannot be set; a clear error says so.
    with pytest.raises(TypeError, match=r"in-graph schedule \(KerasSchedule\)"):
        lrdecay.set_learning_rate(model, 0.01)
