"""Checking a training plan: a schedule against the length of the training that runs it.

``check_schedule(schedule, epochs, steps_per_epoch=None, clock="epoch")`` looks for
the schedule mistakes users keep filing in every framework (a warmup whose first
update runs at rate 0, a step count used as epochs or the reverse, a schedule that
ends long before training does, or not at all) and returns them as findings.

The training runs ``T`` updates at clock values ``t = start..start+T-1``: ``T = epochs``
when the clock counts epochs, ``epochs * steps_per_epoch`` when it counts steps;
``start`` is 0 for a model trained from scratch, and for a training that continues one
its ``initial_epoch`` or its optimizer's iterations; ``end = start + T``. ``H`` is the
schedule's horizon, ``schedule.horizon()``: the first ``t`` from which it stays at its
final value (infinite for schedules that never settle). The rules, each raised only
when it holds:

- ``zero_start``: ``lr(start) == 0`` (the first update is wasted);
- ``unit_mismatch``: clock ``"epoch"`` and finite ``H > 20 * end`` (a step count used
  as epochs), or clock ``"step"`` with ``steps_per_epoch`` given and
  ``H <= end / steps_per_epoch`` (an epoch count used as steps);
- ``not_finished``: ``H`` finite and ``end < 0.9 * H`` (training stops before the
  schedule ends), or the last update comes before the end of the schedule's warmup
  (``Schedule.warmup_end()``: ``Warmup``, ``WSD``, ``InverseSqrt``, ``OneCycle``);
- ``ends_early``: ``H`` finite and more than half of the updates at ``t >= H`` (flat
  at the final value);
- ``jump``: two adjacent updates whose rates differ by more than 10x, the larger at
  least 1% of the peak (the largest rate of the updates), where the schedule breaks by
  more than 10x at one point (a ``Piecewise`` value, a ``Sequence`` junction, a drop by
  a factor below 0.1); a continuous curve (a warmup from a small start, a decay to its
  final value, 0 included) and a drop by a factor of 0.1 or more are no jump;
- ``flat``: a schedule that never settles (``H`` infinite) and is not constant, whose
  rate moves by less than 1% of its peak over ``t = 0..end-1`` (the whole training so
  far), its changes all coming later (a step-sized exponential, step or restarts
  schedule driven per epoch).

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
import textwrap
import threading
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from ._checks import check_choice, check_integer, check_number, fail
from .schedules import Schedule
from .words import PYTHON, current

__all__ = ["Finding", "Findings", "ScheduleWarning", "check_schedule", "plan_findings",
           "warn_plan", "CODES", "set_host_reporter", "host_reporter"]

#: The codes, in the order findings are reported.
CODES = ("zero_start", "unit_mismatch", "not_finished", "ends_early", "jump", "flat")

# Thresholds of the rules (check_schedule()'s documented codes).
_STEPS_AS_EPOCHS = 20.0  # unit_mismatch, clock "epoch": H > 20 * T
_NOT_FINISHED = 0.9  # T < 0.9 * H
_ENDS_EARLY = 0.5  # H < 0.5 * T
_JUMP_FACTOR = 10.0  # adjacent rates differ by more than 10x ...
_JUMP_FLOOR = 0.01  # ... the larger at least 1% of the peak
# More than 10x, with room for rounding: a drop by exactly 10x (0.1 * 0.1 * ...) is none.
_MORE_THAN_10X = _JUMP_FACTOR * (1.0 + 1e-9)
_BISECT = 40  # halvings of an update's span that tell a break from a continuous curve
_FLAT = 0.01  # flat: the rate moves by less than 1% of its peak

_CHUNK = 1 << 20  # updates evaluated at once (8 MB of float64)


@dataclass(frozen=True)
class Finding:
    """One problem found in a training plan.

    Attributes:
        code: one of ``zero_start``, ``unit_mismatch``, ``not_finished``,
            ``ends_early``, ``jump``, ``flat``.
        severity: ``"warning"`` (very likely a mistake) or ``"note"`` (wasteful, and
            sometimes meant: ``ends_early``).
        message: what is wrong, in the plan's own numbers.
    """

    code: str
    severity: str
    message: str

    def __str__(self) -> str:
        return f"{self.code} ({self.severity}): {self.message}"


class Findings(list[Finding]):
    """What ``check_schedule`` found: a list of ``Finding`` that prints as a report.

    It is a ``list`` (compare it with ``[]``, index it, iterate over it); printed, it reads
    as R's report: "No problem found in this training plan." or one line per finding.

    >>> from lrdecay import Cosine, check_schedule
    >>> check_schedule(Cosine(0.1, 15), epochs=15)
    No problem found in this training plan.
    """

    #: The width the report's lines are wrapped to (R's default ``getOption("width")``).
    width = 80

    def __str__(self) -> str:
        if not self:
            return "No problem found in this training plan."
        n = len(self)
        lines = [f"{n} finding{'' if n == 1 else 's'} in this training plan:"]
        for finding in self:
            lines.extend(textwrap.wrap(f"* {finding}", width=self.width, subsequent_indent="  ",
                                       break_long_words=False, break_on_hyphens=False))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)


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


def _values(schedule: Schedule, start: float, lo: int, hi: int) -> np.ndarray:
    """The rates of updates ``lo..hi-1`` of a training whose first update is at ``start``."""
    return np.asarray(schedule(start + np.arange(lo, hi, dtype=np.float64)), dtype=np.float64)


def _scan(schedule: Schedule, start: float,
          n: int) -> tuple[float, float, list[tuple[int, float, float]]]:
    """The peak and the lowest rate of updates ``t = start .. start+n-1``, and every
    adjacent pair that differs by more than ``_JUMP_FACTOR`` (before the peak rule is
    applied): ``(k, lr(start + k), lr(start + k + 1))``."""
    peak, low = 0.0, math.inf
    pairs: list[tuple[int, float, float]] = []
    prev: np.ndarray = np.empty(0)
    for lo in range(0, n, _CHUNK):
        vals = _values(schedule, start, lo, min(lo + _CHUNK, n))
        peak, low = max(peak, float(vals.max())), min(low, float(vals.min()))
        seq = np.concatenate([prev, vals])
        offset = lo - prev.size
        a, b = seq[:-1], seq[1:]
        hit = np.nonzero(np.maximum(a, b) > _MORE_THAN_10X * np.minimum(a, b))[0]
        pairs.extend((offset + int(i), float(a[i]), float(b[i])) for i in hit)
        prev = vals[-1:]
    return peak, low, pairs


def _breaks(schedule: Schedule, t: np.ndarray) -> np.ndarray:
    """For each pair of updates ``(t, t + 1)``: whether the schedule breaks between them,
    by more than ``_JUMP_FACTOR`` at one point (a ``Piecewise`` value, a ``Sequence``
    junction, a drop by a factor below 0.1), rather than a continuous curve (a warmup, a
    decay to its final value) that moves fast from one update to the next.

    Bisection: the half where the rate changes most, 40 times; a continuous curve changes
    next to nothing over what is left, a break keeps its whole size."""
    a, b = t.astype(np.float64), t.astype(np.float64) + 1.0
    fa, fb = np.asarray(schedule(a), np.float64), np.asarray(schedule(b), np.float64)
    whole = np.abs(fb - fa)
    for _ in range(_BISECT):
        m = 0.5 * (a + b)
        fm = np.asarray(schedule(m), np.float64)
        left = np.abs(fm - fa) >= np.abs(fb - fm)
        a, fa = np.where(left, a, m), np.where(left, fa, fm)
        b, fb = np.where(left, m, b), np.where(left, fm, fb)
    hi, lo = np.maximum(fa, fb), np.minimum(fa, fb)
    return (np.abs(fb - fa) > 0.5 * whole) & (hi > _MORE_THAN_10X * lo)


def _changes_later(schedule: Schedule, end: float, value: float) -> bool:
    """Whether the schedule moves away from ``value`` at some ``t >= end`` (probed on a
    grid up to its preview range and at multiples of ``end``)."""
    reach = max(float(schedule.default_horizon()), end) * 2.0
    probes = np.concatenate([np.linspace(end, reach, 257),
                             end * np.array([10.0, 100.0, 1e3, 1e4, 1e5, 1e6])])
    return bool(np.any(np.asarray(schedule(probes)) != value))


def check_schedule(schedule: Schedule, epochs: int, steps_per_epoch: int | None = None,
                   clock: str = "epoch", start: float = 0) -> Findings:
    """Check a training plan: ``schedule`` driving ``epochs`` epochs of training.

    Args:
        schedule: an lrdecay schedule; one sized to the run (``of_run()``, omitted
            lengths) is sized for this run first, as ``fit()`` sizes it.
        epochs: the number of epochs trained (a positive whole number).
        steps_per_epoch: updates per epoch, or ``None`` when unknown.
        clock: what the schedule's ``t`` counts: ``"epoch"`` (the epoch callback
            ``LRScheduler``, or ``to_keras(steps_per_epoch=...)``) or ``"step"``
            (``to_keras()``: ``t`` is the optimizer's update count).
        start: the clock value of the first update, ``>= 0``: 0 for a model trained
            from scratch; for a training that continues one, its ``initial_epoch``
            (clock ``"epoch"``) or its optimizer's ``iterations`` (clock ``"step"``).
            The updates judged are ``t = start .. start + T - 1``.

    Returns:
        A ``Findings`` list of ``Finding`` (``code``, ``severity``, ``message``), in the
        order of ``CODES``; empty for a sound plan. Printed, it reads as a report: "No
        problem found in this training plan." or one line per finding.

    Raises:
        TypeError, ValueError: for a bad argument, naming it.
    """
    return Findings(plan_findings(schedule, epochs, steps_per_epoch, clock, current(), start))


def plan_findings(schedule: Schedule, epochs: int, steps_per_epoch: int | None,
                  clock: str, words: Mapping[str, str], start: float = 0) -> list[Finding]:
    """``check_schedule``, its advice in the caller's ``words`` (``lrdecay.words``).

    Args:
        schedule, epochs, steps_per_epoch, clock, start: see ``check_schedule``.
        words: the words of the calls the advice shows.
    """
    if not isinstance(schedule, Schedule):
        fail("schedule", "an lrdecay schedule", schedule, TypeError)
    epochs = check_integer("epochs", epochs)
    if steps_per_epoch is not None:
        steps_per_epoch = check_integer("steps_per_epoch", steps_per_epoch)
    clock = check_choice("clock", clock, ("epoch", "step"))
    start = check_number("start", start, low=0.0)

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
    findings = Findings()

    def add(code: str, message: str, severity: str = "warning") -> None:
        findings.append(Finding(code, severity, message))

    # zero_start -------------------------------------------------------------
    if float(schedule(start)) == 0.0:
        if start == 0.0:
            add("zero_start",
                f"The schedule starts at learning rate 0, so the first update (t = 0, the "
                f"first {unit}) changes no weight. Start the warmup above 0 (e.g. `start_lr` "
                "of a warmup, `min_lr_ratio` of WSD).")
        else:
            add("zero_start",
                f"The first update of this training (t = {_g(start)}) runs at learning rate 0, "
                "so it changes no weight.")
    if total is None:
        return findings
    end = start + total  # the updates are t = start .. end - 1
    span = f"t = {_g(start)}..{_g(end - 1)}"
    # The value after the horizon (Piecewise still has its last-but-one value at H itself).
    final = float(schedule(horizon + 1.0)) if finite else math.nan

    # unit_mismatch -------------------------------------------------------------
    if clock == "epoch" and finite and horizon > _STEPS_AS_EPOCHS * end:
        add("unit_mismatch",
            f"The schedule is sized for {_plural(horizon, 'step')} (it settles at t = "
            f"{_g(horizon)}), but training runs {plan} and t counts epochs: {_g(horizon)} "
            f"looks like a number of steps given where epochs were meant (more than "
            f"{_g(_STEPS_AS_EPOCHS)} times the {_plural(end, 'epoch')}). Size the schedule "
            f"in epochs, or let t count steps ({words['in_graph']} without steps_per_epoch).")
    if clock == "step" and steps_per_epoch is not None and horizon <= end / steps_per_epoch:
        epochs_all = end / steps_per_epoch
        add("unit_mismatch",
            f"The schedule settles at t = {_g(horizon)}, but training runs {plan} and t "
            f"counts steps: {_g(horizon)} looks like a number of epochs given where steps "
            f"were meant (it is at most the {_plural(epochs_all, 'epoch')}), so the schedule "
            f"is over after {_plural(horizon, 'step')}. Size the schedule in steps (e.g. "
            f"{_g(horizon * steps_per_epoch)}), or let t count epochs "
            f"({words['in_graph_steps'].format(n=steps_per_epoch)}).")

    # not_finished ------------------------------------------------------------
    warmup = float(schedule.warmup_end())
    last = float(schedule(end - 1.0))
    if warmup > 0.0 and end - 1.0 < warmup:
        add("not_finished",
            f"Training runs {plan} ({span}) but the schedule's warmup only ends at t = "
            f"{_g(warmup)}: training stops inside the warmup, with the last update at "
            f"learning rate {_lr(last)}, not the peak {_lr(float(schedule(warmup)))}. "
            f"Shorten the warmup to a part of the {_plural(end, unit)}, or train longer.")
    elif finite and end < _NOT_FINISHED * horizon:
        add("not_finished",
            f"Training runs {plan} ({span}) but the schedule only settles at "
            f"t = {_g(horizon)}: training stops {_pct(end / horizon)}% of the way "
            f"through it, with the last update at learning rate {_lr(last)}, not the final "
            f"{_lr(final)}. Size the schedule to {_plural(end, unit)}, or train longer.")

    # ends_early --------------------------------------------------------------
    tail = end - max(horizon, start) if finite else 0.0
    if tail > _ENDS_EARLY * total:
        add("ends_early",
            f"The schedule reaches its final learning rate {_lr(final)} at t = {_g(horizon)}, "
            f"but training runs {plan} ({span}): the last {_plural(tail, unit)} "
            f"({_pct(tail / total)}% of training) all run at that rate. "
            f"Size the schedule to {_plural(end, unit)}, or train for fewer {unit}s.",
            severity="note")

    # jump --------------------------------------------------------------------
    peak, low, pairs = _scan(schedule, start, total)
    big = [(i, a, b) for i, a, b in pairs if max(a, b) >= _JUMP_FLOOR * peak]
    if big:
        sudden = _breaks(schedule, start + np.array([i for i, _, _ in big], dtype=np.float64))
        big = [pair for pair, hit in zip(big, sudden) if hit]
    if big:
        i, a, b = big[0]
        lo, hi = min(a, b), max(a, b)
        factor = "" if lo == 0.0 else f"a factor of {hi / lo:.3g}; "
        more = "" if len(big) == 1 else (
            f"; {len(big) - 1} more such jump{'s' if len(big) > 2 else ''} follow"
            f"{'' if len(big) > 2 else 's'}")
        add("jump",
            f"The learning rate jumps from {_lr(a)} to {_lr(b)} between {unit} "
            f"{_g(start + i)} and {unit} {_g(start + i + 1)} ({factor}the peak is "
            f"{_lr(peak)}{more}). A change of more than {_g(_JUMP_FACTOR)}x in one update "
            "is usually a mistake; spread it over several updates (a warmup, a decay).")

    # flat --------------------------------------------------------------------
    # Judged over the whole training so far (t = 0 .. end - 1: a continued training of a
    # slow schedule is not flat), for schedules that never settle (a finite one that
    # barely moves is not_finished); not for a rate that stays where it is for good.
    if not finite and total >= 2:
        if start > 0.0:
            top, low, _ = _scan(schedule, 0.0, int(math.ceil(end)))
        else:
            top = peak
        if top > 0.0 and top - low < _FLAT * top and _changes_later(schedule, end, last):
            add("flat",
                f"Over the {_plural(end, unit)} trained (t = 0..{_g(end - 1)}) the learning "
                f"rate only moves from {_lr(float(schedule(0.0)))} to {_lr(last)}, less "
                f"than {_pct(_FLAT)}% of its peak {_lr(top)}: the schedule's changes come "
                f"later. If its lengths are in steps while t counts {unit}s, size it in "
                f"{unit}s, or let t count steps ({words['in_graph']} without "
                "steps_per_epoch).")
    return findings


def describe_plan(epochs: int, steps_per_epoch: int | None, clock: str,
                  in_graph_steps: float | None = None, start: float = 0) -> str:
    """The training a check was run for, in words: "15 epochs; t counts epochs".

    Args:
        epochs: epochs trained.
        steps_per_epoch: updates per epoch, or ``None`` when unknown.
        clock: ``"epoch"`` or ``"step"``.
        in_graph_steps: the ``steps_per_epoch`` an in-graph schedule divides its
            iterations by, when it has one.
        start: the ``t`` of the first update (a training that continues a model).
    """
    run = _plural(epochs, "epoch")
    if steps_per_epoch is not None:
        run += f" of {_plural(steps_per_epoch, 'step')}"
    if start:
        run += f" from t = {_g(start)}"
    if clock == "step":
        return f"{run}; t counts optimizer steps"
    if in_graph_steps is not None:
        return f"{run}; t counts epochs (iterations / {_g(in_graph_steps)})"
    return f"{run}; t counts epochs"


Hook = Callable[[str, list[str], str], object]

#: How findings are reported for an object that has no reporter of its own (an in-graph
#: schedule loaded from a ``.keras`` file), when another language hosts this Python:
#: ``(hook, words)``, set by ``set_host_reporter()``; ``None``: Python warnings.
_HOST_REPORTER: tuple[Hook, Mapping[str, str]] | None = None


def set_host_reporter(hook: Hook | None, words: Mapping[str, str] | None = None) -> None:
    """Report the plan check's findings of objects that have no reporter of their own
    through ``hook`` (see ``warn_plan``), in ``words`` (``lrdecay.words``).

    The R package calls it when it loads this module in a process R runs (Rscript, an R
    console), so that an R user whose model was loaded by ``load_model()`` gets an R
    warning with R's advice; Python users never need it.

    Args:
        hook: a callable of (header, findings, hint), or ``None`` to go back to Python
            warnings.
        words: the host's words for the messages (``None``: Python's).
    """
    global _HOST_REPORTER
    if hook is not None and not callable(hook):
        fail("hook", "a function or None", hook, TypeError)
    _HOST_REPORTER = None if hook is None else (hook, {**PYTHON, **dict(words or {})})


def host_reporter() -> tuple[Hook, Mapping[str, str]] | None:
    """The ``(hook, words)`` that ``set_host_reporter()`` set, or ``None``."""
    return _HOST_REPORTER


def warn_plan(findings: list[Finding], *, schedule: Schedule, plan: str, who: str,
              off: str, hook: Callable[[str, list[str], str], object] | None = None,
              stacklevel: int = 2) -> None:
    """Report the findings of the check run when training begins.

    Without ``hook``: one ``warnings.warn(..., ScheduleWarning)``. With ``hook`` (the R
    package sets one, so that an R user gets an R warning): ``hook(header, findings,
    hint)``, the schedule shown as R writes it (``Schedule.r_call()``), called only from
    the main thread (R cannot be called from another); from another thread the Python
    warning is used.

    Args:
        findings: what ``check_schedule`` found (nothing is reported when empty).
        schedule: the schedule checked.
        plan: the training, from ``describe_plan``.
        who: what ran the check, in the words of its caller (``lrdecay.words``), e.g.
            "LRScheduler".
        off: how to turn the check off, in the same words.
        hook: a callable of (header, findings, hint), or ``None``.
        stacklevel: passed to ``warnings.warn``.
    """
    if not findings:
        return
    n = len(findings)
    problems = f"{n} problem{'s' if n > 1 else ''}"
    items = [str(f) for f in findings]
    hint = f"check_schedule() reports them; to turn this check off: {off}."
    if hook is not None and threading.current_thread() is threading.main_thread():
        hook(f"{who}: the learning-rate schedule has {problems} for this training ({plan}): "
             f"{schedule.r_call()}", items, hint)
        return
    text = "\n".join([
        f"{who}: the learning-rate schedule has {problems} for this training ({plan}): "
        f"{schedule!r}",
        *(f"* {item}" for item in items),
        hint,
    ])
    warnings.warn(text, ScheduleWarning, stacklevel=stacklevel + 1)
