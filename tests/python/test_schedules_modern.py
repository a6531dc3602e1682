"""WSD, InverseSqrt and two compositions Hugging Face names, against transformers; Rex
against its paper.

- transformers' ``get_wsd_schedule``, ``get_inverse_sqrt_schedule``,
  ``get_linear_schedule_with_warmup`` (D2Z: ``Warmup(Linear(peak, 0, n - w), w)``) and
  ``get_cosine_with_min_lr_schedule_with_warmup`` (``Warmup(Cosine(peak, n - w, alpha=r), w)``)
  at every whole step, to 1e-9: against values kept from transformers (``REFERENCE``),
  and live when transformers is importable;
- ``Rex`` against the formula of Chen et al. (2022), in exact rational arithmetic.
"""

from __future__ import annotations

import importlib.util
import json
from fractions import Fraction
from pathlib import Path
from typing import Any, NamedTuple

import lrdecay
import numpy as np
import pytest
from kit import torch_lrs
from lrdecay import WSD, Cosine, InverseSqrt, Linear, Rex, Warmup

# Cases: lrdecay's schedule, transformers' factory in transformers.optimization and its
# arguments after the optimizer, the peak, and how many updates t = 0..n-1 are compared:
# past the end for WSD and D2Z, up to num_training_steps for the cosine (see
# ``test_cosine_min_lr_after_training_ends``).


class Case(NamedTuple):
    ours: lrdecay.Schedule
    factory: str
    kwargs: dict[str, Any]
    peak: float
    n: int


def wsd(peak: float, w: float, s: float, d: float, warmup: str = "linear",
        decay: str = "cosine", min_lr_ratio: float = 0.0) -> Case:
    hf = dict(num_warmup_steps=w, num_decay_steps=d, num_training_steps=w + s + d,
              warmup_type=warmup, decay_type=decay, min_lr_ratio=min_lr_ratio)
    return Case(WSD(peak, w, s, d, warmup, decay, min_lr_ratio), "get_wsd_schedule", hf, peak,
                int(w + s + d) + 4)


def inverse_sqrt(peak: float, w: int, timescale: float | None = None) -> Case:
    return Case(InverseSqrt(peak, w, timescale), "get_inverse_sqrt_schedule",
                dict(num_warmup_steps=w, timescale=timescale), peak, max(3 * w, 10) + 10)


def d2z(peak: float, w: int, n: int) -> Case:
    """Linear decay to zero after a warmup."""
    return Case(Warmup(Linear(peak, 0, n - w), w), "get_linear_schedule_with_warmup",
                dict(num_warmup_steps=w, num_training_steps=n), peak, n + 3)


def cosine_min_lr(peak: float, w: int, n: int, r: float) -> Case:
    return Case(Warmup(Cosine(peak, n - w, alpha=r), w),
                "get_cosine_with_min_lr_schedule_with_warmup",
                dict(num_warmup_steps=w, num_training_steps=n, min_lr_rate=r), peak, n + 1)


CASES = {
    ("wsd", "linear-cosine"): wsd(0.1, 5, 10, 8),
    ("wsd", "cosine-linear-min"): wsd(0.1, 5, 10, 8, "cosine", "linear", 0.1),
    ("wsd", "1sqrt-1sqrt-min"): wsd(0.1, 5, 10, 8, "1-sqrt", "1-sqrt", 0.2),
    ("wsd", "no-warmup"): wsd(0.003, 0, 4, 10, decay="1-sqrt"),
    ("wsd", "no-stable"): wsd(0.05, 3, 0, 6, "cosine", "cosine", 0.05),
    ("wsd", "one-step-stages"): wsd(1.0, 1, 2, 1, decay="linear", min_lr_ratio=0.5),
    ("wsd", "long"): wsd(3e-4, 20, 50, 30, "linear", "1-sqrt", 0.01),
    ("inverse_sqrt", "default-timescale"): inverse_sqrt(0.1, 4),
    ("inverse_sqrt", "no-warmup"): inverse_sqrt(0.01, 0),
    ("inverse_sqrt", "timescale-below-warmup"): inverse_sqrt(0.5, 10, timescale=3),
    ("inverse_sqrt", "timescale-above-warmup"): inverse_sqrt(0.02, 7, timescale=50),
    ("inverse_sqrt", "one-step-warmup"): inverse_sqrt(1.0, 1),
    ("d2z", "w5-n30"): d2z(0.1, 5, 30),
    ("d2z", "w1-n10"): d2z(0.02, 1, 10),
    ("d2z", "w40-n100"): d2z(3e-4, 40, 100),
    ("cosine_min_lr", "w5-n30-r0.1"): cosine_min_lr(0.1, 5, 30, 0.1),
    ("cosine_min_lr", "w3-n20-r0"): cosine_min_lr(0.02, 3, 20, 0.0),
    ("cosine_min_lr", "w10-n50-r0.05"): cosine_min_lr(6e-4, 10, 50, 0.05),
    ("cosine_min_lr", "w1-n7-r0.3"): cosine_min_lr(1.0, 1, 7, 0.3),
}
CASE_PARAMS = [pytest.param(kind, name, id=f"{kind}-{name}") for kind, name in CASES]


