"""The plan check run when ``fit()`` begins: ``check_schedule`` against the epochs and
steps of the running ``fit()`` (Keras's ``params``), warned once per ``fit()``.

Sizing: a schedule sized to the run (``of_run()``, omitted lengths) is sized here, once,
when the first ``fit()`` that uses it begins (``size_for_fit``, ``size_keras_schedule``),
before its first update: the run is that ``fit()``'s epochs (``LRScheduler``, in-graph
clock ``"epoch"``) or epochs x steps (in-graph clock ``"step"``).

Duck-typed: an in-graph schedule is anything with ``schedule``, ``steps_per_epoch``,
``clock``, ``run``, ``check`` and ``_plan_checked`` (``KerasSchedule``); this module does
not import it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from typing import Any, Optional

import keras

from .plan import Finding, describe_plan, host_reporter, plan_findings, warn_plan
from .schedules import Schedule
from .words import PYTHON

__all__ = ["check_in_fit", "check_keras_schedule", "check_lr_scheduler", "fit_callbacks",
           "size_for_fit", "size_in_fit", "size_keras_schedule"]

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


def _unknown_steps(schedule: Schedule, epoch_clock: bool,
                   words: Mapping[str, str] = PYTHON) -> ValueError:
    """The error of a run whose number of steps Keras does not know."""
    what = ", ".join(schedule._unsized_lengths()) or "t counts fractional epochs"
    if epoch_clock and schedule.is_sized():
        return ValueError(
            "The number of steps per epoch of this fit() is unknown (data without a length, "
            "such as a generator, and no `steps_per_epoch`), and the in-graph schedule with "
            "clock \"epoch\" needs it to turn updates into epochs. Give `steps_per_epoch` to "
            f"fit(), or to {words['in_graph']}.")
    return ValueError(
        f"The number of steps of this fit() is unknown (data without a length, such as a "
        f"generator, and no `steps_per_epoch`), so the schedule sized to the run ({what}) "
        "cannot be sized. Give `steps_per_epoch` to fit(), or size the schedule yourself: "
        f"`{words['size_schedule']}`, total the run's number of updates.")


def size_for_fit(schedule: Any, params: Any, clock: str = "epoch",
                 words: Mapping[str, str] = PYTHON) -> Any:
    """``schedule`` sized for the run of a ``fit()``: ``schedule.sized(epochs)`` when its
    clock counts epochs (``LRScheduler``), ``sized(epochs * steps)`` when it counts
    updates (``HParamScheduler(per="batch")``); anything else (a sized schedule, a user
    function) unchanged.

    Args:
        schedule: the callback's schedule.
        params: the callback's ``params``.
        clock: ``"epoch"`` or ``"step"``.
        words: the caller's words, for the error's advice.

    Raises:
        ValueError: clock ``"step"`` and Keras does not know the number of steps.
    """
    if not isinstance(schedule, Schedule) or schedule.is_sized():
        return schedule
    plan = _plan(params)
    if plan is None:
        return schedule
    epochs, steps = plan
    if clock == "epoch":
        return schedule.sized(epochs)
    if steps is None:
        raise _unknown_steps(schedule, False, words)
    return schedule.sized(epochs * steps)


def size_keras_schedule(ks: Any, params: Any) -> None:
    """Size an in-graph schedule for the run of a ``fit()``, if it still needs it: its
    lengths sized to the run (the run: epochs x steps for clock ``"step"``, epochs for
    ``"epoch"``), and, for clock ``"epoch"`` without ``steps_per_epoch``, the steps per
    epoch. Done once: the sizes are kept (and saved with the schedule).

    Args:
        ks: a ``KerasSchedule``.
        params: the ``params`` of the ``fit()``.

    Raises:
        ValueError: when the run's number of steps is needed and Keras does not know it.
    """
    need_steps = ks.clock == "epoch" and ks.steps_per_epoch is None
    if ks.schedule.is_sized() and not need_steps:
        return
    plan = _plan(params)
    if plan is None:
        return
    epochs, steps = plan
    if steps is None and (need_steps or ks.clock == "step"):
        raise _unknown_steps(ks.schedule, ks.clock == "epoch",
                             getattr(ks, "_words", None) or PYTHON)
    if need_steps:
        ks.steps_per_epoch = float(steps)  # type: ignore[arg-type]
    if not ks.schedule.is_sized():
        total = epochs if ks.clock == "epoch" else epochs * steps  # type: ignore[operator]
        ks.schedule = ks.schedule.sized(total)
        ks.run = total


def size_in_fit(ks: Any) -> None:
    """Called by ``KerasSchedule.__call__`` when it is not sized yet: size it for the
    running ``fit()``, if any."""
    callbacks = fit_callbacks()
    if callbacks is not None:
        size_keras_schedule(ks, callbacks.params)


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
    words; else through ``hook``, in ``words``; else through the host's reporter
    (``lrdecay.plan.set_host_reporter``: R's, for a schedule loaded in R), in its
    words; else as a Python warning in the schedule's words.

    Args:
        ks: a ``KerasSchedule``.
        params: the ``params`` of the ``fit()``.
        hook: used when the schedule has no ``_warn_hook`` of its own.
        words: the words that go with ``hook`` (those of the callback that has it).
        optimizer: the optimizer that evaluates ``ks`` (its ``iterations`` give the first
            ``t``); ``None``: the running ``fit()``'s model's, or ``t`` from 0.
        initial_epoch: the ``fit()``'s first epoch; ``None``: read from the running
            ``fit()`` (its ``initial_epoch``, or the epoch ``BackupAndRestore`` resumes
            at), or 0.
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
        initial_epoch = _first_epoch(fit)
    if optimizer is None:
        optimizer = getattr((fit or {}).get("self"), "optimizer", None)
    epochs = last - initial_epoch
    if epochs < 1:
        return
    start: float = _iterations(optimizer)
    clock = ks.clock
    if ks.steps_per_epoch is not None:
        start = start / ks.steps_per_epoch
    own = getattr(ks, "_words", None) or PYTHON
    if getattr(ks, "_warn_hook", None) is not None or hook is None:
        hook, words = getattr(ks, "_warn_hook", None), own
    if hook is None and host_reporter() is not None:  # e.g. loaded from a file, in R
        hook, words = host_reporter()  # type: ignore[misc]
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


def _first_epoch(fit: dict[str, Any] | None) -> int:
    """The first epoch of the running ``fit()`` (from its local variables), as Keras
    computes it: the model's ``_initial_epoch`` (set by ``BackupAndRestore`` when it
    resumes a run) or else the ``initial_epoch`` argument; 0 outside ``fit()``."""
    if not fit:
        return 0
    return _whole(getattr(fit.get("self"), "_initial_epoch", None) or fit.get("initial_epoch"))


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
                         _first_epoch(fit))
