"""Values, vectorisation, presentation and serialization of the NumPy schedules.

Every family is checked against a reference formula written here in plain Python
(``math``, float64, one ``t`` at a time), over clock values that include every
boundary, except Cyclic and MultiStep, whose reference is PyTorch's own schedulers
(OneCycle has both). Keras comparisons live in ``test_keras_schedule.py``.
"""

from __future__ import annotations

import json
import math

import lrdecay
import numpy as np
import pytest
from kit import ALL_FAMILIES, TWIN_CASES, case_params, covered_families, schedule_cases, torch_lrs
from lrdecay import *  # noqa: F403 - the schedules API, lrdecay.__all__

# Reference and implementation are both float64 but may round differently (e.g. pi * t / D
# versus pi * (t / D)): a few ulps. ATOL covers values that should be exactly 0 (cos(pi)).
RTOL = 1e-12
ATOL = 1e-15


# ---------------------------------------------------------------------------
# Reference formulas: plain Python, one t at a time
# ---------------------------------------------------------------------------


def ref_constant(lr):
    return lambda t: lr


def ref_step(initial_lr, drop, every):
    return lambda t: initial_lr * drop ** math.floor(t / every)


def ref_piecewise(boundaries, values):
    """values[i] up to and including boundaries[i] (Keras's rule), then values[-1]."""
    return lambda t: next((v for b, v in zip(boundaries, values) if t <= b), values[-1])


def _periods(t, decay_steps, staircase):
    """t / decay_steps, floored with staircase."""
    return math.floor(t / decay_steps) if staircase else t / decay_steps


def ref_exponential(initial_lr, decay_steps=1, decay_rate=None, staircase=False, k=None):
    def f(t):
        p = _periods(t, decay_steps, staircase)
        return initial_lr * (math.exp(-k * p) if k is not None else decay_rate**p)

    return f


def ref_inverse_time(initial_lr, decay_steps, decay_rate, staircase=False):
    return lambda t: initial_lr / (1 + decay_rate * _periods(t, decay_steps, staircase))


def ref_polynomial(initial_lr, decay_steps, end_lr=1e-4, power=1.0, cycle=False):  # Keras's end
    def f(t):
        if cycle:
            # the first multiple of decay_steps that is >= t (decay_steps itself at t = 0)
            d = decay_steps * max(1, math.ceil(t / decay_steps))
            p = t / d
        else:
            p = min(t, decay_steps) / decay_steps
        return (initial_lr - end_lr) * (1 - p) ** power + end_lr

    return f


def ref_cosine(initial_lr, decay_steps, alpha=0.0):
    def f(t):
        c = 0.5 * (1 + math.cos(math.pi * min(t, decay_steps) / decay_steps))
        return initial_lr * ((1 - alpha) * c + alpha)

    return f


def ref_cosine_restarts(initial_lr, first_decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0):
    """SGDR, by walking the periods one after the other (no logarithms)."""

    def f(t):
        start, length, i = 0.0, float(first_decay_steps), 0
        while t >= start + length:
            start += length
            length *= t_mul
            i += 1
        frac = (t - start) / length
        c = 0.5 * m_mul**i * (1 + math.cos(math.pi * frac))
        return initial_lr * ((1 - alpha) * c + alpha)

    return f


def ref_linear(start_lr, end_lr, steps):
    return lambda t: start_lr + (end_lr - start_lr) * min(t, steps) / steps


def ref_one_cycle(max_lr, total_steps, pct_start=0.3, anneal="cos", div_factor=25.0,
                  final_div_factor=1e4, three_phase=False):
    initial = max_lr / div_factor
    final = initial / final_div_factor
    up = pct_start * total_steps - 1
    last = total_steps - 1
    if three_phase:
        phases = [(0, up, initial, max_lr), (up, 2 * pct_start * total_steps - 2, max_lr, initial),
                  (2 * pct_start * total_steps - 2, last, initial, final)]
    else:
        phases = [(0, up, initial, max_lr), (up, last, max_lr, final)]

    def f(t):
        t = min(t, last)
        for j, (a, b, lo, hi) in enumerate(phases):
            if t <= b or j == len(phases) - 1:
                pct = (t - a) / (b - a)
                if anneal == "cos":
                    return hi + (lo - hi) / 2 * (1 + math.cos(math.pi * pct))
                return lo + (hi - lo) * pct
        raise AssertionError

    return f


