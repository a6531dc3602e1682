"""The plan check run when ``fit()`` begins: ``check_schedule`` against the epochs and
steps of the running ``fit()`` (Keras's ``params``), warned once per ``fit()``.

Duck-typed: an in-graph schedule is anything with ``schedule``, ``steps_per_epoch``,
``check`` and ``_plan_checked`` (``KerasSchedule``); this module does not import it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from typing import Any, Optional

import keras

from .plan import Finding, describe_plan, plan_findings, warn_plan
from .schedules import Schedule
from .words import PYTHON

__all__ = ["check_in_fit", "check_keras_schedule", "check_lr_scheduler", "fit_callbacks"]

Hook = Optional[Callable[[str, list[str], str], object]]

_MAX_DEPTH = 200  # frames searched for the running fit()
_FIT_CODE: Any = None  # the code of Keras's Model.fit (of the backend in use)


def _plan(params: Any) -> tuple[int, int | None] | None:
    """``(epochs, steps)`` of a ``fit()`` from its ``params``, or ``None`` when they do
    not describe a run (no epochs, zero epochs)."""
    if not isinstance(params, dict):
        return None
    epochs, steps = params.get("epochs"), params.get("steps")
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        return None
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        steps = None
    return epochs, steps


def _findings(schedule: Schedule, epochs: int, steps: int | None, clock: str,
              words: Mapping[str, str], start: float = 0.0) -> list[Finding]:
    """``check_schedule``'s findings; none for a schedule that holds a user function
    (``FromFunction``: the check would call it for every update, side effects and all)."""
    if not schedule.graphable():  # a user function, however nested
        return []
    try:
        return plan_findings(schedule, epochs, steps, clock, words, start)
    except Exception:  # noqa: BLE001 - an advisory check never stops training
        return []


def check_lr_scheduler(schedule: Any, params: Any, hook: Hook = None,
                       words: Mapping[str, str] = PYTHON, initial_epoch: int = 0) -> None:
    """``LRScheduler``'s check of its own schedule (``t`` counts epochs), judged at the
    epochs the ``fit()`` runs: ``initial_epoch .. params["epochs"] - 1``.

    Args:
        schedule: the callback's schedule (user functions, and lrdecay schedules that
            hold one, are not checked).
        params: the callback's ``params`` (``epochs``, ``steps``).
        hook: see ``lrdecay.plan.warn_plan``.
        words: the callback's words (``lrdecay.words``).
        initial_epoch: the first epoch of the ``fit()`` (Keras's ``initial_epoch``).
    """
    plan = _plan(params)
    if not isinstance(schedule, Schedule) or plan is None or plan[0] <= initial_epoch:
        return
    last, steps = plan
    epochs = last - initial_epoch  # Keras's params["epochs"] is the last epoch, + 1
    warn_plan(_findings(schedule, epochs, steps, "epoch", words, initial_epoch),
              schedule=schedule, plan=describe_plan(epochs, steps, "epoch", start=initial_epoch),
              who=words["LRScheduler"], off=words["LRScheduler.check_off"], hook=hook,
              stacklevel=4)


def check_keras_schedule(ks: Any, params: Any, hook: Hook = None,
                         words: Mapping[str, str] | None = None, optimizer: Any = None,
                         initial_epoch: int | None = None) -> None:
    """Check an in-graph lrdecay schedule against one ``fit()``, once per ``fit()``,
    judged at the updates that ``fit()`` runs: from the optimizer's ``iterations`` on
    (divided by ``steps_per_epoch`` when ``t`` counts epochs), for
    ``params["epochs"] - initial_epoch`` epochs.

    The findings are reported through the schedule's own ``_warn_hook``, in its own
    words; else through ``hook``, in ``words``; else as a Python warning in the
    schedule's words.

    Args:
        ks: a ``KerasSchedule``.
        params: the ``params`` of the ``fit()``.
        hook: used when the schedule has no ``_warn_hook`` of its own.
        words: the words that go with ``hook`` (those of the callback that has it).
        optimizer: the optimizer that evaluates ``ks`` (its ``iterations`` give the first
            ``t``); ``None``: the running ``fit()``'s model's, or ``t`` from 0.
        initial_epoch: the ``fit()``'s ``initial_epoch``; ``None``: read from the running
            ``fit()``, or 0.
    """
    if not getattr(ks, "check", False) or getattr(ks, "_plan_checked", None) is params:
        return
    plan = _plan(params)
    if plan is None:
        return
    ks._plan_checked = params
    last, steps = plan
    fit = _fit_locals() if optimizer is None or initial_epoch is None else None
    if initial_epoch is None:
        initial_epoch = _whole((fit or {}).get("initial_epoch"))
    if optimizer is None:
        optimizer = getattr((fit or {}).get("self"), "optimizer", None)
    epochs = last - initial_epoch
    if epochs < 1:
        return
    start: float = _iterations(optimizer)
    clock = "step" if ks.steps_per_epoch is None else "epoch"
    if ks.steps_per_epoch is not None:
        start = start / ks.steps_per_epoch
    own = getattr(ks, "_words", None) or PYTHON
    if getattr(ks, "_warn_hook", None) is not None or hook is None:
        hook, words = getattr(ks, "_warn_hook", None), own
    words = words or PYTHON
    warn_plan(_findings(ks.schedule, epochs, steps, clock, words, start), schedule=ks.schedule,
              plan=describe_plan(epochs, steps, clock, ks.steps_per_epoch, start=start),
              who=words["KerasSchedule"], off=words["KerasSchedule.check_off"],
              hook=hook, stacklevel=4)


def _fit_locals() -> dict[str, Any] | None:
    """The local variables of the ``fit()`` running in this thread (Keras's
    ``Model.fit``, found on the call stack: ``self``, ``initial_epoch``, ``callbacks``),
    or ``None``."""
    global _FIT_CODE
    if _FIT_CODE is None:
        fit = keras.Model.fit
        _FIT_CODE = getattr(fit, "__wrapped__", fit).__code__  # Keras wraps it (tracebacks)
    code = _FIT_CODE
    frame = sys._getframe(1)
    depth = 0
    while frame is not None and depth < _MAX_DEPTH:
        if frame.f_code is code:
            return frame.f_locals
        frame = frame.f_back
        depth += 1
    return None


def _whole(value: Any) -> int:
    """A non-negative whole number Keras passed (``initial_epoch``), else 0."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        return 0
    return int(value)


def _iterations(optimizer: Any) -> int:
    """The optimizer's update count, read outside any traced function (0 when it cannot
    be read): the ``t`` of the next update of an in-graph schedule."""
    var = getattr(optimizer, "iterations", None)
    value = getattr(var, "_value", var)  # the stored value, not a traced read of it
    if value is None:
        return 0
    try:
        if keras.backend.backend() == "tensorflow":
            import tensorflow as tf

            with tf.init_scope():  # out of the train step being traced
                return max(int(value.numpy()), 0)
        return max(int(keras.ops.convert_to_numpy(value)), 0)
    except Exception:  # noqa: BLE001 - an advisory check never stops training
        return 0


def fit_callbacks() -> Any:
    """The ``CallbackList`` of the ``fit()`` running in this thread, or ``None``.

    Looks up the call stack for Keras's ``Model.fit`` and reads its local ``callbacks``,
    whose ``params`` hold ``epochs`` and ``steps``.
    """
    callbacks = (_fit_locals() or {}).get("callbacks")
    return callbacks if isinstance(getattr(callbacks, "params", None), dict) else None


def check_in_fit(ks: Any) -> None:
    """Called by ``KerasSchedule.__call__``: check against the running ``fit()``, if any,
    reporting through the hook of an lrdecay callback of that ``fit()`` (in its words)
    if one has it."""
    fit = _fit_locals()
    callbacks = (fit or {}).get("callbacks")
    if (not isinstance(getattr(callbacks, "params", None), dict)
            or callbacks.params is getattr(ks, "_plan_checked", None)):
        return
    reporter = next((cb for cb in getattr(callbacks, "callbacks", [])
                     if getattr(cb, "_warn_hook", None) is not None), None)
    check_keras_schedule(ks, callbacks.params, getattr(reporter, "_warn_hook", None),
                         getattr(reporter, "_words", None),
                         getattr(fit.get("self"), "optimizer", None),
                         _whole(fit.get("initial_epoch")))
