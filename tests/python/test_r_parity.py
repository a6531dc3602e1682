"""R and Python agree: the R constructors give the very schedules Python builds.

For every family over a grid of parameters (R doubles where Python wants
integers, defaults left out, every mode and branch), through R embedded with
rpy2 (``conftest.py``):

* ``lr_at()`` in R equals the Python schedule's float64 values exactly;
* the object R builds is equal to the one Python builds (same class and config);
* ``as_keras_schedule()`` from R, evaluated in-graph (float32), matches the
  NumPy values under the one float32 rule (``kit.assert_float32_agrees``);
* bad arguments fail in R with the same words as in Python.

Under rpy2 R and pytest share one ``lrdecay`` module, which proves the R layer
(coercion, defaults, errors). ``test_rscript_on_installed_package_agrees`` runs
R as its own process on the installed package and compares exactly as well.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lrdecay
import numpy as np
import pytest
from conftest import RCall, RError, RSession
from kit import assert_float32_agrees, run_r, subprocess_env

pytestmark = pytest.mark.r_parity

R_FUNCTION = {
    "Constant": "schedule_constant",
    "Step": "schedule_step",
    "MultiStep": "schedule_multistep",
    "Piecewise": "schedule_piecewise",
    "Exponential": "schedule_exponential",
    "InverseTime": "schedule_inverse_time",
    "Polynomial": "schedule_polynomial",
    "Cosine": "schedule_cosine",
    "CosineRestarts": "schedule_cosine_restarts",
    "Linear": "schedule_linear",
    "Cyclic": "schedule_cyclic",
    "OneCycle": "schedule_one_cycle",
    "Warmup": "schedule_warmup",
    "Sequence": "schedule_sequence",
    "OneCycleMomentum": "schedule_momentum",
    "CyclicMomentum": "schedule_momentum",
}


@dataclass(frozen=True)
class Case:
    """A schedule as a Python class name and keyword arguments (as a Python user writes
    them: ints where Python wants ints; nested ``Case`` objects for schedules)."""

    cls: str
    kwargs: tuple[tuple[str, Any], ...]

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.kwargs)
        return f"{self.cls}({args})"

    def python(self) -> lrdecay.Schedule:
        """The schedule, built in Python."""
        return getattr(lrdecay, self.cls)(**{k: _py(v) for k, v in self.kwargs})

    def r(self, integers: bool = False) -> RCall:
        """The schedule as an R call: every number an R double (as R users type
        them), or, with ``integers``, whole numbers as R integers."""
        return RCall(R_FUNCTION[self.cls], **{k: _r(v, integers) for k, v in self.kwargs})


def S(cls: str, **kwargs: Any) -> Case:  # noqa: N802 - reads as a constructor in the grid
    return Case(cls, tuple(kwargs.items()))


def _py(v: Any) -> Any:
    if isinstance(v, Case):
        return v.python()
    if isinstance(v, list):
        return [_py(x) for x in v]
    return v


def _r(v: Any, integers: bool) -> Any:
    if isinstance(v, Case):
        return v.r(integers)
    if isinstance(v, list):
        if v and all(isinstance(x, Case) for x in v):
            return [x.r(integers) for x in v]
        arr = np.asarray(v, dtype=np.float64)
        if integers and arr.size and np.all(arr == np.floor(arr)):
            return arr.astype(np.int64)
        return arr
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if integers and float(v) == int(v) and abs(v) < 2**31:
        return int(v)
    return float(v)


# ---------------------------------------------------------------------------
# The grid: every family, every branch, defaults left out
# ---------------------------------------------------------------------------

def _grid() -> list[Case]:
    cases = [S("Constant", lr=lr) for lr in (0.0, 0.1, 3e-4)]
    cases += [S("Step", initial_lr=lr, drop=drop, every=every)
              for lr in (0.01, 0.3) for drop in (0.5, 0.9, 1) for every in (1, 2.5, 10)]
    cases += [S("Step", initial_lr=0.01), S("Step", initial_lr=0.1, drop=0.7)]
    cases += [S("MultiStep", initial_lr=0.1, milestones=m, gamma=g)
              for m in ([10], [3, 7.5, 30], [0, 50]) for g in (0.1, 0.5)]
    cases += [S("MultiStep", initial_lr=0.05, milestones=[30, 80])]
    cases += [S("Piecewise", boundaries=[10], values=[0.1, 0.01]),
              S("Piecewise", boundaries=[3, 7.5, 30], values=[0.1, 0.05, 0.01, 0.0]),
              S("Piecewise", boundaries=[0, 50], values=[1, 0.5, 0.25])]
    cases += [S("Exponential", initial_lr=0.1, decay_rate=0.96, decay_steps=1000, staircase=st)
              for st in (False, True)]
    cases += [S("Exponential", initial_lr=0.05, decay_rate=0.5, decay_steps=7, staircase=True),
              S("Exponential", initial_lr=0.1, decay_rate=0.9),
              S("Exponential", initial_lr=0.01, k=0.1),
              S("Exponential", initial_lr=0.01, k=0),
              S("Exponential", initial_lr=0.01, k=0.3, decay_steps=7, staircase=True)]
    cases += [S("InverseTime", initial_lr=0.1, decay_steps=1, decay_rate=0.5),
              S("InverseTime", initial_lr=0.1, decay_rate=0.5, decay_steps=10, staircase=True),
              S("InverseTime", initial_lr=0.2, decay_steps=4, decay_rate=0),
              S("InverseTime", initial_lr=0.1, decay_rate=2.0, decay_steps=3.5)]
    cases += [S("Polynomial", initial_lr=0.1, decay_steps=50),
              S("Polynomial", initial_lr=0.1, decay_steps=10, end_lr=0.01, power=2, cycle=True),
              S("Polynomial", initial_lr=0.1, decay_steps=10, end_lr=0.01, power=0.5),
              S("Polynomial", initial_lr=0.1, decay_steps=7.5, cycle=True)]
    cases += [S("Cosine", initial_lr=0.01, decay_steps=50),
              S("Cosine", initial_lr=0.01, decay_steps=50, alpha=0.1),
              S("Cosine", initial_lr=0.1, decay_steps=7.5, alpha=1)]
    cases += [S("CosineRestarts", initial_lr=0.1, first_decay_steps=10),
              S("CosineRestarts", initial_lr=0.1, first_decay_steps=10, t_mul=1, m_mul=0.5,
                alpha=0.05),
              S("CosineRestarts", initial_lr=0.1, first_decay_steps=5, t_mul=3, m_mul=0.8),
              S("CosineRestarts", initial_lr=0.1, first_decay_steps=2.5, t_mul=1.5)]
    cases += [S("Linear", start_lr=0.1, end_lr=0.01, steps=9),
              S("Linear", start_lr=0, end_lr=0.1, steps=5),
              S("Linear", start_lr=0.1, end_lr=0.1, steps=1)]
    cases += [S("Cyclic", base_lr=base, max_lr=top, step_size=size, mode=mode, gamma=0.99)
              for mode in ("triangular", "triangular2", "exp_range")
              for base, top, size in ((0.001, 0.01, 5), (0, 0.1, 2.5))]
    cases += [S("Cyclic", base_lr=0.001, max_lr=0.01, step_size=5)]
    cases += [S("OneCycle", max_lr=0.1, total_steps=100),
              S("OneCycle", max_lr=0.1, total_steps=60, pct_start=0.25, anneal="linear",
                div_factor=10, final_div_factor=100, three_phase=True),
              S("OneCycle", max_lr=0.01, total_steps=10, pct_start=0.5, three_phase=True),
              S("OneCycle", max_lr=1.0, total_steps=2, pct_start=0.9),
              S("OneCycle", max_lr=0.1, total_steps=1000, anneal="linear")]
    cases += [S("Warmup", schedule=S("Cosine", initial_lr=0.1, decay_steps=50), warmup_steps=5),
              S("Warmup", schedule=S("Step", initial_lr=0.1), warmup_steps=4, start_lr=0.001,
                shape="exponential"),
              S("Warmup", schedule=S("Linear", start_lr=0.1, end_lr=0, steps=20),
                warmup_steps=2.5, start_lr=0.01),
              S("Warmup", schedule=S("OneCycle", max_lr=0.1, total_steps=30), warmup_steps=10)]
    cases += [S("Sequence", schedules=[S("Linear", start_lr=0, end_lr=0.1, steps=5),
                                       S("Cosine", initial_lr=0.1, decay_steps=20),
                                       S("Constant", lr=0.001)], boundaries=[5, 25]),
              S("Sequence", schedules=[S("Constant", lr=0.1)], boundaries=[]),
              S("Sequence", schedules=[S("Step", initial_lr=0.1),
                                       S("Exponential", initial_lr=0.1, k=0.1)],
                boundaries=[12.5])]
    cases += [S("OneCycleMomentum", schedule=S("OneCycle", max_lr=0.1, total_steps=60,
                                                 pct_start=0.25, three_phase=True)),
              S("OneCycleMomentum", schedule=S("OneCycle", max_lr=0.1, total_steps=100,
                                                 anneal="linear"),
                base_momentum=0.8, max_momentum=0.9),
              S("CyclicMomentum", schedule=S("Cyclic", base_lr=0.001, max_lr=0.01, step_size=5,
                                             mode="exp_range", gamma=0.99),
                base_momentum=0.85, max_momentum=0.95)]
    return cases


GRID = _grid()
FAMILIES_COVERED = {c.cls for c in GRID}

# Boundaries, fractions and far-away clock values.
CLOCK = np.unique(np.concatenate([
    np.arange(0.0, 121.0), np.arange(0.25, 60.0, 2.5), [7.4999, 9.999, 10.0001],
    [1e3, 12345.678, 28125.0, 1e5],
]))
STEPS = np.concatenate([np.arange(0.0, 301.0), [1000.0, 28125.0]])


def test_grid_covers_every_family() -> None:
    assert FAMILIES_COVERED == set(R_FUNCTION)


def test_reticulate_runs_in_this_python(r_session: RSession) -> None:
    """Under rpy2, reticulate attaches to this process's Python and its lrdecay module."""
    pid = r_session.eval("reticulate::py_eval('__import__(\"os\").getpid()')")
    assert int(np.asarray(pid).ravel()[0]) == os.getpid()
    exe = r_session.eval("reticulate::py_config()$python")
    assert os.path.realpath(str(np.asarray(exe).ravel()[0])) == os.path.realpath(sys.executable)
    assert r_session.to_python("lrdecay:::py_lrdecay()") is sys.modules["lrdecay"]


