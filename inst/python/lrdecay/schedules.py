"""Learning-rate schedules: one class per family, one formula per class.

A schedule maps a clock value ``t >= 0`` (an epoch index, an optimizer
iteration, or a fractional epoch) to a learning rate. Each formula is written
once, in ``_compute(t, ops)``, against the small maths namespace of
``lrdecay._ops``: NumPy (float64) to preview and to drive epoch callbacks, and
``keras.ops`` (float32) inside the training graph (``to_keras()``).

>>> from lrdecay import Step
>>> Step(0.01, drop=0.5, every=10)([0, 9, 10, 25]).tolist()
[0.01, 0.01, 0.005, 0.0025]
"""

from __future__ import annotations

import inspect
import json
import math
from collections.abc import Callable
from collections.abc import Sequence as Seq
from typing import Any, ClassVar

import numpy as np

from ._checks import (
    OfRun,
    add_note,
    check_bool,
    check_choice,
    check_clock,
    check_integer,
    check_length,
    check_number,
    check_vector,
    fail,
    show_number,
    show_value,
)
from ._ops import NUMPY, NumpyOps
from .words import current

__all__ = [
    "Schedule",
    "Constant",
    "Step",
    "MultiStep",
    "Piecewise",
    "Exponential",
    "InverseTime",
    "Polynomial",
    "Cosine",
    "CosineRestarts",
    "Linear",
    "Cyclic",
    "OneCycle",
    "Warmup",
    "Sequence",
    "FromFunction",
    "WSD",
    "InverseSqrt",
    "Rex",
    "Cooldown",
    "OneCycleMomentum",
    "CyclicMomentum",
    "cycle_momentum",
    "from_config",
    "UnsizedScheduleError",
]


#: The default of ``Schedule.__call__``'s ``t``: no clock value was given.
_NO_T: Any = object()


def _length(name: str, value: Any, check: Callable[[Any], Any], *, run: bool = False,
            vector: bool = False) -> Any:
    """A length argument: ``check(value)`` for a number (or numbers), else the ``OfRun``
    or, where ``run``, ``None`` (the whole run) as given.

    Args:
        name: the argument's name.
        value: what the user passed.
        check: the family's check of a numeric value.
        run: whether ``None`` (omitted: the whole run) is accepted.
        vector: whether the argument is a vector (``milestones``, ``boundaries``).
    """
    value = check_length(name, value, run=run, vector=vector)
    if (value is None and run) or isinstance(value, OfRun):
        return value
    return check(value)


def _lr(name: str, value: Any, *, positive: bool = False) -> float:
    """A learning rate: finite, ``>= 0`` (``> 0`` when ``positive``)."""
    return check_number(name, value, low=0.0, low_open=positive)


class UnsizedScheduleError(ValueError):
    """A schedule whose lengths are sized to the run was evaluated before it was sized
    (the message says how to size it, in the caller's words)."""


UnsizedScheduleError.__module__ = "lrdecay"


