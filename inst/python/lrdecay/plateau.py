"""Reduce the learning rate on a plateau, on top of whatever sets it.

``LRPlateau`` makes the decisions of Keras's ``ReduceLROnPlateau`` (same arguments, same
epochs reduced) and applies each reduction as a *scale* on top of what sets the rate:

- a constant rate is multiplied in place, as Keras does;
- ``LRScheduler`` (R: ``callback_lr_scheduler()``) multiplies each epoch's rate by the
  scale, in either callback order, so a reduction is not undone at the next epoch (as it
  is beside Keras's ``LearningRateScheduler``, keras#8829);
- an in-graph lrdecay schedule (``schedule.to_keras()``, R: ``as_keras_schedule()``) is
  multiplied in the training graph: update t uses ``schedule(t) * scale`` (Keras's own
  callback raises a TypeError there). A schedule from outside lrdecay (e.g.
  ``keras.optimizers.schedules.ExponentialDecay``) still gets a TypeError, which says
  what to use instead.

``min_lr`` bounds the effective rate: ``max(rate * scale, min(rate, min_lr))``, so a
reduction never takes the rate below ``min_lr`` (a schedule that decays below it on its
own still does). For a constant rate this is Keras's ``max(lr * factor, min_lr)``.

The scale and the plateau state (``best``, ``wait``, ``cooldown_counter``) are kept in a
small object attached to the optimizer, which Keras saves with the optimizer: in ``.keras``
files and in the weights checkpoints of ``keras.callbacks.BackupAndRestore`` and
``model.save_weights()``. ``LRPlateau`` attaches it before any callback's
``on_train_begin``, so ``BackupAndRestore`` restores it, in this process or a new one, and
a run interrupted after any epoch resumes with the same learning rates. Put ``LRPlateau``
before ``BackupAndRestore`` (and ``ModelCheckpoint``) in ``callbacks``: a checkpoint written
at the end of an epoch then holds the plateau decision of that epoch. An in-graph
schedule also keeps its scale in its config, so a ``.keras`` file loads in a fresh process
with its reduced rate (a constant rate is saved reduced anyway).

>>> import lrdecay
>>> plateau = lrdecay.LRPlateau(monitor="val_loss", factor=0.5, patience=3)
>>> # model.fit(x, y, validation_data=..., callbacks=[lrdecay.LRScheduler(s), plateau])
"""

from __future__ import annotations

import math
import warnings
import weakref
from typing import Any

import keras
import numpy as np

from ._checks import check_integer, check_number, check_verbose, fail
from .callbacks import _EpochLR, _say
from .learning_rate import read_lr

try:  # the base class of what Keras's saving walks (weights files, .keras, BackupAndRestore)
    from keras.src.saving.keras_saveable import KerasSaveable as _Saveable
except ImportError:  # pragma: no cover - older Keras 3: the state is then not saved
    _Saveable = object

__all__ = ["LRPlateau"]

#: The optimizer attribute holding the plateau state (saved as optimizer/_lrdecay_plateau).
STATE_ATTR = "_lrdecay_plateau"
_MODES = ("auto", "min", "max")


def effective_rate(rate: Any, scale: Any, min_lr: Any, ops: Any = np) -> Any:
    """The rate applied: ``rate`` scaled, bounded below by ``min_lr`` (unless ``rate`` is).

    The one formula of the plateau scale, run on NumPy (``LRScheduler``, the per-update
    records of ``LRLogger``) and on ``keras.ops`` (in-graph, ``KerasSchedule``).

    Args:
        rate: the rate before the plateau (a schedule's values or a constant rate).
        scale: the product of the reductions so far (1 before any).
        min_lr: the lower bound of a reduced rate.
        ops: ``numpy`` or ``keras.ops``.

    Returns:
        ``max(rate * scale, min(rate, min_lr))``, elementwise.
    """
    return ops.maximum(rate * scale, ops.minimum(rate, min_lr))