# Each fixture below evaluates all cases in one R evaluation (fast); the tests
# then compare case by case.
GRID_IDS = [repr(c) for c in GRID]
SPE = {"iterations": None, "spe=4": 4.0, "spe=7": 7}


@pytest.fixture(scope="module")
def r_values(r_session: RSession) -> list[np.ndarray]:
    return r_session.eval_each([c.r() for c in GRID], each="lr_at({x}, clock)", clock=CLOCK)


@pytest.fixture(scope="module")
def r_objects(r_session: RSession) -> dict[bool, list[Any]]:
    return {integers: r_session.each_to_python([c.r(integers) for c in GRID])
            for integers in (False, True)}


@pytest.fixture(scope="module")
def r_in_graph(r_session: RSession) -> dict[str, list[np.ndarray]]:
    pytest.importorskip("keras")
    each = (
        "local({"
        " np <- reticulate::import('numpy', convert = FALSE);"
        " ops <- reticulate::import('keras', convert = FALSE)$ops;"
        " ks <- as_keras_schedule({x}, steps_per_epoch = spe);"
        " out <- reticulate::py_call(ks, np$asarray(steps, dtype = 'float32'));"
        " as.vector(reticulate::py_to_r(np$asarray(ops$convert_to_numpy(out), dtype = 'float64')))"
        "})")
    return {label: r_session.eval_each([c.r() for c in GRID], each=each, spe=spe, steps=STEPS)
            for label, spe in SPE.items()}


