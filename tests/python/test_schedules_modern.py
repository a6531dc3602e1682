"""WSD, InverseSqrt and Rex, and two compositions that Hugging Face names, against their sources.

- ``WSD`` and ``InverseSqrt`` against Hugging Face transformers' ``get_wsd_schedule`` and
  ``get_inverse_sqrt_schedule`` at every whole step (the rate a torch SGD optimizer gets from
  ``LambdaLR`` after ``t`` scheduler steps), to 1e-9 in float64: against the values kept
  below (``REFERENCE``, made once from transformers, so the check holds without it), and
  live when transformers is importable.
- Linear decay to zero after a warmup (D2Z), ``Warmup(Linear(peak, 0, n - w), w)``, against
  ``get_linear_schedule_with_warmup``; Hugging Face's cosine with a minimum rate,
  ``Warmup(Cosine(peak, n - w, alpha=r), w)``, against
  ``get_cosine_with_min_lr_schedule_with_warmup(min_lr_rate=r)``.
- ``Rex`` against the paper's formula (Chen et al. 2022), written independently in exact
  rational arithmetic.
- For all three: the horizon, describe() and plot(). The config round trip and in-graph
  values run over kit's schedule table (test_schedules.py, test_keras_schedule.py), bad
  arguments over test_schedule_checks.py's table.
"""

from __future__ import annotations

import json
import math
from fractions import Fraction
from pathlib import Path
from typing import Any

import lrdecay
import numpy as np
import pytest
from lrdecay import WSD, Cosine, InverseSqrt, Linear, Rex, Warmup

# ---------------------------------------------------------------------------
# Cases (transformers' argument names in comments; num_training_steps = w + s + d)
# ---------------------------------------------------------------------------

WSD_CASES = {
    "linear-cosine": dict(peak_lr=0.1, warmup_steps=5, stable_steps=10, decay_steps=8),
    "cosine-linear-min": dict(peak_lr=0.1, warmup_steps=5, stable_steps=10, decay_steps=8,
                              warmup="cosine", decay="linear", min_lr_ratio=0.1),
    "1sqrt-1sqrt-min": dict(peak_lr=0.1, warmup_steps=5, stable_steps=10, decay_steps=8,
                            warmup="1-sqrt", decay="1-sqrt", min_lr_ratio=0.2),
    "no-warmup": dict(peak_lr=0.003, warmup_steps=0, stable_steps=4, decay_steps=10,
                      decay="1-sqrt"),
    "no-stable": dict(peak_lr=0.05, warmup_steps=3, stable_steps=0, decay_steps=6,
                      warmup="cosine", decay="cosine", min_lr_ratio=0.05),
    "one-step-stages": dict(peak_lr=1.0, warmup_steps=1, stable_steps=2, decay_steps=1,
                            decay="linear", min_lr_ratio=0.5),
    "long": dict(peak_lr=3e-4, warmup_steps=20, stable_steps=50, decay_steps=30,
                 warmup="linear", decay="1-sqrt", min_lr_ratio=0.01),
}
INVERSE_SQRT_CASES = {
    "default-timescale": dict(peak_lr=0.1, warmup_steps=4),
    "no-warmup": dict(peak_lr=0.01, warmup_steps=0),
    "timescale-below-warmup": dict(peak_lr=0.5, warmup_steps=10, timescale=3),
    "timescale-above-warmup": dict(peak_lr=0.02, warmup_steps=7, timescale=50),
    "one-step-warmup": dict(peak_lr=1.0, warmup_steps=1),
}
D2Z_CASES = {  # (peak, warmup_steps, num_training_steps)
    "w5-n30": (0.1, 5, 30),
    "w1-n10": (0.02, 1, 10),
    "w40-n100": (3e-4, 40, 100),
}
COSINE_MIN_CASES = {  # (peak, warmup_steps, num_training_steps, min_lr_rate)
    "w5-n30-r0.1": (0.1, 5, 30, 0.1),
    "w3-n20-r0": (0.02, 3, 20, 0.0),
    "w10-n50-r0.05": (6e-4, 10, 50, 0.05),
    "w1-n7-r0.3": (1.0, 1, 7, 0.3),
}

