"""Cooldowns branched from any checkpoint: ``start_cooldown(model, length)``.

A long run at a constant rate (or a WSD schedule in its stable phase) can be finished at
any budget: load a checkpoint, turn the optimizer's rate into a ``Cooldown`` that starts at
the optimizer's current iteration, and ``fit()`` on. The model keeps its weights and its
optimizer's state (iterations, slots); only the rate changes.

>>> model = keras.models.load_model("run-3000.keras")  # doctest: +SKIP
>>> lrdecay.start_cooldown(model, length=500)  # doctest: +SKIP
>>> model.fit(x, y, epochs=5)  # doctest: +SKIP
"""

from __future__ import annotations

import weakref
from typing import Any

import keras
import numpy as np

from .keras_schedule import KerasSchedule
from .learning_rate import innermost_optimizer, optimizer_of
from .rate_scale import graph_scale, state_of, unscale_rate
from .schedules import Constant, Cooldown
from .words import current as current_words

__all__ = ["start_cooldown"]


def start_cooldown(model: Any, length: Any, shape: str = "1-sqrt", final_lr: float = 0) -> Any:
    """Turn the rate of a model's optimizer into a cooldown from its current iteration.

    A constant rate ``r`` becomes ``Cooldown(Constant(r), start=iterations, length)``;
    an in-graph lrdecay schedule ``s`` (``to_keras()``)
    becomes ``Cooldown(s, start, length)`` with the same clock (``start`` is the
    iterations, or the fractional epochs ``iterations / steps_per_epoch``), plan check
    and plateau scale. The next ``fit()`` decays from the current rate to ``final_lr``
    over ``length``, then holds ``final_lr``. Weights and the optimizer's variables are
    kept; the compiled training step is rebuilt. The model saves and loads with its
    cooldown (``.keras``).

    Args:
        model: a compiled Keras model (or its optimizer) whose rate is a number or an
            in-graph lrdecay schedule.
        length: the span of the cooldown in the clock's unit (updates; epochs for a
            schedule with ``steps_per_epoch``), ``> 0``.
        shape: ``"1-sqrt"`` (Hägele et al. 2024), ``"linear"`` or ``"cosine"``.
        final_lr: the rate at the end of the cooldown, ``>= 0``.

    Returns:
        The in-graph schedule (``KerasSchedule``) the optimizer now evaluates.

    Raises:
        TypeError: ``model`` is not a Keras model, or its rate is an in-graph schedule
            other than lrdecay's. ValueError: bad ``length``, ``shape`` or ``final_lr``;
            an uncompiled model.
    """
    optimizer = optimizer_of(model, current_words()["start_cooldown"])
    inner = innermost_optimizer(optimizer)
    iterations = int(keras.ops.convert_to_numpy(inner.iterations))
    current = inner._learning_rate
    if isinstance(current, KerasSchedule):
        spe = current.steps_per_epoch
        start = iterations if spe is None else iterations / spe
        cooldown = Cooldown(current.schedule, start, length, shape=shape, final_lr=final_lr)
        scale, min_lr = current.plateau.values()
        new = KerasSchedule(cooldown, spe, check=current.check, plateau_scale=scale,
                            plateau_min_lr=min_lr)
        new._warn_hook = current._warn_hook
    elif isinstance(current, keras.Variable):
        # The shortest decimal that is the same float32 (0.01, not 0.009999999776...):
        # in-graph it gives the variable's value exactly, and it prints as the user wrote it.
        rate = float(str(np.float32(keras.ops.convert_to_numpy(current))))
        state = state_of(optimizer)
        # A rate an LRPlateau reduced in place: the schedule gets the rate before the
        # reductions and the plateau's scale, so later reductions do not compound.
        base = unscale_rate(optimizer, rate)
        cooldown = Cooldown(Constant(base), iterations, length, shape=shape, final_lr=final_lr)
        scale = 1.0 if state is None else state.scale
        min_lr = 0.0 if state is None else state.min_lr
        new = KerasSchedule(cooldown, plateau_scale=scale, plateau_min_lr=min_lr)
    else:
        words = current_words()
        raise TypeError(f"{words['start_cooldown']}: the optimizer's learning rate must be a "
                        f"number or an in-graph lrdecay schedule ({words['in_graph']}), not "
                        f"{type(current).__name__}.")
    if state_of(optimizer) is not None:
        new.plateau._owner = weakref.ref(inner)
    # Keras replaces a variable rate by a schedule and stops tracking the variable; the
    # iterations and the slots stay the optimizer's, values and all.
    inner.learning_rate = new
    if state_of(optimizer) is not None and graph_scale(inner) is not None:
        state_of(optimizer).push()
    if isinstance(model, keras.Model) and getattr(model, "train_function", None) is not None:
        # The compiled step holds the former rate: the next fit() traces a new one.
        model.make_train_function(force=True)
    return new