@pytest.mark.parametrize("i", range(len(GRID)), ids=GRID_IDS)
def test_r_values_equal_python_values_exactly(r_values: list[np.ndarray], i: int) -> None:
    case = GRID[i]
    py_values = case.python()(CLOCK)
    assert isinstance(r_values[i], np.ndarray) and r_values[i].dtype == np.float64
    assert py_values.dtype == np.float64
    np.testing.assert_array_equal(r_values[i], py_values,
                                  err_msg=f"R and Python differ: {case!r}")


@pytest.mark.parametrize("integers", [False, True], ids=["R doubles", "R integers"])
@pytest.mark.parametrize("i", range(len(GRID)), ids=GRID_IDS)
def test_r_builds_the_python_schedule(r_objects: dict[bool, list[Any]], i: int,
                                      integers: bool) -> None:
    """Same class, same config (R doubles coerced where Python wants integers; R
    defaults equal to Python's where arguments are left out)."""
    from_r = r_objects[integers][i]
    expected = GRID[i].python()
    assert type(from_r) is type(expected)
    assert from_r == expected, f"{from_r!r} != {expected!r}"
    assert from_r.get_config() == expected.get_config()


def test_r_doubles_become_python_integers(r_session: RSession) -> None:
    s = r_session.to_python("schedule_one_cycle(0.1, total_steps = 100)")
    assert type(s.total_steps) is int and s.total_steps == 100
    with pytest.raises(RError, match="total_steps") as err:
        r_session.eval("schedule_one_cycle(0.1, total_steps = 100.5)")
    assert "lrdecay_error_argument" in err.value.classes


