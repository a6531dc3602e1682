"""The base of lrdecay's callbacks, and what every callback shares: printing through
Keras, calling a user's function, the plan check when training begins, and the rates
and hyperparameters of each update computed on the host."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import keras
import numpy as np
from keras.src.utils import io_utils

from ._checks import add_note
from .fit_check import Hook, check_keras_schedule, size_keras_schedule
from .hparams import scheduled_hyperparameters
from .keras_schedule import keras_schedule_of
from .learning_rate import innermost_optimizer, optimizer_of, read_lr
from .rate_scale import effective_rate
from .words import current

__all__ = ["LRCallback", "PerUpdateValues", "call_user", "check_optimizer_schedule", "say"]


def check_optimizer_schedule(optimizer: Any, params: Any, hook: Hook = None,
                             words: Mapping[str, str] | None = None) -> None:
    """In ``on_train_begin`` of an lrdecay callback: size the optimizer's in-graph
    lrdecay schedule, if it has one and it is sized to the run, and check it against
    this ``fit()``.

    Args:
        optimizer: the model's optimizer.
        params: the callback's ``params``.
        hook: the callback's ``_warn_hook``.
        words: the callback's words, which go with its hook.
    """
    ks = keras_schedule_of(optimizer)
    if ks is not None:
        size_keras_schedule(ks, params)
        check_keras_schedule(ks, params, hook, words, optimizer)


def call_user(fn: Callable[..., Any], args: tuple[Any, ...], where: str) -> Any:
    """Call a user's function; an exception it raises propagates as raised (same type,
    same message), with a note saying where it was called.

    Args:
        fn: the user's function (or an lrdecay schedule).
        args: its arguments.
        where: e.g. "the schedule at epoch 3 (0-based)", for the note.

    Returns:
        What ``fn`` returned.
    """
    try:
        return fn(*args)
    except Exception as err:
        add_note(err, f"(raised by {where})")
        raise


def say(message: str) -> None:
    """Print as Keras's callbacks do: to stdout, or to the ``logging`` module after
    ``keras.config.disable_interactive_logging()`` (knitr, log files)."""
    io_utils.print_msg(message)



class LRCallback(keras.callbacks.Callback):
    """The base of lrdecay's callbacks: records the learning rate of each epoch's first
    update in the logs, and checks an in-graph lrdecay schedule when training begins.

    The rate is read at the epoch's first ``on_train_batch_begin``, after every
    callback's ``on_epoch_begin`` has run, so it is the rate actually applied
    whatever the order of the callbacks. Subclasses hook ``_first_step``.
    """

    _overwrite = True  # False: keep a learning_rate another callback already logged

    def __init__(self) -> None:
        super().__init__()
        self._epoch = 0
        self._epoch_lr: float | None = None
        self._warn_hook: Any = None  # R sets one: a plan's findings as an R warning
        self._words = dict(current())  # the caller's words (lrdecay.words), for its messages

    @property
    def _who(self) -> str:
        """The callback's name in its caller's words, starting its messages."""
        name = type(self).__name__
        return self._words.get(name, name)

    def describe(self) -> dict[str, Any]:
        """What ``print()`` shows (R formats it as it formats schedules).

        Returns:
            ``{"class_name": ..., "fields": {argument: value}}``, the arguments in the
            constructor's order.
        """
        return {"class_name": type(self).__name__, "fields": self._fields()}

    def _fields(self) -> dict[str, Any]:
        return {}

    def _optimizer(self) -> Any:
        return optimizer_of(self.model, self._who)

    def _check_plan(self) -> None:
        """Check an in-graph lrdecay schedule on the optimizer against this ``fit()``
        (``lrdecay.fit_check``); it warns once per ``fit()`` whichever callback runs it."""
        # model.optimizer, not self._optimizer(): that reads the rate, evaluating the schedule
        check_optimizer_schedule(getattr(self.model, "optimizer", None), self.params,
                                 self._warn_hook, self._words)

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        self._check_plan()

    def _first_step(self, epoch: int, lr: float) -> None:
        """Called once per epoch with the rate of its first update."""

    def _capture(self) -> None:
        if self._epoch_lr is None:
            self._epoch_lr = read_lr(self._optimizer())
            self._first_step(self._epoch, self._epoch_lr)

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self._epoch = int(epoch)
        self._epoch_lr = None

    def on_train_batch_begin(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        self._capture()

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self._capture()  # an epoch without batches
        if logs is not None and (self._overwrite or "learning_rate" not in logs):
            logs["learning_rate"] = self._epoch_lr


class PerUpdateValues:
    """The rate and the scheduled hyperparameters of each update, computed on the host
    (for ``LRLogger(per="batch")``): no device read per update where the values follow
    from the iteration count (an lrdecay in-graph rate, ``HParamScheduler`` schedules).

    Args:
        optimizer: the model's Keras optimizer.
    """

    def __init__(self, optimizer: Any) -> None:
        self.optimizer = innermost_optimizer(optimizer)
        self.start = 0
        self._rates: tuple[int, np.ndarray] | None = None
        self._plateau = (1.0, 0.0)
        self._constant: float | None = None  # a constant rate, as the epoch began

    def epoch_begin(self, steps: int | None) -> None:
        """Note the iteration count (one read per epoch) and, for an lrdecay in-graph
        rate, compute the rates of the epoch's ``steps`` updates at once.

        Args:
            steps: the epoch's number of updates, if known.
        """
        self.start = int(keras.ops.convert_to_numpy(self.optimizer._iterations))
        self._rates = None
        lr = self.optimizer._learning_rate
        self._constant = read_lr(self.optimizer) if isinstance(lr, keras.Variable) else None
        rate = self._lrdecay_rate()
        # LRPlateau's scale on the in-graph rate: it changes between epochs
        self._plateau = (1.0, 0.0) if rate is None else rate.plateau.values()
        if rate is not None and steps:
            self._rates = (self.start, self._lrdecay_values(rate, self.start +
                                                            np.arange(int(steps))))

    def _lrdecay_rate(self) -> Any:
        return keras_schedule_of(self.optimizer)

    def _lrdecay_values(self, rate: Any, ts: np.ndarray) -> np.ndarray:
        t = ts.astype(np.float64)
        if rate.steps_per_epoch is not None:
            t = t / rate.steps_per_epoch
        values = np.asarray(rate.schedule(t), dtype=np.float64)
        return np.asarray(effective_rate(values, *self._plateau), dtype=np.float64)

    def rates(self, ts: np.ndarray, constant: float | None = None) -> np.ndarray:
        """The learning rate of the updates ``ts`` (iteration counts).

        Args:
            ts: the updates' iteration counts.
            constant: for a constant rate, its value over these updates (the rate read
                at the epoch's first update, when nothing changes it within the epoch);
                ``None`` reads the rate's variable now.
        """
        if self._rates is not None:
            first, values = self._rates
            i = ts - first
            if i.size and i[0] >= 0 and i[-1] < values.size:
                return values[i]
        rate = self._lrdecay_rate()
        if rate is not None:
            return self._lrdecay_values(rate, ts)
        lr = self.optimizer._learning_rate
        if isinstance(lr, keras.Variable):  # constant within a batch: its current value
            # JAX's fit() detaches the optimizer's variables from their values within an
            # epoch (its step holds them): the rate is then the one the epoch began with.
            if constant is not None:
                value = constant
            else:
                value = self._constant if lr._value is None else read_lr(self.optimizer)
            return np.full(ts.shape, value, dtype=np.float64)
        if isinstance(lr, keras.optimizers.schedules.LearningRateSchedule):
            return np.array([float(keras.ops.convert_to_numpy(lr(int(t)))) for t in ts])
        return np.full(ts.shape, float(keras.ops.convert_to_numpy(self.optimizer.learning_rate)))

    def at(self, first: int, last: int, constant: float | None = None) -> dict[str, np.ndarray]:
        """Values of the updates ``first..last`` of the epoch (0-based batch indices).

        Args:
            first: the first update's batch index.
            last: the last update's batch index.
            constant: for a constant rate, its value over these updates (see ``rates``).

        Returns:
            ``{"learning_rate": ..., <hyperparameter>: ...}``, one value per update.
        """
        ts = self.start + np.arange(first, last + 1)
        out = {"learning_rate": self.rates(ts, constant)}
        for name, hp in scheduled_hyperparameters(self.optimizer).items():
            out[name] = hp.host_values(ts).astype(np.float64)
        return out