def ref_warmup(inner, warmup_steps, start_lr=0.0, shape="linear"):
    target = inner(0.0)

    def f(t):
        if t < warmup_steps:
            if shape == "linear":
                return start_lr + (target - start_lr) * t / warmup_steps
            return start_lr * (target / start_lr) ** (t / warmup_steps)
        return inner(t - warmup_steps)

    return f


def ref_sequence(inners, boundaries):
    def f(t):
        i = sum(1 for b in boundaries if b <= t)
        return inners[i](t - (boundaries[i - 1] if i else 0.0))

    return f


# ---------------------------------------------------------------------------
# Cases: (schedule, reference, points where the schedule changes regime)
# ---------------------------------------------------------------------------


REFERENCE = {Constant: ref_constant, Step: ref_step, Piecewise: ref_piecewise,
             Exponential: ref_exponential, InverseTime: ref_inverse_time,
             Polynomial: ref_polynomial, Cosine: ref_cosine, CosineRestarts: ref_cosine_restarts,
             Linear: ref_linear, OneCycle: ref_one_cycle}


def reference(s):
    """The reference formula of a schedule of kit's table, from its parameters."""
    if isinstance(s, Warmup):
        return ref_warmup(reference(s.schedule), s.warmup_steps, s.start_lr, s.shape)
    if isinstance(s, Sequence):
        return ref_sequence([reference(x) for x in s.schedules], s.boundaries)
    return REFERENCE[type(s)](**s.get_config()["config"])


def _case(id_, cls, *args, points=(), **kw):
    """The schedule and its reference formula, from the same arguments."""
    return pytest.param(cls(*args, **kw), REFERENCE[cls](*args, **kw), list(points), id=id_)


#: kit's table wherever every family has a reference: its parameters reach every branch
#: by t = 40 (42.5 nested), and its boundaries are whole or half numbers (KIT_POINTS).
KIT_POINTS = np.arange(0.0, 45.0, 0.5).tolist()
_KNOWN = {cls.__name__ for cls in REFERENCE} | {"Warmup", "Sequence"}
CASES = [pytest.param(s, reference(s), KIT_POINTS, id=name) for name, s in schedule_cases()
         if covered_families([(name, s)]) <= _KNOWN]
# Keras's twins (kit.TWIN_CASES), then rows that kit's table does not hold
CASES += [_case(id_, cls, *args, points=points) for id_, cls, args, points in TWIN_CASES]
CASES += [
    _case("constant-zero", Constant, 0.0),
    _case("step-drop-1", Step, 0.3, 1.0, 4, points=[4, 8]),
    _case("piecewise-fractional", Piecewise, [0.5], [0.2, 0.02], points=[0.5]),
    _case("exponential-k", Exponential, 0.1, k=0.3, decay_steps=10, points=[10, 20]),
    _case("linear-down", Linear, 0.1, 0.001, 7.5, points=[7.5]),
]


def clock_grid(points, far=(1e3, 1e5)):
    """0, a few fractional values, every point with its neighbours, and far past the last."""
    ts = {0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.7}
    for p in points:
        for d in (-1.0, -0.5, -1e-9, 0.0, 1e-9, 0.5, 1.0):
            if p + d >= 0:
                ts.add(p + d)
    last = max(points, default=10.0)
    ts.update(last * m for m in (1.5, 2, 3.3))
    ts.update(far)
    ts.update(np.linspace(0, last * 1.2, 61).tolist())
    return np.array(sorted(ts))


# ---------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(("schedule", "reference", "points"), CASES)
def test_values_match_reference_formula(schedule, reference, points):
    """Over a clock that holds every regime change, just before it and just after it."""
    ts = clock_grid(points)
    expected = np.array([reference(float(t)) for t in ts])
    np.testing.assert_allclose(schedule(ts), expected, rtol=RTOL, atol=ATOL,
                               err_msg=f"{schedule!r} at t = {ts.tolist()}")