@pytest.mark.keras
@pytest.mark.parametrize("spe", list(SPE))
@pytest.mark.parametrize("i", range(len(GRID)), ids=GRID_IDS)
def test_in_graph_from_r_matches_numpy(r_in_graph: dict[str, list[np.ndarray]], i: int,
                                       spe: str) -> None:
    case = GRID[i]
    steps_per_epoch = SPE[spe]
    got = np.asarray(r_in_graph[spe][i])
    # The graph's clock is float32 (iterations / steps_per_epoch rounded to float32, as
    # in Keras); compare the formulas at the clock value the graph actually uses.
    clock = (STEPS.astype(np.float32) / np.float32(steps_per_epoch or 1)).astype(np.float64)
    assert_float32_agrees(case.python(), clock, got)


@pytest.mark.keras
def test_in_graph_walkthrough_value(r_session: RSession) -> None:
    """API.md's seed: Keras's ExponentialDecay prints 0.031885575503110886."""
    pytest.importorskip("keras")
    ks = r_session.to_python("as_keras_schedule(schedule_exponential(0.1, 1000, 0.96, "
                             "staircase = TRUE))")  # Keras's positional order
    import keras

    value = float(keras.ops.convert_to_numpy(ks(28125)))
    assert value == pytest.approx(0.031885575503110886, rel=1e-6)
    assert type(ks).__name__ == "KerasSchedule"