def _inner(optimizer: Any) -> Any:
    """The optimizer holding the learning rate (through a ``LossScaleOptimizer``)."""
    while hasattr(optimizer, "inner_optimizer"):
        optimizer = optimizer.inner_optimizer
    return optimizer


def _graph_scale(optimizer: Any) -> GraphScale | None:
    """The in-graph scale of the optimizer's lrdecay schedule, or ``None``."""
    scale = getattr(getattr(_inner(optimizer), "_learning_rate", None), "plateau", None)
    return scale if isinstance(scale, GraphScale) else None


class GraphScale:
    """The plateau scale of an in-graph lrdecay schedule (``KerasSchedule``).

    Two Keras variables, read in the training graph at every update: the rate of update
    t is ``max(schedule(t) * scale, min(schedule(t), min_lr))``. The TensorFlow and
    PyTorch backends read them at every step; JAX's compiled step holds the values it
    was traced with, so after a change ``sync()`` has the model retrace its step.

    Args:
        scale: the product of the reductions so far (1: none).
        min_lr: the lower bound of a reduced rate.
    """

    def __init__(self, scale: float = 1.0, min_lr: float = 0.0) -> None:
        scale = check_number("plateau_scale", scale, low=0.0)
        min_lr = check_number("plateau_min_lr", min_lr, low=0.0)
        self.scale = keras.Variable(scale, dtype="float32", trainable=False,
                                    name="plateau_scale", aggregation="only_first_replica")
        self.min_lr = keras.Variable(min_lr, dtype="float32", trainable=False,
                                     name="plateau_min_lr", aggregation="only_first_replica")
        self._traced: tuple[float, float] | None = None
        self._owner: Any = None  # weakref to the one optimizer whose plateau this is

    def values(self) -> tuple[float, float]:
        """The current (scale, min_lr), as Python floats."""
        return float(self.scale.numpy()), float(self.min_lr.numpy())

    def apply(self, rate: Any) -> Any:
        """The scaled rate, in-graph (``rate`` a float32 tensor of the schedule's values)."""
        ops = keras.ops
        if keras.backend.backend() == "jax":
            import jax

            if isinstance(rate, jax.core.Tracer):  # a compiled step bakes in these values
                self._traced = self.values()
        return effective_rate(rate, ops.cast(self.scale, "float32"),
                              ops.cast(self.min_lr, "float32"), ops)

    def set(self, scale: float, min_lr: float) -> None:
        """Assign new values (float32, as the graph reads them)."""
        if float(np.float32(scale)) != self.values()[0]:
            self.scale.assign(np.float32(scale))
        if float(np.float32(min_lr)) != self.values()[1]:
            self.min_lr.assign(np.float32(min_lr))

    def sync(self, model: Any) -> None:
        """Have ``model`` retrace its training step if it was compiled with other values."""
        if self._traced is None or self._traced == self.values() or model is None:
            return
        if getattr(model, "train_function", None) is not None:
            model.make_train_function(force=True)
        self._traced = None

    def get_config(self) -> dict[str, float]:
        """``plateau_scale`` and ``plateau_min_lr`` for ``KerasSchedule``'s config, when
        the schedule has been reduced (an unreduced schedule's config is unchanged)."""
        scale, min_lr = self.values()
        if scale == 1.0 and min_lr == 0.0:
            return {}
        return {"plateau_scale": scale, "plateau_min_lr": min_lr}


