"""The plateau's rate scale: one formula, its in-graph variables and its saved state.

Shared by ``LRScheduler`` (which multiplies each epoch's rate by the scale), the in-graph
schedule (``KerasSchedule``, which multiplies its value in the training graph), the
per-update records of ``LRLogger`` and ``LRPlateau`` (which decides the reductions).
"""

from __future__ import annotations

import math
import weakref
from typing import Any

import keras
import numpy as np

from ._checks import check_number
from .learning_rate import innermost_optimizer

try:  # the base class of what Keras's saving walks (weights files, .keras, BackupAndRestore)
    from keras.src.saving.keras_saveable import KerasSaveable as _Saveable
except ImportError:  # pragma: no cover - older Keras 3: the state is then not saved
    _Saveable = object

__all__ = ["GraphScale", "PlateauState", "effective_rate", "scale_rate", "unscale_rate"]

#: The optimizer attribute holding the plateau state (saved as optimizer/_lrdecay_plateau).
STATE_ATTR = "_lrdecay_plateau"


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


def graph_scale(optimizer: Any) -> GraphScale | None:
    """The in-graph scale of the optimizer's lrdecay schedule, or ``None``."""
    rate = getattr(innermost_optimizer(optimizer), "_learning_rate", None)
    scale = getattr(rate, "plateau", None)
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
        placeholder: ``True`` for the empty state a loading optimizer gets (see
            ``restore_on_load()``) until it reads saved fields; it saves nothing and
            ``state_of()`` does not report it.
    """

    _FIELDS = ("scale", "best", "wait", "cooldown_counter", "epoch", "base", "applied")

    def __init__(self, scale: float = 1.0, *, placeholder: bool = False) -> None:
        self.placeholder = placeholder
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
        """Write the fields into Keras's weights store (``None`` as NaN); a placeholder
        writes nothing."""
        if self.placeholder:
            return
        for name, value in self.fields().items():
            store[name] = np.asarray(np.nan if value is None else value, dtype="float64")

    def load_own_variables(self, store: Any) -> None:
        """Read the fields back; a file saved without them leaves the state as it is."""
        try:
            values = {name: float(np.asarray(store[name])) for name in self._FIELDS}
        except (KeyError, TypeError, ValueError):
            return
        self.placeholder = False
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
        graph = None if optimizer is None else graph_scale(optimizer)
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
    return state if isinstance(state, PlateauState) and not state.placeholder else None


def own_schedule(optimizer: Any, model: Any) -> None:
    """Give the optimizer its own copy of its in-graph lrdecay schedule.

    The scale is the optimizer's state, not the schedule object's: a schedule object
    compiled into another model later must not arrive reduced. The copy keeps the scale
    the schedule carries (one loaded from a ``.keras`` file after reductions); a step
    compiled with the former object is retraced.
    """
    inner = innermost_optimizer(optimizer)
    graph = graph_scale(inner)
    if graph is None or (graph._owner is not None and graph._owner() is inner):
        return
    schedule = inner._learning_rate
    copy = type(schedule).from_config(schedule.get_config())
    copy.plateau._owner = weakref.ref(inner)
    copy.plateau._traced = graph._traced
    for name in ("_warn_hook", "_words", "_plan_checked"):  # the plan check's (fit_check)
        if hasattr(schedule, name):
            setattr(copy, name, getattr(schedule, name))
    inner.learning_rate = copy
    if model is not None and getattr(model, "train_function", None) is not None:
        model.make_train_function(force=True)


def _new_state(optimizer: Any, placeholder: bool = False) -> PlateauState:
    """A new state; it takes the scale and bound an in-graph lrdecay schedule carries."""
    graph = graph_scale(optimizer)
    state = PlateauState(1.0 if graph is None else graph.values()[0], placeholder=placeholder)
    if graph is not None:
        state.min_lr = graph.values()[1]
    return state


def attach(optimizer: Any, model: Any = None) -> PlateauState:
    """The optimizer's plateau state, attached first if it has none.

    A new state takes the scale an in-graph lrdecay schedule already carries (one loaded
    from a ``.keras`` file after reductions).

    Args:
        optimizer: a Keras optimizer.
        model: the model training it (JAX: retraced after the scale changes).
    """
    own_schedule(optimizer, model)
    state = state_of(optimizer)
    if state is None:
        state = _new_state(optimizer)
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


# -- loading ------------------------------------------------------------------------------
# Keras's loading (``load_model()``, ``load_weights()``, ``BackupAndRestore``) builds the
# optimizer from its config, then visits the attributes of that new object: it reads
# ``optimizer/_lrdecay_plateau`` from the file only if the optimizer already has such an
# attribute. An optimizer loaded before any ``LRPlateau`` met it has none, so its own
# ``load_own_variables`` (which Keras calls just before visiting its attributes) is wrapped
# to give it an empty placeholder state; Keras then loads the saved fields into it, or, for
# a file saved without them, it stays an unreported placeholder that saves nothing.


def restore_on_load() -> None:
    """Have every Keras optimizer read a saved plateau state when it is loaded (once)."""
    try:
        from keras.src.optimizers.base_optimizer import BaseOptimizer
    except ImportError:  # pragma: no cover - another Keras 3 layout: nothing is restored
        return
    original = BaseOptimizer.load_own_variables
    if getattr(original, "_lrdecay_restores_plateau", False):
        return

    def load_own_variables(self: Any, store: Any) -> None:
        original(self, store)
        if not isinstance(getattr(self, STATE_ATTR, None), PlateauState):
            state = _new_state(self, placeholder=True)
            state._optimizer = weakref.ref(self)
            setattr(self, STATE_ATTR, state)

    load_own_variables._lrdecay_restores_plateau = True  # type: ignore[attr-defined]
    load_own_variables.__doc__ = original.__doc__
    BaseOptimizer.load_own_variables = load_own_variables


restore_on_load()
