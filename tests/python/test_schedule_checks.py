"""Bad arguments to every schedule constructor: the error type and the message.

Every message has the form "`arg` must be <what>, not <value>." (the same words as
the R side), so each row states the argument, what it must be and what is shown.
"""

from __future__ import annotations

import math

import lrdecay
import numpy as np
import pytest
from lrdecay import *  # noqa: F403 - the schedules API, lrdecay.__all__

# A valid call of every constructor; each row below breaks one argument.
VALID = {
    Constant: dict(lr=0.1),
    Step: dict(initial_lr=0.1, drop=0.5, every=10),
    MultiStep: dict(initial_lr=0.1, milestones=[3, 7], gamma=0.1),
    Piecewise: dict(boundaries=[5, 10], values=[1.0, 0.5, 0.1]),
    Exponential: dict(initial_lr=0.1, decay_steps=10, decay_rate=0.9, staircase=False),
    InverseTime: dict(initial_lr=0.1, decay_steps=10, decay_rate=0.5, staircase=False),
    Polynomial: dict(initial_lr=0.1, decay_steps=10, end_lr=0.0, power=1.0, cycle=False),
    Cosine: dict(initial_lr=0.1, decay_steps=10, alpha=0.0),
    CosineRestarts: dict(initial_lr=0.1, first_decay_steps=10, t_mul=2.0, m_mul=1.0, alpha=0.0),
    Linear: dict(start_lr=0.0, end_lr=0.1, steps=10),
    Cyclic: dict(base_lr=0.01, max_lr=0.1, step_size=4, mode="triangular", gamma=1.0),
    OneCycle: dict(max_lr=0.1, total_steps=100, pct_start=0.3, anneal="cos", div_factor=25.0,
                   final_div_factor=1e4, three_phase=False),
    Warmup: dict(schedule=Constant(0.1), warmup_steps=5, start_lr=0.0, shape="linear"),
    Sequence: dict(schedules=[Constant(0.1), Step(0.1)], boundaries=[5]),
    FromFunction: dict(fn=math.sqrt),
    WSD: dict(peak_lr=0.1, warmup_steps=5, stable_steps=10, decay_steps=8),
    InverseSqrt: dict(peak_lr=0.1, warmup_steps=5),
    Rex: dict(initial_lr=0.1, total_steps=100),
}

POS, NON_NEG, UNIT = "a positive number", "a non-negative number", "a number in (0, 1]"
FRACTION = "a number in [0, 1]"

# Every numeric argument: {class: {argument: (what it must be, values outside its range)}}
NUMERIC = {
    Constant: {"lr": (NON_NEG, [-0.1])},
    Step: {"initial_lr": (POS, [0, -1]), "drop": (UNIT, [2, 0, -0.5]), "every": (POS, [0, -10])},
    MultiStep: {"initial_lr": (POS, []), "gamma": (UNIT, [1.5, 0.0])},
    Exponential: {"initial_lr": (POS, []), "decay_rate": (UNIT, [1.2, 0]),
                  "decay_steps": (POS, [0])},
    InverseTime: {"initial_lr": (POS, []), "decay_rate": (NON_NEG, [-0.5]),
                  "decay_steps": (POS, [-1])},
    Polynomial: {"initial_lr": (POS, []), "decay_steps": (POS, [0]), "end_lr": (NON_NEG, [-0.01]),
                 "power": (POS, [0])},
    Cosine: {"initial_lr": (POS, []), "decay_steps": (POS, [0]), "alpha": (FRACTION, [1.5, -0.1])},
    CosineRestarts: {"initial_lr": (POS, []), "first_decay_steps": (POS, [0]), "t_mul": (POS, [0]),
                     "m_mul": (UNIT, [1.1, 0]), "alpha": (FRACTION, [2])},
    Linear: {"start_lr": (NON_NEG, [-1]), "end_lr": (NON_NEG, []), "steps": (POS, [0])},
    Cyclic: {"base_lr": (NON_NEG, [-0.01]), "max_lr": ("a number >= `base_lr` (0.01)", [0.001]),
             "step_size": (POS, [0]), "gamma": (UNIT, [1.01, 0])},
    OneCycle: {"max_lr": (POS, [0]), "total_steps": ("a whole number >= 2", [1, 0, 100.5]),
               "pct_start": ("a number in (0, 1)", [0, 1, 1.3]), "div_factor": (POS, [0]),
               "final_div_factor": (POS, [-1e4])},
    Warmup: {"warmup_steps": (POS, [0]), "start_lr": (NON_NEG, [-0.1])},
    WSD: {"peak_lr": (POS, [0.0]), "warmup_steps": (NON_NEG, [-1]),
          "stable_steps": (NON_NEG, [-1]), "decay_steps": (POS, [-5]),
          "min_lr_ratio": (FRACTION, [1.5, -0.1])},
    InverseSqrt: {"peak_lr": (POS, [-1]), "warmup_steps": (NON_NEG, [-1])},
    Rex: {"initial_lr": (POS, [-1]), "total_steps": (POS, [0]),
          "min_lr": ("a number in [0, `initial_lr`] ([0, 0.1])", [0.2, -0.01])},  # 0.2 > 0.1
}
# (class, argument, what it must be): the form test_r_parity.py reads
NUMBERS = [(cls, arg, must) for cls, args in NUMERIC.items() for arg, (must, _) in args.items()]