class PlateauState(_Saveable):
    """The plateau scale and state of one optimizer, saved with it.

    Keras's saving visits the optimizer's attributes; this object, attached as
    ``optimizer._lrdecay_plateau``, writes its fields to the weights file (``.keras``,
    ``.weights.h5``, ``BackupAndRestore``'s checkpoint) and reads them back.

    Attributes:
        scale: the product of the reductions so far (1: none).
        min_lr: the lower bound of a reduced rate (set by ``LRPlateau``, not saved).
        best, wait, cooldown_counter: Keras's plateau state after epoch ``epoch``.
        epoch: the last epoch (0-based) whose end ``LRPlateau`` processed; -1: none.
        base, applied: the last rate ``LRScheduler`` got from its schedule and the rate
            it set (float32), so that a schedule of (epoch, lr) gets the unscaled rate.
    """

    _FIELDS = ("scale", "best", "wait", "cooldown_counter", "epoch", "base", "applied")

    def __init__(self, scale: float = 1.0) -> None:
        self.scale = float(scale)
        self.min_lr = 0.0
        self.best: float | None = None
        self.wait = 0
        self.cooldown_counter = 0
        self.epoch = -1
        self.base: float | None = None
        self.applied: float | None = None
        self._optimizer: Any = None  # weakref
        self._model: Any = None  # weakref

    def _obj_type(self) -> str:
        # Keras's saving asks for a type among its own to know which attributes to skip;
        # this object has no Keras children, so the plainest one serves.
        return "Operation"

    def __reduce__(self) -> Any:
        # KerasSaveable pickles a whole model; this object pickles as its fields.
        return (_restore_state, (self.fields(),))

    def fields(self) -> dict[str, Any]:
        """The saved fields, as Python values."""
        return {name: getattr(self, name) for name in self._FIELDS}

    def save_own_variables(self, store: Any) -> None:
        """Write the fields into Keras's weights store (``None`` as NaN)."""
        for name, value in self.fields().items():
            store[name] = np.asarray(np.nan if value is None else value, dtype="float64")

    def load_own_variables(self, store: Any) -> None:
        """Read the fields back; a file saved without them leaves the state as it is."""
        try:
            values = {name: float(np.asarray(store[name])) for name in self._FIELDS}
        except (KeyError, TypeError, ValueError):
            return
        self.scale = values["scale"]
        for name in ("best", "base", "applied"):
            setattr(self, name, None if math.isnan(values[name]) else values[name])
        for name in ("wait", "cooldown_counter", "epoch"):
            setattr(self, name, int(values[name]))
        self.push()

    def optimizer(self) -> Any:
        return None if self._optimizer is None else self._optimizer()

    def push(self) -> None:
        """Hand the scale to the optimizer's in-graph schedule, if it has one."""
        optimizer = self.optimizer()
        graph = None if optimizer is None else _graph_scale(optimizer)
        if graph is not None:
            graph.set(self.scale, self.min_lr)
            graph.sync(None if self._model is None else self._model())


def _restore_state(fields: dict[str, Any]) -> PlateauState:
    state = PlateauState()
    for name, value in fields.items():
        setattr(state, name, value)
    return state


def state_of(optimizer: Any) -> PlateauState | None:
    """The plateau state attached to ``optimizer`` (by ``LRPlateau``), or ``None``."""
    state = getattr(optimizer, STATE_ATTR, None)
    return state if isinstance(state, PlateauState) else None


def _own_schedule(optimizer: Any, model: Any) -> None:
    """Give the optimizer its own copy of its in-graph lrdecay schedule.

    The scale is the optimizer's state, not the schedule object's: a schedule object
    compiled into another model later must not arrive reduced. The copy keeps the scale
    the schedule carries (one loaded from a ``.keras`` file after reductions); a step
    compiled with the former object is retraced.
    """
    inner = _inner(optimizer)
    graph = _graph_scale(inner)
    if graph is None or (graph._owner is not None and graph._owner() is inner):
        return
    schedule = inner._learning_rate
    copy = type(schedule).from_config(schedule.get_config())
    copy.plateau._owner = weakref.ref(inner)
    copy.plateau._traced = graph._traced
    for name in ("_warn_hook", "_plan_checked"):  # the plan check's (lrdecay.fit_check)
        if hasattr(schedule, name):
            setattr(copy, name, getattr(schedule, name))
    inner.learning_rate = copy
    if model is not None and getattr(model, "train_function", None) is not None:
        model.make_train_function(force=True)


