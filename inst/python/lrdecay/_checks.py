"""Argument checkers shared by every constructor.

Each checker names the argument, says what it must be and what it got, in the
same words as the R side (``R/checks.R``): "`drop` must be a number in (0, 1],
not 2."
"""

from __future__ import annotations

import inspect
import json
import math
import numbers
import os
import types
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np


def show_number(x: float) -> str:
    """A number as messages and R calls show it: the shortest form that reads back as
    the same float, without a trailing ".0" (``2``, ``0.5``, ``1e-05``); ``NaN``,
    ``Inf`` and ``-Inf`` as R writes them.

    Args:
        x: a Python or NumPy number.

    Returns:
        The number as text.
    """
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Inf" if x > 0 else "-Inf"
    text = repr(x)
    return text[:-2] if text.endswith(".0") else text


def show_value(value: Any) -> str:
    """A received value as error messages show it, in words R and Python users both read.

    Numbers in their shortest form (``2``, ``0.5``, ``1e-05``, ``NaN``, ``Inf``), strings
    in double quotes (``"exp"``), sequences and arrays as ``[30, 20]`` (the first six
    items), dicts as ``{"a": 1}``, ``True``/``False``/``None`` as Python writes them,
    functions as "a function", generators as "a generator", anything else as "an object
    of class X" (never a long or address-bearing ``repr``). NumPy scalars show as the
    plain numbers they hold.

    Args:
        value: what the user passed.

    Returns:
        The text after "not " in a message.
    """
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return show_number(value)
    if isinstance(value, (list, tuple, np.ndarray)):
        items = (list(np.asarray(value, dtype=object).ravel())
                 if isinstance(value, np.ndarray) else list(value))
        more = ", ..." if len(items) > 6 else ""
        return "[" + ", ".join(show_value(v) for v in items[:6]) + more + "]"
    if isinstance(value, dict):
        items = list(value.items())
        more = ", ..." if len(items) > 6 else ""
        return ("{" + ", ".join(f"{show_value(k)}: {show_value(v)}" for k, v in items[:6])
                + more + "}")
    if isinstance(value, OfRun):
        return repr(value)
    if isinstance(value, types.GeneratorType):
        return "a generator"
    if inspect.isroutine(value):
        return "a function"
    return f"an object of class {type(value).__name__}"


def add_note(err: BaseException, note: str) -> None:
    """Add context to a user's exception without changing its type or message
    (``BaseException.add_note``, Python >= 3.11; nothing on older Pythons).

    Args:
        err: the exception, as raised by the user's code.
        note: the context, e.g. "(raised by the schedule function at t = 3)".
    """
    if hasattr(err, "add_note"):
        err.add_note(note)


def raised_in_lrdecay(err: BaseException) -> bool:
    """Whether ``err`` was raised in lrdecay's own code (its last traceback frame is in this
    package), not in a library lrdecay called: R rewords only lrdecay's messages.

    Args:
        err: an exception.
    """
    tb = err.__traceback__
    if tb is None:
        return False
    while tb.tb_next is not None:
        tb = tb.tb_next
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.dirname(os.path.abspath(tb.tb_frame.f_code.co_filename)) == here


def fail(name: str, must: str, value: Any, exc: type[Exception] = ValueError) -> None:
    """Raise ``exc`` with the project's message form."""
    raise exc(f"`{name}` must be {must}, not {show_value(value)}.")