def test_r_positional_order_is_keras_order(r_session: RSession) -> None:
    """schedule_exponential(0.1, 1000, 0.96) and schedule_inverse_time(0.1, 10, 0.5) mean
    what ExponentialDecay(0.1, 1000, 0.96) and InverseTimeDecay(0.1, 10, 0.5) mean."""
    got = r_session.each_to_python([
        RCall("schedule_exponential", 0.1, 1000.0, 0.96, True),
        RCall("schedule_inverse_time", 0.1, 10.0, 0.5),
    ])
    assert got[0] == lrdecay.Exponential(0.1, 1000, 0.96, staircase=True)
    assert got[0](28125.0) == 0.1 * 0.96**28
    assert got[1] == lrdecay.InverseTime(0.1, 10, 0.5)
    with pytest.raises(RError, match="decay_rate") as err:
        r_session.eval("schedule_inverse_time(0.1, 10)")
    assert "lrdecay_error_argument" in err.value.classes


@pytest.fixture(scope="module")
def r_from_r_call(r_session: RSession) -> list[Any]:
    """Each GRID schedule rebuilt by R from the text of its ``describe()$r_call``."""
    code = "list(\n" + ",\n".join(c.python().describe()["r_call"] for c in GRID) + "\n)"
    return list(r_session.to_python(code))


@pytest.mark.parametrize("i", range(len(GRID)), ids=GRID_IDS)
def test_r_call_is_the_r_code_that_rebuilds_the_schedule(r_from_r_call: list[Any],
                                                         i: int) -> None:
    """``describe()$r_call`` (what R prints) is valid R that builds the same schedule."""
    expected = GRID[i].python()
    rebuilt = r_from_r_call[i]
    assert rebuilt == expected, f"{expected.describe()['r_call']} gave {rebuilt!r}"
    np.testing.assert_array_equal(rebuilt(CLOCK), expected(CLOCK))


def test_r_prints_the_r_call(r_session: RSession) -> None:
    """R's format() shows describe()$r_call: R syntax, as the user would type it."""
    lines = [str(x) for x in r_session.eval(
        "format(schedule_exponential(0.1, 1000, 0.96, staircase = TRUE))")]
    assert "  schedule_exponential(initial_lr = 0.1, decay_steps = 1000, decay_rate = 0.96, " \
           "staircase = TRUE)" in lines


def test_r_function_schedule_agrees(r_session: RSession) -> None:
    """schedule_function(): R's division and NumPy's are both correctly rounded."""
    r_values = r_session.eval("lr_at(schedule_function(function(t) 0.5 / (1 + t)), clock)",
                              clock=CLOCK)
    py_values = lrdecay.FromFunction(lambda t: 0.5 / (1.0 + t))(CLOCK)
    np.testing.assert_array_equal(r_values, py_values)
    # Not vectorised in R (if on a vector fails): called once per value.
    r_values = r_session.eval(
        "lr_at(schedule_function(function(t) if (t < 5) 0.1 else 0.01), clock)", clock=CLOCK)
    np.testing.assert_array_equal(r_values, np.where(CLOCK < 5, 0.1, 0.01))
    with pytest.raises(RError, match="in-graph|training graph") as err:
        r_session.eval("as_keras_schedule(schedule_function(function(t) 0.1))")
    assert "lrdecay_error_argument" in err.value.classes


# ---------------------------------------------------------------------------
# Errors: the same words in both languages
# ---------------------------------------------------------------------------

