"""The Keras MNIST walkthrough (SGD with ``ExponentialDecay(0.1, 1000, 0.96, staircase=True)``,
a ``PrintLR`` callback, the current rate read after 15 epochs of 1875 updates), with
lrdecay's schedule and ``LRLogger``, on a few hundred random 28x28 images (no download).
"""

from __future__ import annotations

import warnings

import lrdecay
import numpy as np
import pytest

keras = pytest.importorskip("keras")

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
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=schedule.to_keras()),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])

    # 256 samples, batch 32: 8 updates per epoch, all before the first drop at 1000.
    history = model.fit(x_train, y_train, epochs=3, batch_size=32,
                        validation_data=(x_test, y_test), callbacks=[lrdecay.LRLogger()],
                        verbose=2)
    lines = [ln for ln in capsys.readouterr().out.splitlines() if "learning rate" in ln]
    assert lines == [f"Epoch 0{epoch}: learning rate = 0.1" for epoch in (1, 2, 3)]
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

    # The walkthrough's "current learning rate" readout, after 15 epochs of 1875 updates,
    # exactly the float32 value Keras printed (test_keras_schedule.py compares the in-graph
    # value with Keras's ExponentialDecay, test_schedules.py the float64 one with 0.1 * 0.96^28).
    model.optimizer.iterations.assign(28125)
    assert lrdecay.get_learning_rate(model) == WALKTHROUGH_LR
    assert WALKTHROUGH_LR == pytest.approx(schedule(28125), rel=1e-6)
