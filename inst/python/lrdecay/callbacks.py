"""Keras callbacks that set, change and log the learning rate once per epoch or batch.

- ``LRScheduler(schedule, verbose=0)``: Keras's ``LearningRateScheduler`` for lrdecay
  schedules and user functions, with the returned value checked before it is applied.
- ``LRLogger(verbose=1, per="epoch")``: prints "Epoch 01: learning rate = 0.1" and
  records the learning rate of every epoch (``per="batch"``: of every update, computed
  when each epoch ends, and written into each batch's logs for a callback that reads
  them, such as TensorBoard), for a constant rate and for an in-graph schedule.
- ``LRCustom(on_epoch_begin=None, on_batch_begin=None)``: user hooks that get
  ``(epoch or batch, lr, logs)`` and return a new learning rate or ``None``.

Epochs and batches are 0-based, as in Keras: the first epoch of ``fit()`` is 0, or
``initial_epoch`` when training resumes. Every callback writes the learning rate of
each epoch's first update to ``logs["learning_rate"]``, so it appears in
``history.history["learning_rate"]`` (as Keras's ``LearningRateScheduler`` does).
Reading, checking and setting the learning rate is done by ``lrdecay.learning_rate``.

>>> import lrdecay
>>> cb = lrdecay.LRScheduler(lrdecay.Step(0.01, drop=0.5, every=10))
>>> # model.fit(x, y, epochs=20, callbacks=[cb, lrdecay.LRLogger()])
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from typing import Any

import keras
import numpy as np
from keras.src.utils.python_utils import is_default

from ._checks import check_bool, check_choice, check_verbose, fail, show_value
from .callback_base import LRCallback, PerUpdateValues, call_user, say
from .fit_check import check_lr_scheduler, fit_callbacks, size_for_fit
from .learning_rate import check_lr, innermost_optimizer, read_lr, require_settable, write_lr
from .rate_scale import scale_rate, unscale_rate
from .schedules import Schedule

__all__ = ["LRScheduler", "LRLogger", "LRCustom"]


def _arity(schedule: Any, arity: Any) -> int:
    """How many arguments ``schedule`` takes: 1 (epoch) or 2 (epoch, lr)."""
    if arity is not None and (isinstance(arity, bool) or arity not in (1, 2)):
        fail("arity", "1, 2 or None", arity)
    if isinstance(schedule, Schedule):
        if arity not in (None, 1):
            fail("arity", "1 (or None) for an lrdecay schedule, which takes the epoch only",
                 arity)
        return 1
    if not callable(schedule):
        raise TypeError("`schedule` must be an lrdecay schedule or a function of (epoch) or "
                        f"(epoch, lr), not {show_value(schedule)}.")
    if arity is not None:
        return int(arity)
    try:
        sig = inspect.signature(schedule)
    except (TypeError, ValueError):
        raise TypeError("Cannot read the arguments of `schedule`; pass arity=1 for "
                        "schedule(epoch) or arity=2 for schedule(epoch, lr).") from None
    kinds = inspect.Parameter
    params = list(sig.parameters.values())
    positional = [p for p in params
                  if p.kind in (kinds.POSITIONAL_ONLY, kinds.POSITIONAL_OR_KEYWORD)]
    required = [p for p in positional if p.default is kinds.empty]
    varargs = any(p.kind == kinds.VAR_POSITIONAL for p in params)
    kw_required = [p for p in params if p.kind == kinds.KEYWORD_ONLY and p.default is kinds.empty]
    if kw_required or len(required) > 2 or not (positional or varargs):
        raise TypeError("`schedule` must be a function of (epoch) or (epoch, lr), not a "
                        f"function of {sig}.")
    return 2 if (len(positional) >= 2 or varargs) else 1


def _takes(fn: Callable[..., Any], n: int) -> bool:
    """Whether ``fn`` can be called with ``n`` positional arguments (``True`` when its
    signature cannot be read, e.g. an R function: R checks those itself).

    Args:
        fn: a callable.
        n: the number of positional arguments it will get.
    """
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return True
    kinds = inspect.Parameter
    params = list(sig.parameters.values())
    positional = [p for p in params
                  if p.kind in (kinds.POSITIONAL_ONLY, kinds.POSITIONAL_OR_KEYWORD)]
    required = [p for p in positional if p.default is kinds.empty]
    kw_required = [p for p in params if p.kind == kinds.KEYWORD_ONLY and p.default is kinds.empty]
    varargs = any(p.kind == kinds.VAR_POSITIONAL for p in params)
    return not kw_required and len(required) <= n and (varargs or len(positional) >= n)


class LRScheduler(LRCallback):
    """Set the optimizer's learning rate at the beginning of every epoch.

    Mirrors ``keras.callbacks.LearningRateScheduler``: at each epoch begin the new
    rate is ``schedule(epoch)`` or ``schedule(epoch, lr)`` (``epoch`` 0-based, ``lr``
    the current rate as a float). The value is checked before the optimizer is
    touched: one non-negative finite number, else training stops with an error
    naming the epoch and the value, and the optimizer keeps its rate. The rate
    applied is recorded in ``history.history["learning_rate"]``. Beside ``LRPlateau``
    the rate set is the schedule's times the plateau's scale (``lrdecay.plateau``), and
    a function of ``(epoch, lr)`` gets the rate before that scale.

    Args:
        schedule: an lrdecay ``Schedule`` (called with the epoch), or a callable of
            ``(epoch)`` or ``(epoch, lr)``.
        verbose: 0 quiet, 1 prints Keras's message
            "Epoch 1: LearningRateScheduler setting learning rate to 0.01."
        arity: 1 or 2, the number of arguments ``schedule`` takes; ``None`` reads it
            from the signature (two positional parameters, or ``*args``: 2). Pass it
            for callables whose signature cannot be read (R functions).
        check: when ``schedule`` is an lrdecay schedule, run ``lrdecay.check_schedule``
            on it when training begins (epochs and steps from Keras's ``params``; ``t``
            counts epochs) and warn (``lrdecay.ScheduleWarning``) once per ``fit()`` if
            it does not fit the training; ``False`` turns it off.

    A schedule sized to the run (``Cosine(0.1)``, ``of_run()`` lengths) is sized for
    ``params["epochs"]`` when the first ``fit()`` begins (``initial_epoch`` leaves that
    run unchanged) and keeps those lengths for later ``fit()`` calls:
    ``sized_schedule`` holds it (``None`` before the first ``fit()``).

    Raises:
        TypeError: at ``on_train_begin`` when the optimizer's learning rate is an
            in-graph schedule (it cannot be set).

    Example:
        >>> cb = LRScheduler(lrdecay.Step(0.01, drop=0.5, every=10))  # doctest: +SKIP
        >>> model.fit(x, y, epochs=30, callbacks=[cb])  # doctest: +SKIP
    """

    def __init__(self, schedule: Schedule | Callable[..., Any], verbose: int = 0, *,
                 arity: int | None = None, check: bool = True) -> None:
        super().__init__()
        self.arity = _arity(schedule, arity)
        self.schedule = schedule
        self.verbose = check_verbose("verbose", verbose)
        self.check = check_bool("check", check)
        self.sized_schedule: Any = None  # the schedule as the first fit() sized it

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        require_settable(self._optimizer(), self._who, self._words)
        if self.sized_schedule is None:
            self.sized_schedule = size_for_fit(self.schedule, self.params, words=self._words)
        self._check_pending = self.check  # at the first epoch, which may be initial_epoch

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        if getattr(self, "_check_pending", False):
            self._check_pending = False
            check_lr_scheduler(self.sized_schedule, self.params, self._warn_hook, self._words,
                               int(epoch))
        super().on_epoch_begin(epoch, logs)
        optimizer = self._optimizer()
        epoch = int(epoch)
        args = (epoch, unscale_rate(optimizer, read_lr(optimizer))) if self.arity == 2 else (epoch,)
        schedule = self.schedule if self.sized_schedule is None else self.sized_schedule
        new = call_user(schedule, args, f"the schedule at epoch {epoch} (0-based)")
        lr = scale_rate(optimizer, check_lr(new, source="The schedule",
                                            at=f"epoch {epoch} (0-based)"))
        write_lr(optimizer, lr, self._who, self._words)
        if self.verbose > 0:
            say(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {lr}.")

    def _fields(self) -> dict[str, Any]:
        return {"schedule": self.schedule, "verbose": self.verbose}

    def __repr__(self) -> str:
        off = "" if self.check else ", check=False"
        return (f"LRScheduler({self.schedule!r}, verbose={self.verbose}, arity={self.arity}"
                f"{off})")


class LRLogger(LRCallback):
    """Print and record the learning rate of every epoch, or of every update.

    Prints "Epoch 01: learning rate = 0.1" (1-based epoch, two digits; the rate with
    6 significant digits, e.g. 3e-06) as each epoch starts, and records the rate in
    ``history.history["learning_rate"]`` (unless another callback, such as
    ``LRScheduler``, already did). Works for a constant rate and for an in-graph
    schedule, which is evaluated at the optimizer's iteration count. The rate is
    read just before the epoch's first update, after every callback's
    ``on_epoch_begin``, so the line shows the rate actually applied whatever the
    order of the callbacks.

    With ``per="batch"`` it records the rate of each update, and the value of every
    hyperparameter an ``HParamScheduler`` drives (``momentum``, ...). They follow from
    the schedule, the iteration count and the plateau's scale, so they are computed
    when each epoch ends, at once, with no work per batch. The one case read batch by
    batch is a constant rate beside a callback that may change it within the epoch
    (``LRCustom(on_batch_begin=...)``, or any callback with batch hooks that is not
    Keras's or lrdecay's). The values are also written into each batch's logs when a
    callback listed after the logger reads them (``TensorBoard(update_freq="batch")``
    shows them as ``batch_learning_rate``; list the logger before TensorBoard), or when
    ``batch_logs=True``.

    Attributes:
        records: one ``(epoch, batch, learning_rate)`` per update (``per="batch"``) or
            per epoch (``per="epoch"``: its first update, batch 0), epochs and batches
            0-based, for the last ``fit()``. ``records_table()`` adds the hyperparameters.

    Args:
        verbose: 1 prints the line, 0 only records.
        per: ``"epoch"`` or ``"batch"``: what ``records`` holds.
        batch_logs: with ``per="batch"``, whether each batch's logs get the values:
            ``None`` (when a callback after the logger reads batch logs: TensorBoard with
            ``update_freq`` other than ``"epoch"``, or any callback with a batch-end hook
            other than Keras's progress bar and history), ``True`` (always) or ``False``
            (never).
    """

    _overwrite = False

    def __init__(self, verbose: int = 1, per: str = "epoch",
                 batch_logs: bool | None = None) -> None:
        super().__init__()
        self.verbose = check_verbose("verbose", verbose)
        self.per = check_choice("per", per, ("epoch", "batch"))
        self.batch_logs = None if batch_logs is None else check_bool("batch_logs", batch_logs)
        self.records: list[tuple[int, int, float]] = []
        self._extra: dict[str, list[float]] = {}
        self._values: Any = None
        self._done = 0
        self._last_begin: int | None = None
        self._write_logs = False
        self._per_batch = False
        self._batch_hook(self.per == "batch" and bool(self.batch_logs))

    def _batch_hook(self, on: bool) -> None:
        """Give this instance a batch-end hook, or none (Keras then calls no Python of
        the logger after each batch, and may dispatch batch ends asynchronously)."""
        if on:
            self.on_train_batch_end = self._batch_end  # type: ignore[method-assign]
        else:
            self.__dict__.pop("on_train_batch_end", None)

    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        super().on_train_begin(logs)
        self.records, self._extra = [], {}
        self._values = None
        if self.per != "batch":
            self._batch_hook(False)
            return
        optimizer = self._optimizer()
        self._values = PerUpdateValues(optimizer)
        callbacks = fit_callbacks()
        listed = None if callbacks is None else list(getattr(callbacks, "callbacks", []))
        if self.batch_logs is None:
            self._write_logs = listed is None or _reads_batch_logs_after(self, listed)
        else:
            self._write_logs = self.batch_logs
        # A constant rate is read after each batch when something may change it per batch.
        constant = isinstance(innermost_optimizer(optimizer)._learning_rate, keras.Variable)
        self._per_batch = self._write_logs or (constant and (
            listed is None or any(_may_set_rate_per_batch(cb) for cb in listed if cb is not self)))
        self._batch_hook(self._per_batch)
        if self._per_batch and getattr(callbacks, "_async_train", False):
            callbacks._async_train = False  # JAX, PyTorch: read in step with the updates

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        super().on_epoch_begin(epoch, logs)
        self._last_begin = None
        if self._values is not None:
            self._values.epoch_begin((self.params or {}).get("steps"))
            self._done = 0

    def on_train_batch_begin(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        self._last_begin = batch
        super().on_train_batch_begin(batch, logs)

    def _batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        if self._values is None or int(batch) < self._done:
            return
        values = self._record(int(batch), None)  # one batch, or a steps_per_execution run
        if logs is not None and self._write_logs:
            logs.update({name: float(column[-1]) for name, column in values.items()})

    def _record(self, last: int, rate: float | None) -> dict[str, np.ndarray]:
        """Record the updates ``self._done..last`` of the epoch (0-based batches)."""
        values = self._values.at(self._done, last, constant=rate)
        n = last + 1 - self._done
        self.records.extend((self._epoch, self._done + j, float(lr))
                            for j, lr in enumerate(values["learning_rate"].tolist()))
        for name, column in values.items():
            if name != "learning_rate":
                self._extra.setdefault(name, [math.nan] * (len(self.records) - n)).extend(
                    column.tolist())
        self._done = last + 1
        return values

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        if self._values is not None and not self._per_batch and self._last_begin is not None:
            # The epoch's updates at once: batches 0 to the last run's end.
            spe = getattr(self.model, "steps_per_execution", 1) or 1
            last = int(self._last_begin) + int(spe) - 1
            if last >= self._done:
                self._record(last, self._epoch_lr)
        super().on_epoch_end(epoch, logs)

    def _first_step(self, epoch: int, lr: float) -> None:
        if self.per == "epoch":
            self.records.append((epoch, 0, float(lr)))
        if self.verbose > 0:
            say(f"Epoch {epoch + 1:02d}: learning rate = {lr:.6g}")

    def records_table(self) -> dict[str, list[Any]]:
        """The records as columns: ``epoch``, ``batch``, ``learning_rate`` and one column
        per hyperparameter an ``HParamScheduler`` drove (``per="batch"``)."""
        table: dict[str, list[Any]] = {
            "epoch": [r[0] for r in self.records], "batch": [r[1] for r in self.records],
            "learning_rate": [r[2] for r in self.records]}
        for name, column in self._extra.items():
            table[name] = column + [math.nan] * (len(self.records) - len(column))
        return table

    def _fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = {"verbose": self.verbose, "per": self.per}
        if self.batch_logs is not None:
            fields["batch_logs"] = self.batch_logs
        return fields

    def __repr__(self) -> str:
        logs = "" if self.batch_logs is None else f", batch_logs={self.batch_logs}"
        return f"LRLogger(verbose={self.verbose}, per={self.per!r}{logs})"


_BATCH_HOOKS = ("on_batch_begin", "on_train_batch_begin", "on_batch_end", "on_train_batch_end")


def _overrides(cb: Any, hooks: tuple[str, ...]) -> bool:
    """Whether ``cb`` has its own code for one of ``hooks`` (Keras's test, which its
    ``CallbackList`` uses too)."""
    return any(not is_default(getattr(cb, hook, None)) for hook in hooks
               if getattr(cb, hook, None) is not None)


def _is_keras_own(cb: Any) -> bool:
    """A callback of Keras itself (none sets the rate per batch), ``LambdaCallback``
    (the user's functions) excepted."""
    return (type(cb).__module__.startswith("keras.")
            and not isinstance(cb, keras.callbacks.LambdaCallback))


def _may_set_rate_per_batch(cb: Any) -> bool:
    """Whether ``cb`` may change a constant rate within an epoch: it has batch hooks
    and is neither Keras's nor lrdecay's (``LRCustom`` with a batch function is)."""
    if isinstance(cb, LRCustom):
        return cb.batch_fn is not None
    if isinstance(cb, LRCallback) or not _overrides(cb, _BATCH_HOOKS):
        return False
    return not _is_keras_own(cb)


def _reads_batch_logs_after(logger: Any, callbacks: list[Any]) -> bool:
    """Whether a callback listed after ``logger`` reads each batch's logs: TensorBoard
    unless it writes per epoch only, or any callback with a batch-end hook other than
    Keras's progress bar and history."""
    after = callbacks[callbacks.index(logger) + 1:] if logger in callbacks else callbacks
    for cb in after:
        if isinstance(cb, (keras.callbacks.ProgbarLogger, keras.callbacks.History)):
            continue
        if isinstance(cb, keras.callbacks.TensorBoard):
            if getattr(cb, "update_freq", "epoch") != "epoch":
                return True
            continue
        if _overrides(cb, ("on_batch_end", "on_train_batch_end")):
            return True
    return False


class LRCustom(LRCallback):
    """Change the learning rate with your own functions, per epoch and/or per batch.

    Each function is called as ``fn(index, lr, logs)``: ``index`` the 0-based epoch
    (``on_epoch_begin``) or batch within the epoch (``on_batch_begin``, run at each
    training batch), ``lr`` the current rate as a float, ``logs`` Keras's logs dict.
    It returns the new rate, or ``None`` to keep the current one. A returned value is
    checked like ``LRScheduler``'s (the error names the epoch or batch). The rate of
    each epoch's first update is recorded in ``history.history["learning_rate"]``.

    Args:
        on_epoch_begin: ``fn(epoch, lr, logs)`` or ``None``.
        on_batch_begin: ``fn(batch, lr, logs)`` or ``None``.
    """

    def __init__(self, on_epoch_begin: Callable[[int, float, dict], Any] | None = None,
                 on_batch_begin: Callable[[int, float, dict], Any] | None = None) -> None:
        super().__init__()
        for name, fn, index in (("on_epoch_begin", on_epoch_begin, "epoch"),
                                ("on_batch_begin", on_batch_begin, "batch")):
            if fn is not None and not callable(fn):
                raise TypeError(f"`{name}` must be a function of (index, lr, logs) or None, "
                                f"not {show_value(fn)}.")
            if fn is not None and not _takes(fn, 3):
                raise TypeError(f"`{name}` must be a function of ({index}, lr, logs), not a "
                                f"function of {inspect.signature(fn)}.")
        if on_epoch_begin is None and on_batch_begin is None:
            raise TypeError("Give `on_epoch_begin`, `on_batch_begin` or both: "
                            "functions of (index, lr, logs).")
        self.epoch_fn = on_epoch_begin
        self.batch_fn = on_batch_begin

    def _apply(self, fn: Callable[..., Any], index: int, logs: dict[str, Any] | None,
               source: str, at: str) -> None:
        optimizer = self._optimizer()
        current = read_lr(optimizer)
        new = call_user(fn, (int(index), current, logs if logs is not None else {}),
                         f"the {source[4:]} at {at}")
        if new is None:
            return
        lr = check_lr(new, source=source, at=at)
        var = optimizer.learning_rate
        if isinstance(var, keras.Variable) and float(np.asarray(lr, dtype=var.dtype)) == current:
            return  # unchanged as stored: skip the assignment, an eager op dearer than the rest
        write_lr(optimizer, lr, self._who, self._words)

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        super().on_epoch_begin(epoch, logs)
        if self.epoch_fn is not None:
            self._apply(self.epoch_fn, epoch, logs, "The `on_epoch_begin` function",
                        f"epoch {int(epoch)} (0-based)")

    def on_train_batch_begin(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        if self.batch_fn is not None:
            self._apply(self.batch_fn, batch, logs, "The `on_batch_begin` function",
                        f"batch {int(batch)} of epoch {self._epoch} (both 0-based)")
        super().on_train_batch_begin(batch, logs)

    def _fields(self) -> dict[str, Any]:
        return {"on_epoch_begin": self.epoch_fn, "on_batch_begin": self.batch_fn}

    def __repr__(self) -> str:
        return f"LRCustom(on_epoch_begin={self.epoch_fn!r}, on_batch_begin={self.batch_fn!r})"


# Public classes print, and R dispatches on them, under their public name.
for _cls in (LRScheduler, LRLogger, LRCustom):
    _cls.__module__ = "lrdecay"