BAD = [
    S("Constant", lr=-0.1),
    S("Step", initial_lr=float("nan")),
    S("Step", initial_lr=0.01, drop=2.0),
    S("Step", initial_lr=0.01, every=0),
    S("Step", initial_lr=0.01, every=float("inf")),
    S("MultiStep", initial_lr=0.1, milestones=[30, 20]),
    S("MultiStep", initial_lr=0.1, milestones=[-1, 20]),
    S("Piecewise", boundaries=[10, 20], values=[0.1, 0.01]),
    S("Exponential", initial_lr=0.1),
    S("Exponential", initial_lr=0.1, decay_rate=0.9, k=0.1),
    S("Exponential", initial_lr=0.1, decay_rate=1.5),
    S("Exponential", initial_lr=0.1, k=-1),
    S("InverseTime", initial_lr=0.1, decay_steps=1, decay_rate=-0.5),
    S("InverseTime", initial_lr=0.1, decay_steps=0, decay_rate=0.5),
    S("Exponential", initial_lr=0.1, decay_steps=1000),
    S("Polynomial", initial_lr=0.1, decay_steps=10, power=0),
    S("Polynomial", initial_lr=0.1, decay_steps=10, end_lr=-1),
    S("Cosine", initial_lr=0.1, decay_steps=50, alpha=1.5),
    S("CosineRestarts", initial_lr=0.1, first_decay_steps=10, t_mul=0.5),
    S("CosineRestarts", initial_lr=0.1, first_decay_steps=10, m_mul=0),
    S("Linear", start_lr=0.1, end_lr=0.01, steps=0),
    S("Cyclic", base_lr=0.1, max_lr=0.01, step_size=5),
    S("Cyclic", base_lr=0.001, max_lr=0.01, step_size=5, mode="exp"),
    S("Cyclic", base_lr=0.001, max_lr=0.01, step_size=5, gamma=0),
    S("OneCycle", max_lr=0.1, total_steps=100.5),
    S("OneCycle", max_lr=0.1, total_steps=1),
    S("OneCycle", max_lr=0.1, total_steps=3, pct_start=0.1),
    S("OneCycle", max_lr=0.1, total_steps=10, pct_start=0.55, three_phase=True),
    S("OneCycle", max_lr=0.1, total_steps=100, pct_start=1),
    S("OneCycle", max_lr=0.1, total_steps=100, anneal="cosine"),
    S("Warmup", schedule=S("Constant", lr=0.1), warmup_steps=0),
    S("Warmup", schedule=S("Constant", lr=0.1), warmup_steps=5, shape="exponential"),
    S("Warmup", schedule=S("Constant", lr=0.0), warmup_steps=5, start_lr=0.01,
      shape="exponential"),
    S("Warmup", schedule=S("Constant", lr=0.1), warmup_steps=5, shape="cubic"),
    S("Sequence", schedules=[S("Constant", lr=0.1), S("Constant", lr=0.2)], boundaries=[0]),
    S("Sequence", schedules=[S("Constant", lr=0.1), S("Constant", lr=0.2)],
      boundaries=[5, 10]),
    S("Sequence", schedules=[S("Constant", lr=0.1), S("Constant", lr=0.2),
                             S("Constant", lr=0.3)], boundaries=[10, 5]),
]


def _requirement(message: str) -> str:
    """The message up to ", not <value>": what is wrong, without how the value prints."""
    text = " ".join(message.split())
    return re.split(r", not ", text)[0]


@pytest.fixture(scope="module")
def r_errors(r_session: RSession) -> list[np.ndarray]:
    """For each bad case: R's message and condition classes (empty when no error)."""
    return r_session.eval_each(
        [c.r() for c in BAD],
        each="tryCatch({ {x}; character() }, error = function(e) c(conditionMessage(e), class(e)))")


@pytest.mark.parametrize("i", range(len(BAD)), ids=[repr(c) for c in BAD])
def test_bad_arguments_fail_alike(r_errors: list[np.ndarray], i: int) -> None:
    with pytest.raises((ValueError, TypeError)) as py_err:
        BAD[i].python()
    r_error = [str(x) for x in r_errors[i]]
    assert r_error, f"no R error for {BAD[i]!r}"
    message, classes = r_error[0], r_error[1:]
    assert "lrdecay_error_argument" in classes, message
    assert _requirement(message) == _requirement(str(py_err.value))


# ---------------------------------------------------------------------------
# R as its own process, on the installed package
# ---------------------------------------------------------------------------