#: Values worked out by hand, independent of any formula code, where the reference formulas
#: above do not reach: PyTorch's families at fractional t, the defaults of decay_steps,
#: FromFunction, WSD and InverseSqrt. (schedule, t, values)
HAND = [
    (MultiStep(1.0, [3, 7], 0.1), [0, 2.9, 3, 6.5, 7, 100], [1, 1, 0.1, 0.1, 0.01, 0.01]),
    (MultiStep(1.0, [0, 2.5], 0.1), [0, 2.4, 2.5, 3], [0.1, 0.1, 0.01, 0.01]),
    # decay_steps 1 unless given (Exponential: exactly one of decay_rate and k,
    # test_schedule_checks.py's EXACT)
    (Exponential(0.1, decay_rate=0.5), [3], [0.0125]),
    (InverseTime(0.1, decay_rate=0.5), [2], [0.05]),
    (Cyclic(1.0, 3.0, 2), [0, 0.5, 1, 2, 2.5, 3, 4, 6], [1, 1.5, 2, 3, 2.5, 2, 1, 3]),
    (Cyclic(0.0, 1.0, 2, mode="exp_range", gamma=0.5), [0.5, 1, 3],
     [0.25 * 0.5**0.5, 0.25, 0.0625]),  # (1 - x) * gamma^t
    # FromFunction inside a Warmup (its target: the function at t = 0) and a Sequence
    (Warmup(FromFunction(lambda t: 0.1 / (1 + t)), 4), [0, 2, 4, 5], [0, 0.05, 0.1, 0.05]),
    (Sequence([Constant(0.3), FromFunction(lambda t: 0.1 / (1 + t))], [2]), [0, 2, 3],
     [0.3, 0.1, 0.05]),
    # WSD: warmup from 0.25 * 0.2 = 0.05 to 0.2, stable, linear decay back to 0.05, then 0.05
    (WSD(0.2, 4, 3, 4, decay="linear", min_lr_ratio=0.25), [*range(13), 1e9],
     [0.05, 0.0875, 0.125, 0.1625, 0.2, 0.2, 0.2, 0.2, 0.1625, 0.125, 0.0875, 0.05, 0.05, 0.05]),
    (WSD(0.1, 0, 0, 10, decay="1-sqrt"), [2.5], [0.05]),
    (InverseSqrt(0.1, 4), [0, 1, 2, 4, 16, 64], [0.0, 0.025, 0.05, 0.1, 0.05, 0.025]),
    (InverseSqrt(0.1, 0), [30_000], [0.05]),  # timescale 10000
]


@pytest.mark.parametrize(("schedule", "t", "values"), HAND)
def test_hand_computed_values(schedule, t, values):
    np.testing.assert_allclose(schedule(np.asarray(t, dtype=float)), values, rtol=1e-15,
                               atol=1e-18)


# ---------------------------------------------------------------------------
# PyTorch as the reference for Cyclic, OneCycle and MultiStep
# ---------------------------------------------------------------------------

@pytest.mark.parametrize(("mode", "gamma", "step_size", "base", "top"), [
    ("triangular", 1.0, 4, 0.001, 0.006),
    ("triangular", 1.0, 2.5, 0.01, 0.1),
    ("triangular2", 1.0, 3, 0.001, 0.01),
    ("exp_range", 0.97, 5, 0.001, 0.006),
    ("exp_range", 0.5, 1, 0.0, 1.0),
    ("triangular", 1.0, 7, 0.05, 0.05),
])
def test_cyclic_matches_torch(mode, gamma, step_size, base, top):
    n = 80
    expected = torch_lrs(lambda opt, lr_scheduler: lr_scheduler.CyclicLR(
        opt, base_lr=base, max_lr=top, step_size_up=step_size, step_size_down=step_size,
        mode=mode, gamma=gamma, cycle_momentum=False), n)
    got = Cyclic(base, top, step_size, mode=mode, gamma=gamma)(np.arange(n))
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-16)


ONE_CYCLE = [
    dict(total_steps=100),
    dict(total_steps=100, anneal="linear"),
    dict(total_steps=37, pct_start=0.25, div_factor=10.0, final_div_factor=100.0),
    dict(total_steps=60, pct_start=0.45, anneal="linear", div_factor=5.0),
    dict(total_steps=100, three_phase=True),
    dict(total_steps=41, pct_start=0.2, anneal="linear", three_phase=True, final_div_factor=1e3),
    dict(total_steps=50, pct_start=0.35, div_factor=3.0, final_div_factor=50.0,
         three_phase=True),
    dict(total_steps=4, pct_start=0.5),
    dict(total_steps=10, pct_start=0.9, anneal="linear"),
]