class Schedule:
    """Base class of every lrdecay schedule.

    Subclasses set ``family`` and ``formula``, store their constructor's
    arguments under the same names, and implement ``_compute(t, ops)``.

    Lengths sized to the run: a family lists its clock-span arguments in ``LENGTHS``
    (each may be ``of_run(fraction)``; check them with ``_checks.check_length`` and
    the numeric checks only when they are numbers), and, in ``RUN_LENGTHS``, those that
    may be omitted (``None``: the whole run, or what is left of it inside ``Warmup`` or
    ``Sequence``). Nested schedules in the arguments are sized with their parent.
    ``sized(total)`` rebuilds the schedule through its constructor with those lengths
    filled in, so every check runs on the sized values; a family whose lengths depend
    on each other (``WSD``, ``Warmup``, ``Sequence``) overrides ``_size``.
    """

    family: ClassVar[str] = "schedule"
    formula: ClassVar[str] = ""
    #: The constructor arguments that are clock spans (lengths): each accepts ``of_run()``.
    LENGTHS: ClassVar[tuple[str, ...]] = ()
    #: Of ``LENGTHS``, those that may be omitted (``None``): the whole run.
    RUN_LENGTHS: ClassVar[tuple[str, ...]] = ()
    #: How printing shows an omitted length (default "the run").
    RUN_WORDS: ClassVar[dict[str, str]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # horizon() and default_horizon() of a schedule not yet sized: the clear error.
        for name in ("horizon", "default_horizon"):
            if name in cls.__dict__:
                setattr(cls, name, _needs_size(cls.__dict__[name]))

    # -- lengths sized to the run -------------------------------------------------------
    def _unsized_lengths(self) -> list[str]:
        """``name = the run`` / ``name = of_run(f)`` of each length not yet sized, nested
        schedules' included."""
        out = []
        for name in self.LENGTHS:
            value = getattr(self, name, 0.0)
            if value is None:
                out.append(f"{name} = {self.RUN_WORDS.get(name, 'the run')}")
            elif isinstance(value, OfRun):
                out.append(f"{name} = {value!r}")
        for child in self._children():
            out.extend(child._unsized_lengths())
        return out

    def _children(self) -> list[Schedule]:
        out: list[Schedule] = []
        for value in self._params().values():
            if isinstance(value, Schedule):
                out.append(value)
            elif isinstance(value, (list, tuple)):
                out.extend(v for v in value if isinstance(v, Schedule))
        return out

    def is_sized(self) -> bool:
        """Whether every length is known (no ``None`` run length, no ``of_run()``)."""
        return not self._unsized_lengths()

    def sized(self, total: Any) -> Schedule:
        """The schedule for a run of ``total`` clock units: its omitted lengths become
        the run (or what is left of it), each ``of_run(f)`` becomes ``f * total``,
        exactly. What ``fit()`` uses; a schedule with no run-sized length is returned
        as it is.

        Args:
            total: the run's length in the clock's unit (epochs for ``LRScheduler``,
                updates in-graph), a positive number.

        Returns:
            The sized schedule (a new object; ``self`` when already sized).

        >>> Cosine(0.1).sized(8)
        Cosine(initial_lr=0.1, decay_steps=8, alpha=0)
        """
        total = check_number("total", total, low=0.0, low_open=True)
        if self.is_sized():
            return self
        return self._size(total, total)

    def _resolve(self, name: str, value: Any, total: float, span: float) -> Any:
        """One length for a run of ``total`` of which ``span`` is left for this schedule."""
        if value is None and name in self.RUN_LENGTHS:
            return span
        if isinstance(value, OfRun):
            return value.of(total)
        return value

    def _size(self, total: float, span: float) -> Schedule:
        """This schedule sized for a run of ``total``, ``span`` of which is its own."""
        params = {}
        for name, value in self._params().items():
            if name in self.LENGTHS:
                value = self._resolve(name, value, total, span)
            elif isinstance(value, Schedule):
                value = value._size(total, span)
            elif isinstance(value, (list, tuple)) and any(isinstance(v, Schedule) for v in value):
                value = [v._size(total, span) if isinstance(v, Schedule) else v for v in value]
            params[name] = value
        return _rebuild(type(self), params, total)

    def _require_sized(self) -> None:
        """Raise ``UnsizedScheduleError`` when a length is still sized to the run."""
        unsized = self._unsized_lengths()
        if unsized:
            what = ", ".join(unsized)
            words = current()
            raise UnsizedScheduleError(
                f"This schedule is sized to the run ({what}): it has values once the "
                "run's length is known. fit() sizes it when training begins; to preview "
                "it, size it for a run of `total` epochs or steps with "
                f"`{words['size_schedule']}`, e.g. "
                f"`{words['size_schedule'].replace('total', '100')}`.")

    # -- evaluation ---------------------------------------------------------
    def __call__(self, t: Any = _NO_T) -> Any:
        """The learning rate at clock value(s) ``t`` (float64).

        Args:
            t: one number or an array of numbers, each finite and ``>= 0``.

        Returns:
            A float for a scalar ``t``, else a float64 array of ``t``'s shape.

        Raises:
            ValueError: if any ``t`` is negative, NaN or infinite.
            TypeError: without ``t``: Keras calls a callable ``learning_rate`` so, and
                the message says to pass ``schedule.to_keras()`` instead.
        """
        if t is _NO_T:
            raise TypeError(self._no_clock_message())
        arr = check_clock(t)
        self._require_sized()
        if arr.ndim == 0:
            # As a one-element array: NumPy's vector loops (SIMD) and its scalar maths may
            # round differently, and one t must get the value it gets inside a vector.
            return float(np.asarray(self._compute(arr.reshape(1), NUMPY),
                                    dtype=np.float64).reshape(-1)[0])
        out = np.asarray(self._compute(arr, NUMPY), dtype=np.float64)
        if out.shape == arr.shape and out.base is None and out is not arr:
            return out  # a fresh array the formula made: no copy needed
        # A constant or an input-aliasing result: a writable array the caller owns.
        return np.array(np.broadcast_to(out, arr.shape), dtype=np.float64, copy=True)

    def _compute(self, t: Any, ops: Any) -> Any:
        raise NotImplementedError  # every family overrides this

    #: How to use a schedule as a Keras learning rate, in the words of the language the
    #: schedule was made in: the R package sets its own on the schedules it makes.
    _keras_advice: ClassVar[str] = (
        "pass `schedule.to_keras()` as the optimizer's `learning_rate` instead, e.g. "
        "keras.optimizers.SGD(learning_rate=lrdecay.Cosine(0.1, 1000).to_keras())")

    def _no_clock_message(self) -> str:
        """The error of a call without ``t``, which is what Keras does with a schedule
        given as a learning rate (it calls a callable ``learning_rate`` with no argument)."""
        return ("An lrdecay schedule was called without `t`, as Keras calls a learning rate "
                "given as a function: an lrdecay schedule is not a Keras learning rate. To "
                f"run it in the optimizer, {self._keras_advice}.")

    # -- configuration ------------------------------------------------------
    def _params(self) -> dict[str, Any]:
        """The constructor's keyword arguments, as given (after checking)."""
        names = [p for p in inspect.signature(type(self).__init__).parameters if p != "self"]
        return {name: getattr(self, name) for name in names}

    def get_config(self) -> dict[str, Any]:
        """A JSON-able description: ``{"class_name": ..., "config": {kwargs}}``.

        Nested schedules (``Warmup``, ``Sequence``) hold their own configs, so
        ``lrdecay.from_config(s.get_config()) == s`` for every serializable family.
        """

        def ser(v: Any) -> Any:
            if isinstance(v, (Schedule, OfRun)):
                return v.get_config()
            if isinstance(v, (list, tuple)):
                return [ser(x) for x in v]
            return v

        return {"class_name": type(self).__name__,
                "config": {k: ser(v) for k, v in self._params().items()}}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Schedule:
        """Rebuild a schedule from ``get_config()`` output (see ``lrdecay.from_config``)."""
        sched = from_config(config)
        if not isinstance(sched, cls):
            fail("config", f"a config of {cls.__name__}", config.get("class_name"))
        return sched

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.get_config() == other.get_config()  # type: ignore[union-attr]

    def __hash__(self) -> int:
        return hash(repr(self.get_config()))

    # -- presentation -------------------------------------------------------
    def __repr__(self) -> str:
        def show(k: str, v: Any) -> str:
            return self._run_words(k) if v is None and k in self.RUN_LENGTHS else _fmt(v)

        args = ", ".join(f"{k}={show(k, v)}" for k, v in self._params().items())
        return f"{type(self).__name__}({args})"

    def _run_words(self, name: str) -> str:
        return self.RUN_WORDS.get(name, "the run")

    def describe(self) -> dict[str, Any]:
        """Family, parameters and formula, for printing (R's ``format()`` uses it).

        Returns:
            A dict with ``family``, ``class_name``, ``call`` (the Python constructor
            call, ``repr()``), ``r_call`` (the R constructor call, see ``r_call()``)
            and ``formula``.
        """
        return {"family": self.family, "class_name": type(self).__name__,
                "call": repr(self), "r_call": self.r_call(), "formula": self.formula}

    def r_call(self) -> str:
        """The schedule in R syntax, as its R constructor would be written.

        Every argument is named, in the constructor's order; arguments left at a
        ``None`` default are left out. ``TRUE``/``FALSE``, ``NULL``, vectors as
        ``c(...)``, strings in double quotes, nested schedules as R calls, lists of
        schedules as ``list(...)``, numbers in their shortest round-trip form.

        Returns:
            R source text, as below.

        >>> Step(0.01, 0.5, 10).r_call()
        'schedule_step(initial_lr = 0.01, drop = 0.5, every = 10)'
        """
        params = inspect.signature(type(self).__init__).parameters
        args = [f"{name} = {self._run_words(name)}" if value is None and name in self.RUN_LENGTHS
                else f"{name} = {_r_value(value)}" for name, value in self._params().items()
                if not (value is None and params[name].default is None
                        and name not in self.RUN_LENGTHS)]
        return f"schedule_{self.family}({', '.join(args)})"

    def plot(self, t: Any = None, ax: Any = None, **kwargs: Any) -> Any:
        """Draw lr against ``t`` with matplotlib (optional dependency).

        Args:
            t: clock values; default ``0..default_horizon()``.
            ax: a matplotlib Axes to draw on; a new figure's when ``None``.
            **kwargs: passed to ``ax.plot``.

        Returns:
            The Axes drawn on.
        """
        try:
            import matplotlib.pyplot as plt
        except ImportError as err:  # pragma: no cover - depends on the environment
            raise ImportError("Schedule.plot() needs matplotlib: pip install matplotlib") from err
        self._require_sized()
        if t is None:
            ts = np.arange(self.default_horizon() + 1, dtype=np.float64)
        else:
            ts = check_clock(t)
            if ts.size == 0:
                fail("t", "None or at least one clock value to draw", t)
        if ax is None:
            _, ax = plt.subplots()
        ax.plot(ts, self(ts), **kwargs)
        ax.set_xlabel("t")
        ax.set_ylabel("learning rate")
        ax.set_title(repr(self), fontsize=8)
        return ax

    def default_horizon(self) -> int:
        """A clock range that shows the schedule's shape (for plots and previews)."""
        return 100

    def horizon(self) -> float:
        """The first ``t`` from which the schedule stays at its final value.

        ``float("inf")`` for schedules that never settle (constant, step, exponential,
        inverse time, restarts, cyclic, inverse square root, a user function):
        ``lrdecay.check_schedule`` compares it with the length of training.
        """
        return math.inf

    def graphable(self) -> bool:
        """Whether the schedule can run inside the training graph and be saved: ``False``
        when it holds a user function (``FromFunction``, at any depth), whose config
        cannot be written."""
        try:
            self.get_config()
        except TypeError:
            return False
        return True

    def warmup_end(self) -> float:
        """The ``t`` at which the schedule's warmup ends, ``0.0`` when it has none.

        A warmup is the rising start of ``Warmup``, ``WSD``, ``InverseSqrt`` and
        ``OneCycle`` (and of a ``Sequence`` that starts with one): a training that stops
        before it, ``lrdecay.check_schedule`` reports as ``not_finished``.
        """
        return 0.0

    # -- Keras --------------------------------------------------------------
    def to_keras(self, steps_per_epoch: Any = None, clock: Any = "step",
                 check: Any = True) -> Any:
        """This schedule as a ``keras.optimizers.schedules.LearningRateSchedule``.

        The optimizer then evaluates it in-graph, in float32, at every update: clock
        ``"step"``: ``t = optimizer.iterations``; clock ``"epoch"``: ``t = iterations /
        steps_per_epoch`` (fractional epochs), ``steps_per_epoch`` read from the ``fit()``
        when not given. A schedule sized to the run is sized when the first ``fit()``
        that uses it begins (the run: epochs x steps per epoch for clock ``"step"``,
        epochs for ``"epoch"``), and keeps those lengths.

        Args:
            steps_per_epoch: ``None``, or the number of updates per epoch, a positive
                number (given alone, it means clock ``"epoch"``).
            clock: ``"step"`` or ``"epoch"``: what ``t`` counts.
            check: run ``lrdecay.check_schedule`` when ``fit()`` begins and warn
                (``lrdecay.ScheduleWarning``) once per ``fit()`` when the schedule does
                not fit the training; ``False`` turns it off (see ``lrdecay.fit_check``).

        Raises:
            ImportError: Keras (or its backend) is not installed; the message says what
                to install.
        """
        from . import _import_keras_backed

        module = _import_keras_backed(".keras_schedule", f"{type(self).__name__}.to_keras()")
        return module.KerasSchedule(self, steps_per_epoch=steps_per_epoch, clock=clock,
                                    check=check)


def _needs_size(method: Callable[..., Any]) -> Callable[..., Any]:
    """``method`` preceded by the check that the schedule is sized (``horizon()``,
    ``default_horizon()``: they read the lengths)."""
    def sized_method(self: Schedule) -> Any:
        self._require_sized()
        return method(self)

    sized_method.__name__ = method.__name__
    sized_method.__doc__ = method.__doc__
    return sized_method


def _rebuild(cls: type[Schedule], params: dict[str, Any], total: float) -> Schedule:
    """``cls(**params)``: the sized schedule, checked by its constructor; an error names
    the run it was sized for."""
    try:
        return cls(**params)
    except (TypeError, ValueError) as err:
        add_note(err, f"(sizing {cls.__name__} for a run of {show_number(total)})")
        raise


def _r_value(v: Any) -> str:
    """A parameter value in R syntax (see ``Schedule.r_call``).

    Args:
        v: a parameter value as a schedule stores it.

    Returns:
        R source text for the value.
    """
    if isinstance(v, (Schedule, OfRun)):
        return v.r_call()
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if v is None:
        return "NULL"
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return show_number(v)
    if isinstance(v, (list, tuple)):
        if v and all(isinstance(x, Schedule) for x in v):
            return "list(" + ", ".join(x.r_call() for x in v) + ")"
        if not v:
            return "numeric(0)"
        return "c(" + ", ".join(_r_value(x) for x in v) + ")"
    return repr(v)


def _fmt(v: Any) -> str:
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float):
        # Shortest round-tripping form, without a trailing ".0" (10, 0.5, 1e-05), so
        # ``eval(repr(s))`` rebuilds ``s`` exactly.
        return show_number(v)
    if isinstance(v, list):
        return "[" + ", ".join(_fmt(x) for x in v) + "]"
    if isinstance(v, tuple):
        return _fmt(list(v))
    return repr(v)


# ---------------------------------------------------------------------------
# Families
# ---------------------------------------------------------------------------


class Constant(Schedule):
    """A constant learning rate: ``lr(t) = lr``.

    Args:
        lr: the learning rate, ``>= 0``.
    """

    family = "constant"
    formula = "lr(t) = lr"

    def __init__(self, lr: float) -> None:
        self.lr = _lr("lr", lr)

    def _compute(self, t: Any, ops: Any) -> Any:
        return t * 0.0 + self.lr


class Step(Schedule):
    """Step decay: ``initial_lr * drop ** floor(t / every)``.

    Args:
        initial_lr: the learning rate at ``t = 0``, ``> 0``.
        drop: the factor applied at each drop, in ``(0, 1]``.
        every: the clock span between drops, ``> 0``.

    >>> Step(0.01, 0.5, 10)([0, 10]).tolist()
    [0.01, 0.005]
    """

    family = "step"
    LENGTHS = ("every",)
    formula = "lr(t) = initial_lr * drop^floor(t / every)"

    def __init__(self, initial_lr: float, drop: float = 0.5, every: float = 10) -> None:
        self.initial_lr = _lr("initial_lr", initial_lr, positive=True)
        self.drop = check_number("drop", drop, low=0.0, high=1.0, low_open=True)
        self.every = _length("every", every,
                             lambda v: check_number("every", v, low=0.0, low_open=True))

    def _compute(self, t: Any, ops: Any) -> Any:
        return self.initial_lr * ops.power(self.drop, ops.floor(t / self.every))

    def default_horizon(self) -> int:
        return max(int(math.ceil(self.every * 5)), 10)