def _is_real(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def check_number(
    name: str,
    value: Any,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
    must: str | None = None,
) -> float:
    """Check that ``value`` is one finite real number within the given bounds.

    Args:
        name: the argument's name, as the user wrote it.
        value: what the user passed.
        low, high: bounds (``None`` for unbounded).
        low_open, high_open: whether the bounds are excluded.
        must: the phrase after "must be"; made from the bounds when ``None``.

    Returns:
        ``value`` as a Python float.
    """
    if must is None:
        if low is not None and high is not None:
            left, right = "(" if low_open else "[", ")" if high_open else "]"
            must = f"a number in {left}{low:g}, {high:g}{right}"
        elif low == 0 and low_open:
            must = "a positive number"
        elif low == 0:
            must = "a non-negative number"
        elif low is not None:
            must = f"a number {'>' if low_open else '>='} {low:g}"
        else:
            must = "a finite number"
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value.item()
    if isinstance(value, (list, tuple, np.ndarray)):
        if len(value) == 1 and _is_real(value[0]):
            value = value[0]
        else:
            fail(name, must + " (one value)", value, TypeError)
    if not _is_real(value):
        fail(name, must, value, TypeError)
    x = float(value)
    if not math.isfinite(x):
        fail(name, must, x)
    if low is not None and (x < low or (low_open and x == low)):
        fail(name, must, value)
    if high is not None and (x > high or (high_open and x == high)):
        fail(name, must, value)
    return x


def check_integer(name: str, value: Any, *, low: int = 1) -> int:
    """Check a whole number ``>= low``; an integral float (R's ``10``) is accepted."""
    must = "a positive whole number" if low == 1 else f"a whole number >= {low}"
    x = check_number(name, value, must=must)
    if x != math.floor(x) or x < low:
        fail(name, must, value)
    return int(x)


def _one(value: Any) -> Any:
    """The element of a one-element list, tuple or array (how an R value of length one
    may arrive); anything else unchanged."""
    if isinstance(value, np.ndarray) and value.size == 1:
        return value.reshape(()).item()
    if isinstance(value, (list, tuple)) and len(value) == 1:
        return value[0]
    return value


def check_bool(name: str, value: Any) -> bool:
    """Check ``True`` or ``False`` (NumPy bools and one-element lists of a bool included).

    Args:
        name: the argument's name.
        value: what the user passed.

    Returns:
        ``value`` as a Python bool.
    """
    one = _one(value)
    if isinstance(one, (bool, np.bool_)):
        return bool(one)
    fail(name, "TRUE/True or FALSE/False", value, TypeError)
    raise AssertionError  # unreachable


def check_choice(name: str, value: Any, choices: Sequence[str]) -> str:
    """Check that ``value`` is one of ``choices`` (a one-element list of it is accepted).

    Args:
        name: the argument's name.
        value: what the user passed.
        choices: the accepted strings.

    Returns:
        The chosen string.
    """
    one = _one(value)
    if isinstance(one, np.str_):
        one = str(one)
    if isinstance(one, str) and one in choices:
        return one
    must = "one of " + ", ".join(f'"{c}"' for c in choices)
    fail(name, must, value, TypeError if not isinstance(one, str) else ValueError)
    raise AssertionError  # unreachable


def check_verbose(name: str, value: Any) -> int:
    """Check a verbosity flag: 0 or 1 (``False``/``True`` and ``1.0`` accepted).

    Args:
        name: the argument's name.
        value: what the user passed.

    Returns:
        0 or 1.
    """
    one = _one(value)
    if isinstance(one, (bool, np.bool_)):
        return int(one)
    if _is_real(one) and float(one) in (0.0, 1.0):
        return int(one)
    fail(name, "0 or 1", value, TypeError if not _is_real(one) else ValueError)
    raise AssertionError  # unreachable


def check_vector(
    name: str,
    value: Any,
    *,
    low: float | None = None,
    low_open: bool = False,
    increasing: bool = False,
    min_length: int = 1,
    must: str = "numbers",
) -> list[float]:
    """Check a sequence of finite numbers (optionally strictly increasing).

    Returns:
        The values as a list of Python floats.
    """
    if _is_real(value):
        value = [value]
    if isinstance(value, np.ndarray):
        value = value.ravel().tolist()
    if not isinstance(value, (list, tuple)) or not all(_is_real(v) for v in value):
        fail(name, f"a vector of {must}", value, TypeError)
    xs = [float(v) for v in value]
    if len(xs) < min_length:
        fail(name, f"a vector of at least {min_length} {must}", value)
    if not all(math.isfinite(x) for x in xs):
        fail(name, f"a vector of finite {must}", value)
    if low is not None and any(x < low or (low_open and x == low) for x in xs):
        fail(name, f"a vector of {must}", value)
    if increasing and any(b <= a for a, b in zip(xs, xs[1:])):
        fail(name, f"a strictly increasing vector of {must}", value)
    return xs


def check_clock(t: Any) -> np.ndarray:
    """Check the clock ``t``: real, finite, ``>= 0``. Returns a float64 array."""
    must = "a vector of non-negative finite numbers"
    try:
        raw = np.asarray(t)
    except (TypeError, ValueError):
        fail("t", must, t, TypeError)
    # NumPy would parse strings ("3") and take booleans as 0/1: neither is a clock value.
    numeric = raw.dtype.kind in "iuf" or (
        raw.dtype.kind == "O" and all(_is_real(v) for v in raw.ravel()))
    if not numeric:
        fail("t", must, t, TypeError)
    # No copy when t already is float64 (formulas never write to their input); two
    # reductions and no temporaries: a NaN fails both comparisons, -inf the first, inf the second.
    arr = raw.astype(np.float64, copy=False)
    if arr.size and not (arr.min() >= 0.0 and arr.max() < np.inf):
        bad = arr[~(np.isfinite(arr) & (arr >= 0.0))]
        fail("t", must, bad.ravel()[:3].tolist())
    return arr


# -- Lengths sized to the run ---------------------------------------------------------------


class OfRun:
    """A length given as a fraction of the run: ``of_run(0.05)`` is 5% of the ``fit()``'s
    run, counted in the clock's unit (epochs, or updates in-graph), exactly (no rounding).

    Made by ``lrdecay.of_run()``; accepted by every length argument of a schedule (a vector
    of fractions for ``milestones`` and ``boundaries``). ``Schedule.sized(total)`` turns it
    into ``fraction * total``.

    Args:
        fraction: a number in ``(0, 1]``, or a strictly increasing vector of them.
    """

    def __init__(self, fraction: Any) -> None:
        must = "a number in (0, 1], or a strictly increasing vector of them"
        if isinstance(fraction, OfRun):
            fraction = fraction.fraction
        if _is_real(fraction) or (isinstance(fraction, np.ndarray) and fraction.size == 1):
            self.fraction: float | tuple[float, ...] = check_number(
                "fraction", fraction, low=0.0, high=1.0, low_open=True)
            return
        xs = check_vector("fraction", fraction, low=0.0, low_open=True, increasing=True,
                          must="numbers in (0, 1]")
        if any(x > 1.0 for x in xs):
            fail("fraction", must, fraction)
        self.fraction = xs[0] if len(xs) == 1 and not isinstance(fraction, (list, tuple)) \
            else tuple(xs)

    @property
    def is_vector(self) -> bool:
        """Whether it holds a vector of fractions (``milestones``, ``boundaries``)."""
        return isinstance(self.fraction, tuple)

    def of(self, total: float) -> float | list[float]:
        """The length(s) for a run of ``total`` clock units: ``fraction * total``, computed
        from the decimal fraction as written (``of_run(0.1)`` of 30 is 3, not
        3.0000000000000004).

        Args:
            total: the run's length, in clock units.
        """
        def one(f: float) -> float:
            return float(Fraction(show_number(f)) * Fraction(show_number(total)))

        if isinstance(self.fraction, tuple):
            return [one(f) for f in self.fraction]
        return one(self.fraction)

    def get_config(self) -> dict[str, Any]:
        """``{"of_run": fraction}`` (a list for a vector), as schedule configs hold it."""
        f = self.fraction
        return {"of_run": list(f) if isinstance(f, tuple) else f}

    def __repr__(self) -> str:
        f = self.fraction
        if isinstance(f, tuple):
            return "of_run([" + ", ".join(show_number(x) for x in f) + "])"
        return f"of_run({show_number(f)})"

    def r_call(self) -> str:
        """The value in R syntax: ``of_run(0.05)``, ``of_run(c(0.5, 0.75))``."""
        f = self.fraction
        if isinstance(f, tuple):
            return "of_run(c(" + ", ".join(show_number(x) for x in f) + "))"
        return f"of_run({show_number(f)})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, OfRun) and other.fraction == self.fraction

    def __hash__(self) -> int:
        return hash(("of_run", self.fraction))


OfRun.__module__ = "lrdecay"


def of_run(fraction: Any) -> OfRun:
    """A length that is ``fraction`` of the run (``0 < fraction <= 1``), for any length
    argument of a schedule: ``Warmup(Cosine(0.1), warmup_steps=of_run(0.05))``.

    Args:
        fraction: a number in ``(0, 1]``, or a strictly increasing vector of them (for
            ``milestones`` and ``boundaries``).

    Returns:
        An ``OfRun``; ``fit()`` (or ``Schedule.sized()``) turns it into a length.

    >>> of_run(0.05)
    of_run(0.05)
    >>> of_run(0.1).of(30)
    3.0
    """
    return OfRun(fraction)


def check_length(name: str, value: Any, *, run: bool = False, vector: bool = False) -> Any:
    """A length argument: a number (or, ``vector``, numbers) as the family checks it
    itself, an ``OfRun``, or ``None`` where ``run`` allows the whole run.

    Args:
        name: the argument's name.
        value: what the user passed.
        run: whether ``None`` (omitted: the whole run) is accepted (else the caller's
            numeric check rejects it).
        vector: whether the argument is a vector (then ``of_run()`` holds a vector).

    Returns:
        ``value`` unchanged when it is a number or numbers (the caller checks it),
        the ``OfRun``, or ``None``.
    """
    if value is None:
        return None  # the whole run where ``run``, else the family's check says what it must be
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, OfRun) for v in value):
        if not vector and len(value) == 1:
            value = value[0]
        else:
            value = OfRun([v.fraction for v in value])
    if isinstance(value, OfRun):
        if value.is_vector and not vector:
            fail(name, "one length (of_run() of one fraction)", list(value.fraction))
        if vector and not value.is_vector:
            value = OfRun([value.fraction])
        return value
    return value