KINDS = ("wsd", "inverse_sqrt", "d2z", "cosine_min_lr")
CASES = ([("wsd", k) for k in WSD_CASES] + [("inverse_sqrt", k) for k in INVERSE_SQRT_CASES]
         + [("d2z", k) for k in D2Z_CASES] + [("cosine_min_lr", k) for k in COSINE_MIN_CASES])
CASE_IDS = [f"{kind}-{name}" for kind, name in CASES]


def n_updates(kind: str, name: str) -> int:
    """How many updates (t = 0..n-1) each case is compared over: past the end of the
    schedule for WSD and D2Z, up to num_training_steps for the cosine (see
    ``test_cosine_min_lr_after_training_ends``)."""
    if kind == "wsd":
        c = WSD_CASES[name]
        return int(c["warmup_steps"] + c["stable_steps"] + c["decay_steps"]) + 4
    if kind == "inverse_sqrt":
        return max(3 * INVERSE_SQRT_CASES[name]["warmup_steps"], 10) + 10
    if kind == "d2z":
        return D2Z_CASES[name][2] + 3
    return COSINE_MIN_CASES[name][2] + 1


def ours(kind: str, name: str) -> lrdecay.Schedule:
    if kind == "wsd":
        return WSD(**WSD_CASES[name])
    if kind == "inverse_sqrt":
        return InverseSqrt(**INVERSE_SQRT_CASES[name])
    if kind == "d2z":
        peak, w, n = D2Z_CASES[name]
        return Warmup(Linear(peak, 0, n - w), w)
    peak, w, n, r = COSINE_MIN_CASES[name]
    return Warmup(Cosine(peak, n - w, alpha=r), w)


def transformers_lrs(kind: str, name: str, n: int | None = None) -> list[float]:
    """The rate transformers' scheduler gives a torch SGD optimizer at t = 0..n-1."""
    import torch
    from transformers import optimization as hf

    if kind == "wsd":
        c = dict(WSD_CASES[name])
        peak = c["peak_lr"]
        w, s, d = c["warmup_steps"], c["stable_steps"], c["decay_steps"]

        def make(opt: Any) -> Any:
            return hf.get_wsd_schedule(
                opt, num_warmup_steps=w, num_decay_steps=d, num_training_steps=w + s + d,
                warmup_type=c.get("warmup", "linear"), decay_type=c.get("decay", "cosine"),
                min_lr_ratio=c.get("min_lr_ratio", 0))
    elif kind == "inverse_sqrt":
        c = INVERSE_SQRT_CASES[name]
        peak = c["peak_lr"]

        def make(opt: Any) -> Any:
            return hf.get_inverse_sqrt_schedule(opt, num_warmup_steps=c["warmup_steps"],
                                                timescale=c.get("timescale"))
    elif kind == "d2z":
        peak, w, total = D2Z_CASES[name]

        def make(opt: Any) -> Any:
            return hf.get_linear_schedule_with_warmup(opt, w, total)
    else:
        peak, w, total, r = COSINE_MIN_CASES[name]

        def make(opt: Any) -> Any:
            return hf.get_cosine_with_min_lr_schedule_with_warmup(opt, w, total, min_lr_rate=r)

    param = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([param], lr=peak)
    sched = make(opt)
    out = [sched.get_last_lr()[0]]
    for _ in range((n or n_updates(kind, name)) - 1):
        opt.step()
        sched.step()
        out.append(sched.get_last_lr()[0])
    return out


def _transformers() -> Any:
    try:
        import torch  # noqa: F401
        import transformers
    except ImportError:
        return None
    return transformers


needs_transformers = pytest.mark.skipif(_transformers() is None,
                                        reason="transformers (and torch) not importable")

# ---------------------------------------------------------------------------
# The values transformers gives, kept in data/transformers_reference.json (made once
# from transformers, so the check holds without it): `python test_schedules_modern.py`
# writes it afresh.
# ---------------------------------------------------------------------------

REFERENCE_FILE = Path(__file__).resolve().parent / "data" / "transformers_reference.json"
REFERENCE: dict[tuple[str, str], list[float]] = {
    tuple(key.split("/")): values  # type: ignore[misc]
    for key, values in json.loads(REFERENCE_FILE.read_text())["values"].items()}