def attach(optimizer: Any, model: Any = None) -> PlateauState:
    """The optimizer's plateau state, attached first if it has none.

    A new state takes the scale an in-graph lrdecay schedule already carries (one loaded
    from a ``.keras`` file after reductions).

    Args:
        optimizer: a Keras optimizer.
        model: the model training it (JAX: retraced after the scale changes).
    """
    _own_schedule(optimizer, model)
    state = state_of(optimizer)
    if state is None:
        graph = _graph_scale(optimizer)
        state = PlateauState(1.0 if graph is None else graph.values()[0])
        if graph is not None:
            state.min_lr = graph.values()[1]
        setattr(optimizer, STATE_ATTR, state)
    state._optimizer = weakref.ref(optimizer)
    if model is not None:
        state._model = weakref.ref(model)
    return state


def scale_rate(optimizer: Any, rate: float) -> float:
    """The rate ``LRScheduler`` sets: ``rate`` with the optimizer's plateau scale applied.

    Args:
        optimizer: the optimizer ``LRScheduler`` drives.
        rate: the schedule's value for this epoch.

    Returns:
        ``rate`` unchanged when no ``LRPlateau`` ever reduced it, else the effective rate.
    """
    state = state_of(optimizer)
    if state is None:
        return rate
    applied = float(effective_rate(rate, state.scale, state.min_lr))
    state.base, state.applied = rate, float(np.float32(applied))
    return applied


def unscale_rate(optimizer: Any, current: float) -> float:
    """The current rate as a schedule of (epoch, lr) should see it: before the plateau
    scale, so that its own changes and the plateau's do not compound.

    Args:
        optimizer: the optimizer ``LRScheduler`` drives.
        current: its learning rate now.
    """
    state = state_of(optimizer)
    if state is None:
        return current
    if state.base is not None and current == state.applied:
        return state.base
    return current / state.scale if state.scale > 0 else current


class LRPlateau(_EpochLR):
    """Reduce the learning rate when a metric stops improving, on top of what sets it.

    The decisions are Keras's ``ReduceLROnPlateau``'s, argument for argument: after
    ``patience`` epochs without an improvement of ``monitor`` by more than ``min_delta``,
    the rate is multiplied by ``factor`` (not below ``min_lr``), then ``cooldown`` epochs
    pass before counting again. The reduction is a scale on top of what sets the rate: a
    constant rate, ``LRScheduler`` (in either callback order) or an in-graph lrdecay
    schedule (update t then uses ``schedule(t) * scale``). See the module's documentation
    for saving and resuming. The rate of each epoch's first update is recorded in
    ``history.history["learning_rate"]``.

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

    _who = "LRPlateau (R: callback_lr_plateau())"
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
        rate = getattr(_inner(optimizer), "_learning_rate", None)
        if isinstance(rate, keras.Variable) or _graph_scale(optimizer) is not None:
            return
        kind = type(rate).__name__
        raise TypeError(
            f"{self._who}: cannot scale the learning rate: the optimizer's `learning_rate` "
            f"is an in-graph schedule ({kind}) that is not an lrdecay schedule. Use the "
            "lrdecay schedule of the same family in-graph (Python: e.g. "
            "lrdecay.Exponential(...).to_keras(); R: as_keras_schedule(schedule_exponential("
            "...))), or compile with a number and set the rate with LRScheduler "
            "(R: callback_lr_scheduler()).")

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
                f"checkpoint was written at the end of epoch {epoch} before LRPlateau's "
                "decision for it. List LRPlateau before BackupAndRestore and "
                "ModelCheckpoint in `callbacks`.",
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
        graph = _graph_scale(self._optimizer())
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
        if _graph_scale(optimizer) is not None:
            state.push()
        else:
            optimizer.learning_rate = new
            state.applied = read_lr(optimizer)
        if self.verbose > 0:
            _say(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {new}.")
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

    def __repr__(self) -> str:
        return (f"LRPlateau(monitor={self.monitor!r}, factor={self.factor:g}, "
                f"patience={self.patience}, verbose={self.verbose}, mode={self.mode!r}, "
                f"min_delta={self.min_delta:g}, cooldown={self.cooldown}, "
                f"min_lr={self.min_lr:g})")