def transformers_lrs(kind: str, name: str, n: int | None = None) -> np.ndarray:
    """The rate transformers' scheduler gives a torch SGD optimizer at t = 0..n-1."""
    from transformers import optimization as hf

    case = CASES[kind, name]
    return torch_lrs(lambda opt, _: getattr(hf, case.factory)(opt, **case.kwargs),
                     n or case.n, lr=case.peak)


needs_transformers = pytest.mark.skipif(
    any(importlib.util.find_spec(m) is None for m in ("torch", "transformers")),
    reason="transformers (and torch) not importable")

# The values kept in data/transformers_reference.json: `python test_schedules_modern.py`
# writes them afresh.

REFERENCE_FILE = Path(__file__).resolve().parent / "data" / "transformers_reference.json"
REFERENCE: dict[tuple[str, str], list[float]] = {
    tuple(key.split("/")): values  # type: ignore[misc]
    for key, values in json.loads(REFERENCE_FILE.read_text())["values"].items()}


def test_reference_covers_every_case() -> None:
    assert set(REFERENCE) == set(CASES)


# ---------------------------------------------------------------------------
# transformers' values at every whole step, to 1e-9 (float64)
# ---------------------------------------------------------------------------
# WSD, InverseSqrt and the cosine composition compute transformers' operations in its
# order, and agree to the last bit here. D2Z does not, by construction: Linear computes
# start_lr + (end_lr - start_lr) * k / m (peak - peak * k / m), transformers
# peak * ((n - t) / (n - w)); the two round differently, by a few ulps (<= 3e-15 relative).


@pytest.mark.parametrize(("kind", "name"), CASE_PARAMS)
def test_values_match_kept_transformers_values(kind: str, name: str) -> None:
    case, ref = CASES[kind, name], REFERENCE[(kind, name)]
    assert len(ref) == case.n
    got = case.ours(np.arange(case.n, dtype=np.float64))
    np.testing.assert_allclose(got, ref, rtol=1e-9, atol=1e-12 * case.peak)


@needs_transformers
@pytest.mark.parametrize(("kind", "name"), CASE_PARAMS)
def test_values_match_transformers_live(kind: str, name: str) -> None:
    live = transformers_lrs(kind, name)
    """The kept values are transformers' (any drift in a new release shows here); lrdecay's
    equal the kept ones (above), so they equal transformers'."""
    np.testing.assert_allclose(live, REFERENCE[(kind, name)], rtol=1e-12, atol=0)


@needs_transformers
def test_cosine_min_lr_after_training_ends() -> None:
    """Past num_training_steps transformers' cosine climbs back (its progress passes 1 and
    the cosine turns up); lrdecay's Cosine holds ``alpha * peak``. Training runs
    num_training_steps updates, so the two agree wherever a plan trains."""
    s, _, kw, peak, _ = CASES["cosine_min_lr", "w5-n30-r0.1"]
    n, r = kw["num_training_steps"], kw["min_lr_rate"]
    live = transformers_lrs("cosine_min_lr", "w5-n30-r0.1", n + 11)
    assert live[n] == pytest.approx(r * peak, rel=1e-12)
    assert live[n + 10] > 2.0 * r * peak  # transformers rises again
    np.testing.assert_allclose(s(np.arange(n, n + 11.0)), r * peak, rtol=1e-12)


