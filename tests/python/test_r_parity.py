"""R and Python agree: the R constructors give the very schedules Python builds, for every
case of ``kit.schedule_cases``, through R embedded with rpy2 (``conftest.py``: the R layer's
coercion, defaults and errors) and once through ``Rscript`` on the installed package.
"""

from __future__ import annotations

import inspect
import os
import re
import sys
from pathlib import Path
from typing import Any

import lrdecay
import numpy as np
import pytest
from conftest import RCall, RError, RSession
from kit import assert_float32_agrees, run_r, schedule_cases, subprocess_env
from test_schedule_checks import CHOICES, NUMBERS, OUT_OF_RANGE, VALID, VECTORS

pytestmark = pytest.mark.r_parity

def r_function(s: lrdecay.Schedule) -> str:
    """The R constructor of ``s`` (the head of its ``r_call()``)."""
    return s.r_call().split("(", 1)[0]


def r_of(s: lrdecay.Schedule, integers: bool = False, **change: Any) -> RCall:
    """``s`` as an R call from its config: numbers as R doubles (with ``integers``, whole
    ones as R integers), nested schedules as calls, arguments equal to their default left
    out (R's defaults must be Python's); ``change``: arguments replaced."""
    defaults = {k: p.default for k, p in inspect.signature(type(s).__init__).parameters.items()}
    config = {**s.get_config()["config"], **change}
    kwargs = {k: _r(v, integers) for k, v in config.items()
              if k in change or not _same(v, defaults.get(k, inspect.Parameter.empty))}
    return RCall(r_function(s), **kwargs)


def _same(v: Any, default: Any) -> bool:
    return (default is not inspect.Parameter.empty and type(v) is type(default)
            and not isinstance(v, (list, dict)) and v == default)


def _r(v: Any, integers: bool) -> Any:
    if isinstance(v, lrdecay.Schedule):
        return r_of(v, integers)
    if isinstance(v, dict):
        return r_of(lrdecay.from_config(v), integers)
    if isinstance(v, list):
        if v and all(isinstance(x, (dict, lrdecay.Schedule)) for x in v):
            return [_r(x, integers) for x in v]
        arr = np.asarray(v, dtype=np.float64)
        if integers and arr.size and np.all(arr == np.floor(arr)):
            return arr.astype(np.int64)
        return arr
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if integers and float(v) == int(v) and abs(v) < 2**31:
        return int(v)
    return float(v)


# The one schedule table (kit.schedule_cases): every family, every branch.
GRID = [s for _, s in schedule_cases()]
GRID_IDS = [name for name, _ in schedule_cases()]

# Boundaries, fractions and far-away clock values.
CLOCK = np.unique(np.concatenate([
    np.arange(0.0, 121.0), np.arange(0.25, 60.0, 2.5), [7.4999, 9.999, 10.0001],
    [1e3, 12345.678, 28125.0, 1e5],
]))
STEPS = np.concatenate([np.arange(0.0, 301.0), [1000.0, 28125.0]])


def test_reticulate_runs_in_this_python(r_session: RSession) -> None:
    """Under rpy2, reticulate attaches to this process's Python and its lrdecay module (the
    very object: only possible in this process)."""
    exe = r_session.eval("reticulate::py_config()$python")
    assert os.path.realpath(str(np.asarray(exe).ravel()[0])) == os.path.realpath(sys.executable)
    assert r_session.to_python("lrdecay:::py_lrdecay()") is sys.modules["lrdecay"]


# Each fixture evaluates all cases in one R evaluation; the tests compare case by case.
SPE = {"iterations": None, "spe=4": 4.0, "spe=7": 7}


@pytest.fixture(scope="module")
def r_built(r_session: RSession) -> dict[str, list[Any]]:
    """Every case from R: its ``lr_at()`` values, the object R builds from R doubles and
    from R integers, and the object R builds from the text of ``describe()$r_call``."""
    r_call = "list(\n" + ",\n".join(c.describe()["r_call"] for c in GRID) + "\n)"
    return {"values": r_session.eval_each([r_of(c) for c in GRID], each="lr_at({x}, clock)",
                                           clock=CLOCK),
            "doubles": r_session.each_to_python([r_of(c) for c in GRID]),
            "integers": r_session.each_to_python([r_of(c, True) for c in GRID]),
            "r_call": list(r_session.to_python(r_call))}


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
    return {label: r_session.eval_each([r_of(c) for c in GRID], each=each, spe=spe, steps=STEPS)
            for label, spe in SPE.items()}


@pytest.mark.parametrize("i", range(len(GRID)), ids=GRID_IDS)
def test_r_gives_the_python_schedule_and_its_values_exactly(r_built: dict[str, list[Any]],
                                                            i: int) -> None:
    """``lr_at()`` in R equals Python's float64 values exactly; R builds the same schedule
    from R doubles, from R integers and from ``describe()$r_call`` (the text R prints)."""
    case, r_values = GRID[i], r_built["values"][i]
    py_values = case(CLOCK)
    assert isinstance(r_values, np.ndarray) and r_values.dtype == np.float64
    assert py_values.dtype == np.float64
    np.testing.assert_array_equal(r_values, py_values, err_msg=f"R and Python differ: {case!r}")
    for kind in ("doubles", "integers", "r_call"):
        from_r = r_built[kind][i]
        assert (type(from_r), from_r.get_config()) == (type(case), case.get_config()), \
            f"{kind}: {from_r!r} != {case!r} ({case.describe()['r_call']})"