class MultiStep(Schedule):
    """Drops by ``gamma`` at each milestone: ``initial_lr * gamma ** (#milestones <= t)``.

    Args:
        initial_lr: the learning rate at ``t = 0``, ``> 0``.
        milestones: the clock values at which the rate drops, strictly increasing, ``>= 0``.
        gamma: the factor applied at each milestone, in ``(0, 1]``.
    """

    family = "multistep"
    LENGTHS = ("milestones",)
    formula = "lr(t) = initial_lr * gamma^(number of milestones <= t)"

    def __init__(self, initial_lr: float, milestones: Seq[float], gamma: float = 0.1) -> None:
        self.initial_lr = _lr("initial_lr", initial_lr, positive=True)
        self.milestones = _length(
            "milestones", milestones, lambda v: check_vector(
                "milestones", v, low=0.0, increasing=True, must="non-negative numbers"),
            vector=True)
        self.gamma = check_number("gamma", gamma, low=0.0, high=1.0, low_open=True)

    def _compute(self, t: Any, ops: Any) -> Any:
        return self.initial_lr * ops.power(self.gamma, ops.count(self.milestones, t))

    def default_horizon(self) -> int:
        return int(math.ceil(self.milestones[-1] * 1.25)) + 1

    def horizon(self) -> float:
        return self.milestones[-1]


class Piecewise(Schedule):
    """Keras's PiecewiseConstantDecay: ``values[0]`` while ``t <= boundaries[0]``, ...,
    ``values[i]`` while ``boundaries[i-1] < t <= boundaries[i]``, the last value after.

    Args:
        boundaries: the clock values where the rate changes, strictly increasing, ``>= 0``.
        values: the rates, ``>= 0``, one more than ``boundaries``.
    """

    family = "piecewise"
    LENGTHS = ("boundaries",)
    formula = "lr(t) = values[i] for boundaries[i-1] < t <= boundaries[i]"

    def __init__(self, boundaries: Seq[float], values: Seq[float]) -> None:
        self.boundaries = _length(
            "boundaries", boundaries, lambda v: check_vector(
                "boundaries", v, low=0.0, increasing=True, must="non-negative numbers"),
            vector=True)
        self.values = check_vector("values", values, low=0.0, must="non-negative numbers")
        n = len(self.boundaries.fraction if isinstance(self.boundaries, OfRun)
                else self.boundaries)
        if len(self.values) != n + 1:
            fail("values", f"a vector of length {n + 1} "
                 "(one more than `boundaries`)", values)

    def _compute(self, t: Any, ops: Any) -> Any:
        return ops.take(self.values, ops.count(self.boundaries, t, strict=True))

    def default_horizon(self) -> int:
        return int(math.ceil(self.boundaries[-1] * 1.25)) + 1

    def horizon(self) -> float:
        return self.boundaries[-1]


class Exponential(Schedule):
    """Exponential decay, as Keras's ExponentialDecay (same positional order).

    ``initial_lr * decay_rate ** p`` or, with ``k``, ``initial_lr * exp(-k * p)``,
    where ``p = t / decay_steps`` (floored when ``staircase``). Give exactly one
    of ``decay_rate`` and ``k``.

    Args:
        initial_lr: the learning rate at ``t = 0``, ``> 0``.
        decay_steps: the clock span of one decay period, ``> 0``.
        decay_rate: the factor per period, in ``(0, 1]``.
        staircase: decay in whole periods (``p`` floored).
        k: the continuous decay constant, ``>= 0`` (instead of ``decay_rate``).

    >>> round(Exponential(0.1, 1000, 0.96, staircase=True)(28125), 13)  # Keras's order
    0.0318855949686
    """

    family = "exponential"
    LENGTHS = ("decay_steps",)

    def __init__(self, initial_lr: float, decay_steps: float = 1,
                 decay_rate: float | None = None, staircase: bool = False,
                 k: float | None = None) -> None:
        self.initial_lr = _lr("initial_lr", initial_lr, positive=True)
        self.decay_steps = _length("decay_steps", decay_steps, _positive("decay_steps"))
        if (decay_rate is None) == (k is None):
            raise TypeError("Exactly one of `decay_rate` and `k` must be given, not "
                            f"{'both' if decay_rate is not None else 'neither'}.")
        self.decay_rate = None if decay_rate is None else check_number(
            "decay_rate", decay_rate, low=0.0, high=1.0, low_open=True)
        self.staircase = check_bool("staircase", staircase)
        self.k = None if k is None else check_number("k", k, low=0.0)

    @property
    def formula(self) -> str:  # type: ignore[override]
        p = "floor(t / decay_steps)" if self.staircase else "t / decay_steps"
        if self.k is not None:
            return f"lr(t) = initial_lr * exp(-k * {p})"
        return f"lr(t) = initial_lr * decay_rate^({p})"

    def _compute(self, t: Any, ops: Any) -> Any:
        p = t / self.decay_steps
        if self.staircase:
            p = ops.floor(p)
        if self.k is not None:
            return self.initial_lr * ops.exp(-self.k * p)
        return self.initial_lr * ops.power(self.decay_rate, p)

    def default_horizon(self) -> int:
        """Five decay periods (at least 10): the curve's shape, whatever ``decay_steps``."""
        return _periods_horizon(self.decay_steps)


class InverseTime(Schedule):
    """Inverse time decay, as Keras's InverseTimeDecay (same positional order):
    ``initial_lr / (1 + decay_rate * p)``, ``p = t / decay_steps`` (floored when
    ``staircase``).

    Args:
        initial_lr: the learning rate at ``t = 0``, ``> 0``.
        decay_steps: the clock span of one decay period, ``> 0``; 1 by default (as
            ``Exponential``'s), so that ``InverseTime(0.1, decay_rate=0.5)`` is
            ``0.1 / (1 + 0.5 t)``.
        decay_rate: how fast the rate falls, ``>= 0`` (required).
        staircase: decay in whole periods (``p`` floored).

    >>> InverseTime(1.0, 2, 1.0)([0, 2, 6]).tolist()
    [1.0, 0.5, 0.25]
    >>> InverseTime(0.1, decay_rate=0.5)([0, 2]).tolist()
    [0.1, 0.05]
    """

    family = "inverse_time"
    LENGTHS = ("decay_steps",)

    def __init__(self, initial_lr: float, decay_steps: float = 1,
                 decay_rate: float | None = None, staircase: bool = False) -> None:
        self.initial_lr = _lr("initial_lr", initial_lr, positive=True)
        self.decay_steps = _length("decay_steps", decay_steps, _positive("decay_steps"))
        self.decay_rate = check_number("decay_rate", decay_rate, low=0.0)
        self.staircase = check_bool("staircase", staircase)

    @property
    def formula(self) -> str:  # type: ignore[override]
        p = "floor(t / decay_steps)" if self.staircase else "t / decay_steps"
        return f"lr(t) = initial_lr / (1 + decay_rate * {p})"

    def _compute(self, t: Any, ops: Any) -> Any:
        p = t / self.decay_steps
        if self.staircase:
            p = ops.floor(p)
        return self.initial_lr / (1.0 + self.decay_rate * p)

    def default_horizon(self) -> int:
        """Five decay periods (at least 10): the curve's shape, whatever ``decay_steps``."""
        return _periods_horizon(self.decay_steps)


def _positive(name: str) -> Callable[[Any], float]:
    """The check of a positive length named ``name``."""
    return lambda v: check_number(name, v, low=0.0, low_open=True)


def _periods_horizon(decay_steps: float, periods: int = 5) -> int:
    """``ceil(periods * decay_steps)``, at least 10: a preview range for decays per period.

    Args:
        decay_steps: the clock span of one decay period.
        periods: how many periods to show.
    """
    return max(int(math.ceil(periods * decay_steps)), 10)


class Polynomial(Schedule):
    """Polynomial decay, as Keras's PolynomialDecay (``cycle`` included).

    Args:
        initial_lr: the learning rate at ``t = 0``, ``> 0``.
        decay_steps: the clock span of the decay, ``> 0``.
        end_lr: the learning rate at the end of the decay, ``>= 0``; 1e-4 by default, as
            Keras's ``end_learning_rate``.
        power: the exponent of the polynomial, ``> 0`` (1: linear).
        cycle: restart the decay every ``decay_steps`` (with a longer span each time, as Keras)
            instead of holding ``end_lr``.
    """

    family = "polynomial"
    LENGTHS = ("decay_steps",)
    RUN_LENGTHS = ("decay_steps",)

    def __init__(self, initial_lr: float, decay_steps: Any = None, end_lr: float = 1e-4,
                 power: float = 1, cycle: bool = False) -> None:
        self.initial_lr = _lr("initial_lr", initial_lr, positive=True)
        self.decay_steps = _length("decay_steps", decay_steps, _positive("decay_steps"),
                                   run=True)
        self.end_lr = _lr("end_lr", end_lr)
        self.power = check_number("power", power, low=0.0, low_open=True)
        self.cycle = check_bool("cycle", cycle)

    @property
    def formula(self) -> str:  # type: ignore[override]
        if self.cycle:
            return ("lr(t) = (initial_lr - end_lr) * (1 - t / D)^power + end_lr, "
                    "D = decay_steps * max(1, ceil(t / decay_steps))")
        return ("lr(t) = (initial_lr - end_lr) * (1 - min(t, decay_steps) / decay_steps)^power"
                " + end_lr")

    def _compute(self, t: Any, ops: Any) -> Any:
        if self.cycle:
            # max(., 1), not where(t == 0, 1, .): a tiny t > 0 whose t / decay_steps
            # underflows to 0 would otherwise divide by zero (lr = inf).
            mult = ops.maximum(ops.ceil(t / self.decay_steps), 1.0)
            steps = self.decay_steps * mult
            # min(., 1): when t / decay_steps rounds just below a whole number, steps rounds
            # just below t and 1 - p would be -2e-16 (a negative, or NaN, learning rate).
            p = ops.minimum(t / steps, 1.0)
        else:
            p = ops.minimum(t, self.decay_steps) / self.decay_steps
        return (self.initial_lr - self.end_lr) * ops.power(1.0 - p, self.power) + self.end_lr

    def default_horizon(self) -> int:
        return int(math.ceil(self.decay_steps * 1.2))

    def horizon(self) -> float:
        return math.inf if self.cycle else self.decay_steps