# Bad values every numeric argument rejects: (value, exception, how the message shows it)
NOT_A_NUMBER = [
    (None, TypeError, "None"),
    (float("nan"), ValueError, "NaN"),
    (float("inf"), ValueError, "Inf"),
    (-math.inf, ValueError, "-Inf"),
    ("0.5", TypeError, '"0.5"'),
    (True, TypeError, "True"),
    ([0.5, 0.6], TypeError, "[0.5, 0.6]"),
    ([], TypeError, "[]"),
    ({"x": 1}, TypeError, '{"x": 1}'),
    (1j, TypeError, "an object of class complex"),
    (np.array([0.5, 0.6]), TypeError, "[0.5, 0.6]"),
]


def _shown(v: float) -> str:
    """How a message shows a number: R's way (NaN, no trailing .0)."""
    return "NaN" if math.isnan(v) else format(v, "g")


# (class, argument, value, how it is shown, must)
OUT_OF_RANGE = [(c, a, v, _shown(v), must) for c, args in NUMERIC.items()
                for a, (must, values) in args.items() for v in values]
OUT_OF_RANGE += [(InverseSqrt, "timescale", v, _shown(v), "a positive number (or None/NULL)")
                 for v in (0, -10, float("nan"))]
OUT_OF_RANGE.append((CosineRestarts, "t_mul", 0.5, "0.5",
                     "a number >= 1 (periods that shrink would end at a finite t)"))

def _rows(cls: type, arg: str, rows: list[tuple]) -> list[tuple]:
    """(value, exception, must, shown) rows of one argument as (class, argument, *row)."""
    return [(cls, arg, *row) for row in rows]


V, T = ValueError, TypeError
INCREASING = "a strictly increasing vector of non-negative numbers"
NON_NEG_VECTOR, POS_VECTOR = "a vector of non-negative numbers", "a vector of positive numbers"
FINITE_VECTOR = "a vector of finite non-negative numbers"
PIECEWISE_VALUES = "a vector of length 3 (one more than `boundaries`)"