PEAK = {(kind, name): max(vals) for (kind, name), vals in REFERENCE.items()}


def test_reference_covers_every_case() -> None:
    assert set(REFERENCE) == set(CASES)
    for key, values in REFERENCE.items():
        assert len(values) == n_updates(*key), key


# ---------------------------------------------------------------------------
# transformers' values at every whole step, to 1e-9 (float64)
# ---------------------------------------------------------------------------
# WSD, InverseSqrt and the cosine composition compute transformers' operations in its
# order, and agree to the last bit here. D2Z does not, by construction: Linear computes
# start_lr + (end_lr - start_lr) * k / m (peak - peak * k / m), transformers
# peak * ((n - t) / (n - w)); the two round differently, by a few ulps (<= 3e-15 relative).


@pytest.mark.parametrize(("kind", "name"), CASES, ids=CASE_IDS)
def test_values_match_kept_transformers_values(kind: str, name: str) -> None:
    ref = np.array(REFERENCE[(kind, name)])
    got = ours(kind, name)(np.arange(len(ref), dtype=np.float64))
    np.testing.assert_allclose(got, ref, rtol=1e-9, atol=1e-12 * PEAK[(kind, name)])


@needs_transformers
@pytest.mark.parametrize(("kind", "name"), CASES, ids=CASE_IDS)
def test_values_match_transformers_live(kind: str, name: str) -> None:
    live = np.array(transformers_lrs(kind, name))
    # The kept values are transformers' (any drift in a new transformers release shows here).
    np.testing.assert_allclose(live, REFERENCE[(kind, name)], rtol=1e-12, atol=0)
    got = ours(kind, name)(np.arange(len(live), dtype=np.float64))
    np.testing.assert_allclose(got, live, rtol=1e-9, atol=1e-12 * PEAK[(kind, name)])


@needs_transformers
def test_cosine_min_lr_after_training_ends() -> None:
    """Past num_training_steps transformers' cosine climbs back (its progress passes 1 and
    the cosine turns up); lrdecay's Cosine holds ``alpha * peak``. Training runs
    num_training_steps updates, so the two agree wherever a plan trains."""
    peak, w, n, r = COSINE_MIN_CASES["w5-n30-r0.1"]
    live = transformers_lrs("cosine_min_lr", "w5-n30-r0.1", n + 11)
    s = ours("cosine_min_lr", "w5-n30-r0.1")
    assert live[n] == pytest.approx(r * peak, rel=1e-12)
    assert live[n + 10] > 2.0 * r * peak  # transformers rises again
    np.testing.assert_allclose(s(np.arange(n, n + 11.0)), r * peak, rtol=1e-12)


@needs_transformers
@pytest.mark.parametrize("name", [k for k in WSD_CASES
                                  if WSD_CASES[k]["warmup_steps"] != 0])
def test_wsd_between_whole_steps_is_transformers_formula(name: str) -> None:
    """At fractional t (an epoch-defined WSD run in-graph with steps_per_epoch), the values
    are transformers' factor function evaluated at that t."""
    from transformers.optimization import _get_wsd_scheduler_lambda

    c = WSD_CASES[name]
    s = WSD(**c)
    kw = dict(num_warmup_steps=c["warmup_steps"], num_stable_steps=c["stable_steps"],
              num_decay_steps=c["decay_steps"], warmup_type=c.get("warmup", "linear"),
              decay_type=c.get("decay", "cosine"), min_lr_ratio=c.get("min_lr_ratio", 0),
              num_cycles=0.5)
    ts = np.arange(0.0, s.horizon() + 3.0, 0.125)
    ref = [c["peak_lr"] * _get_wsd_scheduler_lambda(float(t), **kw) for t in ts]
    np.testing.assert_allclose(s(ts), ref, rtol=1e-12, atol=1e-15 * c["peak_lr"])