class Cosine(Schedule):
    """Cosine decay, as Keras's CosineDecay (no warmup; see ``Warmup``).

    Args:
        initial_lr: the learning rate at ``t = 0``, ``> 0``.
        decay_steps: the clock span of the decay, ``> 0``.
        alpha: the final learning rate as a fraction of ``initial_lr``, in ``[0, 1]``.
    """

    family = "cosine"
    LENGTHS = ("decay_steps",)
    RUN_LENGTHS = ("decay_steps",)
    formula = ("lr(t) = initial_lr * ((1 - alpha) * 0.5 * (1 + cos(pi * min(t, decay_steps) / "
               "decay_steps)) + alpha)")

    def __init__(self, initial_lr: float, decay_steps: Any = None, alpha: float = 0) -> None:
        self.initial_lr = _lr("initial_lr", initial_lr, positive=True)
        self.decay_steps = _length("decay_steps", decay_steps, _positive("decay_steps"),
                                   run=True)
        self.alpha = check_number("alpha", alpha, low=0.0, high=1.0)

    def _compute(self, t: Any, ops: Any) -> Any:
        p = ops.minimum(t, self.decay_steps) / self.decay_steps
        cosine = 0.5 * (1.0 + ops.cos(ops.pi * p))
        if self.alpha:  # alpha = 0 (the default) skips two whole-array operations
            cosine = (1.0 - self.alpha) * cosine + self.alpha
        return self.initial_lr * cosine

    def default_horizon(self) -> int:
        return int(math.ceil(self.decay_steps * 1.2))

    def horizon(self) -> float:
        return self.decay_steps


class CosineRestarts(Schedule):
    """Cosine decay with warm restarts (SGDR), as Keras's CosineDecayRestarts.

    Args:
        initial_lr: the learning rate at ``t = 0``, ``> 0``.
        first_decay_steps: the clock span of the first period, ``> 0``.
        t_mul: the factor by which each period is longer than the one before, ``>= 1``.
        m_mul: the factor by which each period starts lower than the one before, in ``(0, 1]``.
        alpha: the lowest learning rate as a fraction of ``initial_lr``, in ``[0, 1]``.
    """

    family = "cosine_restarts"
    LENGTHS = ("first_decay_steps",)
    formula = ("lr(t) = initial_lr * ((1 - alpha) * m_mul^i * 0.5 * (1 + cos(pi * f)) + alpha), "
               "period i lasts first_decay_steps * t_mul^i, f = fraction of period i done")

    def __init__(self, initial_lr: float, first_decay_steps: float, t_mul: float = 2,
                 m_mul: float = 1, alpha: float = 0) -> None:
        self.initial_lr = _lr("initial_lr", initial_lr, positive=True)
        self.first_decay_steps = _length("first_decay_steps", first_decay_steps,
                                         _positive("first_decay_steps"))
        self.t_mul = check_number("t_mul", t_mul, low=0.0, low_open=True)
        if self.t_mul < 1.0:  # shrinking periods end at a finite t, after which lr is NaN
            fail("t_mul", "a number >= 1 (periods that shrink would end at a finite t)", t_mul)
        self.m_mul = check_number("m_mul", m_mul, low=0.0, high=1.0, low_open=True)
        self.alpha = check_number("alpha", alpha, low=0.0, high=1.0)

    def _compute(self, t: Any, ops: Any) -> Any:
        first, t_mul = self.first_decay_steps, self.t_mul
        if t_mul == 1.0:
            i = ops.floor(t / first)
            start, length = i * first, first
        else:
            # Period i starts at first * (1 - t_mul^i) / (1 - t_mul) and lasts first * t_mul^i.
            def period(n: Any) -> tuple[Any, Any]:
                grow = ops.power(t_mul, n)
                return first * (1.0 - grow) / (1.0 - t_mul), first * grow

            i = ops.floor(ops.log(1.0 - t / first * (1.0 - t_mul)) / math.log(t_mul))
            # At an exact restart the log ratio can round just below the whole number
            # (log(243) / log(3) = 4.999...): t then sits at the very end of period i - 1.
            start, length = period(i)
            i = ops.where(t - start >= length, i + 1.0, i)
            start, length = period(i)
        # The fraction of period i done, from t - start rather than from t / first - i:
        # in float32 the latter keeps only ~7 digits of t / first (SGDR runs are long).
        frac = (t - start) / length
        cosine = 0.5 * ops.power(self.m_mul, i) * (1.0 + ops.cos(ops.pi * frac))
        return self.initial_lr * ((1.0 - self.alpha) * cosine + self.alpha)

    def default_horizon(self) -> int:
        periods = 1.0 + self.t_mul + self.t_mul**2
        return int(math.ceil(self.first_decay_steps * periods))


class Linear(Schedule):
    """Linear ramp from ``start_lr`` to ``end_lr`` over ``steps``, then ``end_lr``.

    Args:
        start_lr: the learning rate at ``t = 0``, ``>= 0``.
        end_lr: the learning rate from ``t = steps`` on, ``>= 0``.
        steps: the clock span of the ramp, ``> 0``.
    """

    family = "linear"
    LENGTHS = ("steps",)
    RUN_LENGTHS = ("steps",)
    formula = "lr(t) = start_lr + (end_lr - start_lr) * min(t, steps) / steps"

    def __init__(self, start_lr: float, end_lr: float, steps: Any = None) -> None:
        self.start_lr = _lr("start_lr", start_lr)
        self.end_lr = _lr("end_lr", end_lr)
        self.steps = _length("steps", steps, _positive("steps"), run=True)

    def _compute(self, t: Any, ops: Any) -> Any:
        done = ops.minimum(t, self.steps) / self.steps
        return self.start_lr + (self.end_lr - self.start_lr) * done

    def default_horizon(self) -> int:
        return int(math.ceil(self.steps * 1.2))

    def horizon(self) -> float:
        return self.steps


class Cyclic(Schedule):
    """Smith's cyclical LR, with PyTorch CyclicLR's values (``step_size_up = step_size_down``).

    Modes: ``"triangular"`` (constant amplitude), ``"triangular2"`` (amplitude
    halved each cycle), ``"exp_range"`` (amplitude times ``gamma ** t``).

    Args:
        base_lr: the lowest learning rate, ``>= 0``.
        max_lr: the highest learning rate, ``>= base_lr``.
        step_size: the clock span of half a cycle, ``> 0``.
        mode: ``"triangular"``, ``"triangular2"`` or ``"exp_range"``.
        gamma: the factor of ``"exp_range"`` per clock unit, in ``(0, 1]``.
    """

    family = "cyclic"
    LENGTHS = ("step_size",)
    formula = ("lr(t) = base_lr + (max_lr - base_lr) * max(0, 1 - |t / step_size - 2c + 1|) * "
               "scale, c = floor(1 + t / (2 * step_size)); scale = 1 (triangular), "
               "1 / 2^(c - 1) (triangular2), gamma^t (exp_range)")
    MODES: ClassVar[tuple[str, ...]] = ("triangular", "triangular2", "exp_range")

    def __init__(self, base_lr: float, max_lr: float, step_size: float,
                 mode: str = "triangular", gamma: float = 1) -> None:
        self.base_lr = _lr("base_lr", base_lr)
        self.max_lr = check_number("max_lr", max_lr, low=self.base_lr,
                                   must=f"a number >= `base_lr` ({self.base_lr:g})")
        self.step_size = _length("step_size", step_size, _positive("step_size"))
        self.mode = check_choice("mode", mode, self.MODES)
        self.gamma = check_number("gamma", gamma, low=0.0, high=1.0, low_open=True)

    def _compute(self, t: Any, ops: Any) -> Any:
        total = 2.0 * self.step_size
        done = ops.floor(t / total)  # completed cycles; the cycle number c is done + 1
        cycle = done + 1.0
        # Position in the cycle in half-cycles, [0, 2). Taken as t - done * total (exact for
        # whole t and step_size), not as the fraction of t / total: in float32 that fraction
        # keeps only ~7 digits of t / total, so the rate would drift after many cycles.
        u = (t - done * total) / self.step_size
        scale = ops.maximum(ops.minimum(u, 2.0 - u), 0.0)  # 1 - |u - 1|, triangle in [0, 1]
        height = (self.max_lr - self.base_lr) * scale
        if self.mode == "triangular2":
            height = height * ops.power(0.5, cycle - 1.0)
        elif self.mode == "exp_range":
            # gamma^t as exp(t * log(gamma)), log taken in float64: in float32,
            # power(gamma, t) multiplies gamma's rounding error by t.
            height = height * ops.exp(t * math.log(self.gamma))
        return self.base_lr + height

    def default_horizon(self) -> int:
        return int(math.ceil(self.step_size * 6))

    def momentum(self, base_momentum: float = 0.85, max_momentum: float = 0.95) -> CyclicMomentum:
        """The momentum that cycles inversely to this rate (PyTorch CyclicLR's
        ``cycle_momentum``): ``max_momentum`` where the rate is ``base_lr``,
        ``base_momentum`` where it peaks. See ``CyclicMomentum``."""
        return CyclicMomentum(self, base_momentum, max_momentum)