@pytest.mark.keras
@pytest.mark.parametrize("spe", list(SPE))
@pytest.mark.parametrize("i", range(len(GRID)), ids=GRID_IDS)
def test_in_graph_from_r_matches_numpy(r_in_graph: dict[str, list[np.ndarray]], i: int,
                                       spe: str) -> None:
    case = GRID[i]
    steps_per_epoch = SPE[spe]
    got = np.asarray(r_in_graph[spe][i])
    # The graph's clock is float32 (iterations / steps_per_epoch, as in Keras).
    clock = (STEPS.astype(np.float32) / np.float32(steps_per_epoch or 1)).astype(np.float64)
    assert_float32_agrees(case, clock, got)


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


# -- Errors: the same words in both languages ---------------------------------------------

NAN, INF = float("nan"), float("inf")
C01 = lrdecay.Constant(0.1)
# Calls the one-argument rows cannot make: (class, every argument).
BAD_CALLS: list[tuple[type, dict[str, Any]]] = [
    (lrdecay.Exponential, dict(initial_lr=0.1)),
    (lrdecay.Exponential, dict(initial_lr=0.1, decay_rate=0.9, k=0.1)),
    (lrdecay.Exponential, dict(initial_lr=0.1, decay_steps=1000)),
    (lrdecay.OneCycle, dict(max_lr=0.1, total_steps=3, pct_start=0.1)),
    (lrdecay.OneCycle, dict(max_lr=0.1, total_steps=10, pct_start=0.55, three_phase=True)),
    (lrdecay.Warmup, dict(schedule=C01, warmup_steps=5, shape="exponential")),
    (lrdecay.Warmup, dict(schedule=lrdecay.Constant(0.0), warmup_steps=5, start_lr=0.01,
                          shape="exponential")),
    (lrdecay.Sequence, dict(schedules=[C01, C01, C01], boundaries=[10, 5])),
]
# test_schedule_checks.py's bad-argument table, the rows R can pass (numbers, numeric
# vectors, strings), each a valid call with one argument broken; then BAD_CALLS.
BAD = [(c, {**VALID[c], a: v}) for c, a, v, _, _ in OUT_OF_RANGE]
BAD += [(c, {**VALID[c], a: v}) for c, a, _ in NUMBERS for v in (NAN, INF, -INF)]
BAD += [(c, {**VALID[c], a: v}) for c, a, v, exc, _, _ in VECTORS + CHOICES
        if exc is ValueError and (isinstance(v, str) or isinstance(v, list) and all(
            isinstance(x, (int, float)) for x in v))]
BAD += BAD_CALLS
BAD_IDS = [f"{c.__name__}-{i}" for i, (c, _) in enumerate(BAD)]


def r_bad(cls: type, kwargs: dict[str, Any]) -> RCall:
    """The R call of ``cls(**kwargs)``, every argument given."""
    return RCall(r_function(cls(**VALID[cls])), **{k: _r(v, False) for k, v in kwargs.items()})


def _requirement(message: str) -> str:
    """The message up to ", not <value>": what is wrong, without how the value prints."""
    text = " ".join(message.split())
    return re.split(r", not ", text)[0]


@pytest.fixture(scope="module")
def r_errors(r_session: RSession) -> list[np.ndarray]:
    """For each bad case: R's message and condition classes (empty when no error)."""
    return r_session.eval_each(
        [r_bad(c, kw) for c, kw in BAD],
        each="tryCatch({ {x}; character() }, error = function(e) c(conditionMessage(e), class(e)))")


@pytest.mark.parametrize("i", range(len(BAD)), ids=BAD_IDS)
def test_bad_arguments_fail_alike(r_errors: list[np.ndarray], i: int) -> None:
    cls, kwargs = BAD[i]
    with pytest.raises((ValueError, TypeError)) as py_err:
        cls(**kwargs)
    r_error = [str(x) for x in r_errors[i]]
    assert r_error, f"no R error for {cls.__name__}({kwargs})"
    message, classes = r_error[0], r_error[1:]
    assert "lrdecay_error_argument" in classes, message
    assert _requirement(message) == _requirement(str(py_err.value))


# -- R as its own process, on the installed package ---------------------------------------

def test_rscript_on_installed_package_agrees(tmp_path: Path) -> None:
    """A separate R process (no shared module), with the Python this one runs: each case
    built from its ``describe()$r_call`` text, values printed with 17 digits equal
    Python's exactly."""
    lines = [
        "suppressPackageStartupMessages(library(lrdecay))",
        f"t <- c({', '.join(float(x).hex() for x in CLOCK)})",
        "cat('python', reticulate::py_config()$python, '\\n')",
        "cat('module', lrdecay:::py_lrdecay()$`__file__`, '\\n')",
        *[f"cat('{i}', sprintf('%.17g', lr_at({case.describe()['r_call']}, t)), '\\n')"
          for i, case in enumerate(GRID)],
    ]
    out = dict(line.split(" ", 1) for line in run_r("\n".join(lines) + "\n", cwd=tmp_path)
               .splitlines() if " " in line)
    assert os.path.realpath(out["python"].strip()) == os.path.realpath(
        subprocess_env()["RETICULATE_PYTHON"])
    for i, case in enumerate(GRID):
        np.testing.assert_array_equal(np.array(out[str(i)].split(), dtype=float), case(CLOCK),
                                      err_msg=f"Rscript and Python differ: {case!r} (R used "
                                      f"{out['module']}, Python {lrdecay.__file__}: is the "
                                      "installed R package up to date?)")
