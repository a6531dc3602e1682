"""``LRPlateau``: Keras's ``ReduceLROnPlateau`` decisions, applied as a scale on top of
whatever sets the rate (a constant rate, ``LRScheduler``, an in-graph lrdecay schedule).

>>> import lrdecay
>>> plateau = lrdecay.LRPlateau(monitor="val_loss", factor=0.5, patience=3)
>>> # model.fit(x, y, validation_data=..., callbacks=[lrdecay.LRScheduler(s), plateau])
"""

from __future__ import annotations

import warnings
from typing import Any

import keras
import numpy as np

from ._checks import check_integer, check_number, check_verbose, fail
from .callback_base import LRCallback, say
from .learning_rate import innermost_optimizer, read_lr
from .rate_scale import PlateauState, attach, graph_scale

__all__ = ["LRPlateau"]

_MODES = ("auto", "min", "max")


class LRPlateau(LRCallback):
    """Reduce the learning rate when a metric stops improving, on top of what sets it.

    The decisions are Keras's ``ReduceLROnPlateau``'s, argument for argument: after
    ``patience`` epochs without an improvement of ``monitor`` by more than ``min_delta``,
    the rate is multiplied by ``factor`` (not below ``min_lr``), then ``cooldown`` epochs
    pass before counting again. The reduction is a scale on top of what sets the rate: a
    constant rate, ``LRScheduler`` (in either callback order) or an in-graph lrdecay
    schedule (update t then uses ``schedule(t) * scale``). ``min_lr`` bounds the
    effective rate: ``max(rate * scale, min(rate, min_lr))``. The rate of each epoch's
    first update is recorded in ``history.history["learning_rate"]``.

    The scale and the plateau state (``best``, ``wait``, ``cooldown_counter``) are saved
    with the optimizer (``.keras`` files, weights files, ``BackupAndRestore``) and restored
    by Keras's loading once ``lrdecay`` is imported (``keras.saving.load_model()``, before
    or after the new ``LRPlateau`` is made, then ``fit(initial_epoch=k)``), so an
    interrupted run resumes with the same rates. List ``LRPlateau`` before
    ``BackupAndRestore`` and ``ModelCheckpoint`` in ``callbacks``: a checkpoint written at
    the end of an epoch then holds that epoch's decision.

    Differences from Keras's callback: an lrdecay in-graph schedule is scaled instead of
    refused; any other in-graph schedule is refused when training begins (Keras fails at
    the first reduction); an unknown ``mode`` or a ``factor`` outside [0, 1) is an error.
    A ``fit()`` that continues where the last one stopped (``initial_epoch``, or
    ``BackupAndRestore``) continues the plateau state; one that starts elsewhere resets
    it, as Keras does for every ``fit()``. The scale stays with the optimizer, as a
    reduced rate does in Keras.

    Args:
        monitor: the metric to watch, a key of the epoch's logs (e.g. ``"val_loss"``).
        factor: the rate is multiplied by it at each reduction, in [0, 1).
        patience: epochs without improvement before a reduction (a whole number >= 0).
        verbose: 0 quiet, 1 prints Keras's message
            "Epoch 5: ReduceLROnPlateau reducing learning rate to 0.01."
        mode: ``"min"``, ``"max"``, or ``"auto"`` (from the metric's name and direction).
        min_delta: the smallest change that counts as an improvement (>= 0).
        cooldown: epochs after a reduction before the wait counts again (>= 0).
        min_lr: the rate is not reduced below it (>= 0).

    Raises:
        TypeError: when training begins, if the optimizer's rate is an in-graph schedule
            that is not lrdecay's (it cannot be scaled).

    Example:
        >>> plateau = LRPlateau(monitor="val_loss", factor=0.5, patience=2)  # doctest: +SKIP
        >>> model.fit(x, y, validation_split=0.2, epochs=50,  # doctest: +SKIP
        ...           callbacks=[LRScheduler(lrdecay.Cosine(0.1, 50)), plateau])
    """

    _overwrite = False

    def __init__(self, monitor: str = "val_loss", factor: float = 0.1, patience: int = 10,
                 verbose: int = 0, mode: str = "auto", min_delta: float = 1e-4,
                 cooldown: int = 0, min_lr: float = 0.0) -> None:
        super().__init__()
        if not isinstance(monitor, str) or not monitor:
            fail("monitor", "the name of a metric (a string)", monitor, TypeError)
        if not isinstance(mode, str):
            fail("mode", 'one of "auto", "min", "max"', mode, TypeError)
        if mode not in _MODES:
            fail("mode", 'one of "auto", "min", "max"', mode)
        self.monitor = monitor
        self.factor = check_number("factor", factor, low=0.0, high=1.0, high_open=True)
        self.patience = check_integer("patience", patience, low=0)
        self.verbose = check_verbose("verbose", verbose)
        self.mode = mode
        self.min_delta = check_number("min_delta", min_delta, low=0.0)
        self.cooldown = check_integer("cooldown", cooldown, low=0)
        self.min_lr = check_number("min_lr", min_lr, low=0.0)
        self.monitor_op: Any = None
        self.best: float | None = None
        self.wait = 0
        self.cooldown_counter = 0
        self._state: PlateauState | None = None
        self._pending_resume = False

    # -- the state, attached to the optimizer -------------------------------------------

    def set_model(self, model: Any) -> None:
        super().set_model(model)
        # Before any callback's on_train_begin, so that BackupAndRestore loads into it.
        optimizer = getattr(model, "optimizer", None)
        if optimizer is not None:
            self._state = attach(optimizer, model)

    @property
    def scale(self) -> float:
        """The product of the reductions so far (1: none)."""
        return 1.0 if self._state is None else self._state.scale

    def in_cooldown(self) -> bool:
        return self.cooldown_counter > 0

    def _reset(self) -> None:
        self.best = None
        self.cooldown_counter = 0
        self.wait = 0

    def _check_rate(self, optimizer: Any) -> None:
        rate = getattr(innermost_optimizer(optimizer), "_learning_rate", None)
        if isinstance(rate, keras.Variable) or graph_scale(optimizer) is not None:
            return
        kind = type(rate).__name__
        raise TypeError(
            f"{self._who}: cannot scale the learning rate: the optimizer's `learning_rate` "
            f"is an in-graph schedule ({kind}) that is not an lrdecay schedule. Use the "
            "lrdecay schedule of the same family in-graph (e.g. "
            f"{self._words['in_graph_example']}), or compile with a number and set the rate "
            f"with {self._words['LRScheduler']}.")

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        self._reset()
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is not None:
            attach(optimizer, self.model)  # the optimizer's own schedule, before the check
        super().on_train_begin(logs)
        optimizer = self._optimizer()
        self._check_rate(optimizer)
        self._state = attach(optimizer, self.model)
        self._state.min_lr = self.min_lr
        self._state.push()
        self._pending_resume = True

    def _resume(self, epoch: int) -> None:
        """At the first epoch of a fit(): continue the saved state if it ends just before."""
        self._pending_resume = False
        state = self._state
        if state is None:
            return
        if epoch > 0 and state.epoch == epoch - 1:
            self.best, self.wait = state.best, state.wait
            self.cooldown_counter = state.cooldown_counter
            return
        if epoch > 0 and state.epoch == epoch - 2:
            warnings.warn(
                f"{self._who}: the plateau state restored is that of the end of epoch "
                f"{epoch - 1} (1-based), but training resumes at epoch {epoch + 1}: the "
                f"checkpoint was written at the end of epoch {epoch} before the plateau "
                f"callback's decision for it. List {self._who} before "
                f"{self._words['BackupAndRestore']} and {self._words['ModelCheckpoint']} in "
                "`callbacks`.",
                stacklevel=2)
            self.best, self.wait = state.best, state.wait
            self.cooldown_counter = state.cooldown_counter
        self._record(epoch - 1)

    def _record(self, epoch: int) -> None:
        state = self._state
        if state is not None:
            state.best, state.wait, state.cooldown_counter = self.best, self.wait, \
                self.cooldown_counter
            state.epoch = int(epoch)

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        super().on_epoch_begin(epoch, logs)
        if self._pending_resume:
            self._resume(int(epoch))
        graph = graph_scale(self._optimizer())
        if graph is not None:
            graph.sync(self.model)

    # -- Keras's decisions ---------------------------------------------------------------

    def _set_monitor_op(self) -> None:
        """Keras's MonitorCallback rule: "min", "max", or from the metric's name/direction."""
        if self.mode in ("min", "max"):
            self.monitor_op = keras.ops.less if self.mode == "min" else keras.ops.greater
            return
        name = self.monitor.removeprefix("val_")
        op = keras.ops.less if name == "loss" else None
        for container in getattr(self.model, "metrics", None) or []:
            inner = getattr(container, "metrics", None)
            for metric in inner if isinstance(inner, (list, tuple)) else []:
                if getattr(metric, "name", None) == name and hasattr(metric, "_direction"):
                    op = keras.ops.greater if metric._direction == "up" else keras.ops.less
        if op is None:
            raise ValueError(
                f"{self._who}: cannot tell whether `monitor` = {self.monitor!r} should be "
                "minimized or maximized. Pass mode = \"min\" or mode = \"max\".")
        self.monitor_op = op

    def _is_improvement(self, current: float, best: float | None) -> bool:
        if best is None:
            return True
        delta = -self.min_delta if self.monitor_op is keras.ops.less else self.min_delta
        return bool(keras.ops.convert_to_numpy(self.monitor_op(current - delta, best)))

    def _reduce(self, epoch: int) -> bool:
        """Reduce by ``factor`` if the rate is above ``min_lr`` (Keras's test)."""
        optimizer = self._optimizer()
        state = self._state if self._state is not None else attach(optimizer, self.model)
        old = read_lr(optimizer)
        if not old > np.float32(self.min_lr):
            return False
        new = max(old * self.factor, self.min_lr)
        state.scale *= self.factor
        state.min_lr = self.min_lr
        if graph_scale(optimizer) is not None:
            state.push()
        else:
            optimizer.learning_rate = new
            state.applied = read_lr(optimizer)
        if self.verbose > 0:
            say(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {new}.")
        return True

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        super().on_epoch_end(epoch, logs)
        epoch = int(epoch)
        if self._pending_resume:
            self._resume(epoch)
        if self.monitor_op is None:
            self._set_monitor_op()
        logs = logs or {}
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(
                "Learning rate reduction is conditioned on metric "
                f"`{self.monitor}` which is not available. Available metrics "
                f"are: {','.join(list(logs.keys()))}.",
                stacklevel=2,
            )
        else:
            if self.in_cooldown():
                self.cooldown_counter -= 1
                self.wait = 0
            if self._is_improvement(current, self.best):
                self.best = current
                self.wait = 0
            elif not self.in_cooldown():
                self.wait += 1
                if self.wait >= self.patience and self._reduce(epoch):
                    self.cooldown_counter = self.cooldown
                    self.wait = 0
        self._record(epoch)

    def _fields(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in (
            "monitor", "factor", "patience", "mode", "min_delta", "cooldown", "min_lr",
            "verbose")}

    def __repr__(self) -> str:
        return (f"LRPlateau(monitor={self.monitor!r}, factor={self.factor:g}, "
                f"patience={self.patience}, verbose={self.verbose}, mode={self.mode!r}, "
                f"min_delta={self.min_delta:g}, cooldown={self.cooldown}, "
                f"min_lr={self.min_lr:g})")


# Public classes print, and R dispatches on them, under their public name.
for _cls in (LRPlateau,):
    _cls.__module__ = "lrdecay"