class OneCycle(Schedule):
    """The one-cycle policy, with PyTorch OneCycleLR's values for ``t`` in ``0..total_steps-1``.

    Warm up from ``max_lr / div_factor`` to ``max_lr`` over ``pct_start`` of the
    steps, then anneal (``"cos"`` or ``"linear"``) to ``initial / final_div_factor``;
    ``three_phase`` mirrors the warm-up before the final anneal. The last value
    holds for ``t >= total_steps - 1``.

    Args:
        max_lr: the peak learning rate, ``> 0``.
        total_steps: the length of the cycle in clock units, a whole number ``>= 2``.
        pct_start: the fraction of the cycle spent warming up, in ``(0, 1)``.
        anneal: ``"cos"`` or ``"linear"``.
        div_factor: the initial learning rate is ``max_lr / div_factor``, ``> 0``.
        final_div_factor: the final learning rate is ``initial / final_div_factor``, ``> 0``.
        three_phase: mirror the warmup before the final anneal (fastai's and PyTorch's option).
    """

    family = "one_cycle"
    LENGTHS = ("total_steps",)
    RUN_LENGTHS = ("total_steps",)
    ANNEALS: ClassVar[tuple[str, ...]] = ("cos", "linear")

    def __init__(self, max_lr: float, total_steps: Any = None, pct_start: float = 0.3,
                 anneal: str = "cos", div_factor: float = 25, final_div_factor: float = 1e4,
                 three_phase: bool = False) -> None:
        self.max_lr = _lr("max_lr", max_lr, positive=True)
        self.total_steps = _length("total_steps", total_steps,
                                   lambda v: check_integer("total_steps", v, low=2), run=True)
        self.pct_start = check_number("pct_start", pct_start, low=0.0, high=1.0,
                                      low_open=True, high_open=True)
        self.anneal = check_choice("anneal", anneal, self.ANNEALS)
        self.div_factor = check_number("div_factor", div_factor, low=0.0, low_open=True)
        self.final_div_factor = check_number("final_div_factor", final_div_factor,
                                             low=0.0, low_open=True)
        self.three_phase = check_bool("three_phase", three_phase)
        if not isinstance(self.total_steps, int):
            return  # sized to the run: the phases are checked when it is sized
        ends = [p[1] for p in self._phases()]
        starts = [0.0] + ends[:-1]
        if any(e <= s for s, e in zip(starts, ends)):
            fail("pct_start", f"a fraction that gives every phase at least one step of "
                 f"total_steps = {self.total_steps}", pct_start)

    @property
    def formula(self) -> str:  # type: ignore[override]
        shape = ("end + (start - end) / 2 * (1 + cos(pi * pct))" if self.anneal == "cos"
                 else "start + (end - start) * pct")
        phases = "three phases" if self.three_phase else "two phases"
        return (f"lr(t) = {shape} within each phase ({phases}: max_lr / div_factor -> max_lr "
                "-> ... -> max_lr / div_factor / final_div_factor), pct = phase fraction done")

    def _phases(self) -> list[tuple[float, float, float]]:
        """(start_lr, end_step, end_lr) per phase, as PyTorch builds them."""
        initial = self.max_lr / self.div_factor
        final = initial / self.final_div_factor
        up = float(self.pct_start * self.total_steps) - 1.0
        last = float(self.total_steps - 1)
        if self.three_phase:
            return [(initial, up, self.max_lr),
                    (self.max_lr, float(2 * self.pct_start * self.total_steps) - 2.0, initial),
                    (initial, last, final)]
        return [(initial, up, self.max_lr), (self.max_lr, last, final)]

    def _compute(self, t: Any, ops: Any) -> Any:
        phases = self._phases()
        t = ops.minimum(t, float(self.total_steps - 1))
        out = None
        start_step = 0.0
        for i, (lo, end_step, hi) in enumerate(phases):
            pct = (t - start_step) / (end_step - start_step)
            if self.anneal == "cos":
                value = hi + (lo - hi) / 2.0 * (ops.cos(ops.pi * pct) + 1.0)
            else:
                value = (hi - lo) * pct + lo
            if out is None:
                out = value
            else:
                out = ops.where(t <= start_step, out, value)
            start_step = end_step
            del i
        return out

    def default_horizon(self) -> int:
        return self.total_steps

    def horizon(self) -> float:
        return float(self.total_steps - 1)

    def warmup_end(self) -> float:
        return self._phases()[0][1]  # the step where the rate peaks

    def momentum(self, base_momentum: float = 0.85,
                 max_momentum: float = 0.95) -> OneCycleMomentum:
        """The momentum that cycles inversely to this rate (PyTorch OneCycleLR's
        ``cycle_momentum``, fastai's ``moms``): from ``max_momentum`` down to
        ``base_momentum`` while the rate warms up, and back. See ``OneCycleMomentum``."""
        return OneCycleMomentum(self, base_momentum, max_momentum)


class Warmup(Schedule):
    """Warm up to any schedule: for ``t < warmup_steps`` a linear (or geometric,
    ``shape="exponential"``) ramp from ``start_lr`` to ``schedule(0)``; then
    ``schedule(t - warmup_steps)``.

    Args:
        schedule: the lrdecay schedule to warm up to.
        warmup_steps: the clock span of the warmup, ``> 0``.
        start_lr: the learning rate at ``t = 0``, ``>= 0`` (``> 0`` for ``"exponential"``).
        shape: ``"linear"`` or ``"exponential"`` (a geometric ramp).
    """

    family = "warmup"
    LENGTHS = ("warmup_steps",)
    SHAPES: ClassVar[tuple[str, ...]] = ("linear", "exponential")

    def __init__(self, schedule: Schedule, warmup_steps: float, start_lr: float = 0,
                 shape: str = "linear") -> None:
        if not isinstance(schedule, Schedule):
            fail("schedule", "an lrdecay schedule", schedule, TypeError)
        self.schedule = schedule
        self.warmup_steps = _length("warmup_steps", warmup_steps, _positive("warmup_steps"))
        self.shape = check_choice("shape", shape, self.SHAPES)
        positive = self.shape == "exponential"
        self.start_lr = check_number(
            "start_lr", start_lr, low=0.0, low_open=positive,
            must="a positive number (shape \"exponential\")" if positive else None)
        if (positive and schedule.graphable() and schedule.is_sized()
                and schedule(0.0) <= 0.0):
            fail("schedule", "a schedule whose value at t = 0 is positive (shape \"exponential\")",
                 schedule(0.0))

    @property
    def formula(self) -> str:  # type: ignore[override]
        ramp = ("start_lr + (target - start_lr) * t / warmup_steps" if self.shape == "linear"
                else "start_lr * (target / start_lr)^(t / warmup_steps)")
        return (f"lr(t) = {ramp} for t < warmup_steps (target = schedule(0)); "
                "schedule(t - warmup_steps) after")

    def _compute(self, t: Any, ops: Any) -> Any:
        target = self.schedule._compute(t * 0.0, ops)
        frac = ops.minimum(t, self.warmup_steps) / self.warmup_steps
        if self.shape == "linear":
            ramp = self.start_lr + (target - self.start_lr) * frac
        else:
            ramp = self.start_lr * ops.power(target / self.start_lr, frac)
        after = self.schedule._compute(ops.maximum(t - self.warmup_steps, 0.0), ops)
        return ops.where(t < self.warmup_steps, ramp, after)

    def default_horizon(self) -> int:
        return int(math.ceil(self.warmup_steps)) + self.schedule.default_horizon()

    def _size(self, total: float, span: float) -> Schedule:
        params = self._params()
        w = params["warmup_steps"] = self._resolve("warmup_steps", self.warmup_steps, total,
                                                   span)
        # The schedule warmed up to runs on what is left of the run after the warmup.
        params["schedule"] = self.schedule._size(total, span - w)
        return _rebuild(Warmup, params, total)

    def horizon(self) -> float:
        return self.warmup_steps + self.schedule.horizon()

    def warmup_end(self) -> float:
        return self.warmup_steps + self.schedule.warmup_end()  # a warmup before a warmup


class Sequence(Schedule):
    """Joined schedules (optax's ``join_schedules``): schedule ``i`` runs on
    ``[boundaries[i-1], boundaries[i])`` with its own clock ``t - boundaries[i-1]``.

    Args:
        schedules: the lrdecay schedules, in order.
        boundaries: the clock values where each next schedule starts, strictly increasing,
            ``> 0``, one less than ``schedules``.
    """

    family = "sequence"
    LENGTHS = ("boundaries",)
    formula = "lr(t) = schedules[i](t - boundaries[i-1]) for boundaries[i-1] <= t < boundaries[i]"

    def __init__(self, schedules: Seq[Schedule], boundaries: Seq[float]) -> None:
        if isinstance(schedules, Schedule):
            schedules = [schedules]
        if (not isinstance(schedules, (list, tuple)) or len(schedules) < 1
                or not all(isinstance(s, Schedule) for s in schedules)):
            fail("schedules", "a list of lrdecay schedules", schedules, TypeError)
        self.schedules = list(schedules)
        empty = boundaries is None or (
            isinstance(boundaries, (list, tuple, np.ndarray)) and len(boundaries) == 0)
        if len(self.schedules) == 1 and empty:
            self.boundaries: list[float] = []
            return
        self.boundaries = _length(
            "boundaries", boundaries, lambda v: check_vector(
                "boundaries", v, low=0.0, low_open=True, increasing=True,
                must="positive numbers"), vector=True)
        n = len(self.boundaries.fraction if isinstance(self.boundaries, OfRun)
                else self.boundaries)
        if n != len(self.schedules) - 1:
            fail("boundaries", f"a vector of length {len(self.schedules) - 1} "
                 "(one less than `schedules`)", boundaries)

    def _compute(self, t: Any, ops: Any) -> Any:
        out = self.schedules[0]._compute(t, ops)
        for b, sched in zip(self.boundaries, self.schedules[1:]):
            value = sched._compute(ops.maximum(t - b, 0.0), ops)
            out = ops.where(t < b, out, value)
        return out

    def default_horizon(self) -> int:
        last = self.boundaries[-1] if self.boundaries else 0.0
        return int(math.ceil(last)) + self.schedules[-1].default_horizon()

    def _size(self, total: float, span: float) -> Schedule:
        bounds = self._resolve("boundaries", self.boundaries, total, span)
        # Schedule i runs on what is left of the run after the boundary before it.
        starts = [0.0, *bounds]
        parts = [s._size(total, span - b) for s, b in zip(self.schedules, starts)]
        return _rebuild(Sequence, {"schedules": parts, "boundaries": bounds}, total)

    def horizon(self) -> float:
        # Earlier parts are cut at their boundaries: only the last part settles the value.
        last = self.boundaries[-1] if self.boundaries else 0.0
        return last + self.schedules[-1].horizon()

    def warmup_end(self) -> float:
        first = self.schedules[0].warmup_end()
        return min(first, self.boundaries[0]) if self.boundaries else first