SUBPROCESS_CASES = [
    S("Constant", lr=0.1),
    S("Step", initial_lr=0.01, drop=0.5, every=10),
    S("MultiStep", initial_lr=0.1, milestones=[3, 7.5, 30], gamma=0.5),
    S("Piecewise", boundaries=[3, 7.5, 30], values=[0.1, 0.05, 0.01, 0.0]),
    S("Exponential", initial_lr=0.1, decay_rate=0.96, decay_steps=1000, staircase=True),
    S("Exponential", initial_lr=0.01, k=0.3, decay_steps=7),
    S("InverseTime", initial_lr=0.1, decay_rate=0.5, decay_steps=10, staircase=True),
    S("Polynomial", initial_lr=0.1, decay_steps=10, end_lr=0.01, power=2, cycle=True),
    S("Cosine", initial_lr=0.01, decay_steps=50, alpha=0.1),
    S("CosineRestarts", initial_lr=0.1, first_decay_steps=5, t_mul=3, m_mul=0.8),
    S("Linear", start_lr=0.1, end_lr=0.01, steps=9),
    S("Cyclic", base_lr=0.001, max_lr=0.01, step_size=5, mode="exp_range", gamma=0.99),
    S("OneCycle", max_lr=0.1, total_steps=100, three_phase=True),
    S("Warmup", schedule=S("Step", initial_lr=0.1), warmup_steps=4, start_lr=0.001,
      shape="exponential"),
    S("Sequence", schedules=[S("Linear", start_lr=0, end_lr=0.1, steps=5),
                             S("Cosine", initial_lr=0.1, decay_steps=20)], boundaries=[5]),
]


def _r_source(v: Any) -> str:
    """R source for a value; numbers as hexadecimal literals, so that R reads the very
    double Python has (no decimal rounding on the way)."""
    if isinstance(v, Case):
        args = ", ".join(f"{k} = {_r_source(x)}" for k, x in v.kwargs)
        return f"{R_FUNCTION[v.cls]}({args})"
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, str):
        return '"' + v + '"'
    if isinstance(v, list):
        if v and all(isinstance(x, Case) for x in v):
            return "list(" + ", ".join(_r_source(x) for x in v) + ")"
        return "c(" + ", ".join(_r_source(x) for x in v) + ")" if v else "numeric(0)"
    return float(v).hex()


def test_rscript_on_installed_package_agrees(tmp_path: Path) -> None:
    """A separate R process (no shared module): values printed with 17 digits equal
    Python's exactly."""
    lines = [
        "suppressPackageStartupMessages(library(lrdecay))",
        f"t <- c({', '.join(float(x).hex() for x in CLOCK)})",
        "emit <- function(id, s) cat(sprintf('%d %d %.17g\\n', id, seq_along(t), lr_at(s, t)),"
        " sep = '')",
    ]
    lines += [f"emit({i}L, {_r_source(case)})" for i, case in enumerate(SUBPROCESS_CASES)]
    lines += ["cat('python', reticulate::py_config()$python, '\\n')",
              "cat('module', lrdecay:::py_lrdecay()$`__file__`, '\\n')"]
    stdout = run_r("\n".join(lines) + "\n", cwd=tmp_path)
    got: dict[int, np.ndarray] = {}
    python_used = module_used = None
    for line in stdout.splitlines():
        parts = line.split()
        if parts and parts[0] == "python":
            python_used = parts[1]
            continue
        if parts and parts[0] == "module":
            module_used = parts[1]
            continue
        if len(parts) != 3:
            continue
        i, j, value = int(parts[0]), int(parts[1]), float(parts[2])
        got.setdefault(i, np.full(CLOCK.size, np.nan))[j - 1] = value
    assert python_used is not None and os.path.realpath(python_used) == os.path.realpath(
        subprocess_env()["RETICULATE_PYTHON"])
    assert sorted(got) == list(range(len(SUBPROCESS_CASES))), stdout[-2000:]
    for i, case in enumerate(SUBPROCESS_CASES):
        np.testing.assert_array_equal(got[i], case.python()(CLOCK),
                                      err_msg=f"Rscript and Python differ: {case!r} (R used "
                                      f"{module_used}, Python {lrdecay.__file__}: is the "
                                      "installed R package up to date?)")
