"""Checking a training plan: a schedule against the length of the training that runs it.

``check_schedule(schedule, epochs, steps_per_epoch=None, clock="epoch")`` looks for
the schedule mistakes users keep filing in every framework (a warmup whose first
update runs at rate 0, a step count used as epochs or the reverse, a schedule that
ends long before training does, or not at all) and returns them as findings.

The training runs ``T`` updates at clock values ``t = 0..T-1``: ``T = epochs`` when
the clock counts epochs, ``epochs * steps_per_epoch`` when it counts steps. ``H`` is
the schedule's horizon, ``schedule.horizon()``: the first ``t`` from which it stays at
its final value (infinite for schedules that never settle). The rules, each raised
only when it holds:

- ``zero_start``: ``lr(0) == 0`` (the first update is wasted);
- ``unit_mismatch``: clock ``"epoch"`` and finite ``H > 20 * T`` (a step count used as
  epochs), or clock ``"step"`` with ``steps_per_epoch`` given and ``H <= epochs`` (an
  epoch count used as steps);
- ``not_finished``: ``H`` finite and ``T < 0.9 * H`` (training stops before the
  schedule ends);
- ``ends_early``: ``H`` finite and ``H < 0.5 * T`` (flat at the final value for over
  half of training);
- ``jump``: two adjacent updates whose rates differ by more than 10x, the larger at
  least 1% of the peak (the largest rate of the updates).

With clock ``"step"`` and no ``steps_per_epoch`` the number of updates is unknown:
only ``zero_start`` is checked.

>>> from lrdecay import Cosine, Warmup, check_schedule
>>> [f.code for f in check_schedule(Cosine(0.1, 15), epochs=15)]
[]
>>> [f.code for f in check_schedule(Cosine(0.1, 1000), epochs=15)]
['unit_mismatch', 'not_finished']
"""

from __future__ import annotations

import math
import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ._checks import check_choice, check_integer, fail
from .schedules import Schedule

__all__ = ["Finding", "ScheduleWarning", "check_schedule", "warn_plan", "CODES"]

#: The codes, in the order findings are reported.
CODES = ("zero_start", "unit_mismatch", "not_finished", "ends_early", "jump")

# Thresholds of the rules (check_schedule()'s documented codes).
_STEPS_AS_EPOCHS = 20.0  # unit_mismatch, clock "epoch": H > 20 * T
_NOT_FINISHED = 0.9  # T < 0.9 * H
_ENDS_EARLY = 0.5  # H < 0.5 * T
_JUMP_FACTOR = 10.0  # adjacent rates differ by more than 10x ...
_JUMP_FLOOR = 0.01  # ... the larger at least 1% of the peak

_CHUNK = 1 << 20  # updates evaluated at once (8 MB of float64)


@dataclass(frozen=True)
class Finding:
    """One problem found in a training plan.

    Attributes:
        code: one of ``zero_start``, ``unit_mismatch``, ``not_finished``,
            ``ends_early``, ``jump``.
        severity: ``"warning"`` (very likely a mistake) or ``"note"`` (wasteful, and
            sometimes meant: ``ends_early``).
        message: what is wrong, in the plan's own numbers.
    """

    code: str
    severity: str
    message: str

    def __str__(self) -> str:
        return f"{self.code} ({self.severity}): {self.message}"


class ScheduleWarning(UserWarning):
    """Warned when training begins with a schedule that does not fit it.

    ``LRScheduler`` and in-graph schedules (``Schedule.to_keras()``) run
    ``check_schedule`` when ``fit()`` starts and warn once per ``fit()`` with this
    category, listing the findings; ``check=False`` turns the check off. Filter it like
    any warning: ``warnings.filterwarnings("ignore", category=lrdecay.ScheduleWarning)``.
    """


def _g(x: float) -> str:
    """A clock value or count as people write it: 1000, 2.5."""
    return f"{x:g}" if abs(x) < 1e15 else f"{x:.6g}"


def _lr(x: float) -> str:
    """A learning rate with 4 significant digits."""
    return f"{x:.4g}"


def _pct(x: float) -> str:
    """A fraction as a percentage with 3 significant digits: 1.5, 66.7."""
    return f"{100.0 * x:.3g}"


def _plural(n: float, unit: str) -> str:
    return f"{_g(n)} {unit}" + ("" if n == 1 else "s")


def _values(schedule: Schedule, start: int, stop: int) -> np.ndarray:
    return np.asarray(schedule(np.arange(start, stop, dtype=np.float64)), dtype=np.float64)