def _returned(message: str) -> ValueError:
    """lrdecay's error for what a user's schedule function returned (marked, so that a
    caller that knows the argument can name it; the user's own errors are never marked)."""
    err = ValueError(message)
    err.lrdecay_returned = True  # type: ignore[attr-defined]
    return err


class FromFunction(Schedule):
    """A user function of ``t`` (a Python callable, or an R function through reticulate).

    The function is first called on the whole vector of ``t``; when that fails
    or returns the wrong length, it is called once per value. Every value it
    returns must be one finite number ``>= 0``. It runs on NumPy only: it cannot
    run inside the training graph and is not serializable.

    Args:
        fn: a function of ``t`` that returns the learning rate (one number ``>= 0`` per ``t``).
    """

    family = "function"
    formula = "lr(t) = fn(t)"

    def __init__(self, fn: Callable[[Any], Any]) -> None:
        if not callable(fn):
            fail("fn", "a function of t", fn, TypeError)
        self.fn = fn

    def _fn_name(self) -> str:
        return str(getattr(self.fn, "__name__", type(self.fn).__name__))

    def __repr__(self) -> str:
        return f"FromFunction(fn={self._fn_name()})"

    def r_call(self) -> str:
        """The R call of the family, with ``fn = <the function's name or R source>``."""
        return f"schedule_{self.family}(fn = {self._fn_name()})"

    def __eq__(self, other: object) -> bool:
        return type(other) is FromFunction and other.fn is self.fn  # type: ignore[union-attr]

    def __hash__(self) -> int:
        return hash(id(self.fn))

    def get_config(self) -> dict[str, Any]:
        raise TypeError(f"A {current()['FromFunction']} schedule holds a user function and is "
                        "not serializable; rebuild it in code, or use a built-in family.")

    def to_keras(self, steps_per_epoch: Any = None, clock: Any = "step",
                 check: Any = True) -> Any:
        words = current()
        raise TypeError(f"A {words['FromFunction']} schedule cannot run inside the training "
                        f"graph: use it with the epoch callback ({words['LRScheduler']}) "
                        "instead.")

    def _values(self, out: Any, n: int) -> np.ndarray | None:
        """The function's result as ``n`` float64 values, or ``None`` when it is not ``n``
        numbers (``None``, a string, a bool, another length)."""
        if out is None or isinstance(out, (str, bytes, bool, np.bool_)):
            return None
        try:
            arr = np.asarray(out)
            if arr.dtype.kind not in "iuf":
                return None
            arr = arr.astype(np.float64).ravel()
        except (TypeError, ValueError):
            return None
        return arr if arr.size == n else None

    def _compute(self, t: Any, ops: Any) -> Any:
        """Call the user's function; its own exceptions propagate unchanged (with a note
        naming ``t``), nonsense values raise lrdecay's error naming ``t`` and the value."""
        if not isinstance(ops, NumpyOps):
            self.to_keras()
        flat = np.asarray(t, dtype=np.float64).ravel()
        vals = None
        if flat.size > 1:
            try:
                vals = self._values(self.fn(flat), flat.size)
            except Exception:  # noqa: BLE001 - fall back to one call per value
                vals = None
        if vals is None:
            vals = np.empty(flat.size)
            for j, x in enumerate(flat):
                try:
                    out = self.fn(float(x))
                except Exception as err:
                    # The user's own error, as raised: same type, same message.
                    add_note(err, f"(raised by the schedule function at t = {show_number(x)})")
                    raise
                one = self._values(out, 1)
                if one is None:
                    raise _returned(f"The schedule function returned {show_value(out)} at t = "
                                    f"{show_number(x)}; it must return one non-negative finite "
                                    "number.")
                vals[j] = one[0]
        bad = ~(np.isfinite(vals) & (vals >= 0.0))
        if bad.any():
            j = int(np.argmax(bad))
            raise _returned(f"The schedule function returned {show_value(float(vals[j]))} at "
                            f"t = {show_number(flat[j])}; it must return one non-negative finite "
                            "number.")
        return vals.reshape(np.shape(t))


# -- The schedules of 2024-26 practice: warmup-stable-decay, inverse square root, REX ------


class WSD(Schedule):
    """Warmup-stable-decay (MiniCPM), with Hugging Face transformers' ``get_wsd_schedule``
    values at every whole ``t``: ``peak_lr`` times its factor.

    Three stages: a warmup of ``warmup_steps`` from ``min_lr_ratio * peak_lr`` to
    ``peak_lr`` (shape ``warmup``), ``stable_steps`` at ``peak_lr``, a decay of
    ``decay_steps`` back to ``min_lr_ratio * peak_lr`` (shape ``decay``), which then
    holds. Shapes, with ``p`` the fraction of the stage done:
    ``"linear"`` (warmup ``p``, decay ``1 - p``), ``"cosine"`` (``(1 - cos(pi p)) / 2``,
    ``(1 + cos(pi p)) / 2``), ``"1-sqrt"`` (``1 - sqrt(1 - p)``, ``1 - sqrt(p)``).
    transformers' ``num_training_steps`` is ``warmup_steps + stable_steps + decay_steps``.

    Args:
        peak_lr: the learning rate of the stable stage, ``> 0``.
        warmup_steps: the clock span of the warmup, ``>= 0``.
        stable_steps: the clock span of the stable stage, ``>= 0``.
        decay_steps: the clock span of the decay, ``> 0``.
        warmup: the warmup's shape, ``"linear"``, ``"cosine"`` or ``"1-sqrt"``.
        decay: the decay's shape, ``"linear"``, ``"cosine"`` or ``"1-sqrt"``.
        min_lr_ratio: the lowest learning rate as a fraction of ``peak_lr``, in ``[0, 1]``.

    >>> s = WSD(0.1, warmup_steps=2, stable_steps=3, decay_steps=2, decay="linear")
    >>> s([0, 1, 2, 4, 5, 6, 7, 100]).tolist()
    [0.0, 0.05, 0.1, 0.1, 0.1, 0.05, 0.0, 0.0]
    """

    family = "wsd"
    LENGTHS = ("warmup_steps", "stable_steps", "decay_steps")
    RUN_LENGTHS = ("stable_steps",)
    RUN_WORDS = {"stable_steps": "the rest of the run"}
    SHAPES: ClassVar[tuple[str, ...]] = ("linear", "cosine", "1-sqrt")
    _UP: ClassVar[dict[str, str]] = {"linear": "p", "cosine": "(1 - cos(pi * p)) / 2",
                                     "1-sqrt": "1 - sqrt(1 - p)"}
    _DOWN: ClassVar[dict[str, str]] = {"linear": "1 - p", "cosine": "(1 + cos(pi * p)) / 2",
                                       "1-sqrt": "1 - sqrt(p)"}

    def __init__(self, peak_lr: float, warmup_steps: Any, stable_steps: Any = None,
                 decay_steps: Any = None, warmup: str = "linear", decay: str = "cosine",
                 min_lr_ratio: float = 0) -> None:
        self.peak_lr = _lr("peak_lr", peak_lr, positive=True)
        self.warmup_steps = _length("warmup_steps", warmup_steps,
                                    lambda v: check_number("warmup_steps", v, low=0.0))
        self.stable_steps = _length("stable_steps", stable_steps,
                                    lambda v: check_number("stable_steps", v, low=0.0), run=True)
        if decay_steps is None:
            raise TypeError("`decay_steps` must be given (a positive number or of_run(fraction)): "
                            "WSD's decay has no length of its own; `stable_steps` may be left "
                            "to the run (the run less warmup and decay).")
        self.decay_steps = _length("decay_steps", decay_steps, _positive("decay_steps"))
        self.warmup = check_choice("warmup", warmup, self.SHAPES)
        self.decay = check_choice("decay", decay, self.SHAPES)
        self.min_lr_ratio = check_number("min_lr_ratio", min_lr_ratio, low=0.0, high=1.0)

    @property
    def formula(self) -> str:  # type: ignore[override]
        return ("lr(t) = peak_lr * (f * (1 - min_lr_ratio) + min_lr_ratio); "
                f"warmup (t < warmup_steps): f = {self._UP[self.warmup]}, "
                "p = t / warmup_steps; stable: lr = peak_lr; "
                f"decay: f = {self._DOWN[self.decay]}, "
                "p = (t - warmup_steps - stable_steps) / decay_steps; "
                "min_lr_ratio * peak_lr after")

    def _compute(self, t: Any, ops: Any) -> Any:
        # Written as transformers' _get_wsd_scheduler_lambda computes it (same operations,
        # same order), so float64 values agree to the last bit or two.
        r, w, d = self.min_lr_ratio, self.warmup_steps, self.decay_steps
        decay_start = w + self.stable_steps
        p = ops.minimum(ops.maximum(t - decay_start, 0.0), d) / d
        if self.decay == "linear":
            f = 1.0 - p
        elif self.decay == "cosine":
            f = 0.5 * (1.0 + ops.cos(ops.pi * p))
        else:
            f = 1.0 - ops.sqrt(p)
        # Past the decay p = 1 and f = 0 exactly (cos(pi) is -1 in float64): min_lr_ratio.
        factor = ops.where(t < decay_start, 1.0, f * (1.0 - r) + r)
        if w > 0.0:
            p = ops.minimum(t, w) / w
            if self.warmup == "linear":
                f = p
            elif self.warmup == "cosine":
                f = 0.5 * (1.0 - ops.cos(ops.pi * p))
            else:
                f = 1.0 - ops.sqrt(1.0 - p)
            factor = ops.where(t < w, f * (1.0 - r) + r, factor)
        return self.peak_lr * factor

    def default_horizon(self) -> int:
        return int(math.ceil(self.horizon() * 1.2))

    def horizon(self) -> float:
        return self.warmup_steps + self.stable_steps + self.decay_steps

    def warmup_end(self) -> float:
        return self.warmup_steps

    def _size(self, total: float, span: float) -> Schedule:
        params = self._params()
        for name in ("warmup_steps", "decay_steps"):
            params[name] = self._resolve(name, params[name], total, span)
        stable = params["stable_steps"]
        if stable is None:
            stable = span - params["warmup_steps"] - params["decay_steps"]
            if stable < 0:
                raise ValueError(
                    f"`stable_steps` is the rest of the run, but the run ({show_number(span)}) "
                    f"is shorter than warmup_steps + decay_steps "
                    f"({show_number(params['warmup_steps'] + params['decay_steps'])}).")
            params["stable_steps"] = stable
        else:
            params["stable_steps"] = self._resolve("stable_steps", stable, total, span)
        return _rebuild(WSD, params, total)


