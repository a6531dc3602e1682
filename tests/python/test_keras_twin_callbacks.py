"""Drop-in: Keras's own tests of its callbacks, with lrdecay's twins swapped in.

Keras's keras/src/callbacks/reduce_lr_on_plateau_test.py and learning_rate_scheduler_test.py
(Keras 3.15, Apache License 2.0) with ``callbacks.ReduceLROnPlateau`` -> ``lrdecay.LRPlateau``
and ``callbacks.LearningRateScheduler`` -> ``lrdecay.LRScheduler``, each class's
``self.model.fit(...)`` written once (``self.fit``); data, models, arguments and assertions
are Keras's, the verbose tests included (lrdecay's callbacks print through Keras's
``print_msg``, so with interactive logging off their lines reach ``logging``). Where lrdecay
deliberately does more, a ``DIFFERENCE`` comment says what it does instead. Keras's tests of
one setting share one fit; its tests that a foreign in-graph schedule is refused are asserted,
with the whole message, in test_plateau.py and test_callbacks.py (and an lrdecay in-graph
schedule scaled at every update, in test_plateau.py).
"""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import pytest  # noqa: E402

keras = pytest.importorskip("keras")

import lrdecay  # noqa: E402
from keras.src import layers, optimizers, testing  # noqa: E402
from keras.src.models import Sequential  # noqa: E402
from keras.src.testing import test_utils  # noqa: E402
from keras.src.utils import io_utils, numerical_utils  # noqa: E402

pytestmark = pytest.mark.keras


class _RestoresLogging(testing.TestCase):
    """Keras's TestCase, leaving the process as the other test files expect it."""

    def tearDown(self):
        io_utils.enable_interactive_logging()  # the verbose tests turn it off
        keras.config.enable_traceback_filtering()  # Keras's setUp turns it off
        super().tearDown()


class ReduceLROnPlateauTest(_RestoresLogging):
    def setUp(self):
        super().setUp()
        (x_train, y_train), (x_test, y_test) = test_utils.get_test_data(
            train_samples=10, test_samples=10, input_shape=(3,), num_classes=2)
        self.y_test = numerical_utils.to_categorical(y_test)
        self.y_train = numerical_utils.to_categorical(y_train)
        self.model = Sequential([layers.Dense(5), layers.Dense(2)])
        self.model.compile(loss="mse", optimizer=optimizers.Adam(0.1))
        self.x_train, self.x_test = x_train, x_test

    def fit(self, callback, epochs, *more):
        """Keras's ``self.model.fit(...)`` call of these tests, written once."""
        self.model.fit(self.x_train, self.y_train, validation_data=(self.x_test, self.y_test),
                       callbacks=[callback, *more], epochs=epochs)

    def test_reduces_lr_with_model_fit_and_verbose_logging(self):
        # Keras's test_reduces_lr_with_model_fit and test_verbose_logging, one fit; with
        # interactive logging off, LRLogger's line goes to ``logging`` too.
        reduce_lr = lrdecay.LRPlateau(patience=1, factor=0.1, monitor="val_loss", min_delta=100,
                                      verbose=1)
        io_utils.disable_interactive_logging()
        io_utils.set_logging_verbosity("INFO")
        with self.assertLogs() as logs:
            self.fit(reduce_lr, 2, lrdecay.LRLogger(verbose=1))
            expected_log = "ReduceLROnPlateau reducing learning rate to 0.01"
            self.assertTrue(any(expected_log in log for log in logs.output))
        self.assertEqual(self.model.optimizer.learning_rate.value, 0.01)
        self.assertTrue(any(log.endswith(":Epoch 01: learning rate = 0.1")
                            for log in logs.output))

    def test_honors_min_lr(self):
        reduce_lr = lrdecay.LRPlateau(patience=1, factor=0.1, monitor="val_loss", min_delta=10,
                                      min_lr=0.005)
        self.fit(reduce_lr, epochs=4)
        self.assertEqual(self.model.optimizer.learning_rate.value, 0.005)

    def test_cooldown(self):
        reduce_lr = lrdecay.LRPlateau(patience=1, factor=0.1, monitor="val_loss", min_delta=100,
                                      cooldown=2)
        self.fit(reduce_lr, epochs=4)
        # With a cooldown of 2 epochs, we should only reduce the LR every other
        # epoch, so after 4 epochs we will have reduced 2 times.
        self.assertAllClose(self.model.optimizer.learning_rate.value, 0.001)

    def test_state_reset_across_fit_calls(self):
        # `ReduceLROnPlateau` is reused across `model.fit()` calls, so
        # `on_train_begin` -> `_reset` must clear all per-run state.
        reduce_lr = lrdecay.LRPlateau(patience=1, factor=0.1, monitor="loss", min_delta=0,
                                      cooldown=2)
        reduce_lr.set_model(self.model)
        reduce_lr.on_train_begin()
        # Drive some state from a first run.
        reduce_lr.best = 0.5
        reduce_lr.wait = 3
        reduce_lr.cooldown_counter = 2
        # New `model.fit()` -> `on_train_begin` should clear all per-run state.
        reduce_lr.on_train_begin()
        self.assertIsNone(reduce_lr.best)
        self.assertEqual(reduce_lr.wait, 0)
        self.assertEqual(reduce_lr.cooldown_counter, 0)


class LearningRateSchedulerTest(_RestoresLogging):
    def setUp(self):
        super().setUp()
        (x_train, y_train), _ = test_utils.get_test_data(
            train_samples=10, test_samples=10, input_shape=(3,), num_classes=2)
        self.y_train = numerical_utils.to_categorical(y_train)
        self.model = Sequential([layers.Dense(5), layers.Dense(2)])
        self.model.compile(loss="mse", optimizer="sgd")
        self.x_train = x_train

    def fit(self, callback, epochs):
        """Keras's ``self.model.fit(...)`` call of these tests, written once."""
        return self.model.fit(self.x_train, self.y_train, callbacks=[callback], epochs=epochs)

    def test_updates_learning_rate_verbose_logging_and_history(self):
        # Keras's test_updates_learning_rate, test_verbose_logging and
        # test_learning_rate_in_history, one fit
        lr_scheduler = lrdecay.LRScheduler(lambda step: 1.0 / (2.0 + step), verbose=1)
        io_utils.disable_interactive_logging()
        io_utils.set_logging_verbosity("INFO")
        with self.assertLogs() as logs:
            history = self.fit(lr_scheduler, epochs=1)
            expected_log = "LearningRateScheduler setting learning rate to 0.5"
            self.assertTrue(any(expected_log in log for log in logs.output))
        self.assertEqual(self.model.optimizer.learning_rate.value, 0.5)
        self.assertTrue("learning_rate" in history.history)
        self.assertEqual(type(history.history["learning_rate"][0]), float)
        self.assertEqual(history.history["learning_rate"][0], 0.5)

    def test_schedule_dependent_on_previous_learning_rate(self):
        lr_scheduler = lrdecay.LRScheduler(lambda step, lr: lr / 2)
        initial_lr = 0.03
        self.model.compile(loss="mse", optimizer=optimizers.Adam(initial_lr))
        self.fit(lr_scheduler, epochs=2)
        self.assertEqual(self.model.optimizer.learning_rate.value, initial_lr / 4.0)