@needs_transformers
@pytest.mark.parametrize("name", [name for kind, name in CASES if kind == "wsd"
                                  and CASES[kind, name].ours.warmup_steps != 0])
def test_wsd_between_whole_steps_is_transformers_formula(name: str) -> None:
    """At fractional t (an epoch-defined WSD run in-graph with steps_per_epoch), the values
    are transformers' factor function evaluated at that t."""
    from transformers.optimization import _get_wsd_scheduler_lambda

    s = CASES["wsd", name].ours
    kw = dict(num_warmup_steps=s.warmup_steps, num_stable_steps=s.stable_steps,
              num_decay_steps=s.decay_steps, warmup_type=s.warmup, decay_type=s.decay,
              min_lr_ratio=s.min_lr_ratio, num_cycles=0.5)
    ts = np.arange(0.0, s.horizon() + 3.0, 0.125)
    ref = [s.peak_lr * _get_wsd_scheduler_lambda(float(t), **kw) for t in ts]
    np.testing.assert_allclose(s(ts), ref, rtol=1e-12, atol=1e-15 * s.peak_lr)


def test_wsd_and_inverse_sqrt_defaults() -> None:
    """Their values by hand: test_schedules.py's HAND; here the defaults they rest on."""
    assert WSD(0.1, 0, 0, 10)(0) == 0.1  # no warmup, no stable stage: starts at the peak
    assert InverseSqrt(0.1, warmup_steps=4).timescale == 4.0
    assert InverseSqrt(0.1, 0).timescale == 10_000.0  # transformers' default without warmup
    assert InverseSqrt(0.1, 0, timescale=None) == InverseSqrt(0.1, 0, 10_000)


# ---------------------------------------------------------------------------
# Rex against the paper, in exact arithmetic
# ---------------------------------------------------------------------------


def rex_paper(lr0: float, total: float, lr_min: float, t: float) -> float:
    """Chen et al. (2022), eq. for the REX profile: with z = t / T,
    lr = lr_min + (lr0 - lr_min) * (1 - z) / (1/2 + 1/2 * (1 - z)); z held at 1 after T.
    Computed in rationals (Fraction), a different arrangement of the same formula."""
    z = min(Fraction(t), Fraction(total)) / Fraction(total)
    half = Fraction(1, 2)
    lr0_, lr_min_ = Fraction(lr0), Fraction(lr_min)
    return float(lr_min_ + (lr0_ - lr_min_) * (1 - z) / (half + half * (1 - z)))


@pytest.mark.parametrize(("lr0", "total", "lr_min"), [
    (0.1, 100, 0.0), (0.1, 100, 0.001), (1.0, 7, 0.0), (3e-4, 1, 3e-6), (0.05, 12.5, 0.05),
])
def test_rex_matches_the_paper(lr0: float, total: float, lr_min: float) -> None:
    s = Rex(lr0, total, lr_min)
    ts = [0.0, total / 4, total / 2, 3 * total / 4, max(total - 1, 0.0), total, total + 1,
          2 * total, 10 * total, 1e9]
    for t in ts:
        assert s(t) == pytest.approx(rex_paper(lr0, total, lr_min, t), rel=1e-14, abs=1e-18), t
    assert s(0.0) == lr0
    assert s(float(total)) == lr_min
    assert s(2.0 * total) == lr_min
    # above the linear decay in between (never increasing: test_properties.py)
    inner = np.linspace(0.0, total, 101)[1:-1]
    if lr0 > lr_min:
        assert np.all(s(inner) > lr_min + (lr0 - lr_min) * (1 - inner / total))


if __name__ == "__main__":  # write the kept values afresh from transformers
    import torch
    import transformers

    source = f"transformers {transformers.__version__}, torch {torch.__version__}"
    rows = [f'  "{kind}/{name}": ' + json.dumps(transformers_lrs(kind, name).tolist())
            for kind, name in CASES]
    REFERENCE_FILE.write_text(f'{{"source": "{source}", "values": {{\n' + ",\n".join(rows)
                              + "\n}}\n")