class InverseSqrt(Schedule):
    """Inverse square root decay after a linear warmup from 0, with Hugging Face
    transformers' ``get_inverse_sqrt_schedule`` values at every whole ``t``.

    ``peak_lr * t / warmup_steps`` for ``t < warmup_steps``, then
    ``peak_lr / sqrt((t + timescale - warmup_steps) / timescale)``. ``timescale``
    defaults to ``warmup_steps``, or to 10000 when ``warmup_steps`` is 0 (as in
    transformers); the schedule stores the value used.

    Args:
        peak_lr: the learning rate at the end of the warmup, ``> 0``.
        warmup_steps: the clock span of the warmup, ``>= 0``.
        timescale: the decay's time scale, ``> 0``; ``None`` for the default above.

    >>> InverseSqrt(0.1, warmup_steps=4)([0, 2, 4, 16]).tolist()
    [0.0, 0.05, 0.1, 0.05]
    """

    family = "inverse_sqrt"
    LENGTHS = ("warmup_steps",)
    formula = ("lr(t) = peak_lr * t / warmup_steps for t < warmup_steps; "
               "peak_lr / sqrt((t + timescale - warmup_steps) / timescale) after")

    def __init__(self, peak_lr: float, warmup_steps: float, timescale: float | None = None) -> None:
        self.peak_lr = _lr("peak_lr", peak_lr, positive=True)
        self.warmup_steps = _length("warmup_steps", warmup_steps,
                                    lambda v: check_number("warmup_steps", v, low=0.0))
        if isinstance(self.warmup_steps, OfRun) and timescale is None:
            self.timescale: Any = None  # warmup_steps once sized
            return
        if timescale is None:
            timescale = self.warmup_steps if self.warmup_steps > 0.0 else 10_000.0
        self.timescale = check_number("timescale", timescale, low=0.0, low_open=True,
                                      must="a positive number (or None/NULL)")

    def _compute(self, t: Any, ops: Any) -> Any:
        # As transformers: shift = timescale - warmup_steps, 1 / sqrt((t + shift) / timescale).
        # max(t, warmup_steps): during the warmup (t + shift) may be negative (timescale <
        # warmup_steps), and sqrt of it NaN, even where that branch is not selected.
        w, ts = self.warmup_steps, self.timescale
        after = ops.maximum(t, w)
        factor = 1.0 / ops.sqrt((after + (ts - w)) / ts)
        if w > 0.0:
            factor = ops.where(t < w, t / w, factor)
        return self.peak_lr * factor

    def default_horizon(self) -> int:
        return int(math.ceil(self.warmup_steps + 4.0 * self.timescale))

    def warmup_end(self) -> float:
        return self.warmup_steps


class Rex(Schedule):
    """REX (Chen et al. 2022, "REX: Revisiting Budgeted Training with an Improved Schedule").

    ``min_lr + (initial_lr - min_lr) * (1 - p) / (1 - p / 2)``, with
    ``p = min(t, total_steps) / total_steps``: ``initial_lr`` at 0, ``min_lr`` from
    ``total_steps`` on, above the linear decay in between.

    Args:
        initial_lr: the learning rate at ``t = 0``, ``> 0``.
        total_steps: the clock span of the decay, ``> 0``.
        min_lr: the learning rate from ``total_steps`` on, in ``[0, initial_lr]``.

    >>> Rex(0.1, 10)([0, 5, 10, 20]).tolist()
    [0.1, 0.06666666666666667, 0.0, 0.0]
    """

    family = "rex"
    LENGTHS = ("total_steps",)
    RUN_LENGTHS = ("total_steps",)
    formula = ("lr(t) = min_lr + (initial_lr - min_lr) * (1 - p) / (1 - p / 2), "
               "p = min(t, total_steps) / total_steps")

    def __init__(self, initial_lr: float, total_steps: Any = None, min_lr: float = 0) -> None:
        self.initial_lr = _lr("initial_lr", initial_lr, positive=True)
        self.total_steps = _length("total_steps", total_steps, _positive("total_steps"),
                                   run=True)
        self.min_lr = check_number("min_lr", min_lr, low=0.0, high=self.initial_lr,
                                   must=f"a number in [0, `initial_lr`] ([0, {self.initial_lr:g}])")

    def _compute(self, t: Any, ops: Any) -> Any:
        p = ops.minimum(t, self.total_steps) / self.total_steps
        return self.min_lr + (self.initial_lr - self.min_lr) * (1.0 - p) / (1.0 - p / 2.0)

    def default_horizon(self) -> int:
        return int(math.ceil(self.total_steps * 1.2))

    def horizon(self) -> float:
        return self.total_steps


class Cooldown(Schedule):
    """A cooldown branched from any schedule (Hägele et al. 2024): ``schedule(t)`` before
    ``start``, then a decay from ``schedule(start)`` to ``final_lr`` over ``length``.

    For ``start <= t < start + length``, with ``p = (t - start) / length`` and
    ``r0 = schedule(start)``: ``final_lr + (r0 - final_lr) * f(p)``, where ``f`` is
    ``1 - p`` (``"linear"``), ``(1 + cos(pi p)) / 2`` (``"cosine"``) or ``1 - sqrt(p)``
    (``"1-sqrt"``); ``final_lr`` from ``start + length`` on. A long constant or WSD run
    gives a finished model at any budget this way (see ``lrdecay.start_cooldown``).

    Args:
        schedule: the lrdecay schedule the cooldown branches from.
        start: the clock value where the cooldown begins, ``>= 0``.
        length: the clock span of the cooldown, ``> 0``.
        shape: the cooldown's shape, ``"1-sqrt"``, ``"linear"`` or ``"cosine"``.
        final_lr: the learning rate at the end of the cooldown, ``>= 0``.

    >>> Cooldown(Constant(0.1), start=2, length=4, shape="linear")([0, 2, 4, 6, 9]).tolist()
    [0.1, 0.1, 0.05, 0.0, 0.0]
    """

    family = "cooldown"
    SHAPES: ClassVar[tuple[str, ...]] = ("1-sqrt", "linear", "cosine")
    _F: ClassVar[dict[str, str]] = {"linear": "1 - p", "cosine": "(1 + cos(pi * p)) / 2",
                                    "1-sqrt": "1 - sqrt(p)"}

    def __init__(self, schedule: Schedule, start: float, length: float, shape: str = "1-sqrt",
                 final_lr: float = 0) -> None:
        if not isinstance(schedule, Schedule):
            fail("schedule", "an lrdecay schedule", schedule, TypeError)
        self.schedule = schedule
        self.start = check_number("start", start, low=0.0)
        self.length = check_number("length", length, low=0.0, low_open=True)
        self.shape = check_choice("shape", shape, self.SHAPES)
        self.final_lr = _lr("final_lr", final_lr)

    @property
    def formula(self) -> str:  # type: ignore[override]
        return ("lr(t) = schedule(t) for t < start; final_lr + (schedule(start) - final_lr) * "
                f"({self._F[self.shape]}), p = (t - start) / length, until start + length; "
                "final_lr after")

    def _compute(self, t: Any, ops: Any) -> Any:
        start = t * 0.0 + self.start
        r0 = self.schedule._compute(start, ops)
        before = self.schedule._compute(t, ops)
        # p clipped to [0, 1]: where() computes both branches, and sqrt of a p below 0
        # (t before start) would be NaN there; p = 1 gives f = 0, final_lr exactly.
        p = ops.minimum(ops.maximum(t - start, 0.0), self.length) / self.length
        if self.shape == "linear":
            f = 1.0 - p
        elif self.shape == "cosine":
            f = 0.5 * (1.0 + ops.cos(ops.pi * p))
        else:
            f = 1.0 - ops.sqrt(p)
        cool = self.final_lr + (r0 - self.final_lr) * f
        return ops.where(t < start, before, cool)

    def default_horizon(self) -> int:
        return int(math.ceil(self.horizon() * 1.2))

    def horizon(self) -> float:
        return self.start + self.length


# -- Momentum cycled inversely to the rate (PyTorch's cycle_momentum) ---------------------


def _momenta(base_momentum: Any, max_momentum: Any) -> tuple[float, float]:
    """Check a (base_momentum, max_momentum) pair: each in [0, 1], base <= max."""
    base = check_number("base_momentum", base_momentum, low=0.0, high=1.0)
    top = check_number("max_momentum", max_momentum, low=base, high=1.0,
                       must=f"a number in [`base_momentum`, 1] ([{base:g}, 1])")
    return base, top