def _jumps(schedule: Schedule, n: int) -> tuple[float, list[tuple[int, float, float]]]:
    """The peak rate of updates ``t = 0..n-1`` and every adjacent pair that differs by
    more than ``_JUMP_FACTOR`` (before the peak rule is applied): ``(t, lr(t), lr(t+1))``."""
    peak = 0.0
    pairs: list[tuple[int, float, float]] = []
    prev: np.ndarray = np.empty(0)
    for start in range(0, n, _CHUNK):
        vals = _values(schedule, start, min(start + _CHUNK, n))
        peak = max(peak, float(vals.max()))
        seq = np.concatenate([prev, vals])
        offset = start - prev.size
        a, b = seq[:-1], seq[1:]
        hit = np.nonzero(np.maximum(a, b) > _JUMP_FACTOR * np.minimum(a, b))[0]
        pairs.extend((offset + int(i), float(a[i]), float(b[i])) for i in hit)
        prev = vals[-1:]
    return peak, pairs


def check_schedule(schedule: Schedule, epochs: int, steps_per_epoch: int | None = None,
                   clock: str = "epoch") -> list[Finding]:
    """Check a training plan: ``schedule`` driving ``epochs`` epochs of training.

    Args:
        schedule: an lrdecay schedule; one sized to the run (``of_run()``, omitted
            lengths) is sized for this run first, as ``fit()`` sizes it.
        epochs: the number of epochs trained (a positive whole number).
        steps_per_epoch: updates per epoch, or ``None`` when unknown.
        clock: what the schedule's ``t`` counts: ``"epoch"`` (the epoch callback
            ``LRScheduler``, or ``to_keras(steps_per_epoch=...)``) or ``"step"``
            (``to_keras()``: ``t`` is the optimizer's update count).

    Returns:
        A list of ``Finding`` (``code``, ``severity``, ``message``), in the order of
        ``CODES``; empty for a sound plan.

    Raises:
        TypeError, ValueError: for a bad argument, naming it.
    """
    if not isinstance(schedule, Schedule):
        fail("schedule", "an lrdecay schedule", schedule, TypeError)
    epochs = check_integer("epochs", epochs)
    if steps_per_epoch is not None:
        steps_per_epoch = check_integer("steps_per_epoch", steps_per_epoch)
    clock = check_choice("clock", clock, ("epoch", "step"))

    unit = clock
    if clock == "epoch":
        total: int | None = epochs
        plan = _plural(epochs, "epoch")
    elif steps_per_epoch is not None:
        total = epochs * steps_per_epoch
        plan = (f"{_plural(total, 'step')} ({_plural(epochs, 'epoch')} of "
                f"{_plural(steps_per_epoch, 'step')})")
    else:
        total = None
        plan = _plural(epochs, "epoch")
    if not schedule.is_sized():  # sized to the run: sized for this one, as fit() does
        if total is None:
            fail("steps_per_epoch", "given to check a schedule sized to the run with clock "
                 '"step" (the run is epochs x steps_per_epoch updates)', None, TypeError)
        schedule = schedule.sized(total)
    horizon = float(schedule.horizon())
    finite = math.isfinite(horizon)
    findings: list[Finding] = []

    def add(code: str, message: str, severity: str = "warning") -> None:
        findings.append(Finding(code, severity, message))

    # zero_start -------------------------------------------------------------
    if float(schedule(0.0)) == 0.0:
        add("zero_start",
            f"The schedule starts at learning rate 0, so the first update (t = 0, the first "
            f"{unit}) changes no weight. Start the warmup above 0 (e.g. `start_lr` of a "
            "warmup, `min_lr_ratio` of WSD).")
    if total is None:
        return findings
    # The value after the horizon (Piecewise still has its last-but-one value at H itself).
    final = float(schedule(horizon + 1.0)) if finite else math.nan

    # unit_mismatch -------------------------------------------------------------
    if clock == "epoch" and finite and horizon > _STEPS_AS_EPOCHS * total:
        add("unit_mismatch",
            f"The schedule is sized for {_plural(horizon, 'step')} (it settles at t = "
            f"{_g(horizon)}), but training runs {plan} and t counts epochs: {_g(horizon)} "
            f"looks like a number of steps given where epochs were meant (more than "
            f"{_g(_STEPS_AS_EPOCHS)} times the {_plural(total, 'epoch')}). Size the schedule "
            "in epochs, or let t count steps (as_keras_schedule() / to_keras() without "
            "steps_per_epoch).")
    if clock == "step" and steps_per_epoch is not None and horizon <= epochs:
        add("unit_mismatch",
            f"The schedule settles at t = {_g(horizon)}, but training runs {plan} and t "
            f"counts steps: {_g(horizon)} looks like a number of epochs given where steps "
            f"were meant (it is at most the {_plural(epochs, 'epoch')}), so the schedule is "
            f"over after {_plural(horizon, 'step')}. Size the schedule in steps (e.g. "
            f"{_g(horizon * steps_per_epoch)}), or let t count epochs "
            f"(as_keras_schedule(steps_per_epoch = {steps_per_epoch})).")

    # not_finished ------------------------------------------------------------
    if finite and total < _NOT_FINISHED * horizon:
        last = float(schedule(float(total - 1)))
        add("not_finished",
            f"Training runs {plan} (t = 0..{total - 1}) but the schedule only settles at "
            f"t = {_g(horizon)}: training stops {_pct(total / horizon)}% of the way "
            f"through it, with the last update at learning rate {_lr(last)}, not the final "
            f"{_lr(final)}. Size the schedule to {_plural(total, unit)}, or train longer.")

    # ends_early --------------------------------------------------------------
    if finite and horizon < _ENDS_EARLY * total:
        add("ends_early",
            f"The schedule reaches its final learning rate {_lr(final)} at t = {_g(horizon)}, "
            f"but training runs {plan}: the last {_plural(total - horizon, unit)} "
            f"({_pct((total - horizon) / total)}% of training) all run at that rate. "
            f"Size the schedule to {_plural(total, unit)}, or train for fewer {unit}s.",
            severity="note")

    # jump --------------------------------------------------------------------
    if total >= 2:
        peak, pairs = _jumps(schedule, total)
        big = [(i, a, b) for i, a, b in pairs if max(a, b) >= _JUMP_FLOOR * peak]
        if big:
            i, a, b = big[0]
            lo, hi = min(a, b), max(a, b)
            factor = "" if lo == 0.0 else f"a factor of {hi / lo:.3g}; "
            more = "" if len(big) == 1 else (
                f"; {len(big) - 1} more such jump{'s' if len(big) > 2 else ''} follow"
                f"{'' if len(big) > 2 else 's'}")
            add("jump",
                f"The learning rate jumps from {_lr(a)} to {_lr(b)} between {unit} {i} and "
                f"{unit} {i + 1} ({factor}the peak is {_lr(peak)}{more}). A change of more "
                f"than {_g(_JUMP_FACTOR)}x in one update is usually a mistake; spread it over "
                "several updates (a warmup, a decay).")
    return findings


