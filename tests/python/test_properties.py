"""Property tests (hypothesis) for every schedule family over random valid parameters,
nested Warmup, Sequence and Cooldown included: values finite, >= 0 and never above the
largest rate the parameters allow (``CEILING``); monotone where the family promises it
(``MONOTONE``); in-graph (``to_keras()``) equal to NumPy under kit's float32 rule.
"""

from __future__ import annotations

from typing import Any, Callable

import lrdecay
import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from kit import assert_float32_agrees
from lrdecay import *  # noqa: F403 - the schedules API, lrdecay.__all__
from lrdecay.schedules import FAMILIES

EXAMPLES = settings(max_examples=25, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])

# ---------------------------------------------------------------------------
# Strategies: one per family
# ---------------------------------------------------------------------------

lrs = st.floats(1e-6, 10.0)
lrs0 = st.one_of(st.just(0.0), lrs)
steps = st.floats(0.5, 500.0)
unit_open = st.floats(1e-6, 1.0)  # (0, 1]
unit = st.floats(0.0, 1.0)  # [0, 1]


@st.composite
def increasing(draw: Any, low: float, min_size: int = 1, max_size: int = 5) -> list[float]:
    gaps = draw(st.lists(st.floats(0.5, 200.0), min_size=min_size, max_size=max_size))
    start = draw(st.one_of(st.just(float(low)), st.floats(max(low, 0.5), 50.0)))
    return list(np.cumsum([start] + gaps[1:]).tolist()) if gaps else [start]


@st.composite
def piecewise(draw: Any) -> Piecewise:
    b = draw(increasing(0.0))
    v = draw(st.lists(lrs0, min_size=len(b) + 1, max_size=len(b) + 1))
    return Piecewise(b, v)


@st.composite
def exponential(draw: Any) -> Exponential:
    kw = {"decay_steps": draw(steps), "staircase": draw(st.booleans())}
    if draw(st.booleans()):
        kw["k"] = draw(st.floats(0.0, 5.0))
    else:
        kw["decay_rate"] = draw(unit_open)
    return Exponential(draw(lrs), **kw)


@st.composite
def cyclic(draw: Any) -> Cyclic:
    base = draw(lrs0)
    top = base + draw(st.one_of(st.just(0.0), st.floats(1e-6, 5.0)))
    return Cyclic(base, top, draw(steps), mode=draw(st.sampled_from(Cyclic.MODES)),
                  gamma=draw(st.floats(0.9, 1.0)))


@st.composite
def one_cycle(draw: Any) -> OneCycle:
    total = draw(st.integers(10, 2000))
    three = draw(st.booleans())
    pct = draw(st.floats(0.05, 0.45 if three else 0.9))
    kw = {"pct_start": pct, "anneal": draw(st.sampled_from(OneCycle.ANNEALS)),
          "div_factor": draw(st.floats(1.0, 100.0)),
          "final_div_factor": draw(st.floats(1.0, 1e5)), "three_phase": three}
    try:
        return OneCycle(draw(lrs), total, **kw)
    except ValueError as err:  # a phase shorter than one step: rejected by design
        assert "`pct_start`" in str(err)
        assume(False)
        raise


BASE: dict[str, Any] = {
    "Constant": st.builds(Constant, lrs0),
    "Step": st.builds(Step, lrs, unit_open, steps),
    "MultiStep": st.builds(MultiStep, lrs, increasing(0.0), unit_open),
    "Piecewise": piecewise(),
    "Exponential": exponential(),
    "InverseTime": st.builds(InverseTime, lrs, steps, st.floats(0.0, 10.0), st.booleans()),
    "Polynomial": st.builds(Polynomial, lrs, steps, lrs0, st.floats(0.1, 5.0), st.booleans()),
    "Cosine": st.builds(Cosine, lrs, steps, unit),
    # t_mul in {1} or [1.5, 4]: just above 1, float32's log(1 + x) cannot place restarts
    # (the same holds for Keras's CosineDecayRestarts).
    "CosineRestarts": st.builds(CosineRestarts, lrs, steps,
                                st.one_of(st.just(1.0), st.floats(1.5, 4.0)), unit_open, unit),
    "Linear": st.builds(Linear, lrs0, lrs0, steps),
    "Cyclic": cyclic(),
    "OneCycle": one_cycle(),
    "WSD": st.builds(WSD, lrs, st.one_of(st.just(0.0), steps), st.one_of(st.just(0.0), steps),
                     steps, st.sampled_from(WSD.SHAPES), st.sampled_from(WSD.SHAPES), unit),
    "InverseSqrt": st.builds(InverseSqrt, lrs, st.one_of(st.just(0.0), steps),
                             st.one_of(st.none(), steps)),
    "Rex": st.builds(lambda lr, n, f: Rex(lr, n, f * lr), lrs, steps, unit),
    "OneCycleMomentum": st.builds(lambda s, a, b: s.momentum(min(a, b), max(a, b)),
                                  one_cycle(), unit, unit),
    "CyclicMomentum": st.builds(lambda s, a, b: s.momentum(min(a, b), max(a, b)),
                                cyclic(), unit, unit),
}
base_schedules = st.one_of(*BASE.values())