# Vectors: (class, argument, value, exception, must, how it is shown)
VECTORS = [
    *_rows(MultiStep, "milestones", [
        ([7, 3], V, INCREASING, "[7, 3]"),
        ([3, 3], V, INCREASING, "[3, 3]"),
        ([-1, 3], V, NON_NEG_VECTOR, "[-1, 3]"),
        ([], V, "a vector of at least 1 non-negative numbers", "[]"),
        ([3, float("nan")], V, FINITE_VECTOR, "[3, NaN]"),
        ([3, math.inf], V, FINITE_VECTOR, "[3, Inf]"),
        (None, T, NON_NEG_VECTOR, "None"),
        (["3", "7"], T, NON_NEG_VECTOR, '["3", "7"]'),
        ([True, 7], T, NON_NEG_VECTOR, "[True, 7]"),
        ("3", T, NON_NEG_VECTOR, '"3"')]),
    *_rows(Piecewise, "boundaries", [
        ([10, 5], V, INCREASING, "[10, 5]"),
        ([-5, 10], V, NON_NEG_VECTOR, "[-5, 10]"),
        ([5, None], T, NON_NEG_VECTOR, "[5, None]")]),
    *_rows(Piecewise, "values", [
        ([1.0, 0.5], V, PIECEWISE_VALUES, "[1, 0.5]"),
        ([1.0, 0.5, 0.1, 0.01], V, PIECEWISE_VALUES, "[1, 0.5, 0.1, 0.01]"),
        ([1.0, -0.5, 0.1], V, NON_NEG_VECTOR, "[1, -0.5, 0.1]"),
        ([1.0, float("nan"), 0.1], V, FINITE_VECTOR, "[1, NaN, 0.1]")]),
    *_rows(Sequence, "boundaries", [
        ([5, 8], V, "a vector of length 1 (one less than `schedules`)", "[5, 8]"),
        ([0], V, POS_VECTOR, "[0]"),
        ([-2], V, POS_VECTOR, "[-2]"),
        ([], V, "a vector of at least 1 positive numbers", "[]"),
        (None, T, POS_VECTOR, "None"),
        ([float("inf")], V, "a vector of finite positive numbers", "[Inf]")]),
]

MODES = 'one of "triangular", "triangular2", "exp_range"'
ANNEALS, SHAPES = 'one of "cos", "linear"', 'one of "linear", "exponential"'
FLAG, WSD_SHAPES = "TRUE/True or FALSE/False", 'one of "linear", "cosine", "1-sqrt"'
SCHEDULES = "a list of lrdecay schedules"

# Choices and flags: (class, argument, value, exception, must, shown)
CHOICES = [
    *_rows(Cyclic, "mode", [
        ("sine", V, MODES, '"sine"'),
        ("Triangular", V, 'one of "triangular"', '"Triangular"'),
        (None, T, 'one of "triangular"', "None"),
        (1, T, 'one of "triangular"', "1")]),
    *_rows(OneCycle, "anneal", [("cosine", V, ANNEALS, '"cosine"'), (None, T, ANNEALS, "None")]),
    *_rows(Warmup, "shape", [
        ("exp", V, SHAPES, '"exp"'),
        (["linear", "exponential"], T, SHAPES, '["linear", "exponential"]'),
        (["cubic"], V, SHAPES, '["cubic"]')]),
    *_rows(Exponential, "staircase", [
        ("yes", T, FLAG, '"yes"'), (1, T, FLAG, "1"), (None, T, FLAG, "None")]),
    (InverseTime, "staircase", 0, T, FLAG, "0"),
    (Polynomial, "cycle", "FALSE", T, FLAG, '"FALSE"'),
    *_rows(OneCycle, "three_phase", [
        ([True, False], T, FLAG, "[True, False]"), (np.array([1]), T, FLAG, "[1]")]),
    *_rows(Warmup, "schedule", [
        (0.1, T, "an lrdecay schedule", "0.1"),
        (math.sqrt, T, "an lrdecay schedule", "a function")]),
    *_rows(Sequence, "schedules", [
        ("Constant(0.1)", T, SCHEDULES, '"Constant(0.1)"'),
        ([], T, SCHEDULES, "[]"),
        ([Constant(0.1), 0.2], T, SCHEDULES, "[an object of class Constant, 0.2]")]),
    *_rows(FromFunction, "fn", [
        (0.1, T, "a function of t", "0.1"), ("exp", T, "a function of t", '"exp"')]),
    *_rows(WSD, "warmup", [
        ("quadratic", V, WSD_SHAPES, '"quadratic"'),
        ("Linear", V, WSD_SHAPES, '"Linear"'),
        (1, T, WSD_SHAPES, "1")]),
    *_rows(WSD, "decay", [("exp", V, WSD_SHAPES, '"exp"'), (None, T, WSD_SHAPES, "None")]),
    (InverseSqrt, "timescale", "10", T, "a positive number (or None/NULL)", '"10"'),
]


def _call(cls, arg, value):
    kwargs = dict(VALID[cls])
    kwargs[arg] = value
    return cls(**kwargs)


# Words an R user must never read in a message: Python-only or internal names.
INTERNAL = ("check_", "_checks", "fail(", "np.float", "np.int", "array(", "Traceback",
            "__init__", "_compute", "self.")


