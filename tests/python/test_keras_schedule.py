"""The Keras side: lrdecay's formulas against Keras's own schedules, the in-graph adapter
(``Schedule.to_keras()``) against the NumPy values (both under the one float32 rule,
``kit.assert_float32_agrees``), and Keras serialization.

Elsewhere: other backends and the rate ``fit()`` applies in test_backends.py, saved files
loaded (same and fresh process) in test_resume.py.
"""

from __future__ import annotations

import json
import math
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

keras = pytest.importorskip("keras")

import lrdecay  # noqa: E402
from kit import KERAS_TWIN, TWIN_CASES, assert_float32_agrees, case_params  # noqa: E402
from lrdecay import *  # noqa: E402, F403 - the schedules API, lrdecay.__all__

pytestmark = pytest.mark.keras

KS = keras.optimizers.schedules


def steps_grid(points, last=400):
    """Every whole step to ``last``, each point with its neighbours, and far past it."""
    ts = set(np.arange(0, last + 1, dtype=np.float64).tolist())
    for p in points:
        ts.update(x for x in (p - 1, p - 0.5, p, p + 0.5, p + 1) if x >= 0)
    ts.update([1000.0, 2047.0, 10_000.0, 28_125.0, 100_000.0, 2_000_000.0])
    return np.array(sorted(ts))


def keras_values(schedule, ts):
    """A Keras LearningRateSchedule evaluated on a whole vector of steps (float32)."""
    return keras.ops.convert_to_numpy(schedule(np.asarray(ts, dtype=np.float32)))


# ---------------------------------------------------------------------------
# Same values as Keras's own schedules
# ---------------------------------------------------------------------------

# Keras's own class and lrdecay's twin, both built from the SAME positional arguments
# (Keras's order): kit's table of twins.
TWINS = [pytest.param(KERAS_TWIN[cls], cls, args, points, id=id_)
         for id_, cls, args, points in TWIN_CASES]


def test_twins_cover_every_keras_twin_with_only_its_required_arguments():
    import inspect

    required = {}
    for p in TWINS:
        params = inspect.signature(getattr(KS, p.values[0])).parameters.values()
        n = sum(q.default is inspect.Parameter.empty for q in params)
        required.setdefault(p.values[0], set()).add(len(p.values[2]) == n)
    assert set(required) == {"ExponentialDecay", "InverseTimeDecay", "PolynomialDecay",
                             "CosineDecay", "CosineDecayRestarts", "PiecewiseConstantDecay"}
    assert all(True in rows for rows in required.values()), required


@pytest.mark.parametrize(("keras_name", "cls", "args", "points"), TWINS)
def test_keras_positional_arguments_mean_the_same(keras_name, cls, args, points):
    """``cls(*args)`` and its ``to_keras()`` equal ``KS.<keras_name>(*args)`` to float32
    precision."""
    ours = cls(*args)
    theirs = getattr(KS, keras_name)(*args)
    ts = steps_grid(points, last=max(400, int(max(points) * 1.5) + 10))
    assert_float32_agrees(ours, ts, keras_values(theirs, ts))
    assert_float32_agrees(ours, ts, keras_values(ours.to_keras(), ts))
    # At the boundaries themselves (a restart: initial_lr * m_mul^i), one by one, as a
    # training loop asks; to_keras() there too.
    near = [t for p in points for t in (p - 1, p, p + 1)]
    in_graph = keras_values(ours.to_keras(), near)
    tol = dict(rel=1e-6, abs=0 if isinstance(ours, Piecewise) else 1e-7 * args[0])
    for t, graph in zip(near, in_graph):
        want = float(keras.ops.convert_to_numpy(theirs(np.float32(t))))
        assert ours(float(t)) == pytest.approx(want, **tol), (keras_name, args, t)
        assert float(graph) == pytest.approx(want, **tol), (keras_name, args, t)


def test_smooth_and_staircase_differ():
    """A deliberately different pair: the check above can tell a staircase from smooth."""
    ts = np.array([10.0, 15.0, 20.0])
    theirs = KS.ExponentialDecay(0.3, 7, 0.5, staircase=True)
    assert not np.allclose(Exponential(0.3, 7, 0.5)(ts), keras_values(theirs, ts), rtol=1e-3)


def test_a_schedule_given_as_a_keras_learning_rate_names_to_keras():
    """Keras takes any callable as learning_rate and calls it without arguments: the
    error says what to do instead of "missing 1 required positional argument"."""
    opt = keras.optimizers.SGD(learning_rate=Cosine(0.1, 1000))
    with pytest.raises(TypeError) as err:
        opt.learning_rate  # noqa: B018 - Keras calls the schedule here
    assert "`.to_keras()`" in str(err.value) or "to_keras()" in str(err.value)
    assert "required positional argument" not in str(err.value)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=Cosine(0.1, 1000)), loss="mse")
    with pytest.raises(TypeError, match=r"pass `schedule\.to_keras\(\)` as the optimizer's "
                                        r"`learning_rate`"):
        model.fit(np.zeros((4, 2)), np.zeros((4, 1)), verbose=0)
    with pytest.raises(TypeError, match="called without `t`"):
        Cosine(0.1, 1000)()


# ---------------------------------------------------------------------------
# to_keras() against the NumPy values, for every family
# ---------------------------------------------------------------------------

TABLE = case_params()  # the one schedule table (kit.schedule_cases)