@st.composite
def warmup(draw: Any, inner: Any = base_schedules) -> Warmup:
    sched = draw(inner)
    shape = draw(st.sampled_from(Warmup.SHAPES))
    if shape == "exponential" and sched(0.0) <= 0.0:
        shape = "linear"
    start = draw(lrs if shape == "exponential" else lrs0)
    return Warmup(sched, draw(steps), start_lr=start, shape=shape)


@st.composite
def sequence(draw: Any, inner: Any = None) -> Sequence:
    if inner is None:
        inner = st.one_of(base_schedules, warmup())
    scheds = draw(st.lists(inner, min_size=2, max_size=4))
    bounds = draw(increasing(0.5, min_size=len(scheds) - 1, max_size=len(scheds) - 1))
    return Sequence(scheds, bounds)


@st.composite
def cooldown(draw: Any, inner: Any = base_schedules) -> Cooldown:
    return Cooldown(draw(inner), draw(st.one_of(st.just(0.0), steps)), draw(steps),
                    shape=draw(st.sampled_from(Cooldown.SHAPES)), final_lr=draw(lrs0))


FAMILY: dict[str, Any] = {
    **BASE,
    "Cooldown": st.one_of(cooldown(), cooldown(inner=warmup())),
    "Warmup": st.one_of(warmup(), warmup(inner=sequence(inner=base_schedules))),
    "Sequence": st.one_of(sequence(), sequence(inner=st.one_of(base_schedules,
                                                                 warmup()))),
}
any_schedule = st.one_of(*FAMILY.values())


def test_every_family_has_a_strategy() -> None:
    assert set(FAMILY) == set(FAMILIES)


def _clock(s: lrdecay.Schedule, extra: list[float]) -> np.ndarray:
    horizon = float(s.default_horizon())
    grid = np.linspace(0.0, 3.0 * horizon + 10.0, 301)
    return np.sort(np.concatenate([grid, np.asarray(extra, dtype=np.float64)]))


extra_t = st.lists(st.floats(0.0, 1e5), max_size=10)


#: The largest learning rate each family can reach, from its parameters alone.
CEILING: dict[type, Callable[[Any], float]] = {
    Constant: lambda s: s.lr,
    Piecewise: lambda s: max(s.values),
    Polynomial: lambda s: max(s.initial_lr, s.end_lr),
    Linear: lambda s: max(s.start_lr, s.end_lr),
    Cyclic: lambda s: s.max_lr,
    OneCycle: lambda s: s.max_lr,
    Warmup: lambda s: max(s.start_lr, _ceiling(s.schedule)),
    Sequence: lambda s: max(_ceiling(x) for x in s.schedules),
    Cooldown: lambda s: max(s.final_lr, _ceiling(s.schedule)),
    WSD: lambda s: s.peak_lr,
    InverseSqrt: lambda s: s.peak_lr,
    lrdecay.OneCycleMomentum: lambda s: s.max_momentum,
    lrdecay.CyclicMomentum: lambda s: s.max_momentum,
    **{cls: lambda s: s.initial_lr
       for cls in (Step, MultiStep, Exponential, InverseTime, Cosine, CosineRestarts, Rex)},
}


def _ceiling(s: lrdecay.Schedule) -> float:
    return CEILING[type(s)](s)


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------

FAMILY_NAMES = sorted(FAMILY)


#: Never increasing (Polynomial: without cycle and with end_lr <= initial_lr; Linear: a ramp
#: up never decreases).
MONOTONE = {"Step", "MultiStep", "Exponential", "InverseTime", "Polynomial", "Cosine", "Linear",
            "Rex"}


@pytest.mark.parametrize("family", FAMILY_NAMES)
def test_values_finite_non_negative_bounded_and_monotone_where_promised(family: str) -> None:
    @EXAMPLES
    @given(s=FAMILY[family], extra=extra_t)
    def check(s: lrdecay.Schedule, extra: list[float]) -> None:
        t = _clock(s, extra)
        v = s(t)
        assert np.all(np.isfinite(v)), (s, t[~np.isfinite(v)][:3])
        assert np.all(v >= 0.0), (s, v.min())
        top = _ceiling(s)
        assert v.max() <= top * (1.0 + 1e-12) + 1e-300, (s, v.max(), top)
        if family not in MONOTONE or (isinstance(s, Polynomial)
                                      and (s.cycle or s.end_lr > s.initial_lr)):
            return  # no promise (Polynomial: cycling, or decaying upwards)
        d = np.diff(v)
        slack = 1e-13 * top
        if isinstance(s, Linear) and s.end_lr > s.start_lr:
            assert np.all(d >= -slack), s  # a ramp up never goes down
        else:
            assert np.all(d <= slack), (s, d.max())

    check()


@pytest.mark.keras
@pytest.mark.slow
@pytest.mark.parametrize("family", FAMILY_NAMES)
def test_in_graph_equals_numpy(family: str) -> None:
    pytest.importorskip("keras")
    import keras

    @settings(max_examples=15, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(s=FAMILY[family], spe=st.sampled_from([None, 1, 7]))
    def check(s: lrdecay.Schedule, spe: int | None) -> None:
        horizon = s.default_horizon() * (spe or 1)
        iters = np.unique(np.linspace(0, min(3 * horizon + 10, 2e6), 200).astype(np.int64))
        got = keras.ops.convert_to_numpy(
            s.to_keras(steps_per_epoch=spe)(keras.ops.convert_to_tensor(iters, "int32")))
        assert_float32_agrees(s, iters / (spe or 1), got)

    check()