@pytest.mark.parametrize("kw", ONE_CYCLE, ids=lambda kw: json.dumps(kw))
def test_one_cycle_matches_torch_then_holds(kw):
    max_lr = 0.1
    total = kw["total_steps"]
    torch_kw = {"anneal_strategy" if k == "anneal" else k: v for k, v in kw.items()}
    expected = torch_lrs(lambda opt, lr_scheduler: lr_scheduler.OneCycleLR(
        opt, max_lr=max_lr, cycle_momentum=False, **torch_kw), total)
    s = OneCycle(max_lr, **kw)
    np.testing.assert_allclose(s(np.arange(total)), expected, rtol=1e-12, atol=1e-18)
    final = max_lr / kw.get("div_factor", 25.0) / kw.get("final_div_factor", 1e4)
    assert expected[-1] == pytest.approx(final, rel=1e-12)
    # and between the integer steps, the reference formula
    ts = np.arange(0, total + 3, 0.25)
    ref = ref_one_cycle(max_lr, **kw)
    np.testing.assert_allclose(s(ts), [ref(t) for t in ts], rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize(("milestones", "gamma"), [([3, 7, 12], 0.5), ([1], 0.1),
                                                    ([0, 5, 6], 0.3)])
def test_multistep_matches_torch(milestones, gamma):
    n = 20
    expected = torch_lrs(lambda opt, lr_scheduler: lr_scheduler.MultiStepLR(
        opt, milestones=milestones, gamma=gamma), n, lr=0.2)
    np.testing.assert_allclose(MultiStep(0.2, milestones, gamma)(np.arange(n)), expected,
                               rtol=1e-12)


# ---------------------------------------------------------------------------
# FromFunction
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(("fn", "t", "shown"), [
    (lambda t: -1.0, 3, "-1 at t = 3"),
    (lambda t: t * np.nan, [1.0, 2.0], "NaN at t = 1"),
    (lambda t: np.float64("inf"), 2.5, "Inf at t = 2.5"),
    (lambda t: "fast", 1, '"fast" at t = 1'),
    (lambda t: None, 4, "None at t = 4"),
    (lambda t: True, 5, "True at t = 5"),
    (lambda t: [0.1, 0.2], 6, "[0.1, 0.2] at t = 6"),
    (lambda t: np.array([0.1, 0.2]), 28125, "[0.1, 0.2] at t = 28125"),
], ids=["negative", "nan-vector", "inf-numpy", "string", "none", "bool", "pair", "array-pair"])
def test_from_function_nonsense_values_get_lrdecay_error(fn, t, shown):
    """lrdecay's own error: names t and the value (no NumPy repr such as np.float64(...))."""
    with pytest.raises(ValueError) as err:
        FromFunction(fn)(t)
    assert str(err.value) == (f"The schedule function returned {shown}; it must return one "
                              "non-negative finite number.")
    assert "np." not in str(err.value)


class _UserError(Exception):
    """An exception class of the user's own."""


def test_from_function_user_exception_propagates_unchanged():
    """The user's error reaches the caller as raised: same type, same message, with a note."""
    def boom(t):
        raise _UserError(f"no rate for t = {t}")

    for t in (1.5, [1.5, 2.0]):  # a vector call that fails falls back to one call per value
        with pytest.raises(_UserError) as err:
            FromFunction(boom)(t)
        assert type(err.value) is _UserError
        assert str(err.value) == "no rate for t = 1.5"
        assert err.value.__notes__ == ["(raised by the schedule function at t = 1.5)"]
    with pytest.raises(ZeroDivisionError) as err:
        FromFunction(lambda t: 1 / (t - 2))(2)
    assert str(err.value) == "float division by zero"
    # Inside a Warmup too (its target is the function at t = 0).
    with pytest.raises(_UserError) as err:
        Warmup(FromFunction(boom), 3)(1)
    assert str(err.value) == "no rate for t = 0.0"


# ---------------------------------------------------------------------------
# Vectorisation and the clock
# ---------------------------------------------------------------------------


TABLE = case_params()  # the one schedule table (kit.schedule_cases)


def test_the_table_covers_every_family():
    assert covered_families(schedule_cases()) == ALL_FAMILIES
    # and each family with a reference formula meets it on kit's table
    kit_rows = [(p.id, p.values[0]) for p in CASES if p.values[2] is KIT_POINTS]
    assert covered_families(kit_rows) == _KNOWN


# FromFunction: a vectorised function, and one that fails on an array (math.exp), called
# once per value (their values: tests/testthat/test-schedules.R, R's functions both ways).
ALL_SCHEDULES = [p.values[0] for p in TABLE] + [FromFunction(lambda t: 0.01 + 0 * t),
                                                FromFunction(lambda t: 0.1 * math.exp(-t / 10))]
ALL_IDS = [p.id for p in TABLE] + ["function", "function-per-value"]


@pytest.mark.parametrize("schedule", ALL_SCHEDULES, ids=ALL_IDS)
def test_array_call_equals_elementwise_calls_and_keeps_the_shape(schedule):
    ts = np.concatenate([np.arange(0, 60, 0.75), [123.0, 4567.0]])
    whole = schedule(ts)
    assert isinstance(whole, np.ndarray)
    assert whole.dtype == np.float64
    assert whole.shape == ts.shape
    one_by_one = np.array([schedule(float(t)) for t in ts])
    # A scalar t evaluates as a one-element vector: bit for bit the same numbers.
    np.testing.assert_array_equal(whole, one_by_one)
    for t in (3, 3.0, np.float32(3), np.int64(3), np.array(3.0)):  # scalar in, float out
        out = schedule(t)
        assert type(out) is float, (t, type(out))
        assert out == schedule(3.0)
    grid = np.arange(12.0).reshape(3, 4)
    out = schedule(grid)
    assert out.shape == (3, 4)
    np.testing.assert_array_equal(out.ravel(), schedule(grid.ravel()))
    assert schedule([1, 2, 3]).shape == (3,)
    assert schedule([]).shape == (0,)
    assert out.flags.writeable  # the caller's own array, not a read-only broadcast view


@pytest.mark.parametrize(("bad", "exc", "shown"), [
    (-1, ValueError, "-1"), (-0.5, ValueError, "-0.5"), (float("nan"), ValueError, "NaN"),
    (float("inf"), ValueError, "Inf"), ([0.0, 1.0, -2.0], ValueError, "[-2]"),
    (np.array([1.0, np.nan]), ValueError, "NaN"), (-np.inf, ValueError, "-Inf"),
    *[(bad, TypeError, "") for bad in ["3", "abc", [1, "2"], True, np.array([True, False]),
                                       None, {"t": 1}, b"1"]],
])
def test_bad_clock_values_raise_an_error_naming_t(bad, exc, shown):
    for schedule in ALL_SCHEDULES:
        with pytest.raises(exc, match="`t` must be a vector of non-negative finite") as err:
            schedule(bad)
        assert shown in str(err.value), schedule


# ---------------------------------------------------------------------------
# Presentation
# ---------------------------------------------------------------------------


def test_repr_shows_class_and_every_parameter():
    assert repr(Step(0.01, 0.5, 10)) == "Step(initial_lr=0.01, drop=0.5, every=10)"
    assert repr(Exponential(0.1, 1000, 0.96, staircase=True)) == (
        "Exponential(initial_lr=0.1, decay_steps=1000, decay_rate=0.96, staircase=True, k=None)")
    assert repr(InverseTime(0.1, 10, 0.5)) == (
        "InverseTime(initial_lr=0.1, decay_steps=10, decay_rate=0.5, staircase=False)")
    # NumPy scalars show as numbers (NumPy 2 reprs them as np.float64(...)).
    assert repr(Step(np.float64(0.01), np.float32(0.5), np.int64(10))) == (
        "Step(initial_lr=0.01, drop=0.5, every=10)")
    assert repr(Warmup(Constant(0.1), 5, shape="exponential", start_lr=1e-5)) == (
        "Warmup(schedule=Constant(lr=0.1), warmup_steps=5, start_lr=1e-05, "
        "shape='exponential')")
    assert repr(Sequence([Constant(0.1), Linear(0.1, 0, 3)], [2.5])) == (
        "Sequence(schedules=[Constant(lr=0.1), Linear(start_lr=0.1, end_lr=0, steps=3)], "
        "boundaries=[2.5])")
    # full precision: no rounding to 6 digits
    assert "0.123456789" in repr(Constant(0.123456789))
    assert repr(FromFunction(math.sqrt)) == "FromFunction(fn=sqrt)"


def test_describe_formulas_follow_the_arguments():
    # Every family's formula, staircase, k, cycle and a linear warmup included, as R's
    # print() shows it: tests/testthat/_snaps/schedules.md.
    assert "floor" not in Exponential(0.1, 1, 0.9).describe()["formula"]
    assert "(target / start_lr)^" in Warmup(Constant(0.1), 3, 0.01, "exponential").formula


#: describe()["family"]: the class name in lower case, but for these
FAMILY_NAMES = {"InverseTime": "inverse_time", "CosineRestarts": "cosine_restarts",
                "OneCycle": "one_cycle", "InverseSqrt": "inverse_sqrt",
                "OneCycleMomentum": "momentum", "CyclicMomentum": "momentum",
                "FromFunction": "function"}
PYTHON_ONLY = ("None", "True", "False", "[", "'", ".0,", ".0)", "np.")
PRESENTED = ALL_SCHEDULES + [InverseSqrt(0.1, 0)]  # the default timescale, without warmup
PRESENTED_IDS = ALL_IDS + ["inverse_sqrt-0"]


@pytest.mark.parametrize("schedule", PRESENTED, ids=PRESENTED_IDS)
def test_describe_names_the_family_the_formula_and_the_calls(schedule):
    """describe() names the family, formula and calls; plot() previews its horizon."""
    d = schedule.describe()
    assert set(d) >= {"family", "class_name", "call", "r_call", "formula"}
    name = type(schedule).__name__
    assert d["class_name"] == name
    assert d["family"] == FAMILY_NAMES.get(name, name.lower())
    assert d["formula"].startswith(("lr(t) = ", "momentum(t) = "))
    assert d["call"] == repr(schedule)
    # describe()["r_call"]: the R constructor call, R syntax only (no None/True/[...])
    r_call = schedule.r_call()
    assert r_call == d["r_call"]
    assert r_call.startswith("schedule_") and r_call.endswith(")")
    for python_only in PYTHON_ONLY:
        assert python_only not in r_call
    assert schedule.default_horizon() > 0
    plt = pytest.importorskip("matplotlib.pyplot")
    ax = schedule.plot()
    try:
        np.testing.assert_array_equal(ax.lines[0].get_xdata(),
                                      np.arange(schedule.default_horizon() + 1))
    finally:
        plt.close(ax.figure)


def _sqrt_decay(t):
    return 0.1 / np.sqrt(1.0 + t)


# R syntax for every kind of value (that R reads these calls back as the same schedule,
# for every schedule of the table: test_r_parity.py). R's print() shows the r_call: Step,
# Exponential with k and an R function's source are in tests/testthat/_snaps/schedules.md.
R_CALLS = [
    (MultiStep(0.1, [30], 0.5), "schedule_multistep(initial_lr = 0.1, milestones = c(30), "
                                "gamma = 0.5)"),
    (Piecewise([5, 10.5], [1.0, 0.5, 1e-05]),
     "schedule_piecewise(boundaries = c(5, 10.5), values = c(1, 0.5, 1e-05))"),
    (Cyclic(0.001, 0.006, 5, mode="exp_range", gamma=0.95),
     'schedule_cyclic(base_lr = 0.001, max_lr = 0.006, step_size = 5, mode = "exp_range", '
     "gamma = 0.95)"),
    (Warmup(Cosine(0.1, 50), 5, start_lr=1e-4, shape="exponential"),
     "schedule_warmup(schedule = schedule_cosine(initial_lr = 0.1, decay_steps = 50, "
     'alpha = 0), warmup_steps = 5, start_lr = 0.0001, shape = "exponential")'),
    (Sequence([Linear(0, 0.1, 5), Warmup(Constant(0.1), 2)], [5]),
     "schedule_sequence(schedules = list(schedule_linear(start_lr = 0, end_lr = 0.1, "
     "steps = 5), schedule_warmup(schedule = schedule_constant(lr = 0.1), warmup_steps = 2, "
     'start_lr = 0, shape = "linear")), boundaries = c(5))'),
    (Sequence([Constant(0.1)], []),
     "schedule_sequence(schedules = list(schedule_constant(lr = 0.1)), boundaries = numeric(0))"),
    (lrdecay.Cyclic(0.01, 0.1, 5).momentum(0.8, 0.9),
     "schedule_momentum(schedule = schedule_cyclic(base_lr = 0.01, max_lr = 0.1, step_size = 5, "
     "mode = \"triangular\", gamma = 1), base_momentum = 0.8, max_momentum = 0.9)"),
    (FromFunction(_sqrt_decay), "schedule_function(fn = _sqrt_decay)"),
    # numbers in their shortest round-trip form: the R reader gets the very double
    (Step(0.1 + 0.2, 1 / 3, 1e21), "schedule_step(initial_lr = 0.30000000000000004, "
                                   "drop = 0.3333333333333333, every = 1e+21)"),
    (Constant(np.float64(2.5e-07)), "schedule_constant(lr = 2.5e-07)"),
]

@pytest.mark.parametrize(("schedule", "r_call"), R_CALLS, ids=[type(s).__name__ + str(i)
                                                               for i, (s, _) in enumerate(R_CALLS)])
def test_describe_gives_the_r_call(schedule, r_call):
    assert schedule.describe()["r_call"] == r_call
    assert schedule.r_call() == r_call


@pytest.mark.parametrize(("schedule", "horizon"), [
    (Exponential(0.1, 1000, 0.96), 5000),
    (Exponential(0.1, 1000, 0.96, staircase=True), 5000),
    (Exponential(0.01, 2.5, k=0.1), 13),
    (Exponential(0.1, 1, 0.9), 10),
    (InverseTime(0.1, 500, 0.5), 2500),
    (InverseTime(0.1, 1, 0.5), 10),
    (InverseTime(0.1, 0.3, 2.0), 10),
])
def test_exponential_and_inverse_time_previews_follow_decay_steps(schedule, horizon):
    """The default preview (plot()'s t = 0..default_horizon) spans five decay periods (at
    least 10): not a flat line."""
    assert schedule.default_horizon() == horizon
    assert schedule(float(horizon)) < schedule(0.0)  # the preview shows the decay


def test_plot_draws_the_schedule_values():
    plt = pytest.importorskip("matplotlib.pyplot")

    s = Cosine(0.1, 40, alpha=0.1)
    ts = np.linspace(0, 60, 121)
    ax = s.plot(ts)
    try:
        assert len(ax.lines) == 1
        np.testing.assert_array_equal(ax.lines[0].get_xdata(), ts)
        np.testing.assert_array_equal(ax.lines[0].get_ydata(), s(ts))
        assert ax.get_xlabel() == "t"
        assert ax.get_ylabel() == "learning rate"
    finally:
        plt.close(ax.figure)

    fig, ax = plt.subplots()
    try:
        s2 = Step(0.01, 0.5, 10)
        assert s2.plot(ax=ax, color="red") is ax
        np.testing.assert_array_equal(ax.lines[0].get_xdata(), np.arange(51))
        np.testing.assert_array_equal(ax.lines[0].get_ydata(), s2(np.arange(51)))
        with pytest.raises(ValueError, match="`t`"):
            s2.plot([-1, 2], ax=ax)
    finally:
        plt.close(fig)


# ---------------------------------------------------------------------------
# Serialization
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("schedule", TABLE)
def test_config_and_repr_rebuild_the_schedule(schedule):
    text = repr(schedule)
    assert text.startswith(type(schedule).__name__ + "(")
    for name in schedule.get_config()["config"]:
        assert f"{name}=" in text
    assert eval(text, {name: getattr(lrdecay, name) for name in lrdecay.__all__}) == schedule
    config = schedule.get_config()
    assert set(config) == {"class_name", "config"}
    assert config["class_name"] == type(schedule).__name__
    text = json.dumps(config)
    rebuilt = lrdecay.from_config(json.loads(text))
    assert rebuilt == schedule
    assert hash(rebuilt) == hash(schedule)
    assert rebuilt is not schedule
    assert rebuilt.get_config() == config
    ts = np.concatenate([clock_grid([7, 31]),
                         np.linspace(0.0, 2 * schedule.default_horizon(), 257)])
    np.testing.assert_array_equal(rebuilt(ts), schedule(ts))
    assert type(schedule).from_config(config) == schedule
    # nested in a Warmup and a Sequence
    nested = Sequence([Constant(0.01), Warmup(schedule, 3, 0.001)], [5])
    assert lrdecay.from_config(json.loads(json.dumps(nested.get_config()))) == nested


def test_config_is_the_constructor_arguments():
    # Keras's order: the config's keys follow the constructor.
    assert list(Exponential(0.1, 1000, 0.96).get_config()["config"]) == [
        "initial_lr", "decay_steps", "decay_rate", "staircase", "k"]
    assert InverseTime(0.1, 10, 0.5).get_config()["config"] == {
        "initial_lr": 0.1, "decay_steps": 10, "decay_rate": 0.5, "staircase": False}
    assert Step(0.01, 0.5, 10).get_config() == {
        "class_name": "Step", "config": {"initial_lr": 0.01, "drop": 0.5, "every": 10}}
    nested = Warmup(Sequence([Constant(0.1), Step(0.1)], [3]), 2).get_config()
    assert nested["config"]["schedule"] == {
        "class_name": "Sequence",
        "config": {"schedules": [{"class_name": "Constant", "config": {"lr": 0.1}},
                                 {"class_name": "Step", "config": {"initial_lr": 0.1,
                                                                   "drop": 0.5, "every": 10}}],
                   "boundaries": [3]}}


def test_equality_follows_configs():
    assert Step(0.01, 0.5, 10) == Step(0.01, drop=0.5, every=10.0)
    assert Step(0.01, 0.5, 10) != Step(0.01, 0.5, 11)
    assert Step(0.01) != MultiStep(0.01, [10], 0.5)
    assert len({Cosine(0.1, 10), Cosine(0.1, 10.0), Cosine(0.1, 20)}) == 2
    f = math.sqrt
    assert FromFunction(f) == FromFunction(f)
    assert FromFunction(f) != FromFunction(math.exp)


def test_from_function_is_not_serializable():
    fn = FromFunction(math.sqrt)
    for schedule in (fn, Warmup(fn, 3), Sequence([Constant(0.1), fn], [3])):
        with pytest.raises(TypeError, match="not serializable"):
            schedule.get_config()


@pytest.mark.parametrize(("config", "exc", "words"), [
    ({"class_name": "Stepp", "config": {"initial_lr": 0.1}}, ValueError,
     ["`class_name`", '"Stepp"', "Step", "Cosine"]),
    ({"class_name": "FromFunction", "config": {"fn": "print"}}, ValueError,
     ["`class_name`", '"FromFunction"']),
    ({"class_name": "Step", "config": {"initial_lr": 0.1, "dorp": 0.5}}, ValueError,
     ["`config`", "Step", '"dorp"', "initial_lr, drop, every"]),
    ({"class_name": "Step", "config": {"drop": 0.5}}, ValueError,
     ["`config`", "missing: initial_lr"]),
    ({"class_name": "Piecewise", "config": {"values": [1, 2]}}, ValueError,
     ["missing: boundaries"]),
    ({"class_name": "Step", "config": {"initial_lr": "0.1"}}, TypeError,
     ["`initial_lr`", "positive number", '"0.1"']),
    ({"class_name": "Cyclic", "config": {"base_lr": 0.1, "max_lr": 1, "step_size": 3,
                                         "mode": "sine"}}, ValueError, ["`mode`", '"sine"']),
    ({"class_name": "Step"}, TypeError, ["`config`", '"class_name" and "config"']),
    ({"class_name": "Step", "config": {"initial_lr": 0.1}, "extra": 1}, TypeError,
     ["`config`", '"class_name" and "config"']),
    ("Step(0.1)", TypeError, ["`config`", '"Step(0.1)"']),
    ({"class_name": "Step", "config": [0.1]}, TypeError, ["`config`", "Step's arguments"]),
    ({"class_name": "Warmup", "config": {"schedule": {"class_name": "Nope", "config": {}},
                                         "warmup_steps": 3}}, ValueError,
     ["`class_name`", '"Nope"']),
    ({"class_name": "Warmup", "config": {"schedule": {"lr": 0.1}, "warmup_steps": 3}},
     TypeError, ["`schedule`", "an lrdecay schedule"]),
    ({"class_name": "Sequence", "config": {"schedules": [
        {"class_name": "Constant", "config": {"lr": -1}}], "boundaries": []}}, ValueError,
     ["`lr`", "-1"]),
])
def test_malformed_configs_raise_clear_errors(config, exc, words):
    with pytest.raises(exc) as err:
        lrdecay.from_config(config)
    for w in words:
        assert w in str(err.value)


def test_class_from_config_checks_the_class():
    with pytest.raises(ValueError, match="a config of Cosine"):
        Cosine.from_config(Step(0.1).get_config())