@pytest.mark.parametrize("schedule", TABLE)
@pytest.mark.parametrize("steps_per_epoch", [None, 1, 3, 7.5])
def test_to_keras_matches_numpy(schedule, steps_per_epoch):
    ks = schedule.to_keras(steps_per_epoch=steps_per_epoch)
    assert isinstance(ks, KS.LearningRateSchedule)
    steps = steps_grid([], last=600 if steps_per_epoch else 400)
    # In-graph, t = float32(iterations) / steps_per_epoch is itself float32: compare with the
    # float64 values at that same clock (for 100 / 3 the clock is 33.333332, not 33.333...).
    spe = np.float32(steps_per_epoch or 1)
    t32 = (steps.astype(np.float32) / spe).astype(np.float64)
    assert_float32_agrees(schedule, t32, keras_values(ks, steps))
    # optimizer.iterations is an int64 counter: the same values from integer steps
    whole = np.arange(0, 200, dtype=np.int64)
    got = keras.ops.convert_to_numpy(ks(whole))
    assert got.dtype == np.float32
    assert_float32_agrees(schedule, (whole.astype(np.float32) / spe).astype(np.float64), got)


def test_to_keras_at_one_scalar_step_from_a_variable():
    s = Warmup(CosineRestarts(0.1, 4, t_mul=2.0, m_mul=0.5), 3, start_lr=0.001)
    ks = s.to_keras(steps_per_epoch=2)
    it = keras.Variable(0, dtype="int64", trainable=False)
    for n in range(0, 40, 3):
        it.assign(n)
        value = ks(it)
        assert tuple(value.shape) == ()
        assert float(value) == pytest.approx(s(n / 2), rel=1e-6, abs=1e-8)


def test_walkthrough_exponential_in_graph_equals_keras():
    ks = Exponential(0.1, 1000, 0.96, staircase=True).to_keras()
    got = float(ks(28125))
    assert got == pytest.approx(0.031885575503110886, abs=1e-9)
    assert got == pytest.approx(float(KS.ExponentialDecay(0.1, 1000, 0.96, staircase=True)(28125)),
                                abs=1e-12)
    # it is float32 arithmetic, not the float64 value 0.1 * 0.96^28
    assert abs(got - 0.1 * 0.96**28) > 1e-8


_FROM_CONFIG = lrdecay.KerasSchedule.from_config

#: (call, exception, message pattern); a KerasSchedule config with an extra key or a
#: negative steps_per_epoch, read from a .keras file: test_saving.py's TAMPERS.
ERRORS = [
    (lambda: FromFunction(math.sqrt).to_keras(), TypeError,
     r"^A FromFunction schedule cannot run inside the training graph: use it with the epoch "
     r"callback \(LRScheduler\) instead"),
    (lambda: Warmup(FromFunction(math.sqrt), 3).to_keras(), TypeError,
     r"^This schedule holds a FromFunction schedule, which cannot run inside the training "
     r"graph: use it with the epoch callback \(LRScheduler\) instead"),
    (lambda: Sequence([Constant(0.1), FromFunction(math.sqrt)], [3]).to_keras(steps_per_epoch=10),
     TypeError, "cannot run inside the training graph"),
    (lambda: lrdecay.KerasSchedule(FromFunction(math.sqrt)), TypeError,
     "cannot run inside the training graph"),
    (lambda: lrdecay.KerasSchedule(0.1), TypeError,
     "`schedule` must be an lrdecay schedule, not 0.1."),
    (lambda: Step(0.1).to_keras(steps_per_epoch=0), ValueError,
     r"`steps_per_epoch` must be a positive number, not 0\."),
    (lambda: Step(0.1).to_keras(steps_per_epoch=float("nan")), ValueError,
     "`steps_per_epoch` must be a positive number, not NaN."),
    (lambda: Step(0.1).to_keras(steps_per_epoch="10"), TypeError,
     "`steps_per_epoch` must be a positive number, not \"10\"."),
    (lambda: _FROM_CONFIG({"steps_per_epoch": 3}), TypeError,
     '`config` must be a dict with the keys "schedule"'),
    (lambda: _FROM_CONFIG({"schedule": {"class_name": "Nope", "config": {}}}), ValueError,
     '`class_name`.*"Nope"'),
]


@pytest.mark.parametrize(("call", "exc", "pattern"), ERRORS)
def test_to_keras_and_its_config_errors(call, exc, pattern):
    with pytest.raises(exc, match=pattern):
        call()


def test_to_keras_class_repr_and_config():
    assert lrdecay.KerasSchedule is type(Step(0.1).to_keras())
    assert repr(Step(0.1).to_keras(steps_per_epoch=4)) == (
        "KerasSchedule(Step(initial_lr=0.1, drop=0.5, every=10), steps_per_epoch=4)")


# ---------------------------------------------------------------------------
# Serialization: every case saved and loaded (.keras, same and fresh process) in
# test_resume.py; here the name Keras registers it under
# ---------------------------------------------------------------------------


def test_keras_serialization_uses_the_registered_name():
    ks = Warmup(Cosine(0.1, 40), 3).to_keras(steps_per_epoch=5)
    blob = json.loads(json.dumps(keras.saving.serialize_keras_object(ks)))
    assert blob["registered_name"] == "lrdecay>KerasSchedule"
    back = keras.saving.deserialize_keras_object(blob)
    assert type(back) is type(ks) and back.get_config() == ks.get_config()
    assert keras.saving.get_registered_object("lrdecay>KerasSchedule") is type(ks)