def test_wsd_stages_by_hand() -> None:
    s = WSD(0.2, warmup_steps=4, stable_steps=3, decay_steps=4, decay="linear",
            min_lr_ratio=0.25)
    # warmup from 0.25 * 0.2 = 0.05 to 0.2, stable, linear decay back to 0.05, then 0.05
    expected = [0.05, 0.0875, 0.125, 0.1625, 0.2, 0.2, 0.2, 0.2, 0.1625, 0.125, 0.0875, 0.05,
                0.05]
    np.testing.assert_allclose(s(np.arange(13.0)), expected, rtol=1e-15)
    assert s(1e9) == pytest.approx(0.05, rel=1e-15)
    assert WSD(0.1, 0, 0, 10)(0) == 0.1  # no warmup, no stable stage: starts at the peak
    assert WSD(0.1, 0, 0, 10, decay="1-sqrt")(2.5) == pytest.approx(0.05, rel=1e-15)


def test_inverse_sqrt_by_hand() -> None:
    s = InverseSqrt(0.1, warmup_steps=4)  # timescale 4
    assert s.timescale == 4.0
    np.testing.assert_allclose(s([0, 1, 2, 4, 16, 64]),
                               [0.0, 0.025, 0.05, 0.1, 0.05, 0.025], rtol=1e-15)
    assert InverseSqrt(0.1, 0).timescale == 10_000.0  # transformers' default without warmup
    assert InverseSqrt(0.1, 0)(30_000) == pytest.approx(0.05, rel=1e-15)
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
    # half-way: (1/2) / (3/4) = 2/3 of the way from min_lr to initial_lr
    assert s(total / 2) == pytest.approx(lr_min + (lr0 - lr_min) * 2 / 3, rel=1e-14)
    # above the linear decay in between, and never increasing
    inner = np.linspace(0.0, total, 101)[1:-1]
    if lr0 > lr_min:
        assert np.all(s(inner) > lr_min + (lr0 - lr_min) * (1 - inner / total))
    assert np.all(np.diff(s(np.linspace(0.0, 2 * total, 401))) <= 0.0)


# ---------------------------------------------------------------------------
# Horizon, presentation, configuration
# ---------------------------------------------------------------------------

EXAMPLES = [
    WSD(0.1, 10, 20, 30),
    WSD(0.1, 7.5, 0, 12.5, warmup="1-sqrt", decay="linear", min_lr_ratio=0.1),
    WSD(3e-4, 0, 5, 40, warmup="cosine", decay="1-sqrt", min_lr_ratio=0.05),
    InverseSqrt(0.1, 10),
    InverseSqrt(0.1, 0),
    InverseSqrt(0.5, 10, timescale=3),
    Rex(0.1, 50),
    Rex(0.1, 50, min_lr=0.001),
]
EXAMPLE_IDS = [repr(s) for s in EXAMPLES]


def test_horizon() -> None:
    assert WSD(0.1, 10, 20, 30).horizon() == 60.0
    assert WSD(0.1, 0, 0, 5).horizon() == 5.0
    assert math.isinf(InverseSqrt(0.1, 10).horizon())
    assert Rex(0.1, 50).horizon() == 50.0
    for s in EXAMPLES:
        h = s.horizon()
        if math.isfinite(h):  # from the horizon on, the final value
            after = s(h + np.array([0.0, 0.5, 1.0, 10.0, 1e6]))
            np.testing.assert_array_equal(after, np.full(5, s(h)))
            assert s(max(h - 1.0, 0.0)) != s(h)


@pytest.mark.parametrize("s", EXAMPLES, ids=EXAMPLE_IDS)
def test_describe_and_plot(s: lrdecay.Schedule) -> None:
    d = s.describe()
    assert d["family"] in ("wsd", "inverse_sqrt", "rex")
    assert d["class_name"] == type(s).__name__
    assert d["formula"].startswith("lr(t) = ")
    assert s.default_horizon() > 0
    plt = pytest.importorskip("matplotlib.pyplot")
    ax = s.plot()
    assert len(ax.lines[0].get_xdata()) == s.default_horizon() + 1
    plt.close("all")


if __name__ == "__main__":  # write the kept values afresh from transformers
    import torch
    import transformers

    source = f"transformers {transformers.__version__}, torch {torch.__version__}"
    rows = [f'  "{kind}/{name}": ' + json.dumps([float(v) for v in transformers_lrs(kind, name)])
            for kind, name in CASES]
    REFERENCE_FILE.write_text(f'{{"source": "{source}", "values": {{\n' + ",\n".join(rows)
                              + "\n}}\n")