def _check_message(err, arg, must, shown):
    msg = str(err.value)
    assert f"`{arg}`" in msg, msg
    assert f"must be {must}" in msg, msg
    assert msg.endswith(f", not {shown}."), msg
    assert not any(word in msg for word in INTERNAL), msg


def test_the_valid_calls_are_valid():
    for cls, kwargs in VALID.items():
        assert isinstance(cls(**kwargs), lrdecay.Schedule)


NUMBER_ROWS = [
    pytest.param(cls, arg, must, value, exc, shown, id=f"{cls.__name__}-{arg}-{shown}")
    for cls, arg, must in NUMBERS
    for value, exc, shown in NOT_A_NUMBER
    # decay_rate=None means "not given" (use `k`): see the exactly-one-of test; an omitted
    # horizon (RUN_LENGTHS) is the whole run, and WSD's decay_steps, which must be given,
    # says so in its own words (test_run_sized.py)
    if not (value is None and ((cls is Exponential and arg == "decay_rate")
                               or (cls is WSD and arg == "decay_steps")
                               or arg in cls.RUN_LENGTHS))
]


# Every bad argument above, as (class, argument, value, exception, must, shown).
BAD_ARGUMENTS = [
    *NUMBER_ROWS,
    *[pytest.param(c, a, must, v, ValueError, shown, id=f"{c.__name__}-{a}-{shown}")
      for c, a, v, shown, must in OUT_OF_RANGE],
    *[pytest.param(c, a, must, v, exc, shown, id=f"{c.__name__}-{a}-{shown}")
      for c, a, v, exc, must, shown in VECTORS + CHOICES],
]


@pytest.mark.parametrize(("cls", "arg", "must", "value", "exc", "shown"), BAD_ARGUMENTS)
def test_bad_arguments_name_the_argument_the_rule_and_the_value(cls, arg, must, value, exc,
                                                                  shown):
    with pytest.raises(exc) as err:
        _call(cls, arg, value)
    _check_message(err, arg, must, shown)


#: Calls whose whole message is fixed: (call, exception, message, or the (arg, must, shown)
#: of the "`arg` must be <must>, not <shown>." form). Step(0.01, drop=2) and Exponential
#: with neither or both of decay_rate and k: R's snapshots (tests/testthat/_snaps/errors.md).
EXACT = [
    (lambda: Cosine(0.1, 10, alpha=float("nan")), ValueError,
     "`alpha` must be a number in [0, 1], not NaN."),
    (lambda: Step(None), TypeError, "`initial_lr` must be a positive number, not None."),
    # NumPy 2 reprs its scalars as np.float64(2.0): messages show the number, as R does
    (lambda: Step(0.1, drop=np.float64(2.0)), ValueError,
     "`drop` must be a number in (0, 1], not 2."),
    (lambda: OneCycle(0.1, np.int64(1)), ValueError,
     "`total_steps` must be a whole number >= 2, not 1."),
    (lambda: MultiStep(0.1, np.array([7.0, 3.0])), ValueError,
     "`milestones` must be a strictly increasing vector of non-negative numbers, not [7, 3]."),
    # Exponential: exactly one of decay_rate and k
    (lambda: Exponential(0.1, 1000), TypeError,
     "Exactly one of `decay_rate` and `k` must be given, not neither."),
    (lambda: Exponential(0.1, k=-0.1), ValueError, ("k", "a non-negative number", "-0.1")),
    (lambda: Exponential(0.1, k="0.1"), TypeError, ("k", "a non-negative number", '"0.1"')),
    # an exponential warmup needs a positive start and target
    (lambda: Warmup(Constant(0.1), 5, start_lr=0, shape="exponential"), ValueError,
     ("start_lr", 'a positive number (shape "exponential")', "0")),
    (lambda: Warmup(Linear(0.0, 0.1, 5), 5, start_lr=0.01, shape="exponential"), ValueError,
     ("schedule", 'a schedule whose value at t = 0 is positive (shape "exponential")', "0")),
    # pct_start * total_steps - 1 = 0: the warm-up phase would have no length
    (lambda: OneCycle(0.1, total_steps=10, pct_start=0.1), ValueError,
     ("pct_start", "a fraction that gives every phase at least one step of total_steps = 10",
      "0.1")),
    # three phases: the middle phase ends where the last would start
    (lambda: OneCycle(0.1, total_steps=10, pct_start=0.55, three_phase=True), ValueError,
     ("pct_start", "a fraction that gives every phase at least one step of total_steps = 10",
      "0.55")),
    (lambda: Sequence([Constant(0.1)], [3]), ValueError,
     ("boundaries", "a vector of length 0 (one less than `schedules`)", "[3]")),
    (lambda: Sequence([Constant(0.1), Constant(0.01), Constant(0.001)], [5, 3]), ValueError,
     ("boundaries", "a strictly increasing vector of positive numbers", "[5, 3]")),
]


