"""Cooldowns: the ``Cooldown`` family's values, and ``start_cooldown()`` branching a cooldown
from a checkpoint (constant rate or in-graph schedule); branched in a fresh process on each
backend, bit for bit: ``test_backends.py``.

The property, round-trip and in-graph agreement tests cover ``Cooldown`` through the shared
case table (``kit.schedule_cases()``) and ``test_properties.py``'s strategies.
"""

from __future__ import annotations

import math

import lrdecay
import numpy as np
import pytest
from lrdecay import WSD, Constant, Cooldown, Cosine


@pytest.mark.parametrize(("shape", "f"), [
    ("linear", lambda p: 1.0 - p),
    ("cosine", lambda p: (1.0 + math.cos(math.pi * p)) / 2.0),
    ("1-sqrt", lambda p: 1.0 - math.sqrt(p)),
])
def test_cooldown_follows_its_formula(shape: str, f) -> None:
    base = Cosine(0.1, 100)
    s = Cooldown(base, start=20, length=8, shape=shape, final_lr=0.002)
    r0 = base(20.0)
    ts = np.arange(0.0, 40.0, 0.5)
    want = [base(t) if t < 20 else 0.002 + (r0 - 0.002) * f(min((t - 20) / 8, 1.0)) for t in ts]
    np.testing.assert_allclose(s(ts), want, rtol=1e-15, atol=0)
    assert s(19.5) == base(19.5)  # the schedule itself before start
    assert s(20.0) == r0  # the cooldown starts at the schedule's rate
    assert s(28.0) == 0.002 and s(1e6) == 0.002  # final_lr from start + length on
    assert s.horizon() == 28.0


def test_cooldown_default_shape_is_1_sqrt_to_zero() -> None:
    s = Cooldown(Constant(0.1), 10, 4)
    assert (s.shape, s.final_lr) == ("1-sqrt", 0)
    assert s([0, 10, 11, 14]).tolist() == [0.1, 0.1, 0.1 * (1 - math.sqrt(0.25)), 0.0]


def test_cooldown_prints_in_both_languages() -> None:
    s = Cooldown(WSD(0.1, 2, 30, 5), 12, 6, shape="linear", final_lr=0.001)
    assert repr(s) == ("Cooldown(schedule=WSD(peak_lr=0.1, warmup_steps=2, stable_steps=30, "
                       "decay_steps=5, warmup='linear', decay='cosine', min_lr_ratio=0), "
                       "start=12, length=6, shape='linear', final_lr=0.001)")
    assert s.r_call().startswith("schedule_cooldown(schedule = schedule_wsd(peak_lr = 0.1,")
    assert s.r_call().endswith('start = 12, length = 6, shape = "linear", final_lr = 0.001)')
    assert "(1 - p), p = (t - start) / length" in s.describe()["formula"]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"length": 0}, "`length` must be a positive number, not 0."),
    ({"length": float("nan")}, "`length` must be"),
    ({"start": -1}, "`start` must be a non-negative number, not -1."),
    ({"shape": "sqrt"}, '`shape` must be one of "1-sqrt", "linear", "cosine", not "sqrt".'),
    ({"final_lr": -0.1}, "`final_lr` must be a non-negative number, not -0.1."),
    ({"schedule": 0.1}, "`schedule` must be an lrdecay schedule, not 0.1."),
])
def test_cooldown_argument_errors(kwargs: dict, message: str) -> None:
    args = {"schedule": Constant(0.1), "start": 5, "length": 10, **kwargs}
    with pytest.raises((TypeError, ValueError)) as err:
        Cooldown(**args)
    assert message in str(err.value)


# -- start_cooldown() ---------------------------------------------------------------------

@pytest.mark.keras
def test_start_cooldown_on_an_in_graph_schedule_keeps_its_clock() -> None:
    """A WSD in its stable phase, counted in epochs (steps_per_epoch): the cooldown starts at
    the fractional epoch of the optimizer's iteration and keeps the clock and the check."""
    from kit import X, Y, fit, keras_model

    wsd = WSD(0.05, 1, 100, 10)
    model = keras_model(wsd.to_keras(steps_per_epoch=5, check=False))
    data = {"x": X[:40], "y": Y[:40], "batch_size": 8, "shuffle": False}
    fit(model, epochs=3, **data)  # 15 updates: t = 3
    before = [v.path for v in model.optimizer.variables]
    s = lrdecay.start_cooldown(model, 2, shape="linear", final_lr=0.001)
    assert model.optimizer._learning_rate is s
    assert (s.steps_per_epoch, s.check) == (5, False)
    assert s.schedule == Cooldown(wsd, 3, 2, shape="linear", final_lr=0.001)
    assert [v.path for v in model.optimizer.variables] == before
    _, probe = fit(model, epochs=3, **data)
    seen = [lr for *_, lr in probe.rows]
    want = s.schedule(np.arange(15, 30) / 5)  # 0.05 at t = 3, linear to 0.001 at t = 5
    np.testing.assert_allclose(seen, want, rtol=1e-6)
    assert seen[0] == pytest.approx(0.05) and seen[-1] == pytest.approx(0.001)


@pytest.mark.keras
def test_start_cooldown_errors() -> None:
    import keras
    from kit import keras_model

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match=r"start_cooldown\(\): the model has no optimizer"):
        lrdecay.start_cooldown(model, 10)
    model = keras_model(keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.9))
    with pytest.raises(TypeError, match="must be a number or an in-graph lrdecay schedule"):
        lrdecay.start_cooldown(model, 10)
    model = keras_model(0.1)
    with pytest.raises(ValueError, match="`length` must be a positive number, not -3."):
        lrdecay.start_cooldown(model, -3)
    assert lrdecay.get_learning_rate(model) == pytest.approx(0.1)  # unchanged
    with pytest.raises(ValueError, match='`shape` must be one of'):
        lrdecay.start_cooldown(model, 10, shape="cos")