class OneCycleMomentum(Schedule):
    """The momentum of the one-cycle policy: PyTorch OneCycleLR's ``cycle_momentum``
    values for ``t`` in ``0..total_steps-1``, inverse to the rate of ``schedule``.

    Same phases and anneal as the ``OneCycle`` rate: ``max_momentum`` at ``t = 0``,
    ``base_momentum`` where the rate peaks, back to ``max_momentum`` at the end (three
    phases: there already at the end of the second phase, then held). Made by
    ``OneCycle(...).momentum()``; drive it with ``HParamScheduler(momentum=...)``.

    Args:
        schedule: the ``OneCycle`` rate schedule whose phases it follows.
        base_momentum: the momentum at the peak rate, in ``[0, max_momentum]``.
        max_momentum: the momentum at the start and the end, in ``[base_momentum, 1]``.

    >>> m = OneCycle(0.1, total_steps=10).momentum()
    >>> [round(x, 4) for x in m([0, 2, 9])]
    [0.95, 0.85, 0.95]
    """

    family = "momentum"

    def __init__(self, schedule: OneCycle, base_momentum: float = 0.85,
                 max_momentum: float = 0.95) -> None:
        if not isinstance(schedule, OneCycle):
            fail("schedule", f"a one-cycle schedule ({current()['OneCycle']})", schedule,
                 TypeError)
        self.schedule = schedule
        self.base_momentum, self.max_momentum = _momenta(base_momentum, max_momentum)

    @property
    def formula(self) -> str:  # type: ignore[override]
        return ("momentum(t) = the one-cycle shape of the rate's phases, from max_momentum to "
                "base_momentum while the rate rises and back while it falls")

    # What OneCycle's formula reads from the schedule it runs on.
    @property
    def total_steps(self) -> int:
        return self.schedule.total_steps

    @property
    def anneal(self) -> str:
        return self.schedule.anneal

    def _phases(self) -> list[tuple[float, float, float]]:
        """(start, end_step, end) per phase: the rate's phase ends, PyTorch's momenta."""
        ends = [end for _, end, _ in self.schedule._phases()]
        top, base = self.max_momentum, self.base_momentum
        values = [(top, base), (base, top), (top, top)]
        return [(lo, end, hi) for end, (lo, hi) in zip(ends, values)]

    _compute = OneCycle._compute  # the rate's formula, on the momentum phases

    def default_horizon(self) -> int:
        return self.schedule.default_horizon()

    def horizon(self) -> float:
        return self.schedule.horizon()


class CyclicMomentum(Schedule):
    """The momentum of the cyclical policy: PyTorch CyclicLR's ``cycle_momentum`` values
    (``step_size_up = step_size_down``), inverse to the rate of ``schedule``.

    ``max_momentum - (max_momentum - base_momentum) * h``, where ``h`` in ``[0, 1]`` is
    how far the rate is from ``base_lr`` towards ``max_lr`` (the triangle, with the
    mode's amplitude scale). Made by ``Cyclic(...).momentum()``.

    Args:
        schedule: the ``Cyclic`` rate schedule whose cycles it follows.
        base_momentum: the momentum at the peak rate, in ``[0, max_momentum]``.
        max_momentum: the momentum where the rate is ``base_lr``, in ``[base_momentum, 1]``.

    >>> m = Cyclic(0.01, 0.1, step_size=2).momentum()
    >>> [round(x, 4) for x in m([0, 1, 2, 4])]
    [0.95, 0.9, 0.85, 0.95]
    """

    family = "momentum"

    def __init__(self, schedule: Cyclic, base_momentum: float = 0.85,
                 max_momentum: float = 0.95) -> None:
        if not isinstance(schedule, Cyclic):
            fail("schedule", f"a cyclic schedule ({current()['Cyclic']})", schedule, TypeError)
        self.schedule = schedule
        self.base_momentum, self.max_momentum = _momenta(base_momentum, max_momentum)

    @property
    def formula(self) -> str:  # type: ignore[override]
        return ("momentum(t) = max_momentum - (max_momentum - base_momentum) * h, h = the "
                "rate's (lr - base_lr) / (max_lr - base_lr)")

    def _compute(self, t: Any, ops: Any) -> Any:
        c = self.schedule
        # The rate's cycle with base_lr = 0 and max_lr = 1 is h itself, exactly.
        height = Cyclic(0.0, 1.0, c.step_size, c.mode, c.gamma)._compute(t, ops)
        return self.max_momentum - (self.max_momentum - self.base_momentum) * height

    def default_horizon(self) -> int:
        return self.schedule.default_horizon()


def cycle_momentum(schedule: Schedule, base_momentum: float = 0.85,
                   max_momentum: float = 0.95) -> Schedule:
    """``schedule.momentum(base_momentum, max_momentum)`` for a ``OneCycle`` or ``Cyclic``
    schedule.

    Args:
        schedule: a ``OneCycle`` or ``Cyclic`` rate schedule.
        base_momentum: the momentum at the peak rate.
        max_momentum: the momentum at the lowest rate.

    Returns:
        A ``OneCycleMomentum`` or ``CyclicMomentum`` schedule.
    """
    if not isinstance(schedule, (OneCycle, Cyclic)):
        words = current()
        fail("schedule", f"a one-cycle or cyclic schedule ({words['OneCycle']} or "
             f"{words['Cyclic']})", schedule, TypeError)
    return schedule.momentum(base_momentum, max_momentum)


FAMILIES: dict[str, type[Schedule]] = {
    cls.__name__: cls
    for cls in (Constant, Step, MultiStep, Piecewise, Exponential, InverseTime, Polynomial,
                Cosine, CosineRestarts, Linear, Cyclic, OneCycle, Warmup, Sequence,
                WSD, InverseSqrt, Rex, Cooldown, OneCycleMomentum, CyclicMomentum)
}

# Public classes present themselves as lrdecay.X (their R class is "lrdecay.X").
for _cls in (Schedule, FromFunction, *FAMILIES.values()):
    _cls.__module__ = "lrdecay"


def _keras_rate_schedule(value: Any) -> bool:
    """Whether ``value`` is a Keras ``LearningRateSchedule`` (read from its classes, so
    that asking imports no Keras)."""
    return any(c.__name__ == "LearningRateSchedule" and c.__module__.startswith("keras")
               for c in type(value).__mro__)


def not_keras_schedule(name: str, value: Any) -> None:
    """Refuse a Keras learning rate schedule where an lrdecay schedule is wanted.

    Args:
        name: the argument's name.
        value: what the user passed.

    Raises:
        TypeError: ``value`` is a Keras ``LearningRateSchedule``: an in-graph lrdecay
            schedule (``KerasSchedule``) or one of Keras's own (``CosineDecay``, ...).
    """
    if not _keras_rate_schedule(value):
        return
    if isinstance(getattr(value, "schedule", None), Schedule):
        raise TypeError(
            f"`{name}` must be an lrdecay schedule, not an in-graph KerasSchedule (made by "
            "as_keras_schedule() / to_keras()): pass the lrdecay schedule it wraps instead.")
    raise TypeError(
        f"`{name}` must be an lrdecay schedule, not Keras's {type(value).__name__} (a Keras "
        "learning rate schedule, which lrdecay does not evaluate): make it with an lrdecay "
        "schedule family, e.g. schedule_cosine() / Cosine().")


def schedule_of(value: Any, name: str = "schedule") -> Schedule:
    """The lrdecay schedule ``value`` is, or the one an in-graph ``KerasSchedule`` wraps.

    Args:
        value: an lrdecay schedule, or an in-graph schedule made from one.
        name: the argument's name, for the error.

    Returns:
        The lrdecay schedule.

    Raises:
        TypeError: ``value`` is neither (a Keras schedule of Keras's own included).
    """
    if isinstance(value, Schedule):
        return value
    inner = getattr(value, "schedule", None)
    if _keras_rate_schedule(value) and isinstance(inner, Schedule):
        return inner
    not_keras_schedule(name, value)
    fail(name, "an lrdecay schedule", value, TypeError)
    raise AssertionError  # unreachable


def from_config(config: Any) -> Schedule:
    """Rebuild a schedule from ``Schedule.get_config()`` output.

    Only the built-in families are known; nothing in the config is executed.
    Every value goes through the family's constructor checks.

    Args:
        config: ``{"class_name": ..., "config": {...}}``, as ``get_config()`` returns it
            (nested schedules as their own configs).

    Returns:
        The schedule, equal to the one that gave the config.

    Raises:
        TypeError, ValueError: for a malformed config, naming what is wrong.
    """
    if not isinstance(config, dict) or set(config) != {"class_name", "config"}:
        fail("config", 'a dict with exactly the keys "class_name" and "config"', config,
             TypeError)
    name = config["class_name"]
    if not isinstance(name, str) or name not in FAMILIES:
        fail("class_name", "one of " + ", ".join(FAMILIES), name)
    kwargs = config["config"]
    if not isinstance(kwargs, dict):
        fail("config", f"a dict of {name}'s arguments", kwargs, TypeError)
    cls = FAMILIES[name]
    params = inspect.signature(cls.__init__).parameters
    unknown = sorted(set(kwargs) - set(params) - {"self"})
    if unknown:
        fail("config", f"the arguments of {name} ({', '.join(p for p in params if p != 'self')})",
             unknown)
    missing = [p for p, v in params.items()
               if p != "self" and v.default is inspect.Parameter.empty and p not in kwargs]
    if missing:
        fail("config", f"a config of {name} with every required argument (missing: "
             f"{', '.join(missing)})", sorted(kwargs))

    def de(v: Any) -> Any:
        if isinstance(v, dict) and set(v) == {"of_run"}:
            return OfRun(v["of_run"])
        if isinstance(v, dict) and "class_name" in v:
            return from_config(v)
        if isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            return [from_config(x) for x in v]
        return v

    return cls(**{k: de(v) for k, v in kwargs.items()})