@pytest.mark.parametrize(("call", "exc", "message"), EXACT)
def test_exact_messages(call, exc, message):
    with pytest.raises(exc) as err:
        call()
    if isinstance(message, tuple):
        _check_message(err, *message)
    else:
        assert str(err.value) == message


def test_a_linear_warmup_may_start_at_0_and_reach_a_schedule_starting_at_0():
    assert Warmup(Linear(0.0, 0.1, 5), 5)(0) == 0.0


def test_r_style_values_are_accepted():
    """What reticulate hands over from R: doubles for whole numbers, length-1 arrays."""
    assert OneCycle(0.1, 100.0).total_steps == 100
    assert isinstance(OneCycle(0.1, np.float64(100)).total_steps, int)
    assert Step(np.float64(0.1), np.array([0.5]), np.int32(10)) == Step(0.1, 0.5, 10)
    assert Step(0.1, [0.5]) == Step(0.1, 0.5)
    assert MultiStep(0.1, np.array([3.0, 7.0])) == MultiStep(0.1, [3, 7])
    assert MultiStep(0.1, 5) == MultiStep(0.1, [5])  # one milestone, R's scalar
    assert Exponential(0.1, 1, 0.9, staircase=np.bool_(True)).staircase is True
    assert Piecewise((5,), (0.1, 0.01)) == Piecewise([5], [0.1, 0.01])
    # Length-1 lists (an R value of length one handed over as a list).
    assert Exponential([0.1], [1000.0], [0.96], [True]) == Exponential(0.1, 1000, 0.96, True)
    assert OneCycle([0.1], [100.0], three_phase=[True]).three_phase is True
    assert Cyclic(0.001, 0.01, 5, mode=["triangular2"]).mode == "triangular2"
    assert Cyclic(0.001, 0.01, 5, mode=np.array(["exp_range"])).mode == "exp_range"
    assert Warmup(Constant(0.1), [5.0], [0.0], ["linear"]) == Warmup(Constant(0.1), 5)
    # One schedule where a list of schedules is expected (R: schedule_sequence(s)).
    assert Sequence(Constant(0.1), []) == Sequence([Constant(0.1)], [])
    assert Sequence(Constant(0.1), None) == Sequence([Constant(0.1)], [])
    assert Sequence([Constant(0.1), Step(0.1)], 5.0) == Sequence([Constant(0.1), Step(0.1)], [5])


def test_from_config_runs_the_constructor_checks():
    """from_config runs the same checks as the constructors."""
    for cls, arg, value, shown, must in OUT_OF_RANGE[:10]:
        config = {"class_name": cls.__name__, "config": {**VALID[cls], arg: value}}
        with pytest.raises(ValueError) as err:
            lrdecay.from_config(config)
        _check_message(err, arg, must, shown)


#: The values no message of the tables above shows (those check the other rules).
@pytest.mark.parametrize(("value", "shown"), [
    (1e-05, "1e-05"), (np.float64(2.5), "2.5"), (np.float32(0.5), "0.5"),
    ('say "hi"', r'"say \"hi\""'), ((0.1,), "[0.1]"), (list(range(8)), "[0, 1, 2, 3, 4, 5, ...]"),
    ({"a": 1.0}, '{"a": 1}'), ((x for x in []), "a generator"),
])
def test_values_show_in_words_both_languages_read(value, shown):
    """One formatter for every message: numbers without a trailing ".0", strings in
    double quotes, no Python reprs of objects."""
    from lrdecay._checks import show_value

    assert show_value(value) == shown