def describe_plan(epochs: int, steps_per_epoch: int | None, clock: str,
                  in_graph_steps: float | None = None) -> str:
    """The training a check was run for, in words: "15 epochs; t counts epochs".

    Args:
        epochs: epochs trained.
        steps_per_epoch: updates per epoch, or ``None`` when unknown.
        clock: ``"epoch"`` or ``"step"``.
        in_graph_steps: the ``steps_per_epoch`` an in-graph schedule divides its
            iterations by, when it has one.
    """
    run = _plural(epochs, "epoch")
    if steps_per_epoch is not None:
        run += f" of {_plural(steps_per_epoch, 'step')}"
    if clock == "step":
        return f"{run}; t counts optimizer steps"
    if in_graph_steps is not None:
        return f"{run}; t counts epochs (iterations / {_g(in_graph_steps)})"
    return f"{run}; t counts epochs"


def warn_plan(findings: list[Finding], *, schedule: Schedule, plan: str, who: str,
              who_r: str, off: str, off_r: str,
              hook: Callable[[str, list[str], str], object] | None = None,
              stacklevel: int = 2) -> None:
    """Report the findings of the check run when training begins.

    Without ``hook``: one ``warnings.warn(..., ScheduleWarning)``. With ``hook`` (the R
    package sets one, so that an R user gets an R warning): ``hook(header, findings,
    hint)``, in R's words, called only from the main thread (R cannot be called from
    another); from another thread the Python warning is used.

    Args:
        findings: what ``check_schedule`` found (nothing is reported when empty).
        schedule: the schedule checked.
        plan: the training, from ``describe_plan``.
        who, who_r: what ran the check, in Python and in R ("LRScheduler",
            "callback_lr_scheduler()").
        off, off_r: how to turn the check off, in Python and in R.
        hook: a callable of (header, findings, hint), or ``None``.
        stacklevel: passed to ``warnings.warn``.
    """
    if not findings:
        return
    n = len(findings)
    problems = f"{n} problem{'s' if n > 1 else ''}"
    items = [str(f) for f in findings]
    if hook is not None and threading.current_thread() is threading.main_thread():
        header = (f"{who_r}: the learning-rate schedule has {problems} for this training "
                  f"({plan}): {schedule.r_call()}")
        hook(header, items, f"check_schedule() reports them; to turn this check off: {off_r}.")
        return
    text = "\n".join([
        f"{who}: the learning-rate schedule has {problems} for this training ({plan}): "
        f"{schedule!r}",
        *(f"* {item}" for item in items),
        f"check_schedule() reports them; to turn this check off: {off}.",
    ])
    warnings.warn(text, ScheduleWarning, stacklevel=stacklevel + 1)
