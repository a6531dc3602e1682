"""``lrdecay.check_schedule``: each finding raised exactly where its rule holds.

The rules (API.md, "Checking a training plan"), with T the number of updates and H the
schedule's horizon (``Schedule.horizon()``):

- ``zero_start``: lr(0) == 0;
- ``unit_mismatch``: clock "epoch" and H > 20 T, or clock "step" with steps_per_epoch
  given and H <= epochs;
- ``not_finished``: H finite and T < 0.9 H, or training stops inside a warmup;
- ``ends_early``: H finite and H < 0.5 T;
- ``jump``: adjacent updates whose rates differ by more than 10x, the larger >= 1% of the
  peak, where the schedule breaks (no continuous warmup or decay, no drop by a factor of
  0.1 or more);
- ``flat``: a schedule that is not constant moves by less than 1% of its peak.

The updates judged are t = start..start+T-1 (``start``: a training that continues a
model).

For each code: plans that must raise it and plans that must not, on both sides of each
boundary; sound plans give no finding; the messages carry the plan's numbers.
"""

from __future__ import annotations

import math

import lrdecay
import numpy as np
import pytest
from lrdecay import *  # noqa: F403 - the schedules API, lrdecay.__all__
from lrdecay import plan as plan_module


def codes(schedule: lrdecay.Schedule, epochs: int, steps_per_epoch: int | None = None,
          clock: str = "epoch", start: float = 0) -> list[str]:
    return [f.code for f in check_schedule(schedule, epochs, steps_per_epoch, clock, start)]


def finding(code: str, schedule: lrdecay.Schedule, epochs: int,
            steps_per_epoch: int | None = None, clock: str = "epoch",
            start: float = 0) -> lrdecay.Finding:
    found = [f for f in check_schedule(schedule, epochs, steps_per_epoch, clock, start)
             if f.code == code]
    assert len(found) == 1, (code, found)
    return found[0]


# ---------------------------------------------------------------------------
# Horizons
# ---------------------------------------------------------------------------

FINITE = [
    (Cosine(0.1, 50), 50.0),
    (Cosine(0.1, 49.5, alpha=0.1), 49.5),
    (Polynomial(0.1, 30, end_lr=0.01, power=2), 30.0),
    (Linear(0.1, 0.001, 12), 12.0),
    (Linear(0.0, 0.1, 5), 5.0),
    (OneCycle(0.1, 100), 99.0),
    (OneCycle(0.1, 40, three_phase=True), 39.0),
    (Piecewise([5, 10], [0.1, 0.05, 0.01]), 10.0),
    (MultiStep(0.1, [30, 80], 0.1), 80.0),
    (WSD(0.1, 5, 10, 8), 23.0),
    (WSD(0.1, 0, 0, 8, min_lr_ratio=0.1), 8.0),
    (Rex(0.1, 20), 20.0),
    (OneCycle(0.1, 100).momentum(), 99.0),
    (Warmup(Cosine(0.1, 45), 5), 50.0),
    (Warmup(Linear(0.1, 0.0, 950), 50, start_lr=0.002), 1000.0),
    (Sequence([Linear(0.01, 0.1, 5), Cosine(0.1, 20)], [5]), 25.0),
    # only the last part settles the value: an earlier endless part is cut at its boundary
    (Sequence([Constant(0.1), Step(0.1, 0.5, 2), Cosine(0.1, 10)], [3, 8]), 18.0),
    (Warmup(Sequence([Constant(0.1), Rex(0.1, 10)], [4]), 2), 16.0),
    (Cooldown(Constant(0.1), 30, 10), 40.0),
    (Cooldown(WSD(0.1, 5, 100, 20), 50, 20, shape="cosine", final_lr=0.001), 70.0),
]
INFINITE = [
    Constant(0.01), Step(0.1, 0.5, 10), Exponential(0.1, 1000, 0.96),
    Exponential(0.1, k=0.1), InverseTime(0.1, 10, 0.5), Polynomial(0.1, 30, cycle=True),
    CosineRestarts(0.1, 10), Cyclic(0.001, 0.01, 5), Cyclic(0.001, 0.01, 5).momentum(),
    InverseSqrt(0.1, 10),
    InverseSqrt(0.1, 0), FromFunction(lambda t: 0.1 / (1.0 + t)), Warmup(Step(0.1, 0.5, 3), 4),
    Sequence([Cosine(0.1, 10), Constant(0.001)], [10]),
]


@pytest.mark.parametrize(("s", "h"), FINITE, ids=[repr(s) for s, _ in FINITE])
def test_finite_horizon_is_where_the_final_value_starts(s: lrdecay.Schedule, h: float) -> None:
    assert s.horizon() == h
    final = s(h + 1.0)
    after = s(h + np.array([1e-6, 0.5, 1.0, 7.0, 1e3, 1e7]))
    np.testing.assert_array_equal(after, np.full(6, final))
    if not isinstance(s, Piecewise):  # Piecewise still has values[-2] at its last boundary
        assert s(h) == final
    # and not earlier: the value just before differs (these schedules all change)
    assert s(max(h - 0.5, 0.0)) != final


@pytest.mark.parametrize("s", INFINITE, ids=[repr(s) for s in INFINITE])
def test_schedules_that_never_settle_have_an_infinite_horizon(s: lrdecay.Schedule) -> None:
    assert math.isinf(s.horizon()) and s.horizon() > 0


def test_every_family_has_a_horizon() -> None:
    seen = {type(s).__name__ for s, _ in FINITE} | {type(s).__name__ for s in INFINITE}
    assert set(lrdecay.schedules.FAMILIES) | {"FromFunction"} <= seen


# ---------------------------------------------------------------------------
# zero_start
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("s", [
    Warmup(Cosine(0.1, 45), 5),
    WSD(0.1, 5, 30, 15),  # min_lr_ratio 0: transformers' warmup starts at 0
    InverseSqrt(0.1, 5),  # always starts at 0 (transformers' warmup from 0)
    Linear(0.0, 0.1, 10),
    Constant(0.0),
    Piecewise([3], [0.0, 0.1]),
])
def test_zero_start_raised(s: lrdecay.Schedule) -> None:
    f = finding("zero_start", s, 50)
    assert f.severity == "warning"
    assert f.message.startswith("The schedule starts at learning rate 0")
    # whatever the clock, and also when the number of updates is unknown
    assert "zero_start" in codes(s, 50, 100, clock="step")
    assert codes(s, 50, clock="step") == ["zero_start"]


@pytest.mark.parametrize("s", [
    Warmup(Cosine(0.1, 45), 5, start_lr=1e-6),
    WSD(0.1, 5, 30, 15, min_lr_ratio=0.01),
    WSD(0.1, 0, 35, 15),  # no warmup: starts at the peak
    InverseSqrt(0.1, 0),
    Linear(1e-300, 0.1, 10),  # tiny, but not 0
    Cosine(0.1, 50),
])
def test_zero_start_not_raised(s: lrdecay.Schedule) -> None:
    assert "zero_start" not in codes(s, 50)
    assert codes(s, 50, clock="step") == []  # unknown T: zero_start is the only rule


# ---------------------------------------------------------------------------
# unit_mismatch
# ---------------------------------------------------------------------------

def test_unit_mismatch_steps_used_as_epochs() -> None:
    # H > 20 T: raised; H == 20 T: not (the boundary)
    assert "unit_mismatch" in codes(Cosine(0.1, 301), 15)
    assert "unit_mismatch" not in codes(Cosine(0.1, 300), 15)
    assert "unit_mismatch" in codes(Warmup(Cosine(0.1, 900), 100, start_lr=0.001), 15)
    # clock "epoch" with steps_per_epoch given (in-graph, fractional epochs): T = epochs
    assert "unit_mismatch" in codes(Cosine(0.1, 1000), 15, 100)
    # a schedule that never settles has no length to mistake
    for s in (Constant(0.1), Exponential(0.1, 1000, 0.96), InverseSqrt(0.1, 1000)):
        assert "unit_mismatch" not in codes(s, 15)
    f = finding("unit_mismatch", Cosine(0.1, 1000), 15)
    assert f.severity == "warning"
    assert "1000 steps" in f.message and "training runs 15 epochs" in f.message
    assert "t counts epochs" in f.message


def test_unit_mismatch_epochs_used_as_steps() -> None:
    # clock "step", steps_per_epoch given: H <= epochs raised, H > epochs not
    assert "unit_mismatch" in codes(Cosine(0.1, 15), 15, 100, clock="step")
    assert "unit_mismatch" in codes(Cosine(0.1, 3), 15, 100, clock="step")
    assert "unit_mismatch" not in codes(Cosine(0.1, 16), 15, 100, clock="step")
    assert "unit_mismatch" not in codes(Cosine(0.1, 1500), 15, 100, clock="step")
    # without steps_per_epoch there is nothing to compare with
    assert "unit_mismatch" not in codes(Cosine(0.1, 15), 15, clock="step")
    # the epoch-clock rule does not apply to the step clock, nor the reverse
    assert "unit_mismatch" not in codes(Cosine(0.1, 15), 15, 100)
    f = finding("unit_mismatch", Cosine(0.1, 15), 15, 100, clock="step")
    assert "training runs 1500 steps (15 epochs of 100 steps)" in f.message
    assert "t counts steps" in f.message and "1500" in f.message


# ---------------------------------------------------------------------------
# not_finished
# ---------------------------------------------------------------------------

def test_not_finished() -> None:
    # T < 0.9 H: 89 < 90 raised, 90 < 90 not
    assert "not_finished" in codes(Cosine(0.1, 100), 89)
    assert "not_finished" not in codes(Cosine(0.1, 100), 90)
    assert "not_finished" not in codes(Cosine(0.1, 100), 100)
    # in steps: T = epochs * steps_per_epoch
    assert "not_finished" in codes(OneCycle(0.1, 1000), 8, 100, clock="step")  # 800 < 899.1
    assert "not_finished" not in codes(OneCycle(0.1, 1000), 9, 100, clock="step")  # 900
    # never for a schedule without an end
    assert "not_finished" not in codes(Exponential(0.1, 10, 0.5), 1)
    f = finding("not_finished", Cosine(0.1, 100), 89)
    assert f.severity == "warning"
    assert "Training runs 89 epochs (t = 0..88)" in f.message
    assert "settles at t = 100" in f.message and "89% of the way" in f.message
    assert f"learning rate {Cosine(0.1, 100)(88.0):.4g}" in f.message


# ---------------------------------------------------------------------------
# ends_early
# ---------------------------------------------------------------------------

def test_ends_early() -> None:
    # H < 0.5 T: 49.5 < 50 raised, 50 < 50 not
    assert "ends_early" in codes(Cosine(0.1, 49.5), 100)
    assert "ends_early" not in codes(Cosine(0.1, 50), 100)
    assert "ends_early" in codes(Warmup(Linear(0.1, 0.0, 40), 9, start_lr=0.01), 100)
    assert "ends_early" not in codes(Warmup(Linear(0.1, 0.0, 40), 10, start_lr=0.01), 100)
    assert "ends_early" in codes(Piecewise([10], [0.1, 0.05]), 30)
    assert "ends_early" not in codes(Step(0.1, 0.5, 1), 1000)  # never settles
    f = finding("ends_early", Cosine(0.1, 49.5, alpha=0.01), 100)
    assert f.severity == "note"
    assert "final learning rate 0.001 at t = 49.5" in f.message
    assert "training runs 100 epochs" in f.message
    assert "last 50.5 epochs (50.5% of training)" in f.message
    # the final value is the one after the horizon (Piecewise's last value)
    assert "final learning rate 0.05 at t = 10" in finding(
        "ends_early", Piecewise([10], [0.1, 0.05]), 30).message


# ---------------------------------------------------------------------------
# jump
# ---------------------------------------------------------------------------

def test_jump_factor_boundary() -> None:
    # exactly 10x is not "more than 10x"
    assert "jump" not in codes(Piecewise([10], [0.1, 0.01]), 20)
    assert "jump" not in codes(MultiStep(0.1, [30, 80], 0.1), 100)
    assert "jump" in codes(Piecewise([10], [0.1, 0.0099]), 20)
    f = finding("jump", Piecewise([10], [0.1, 0.0099]), 20)
    assert f.severity == "warning"
    assert "jumps from 0.1 to 0.0099 between epoch 10 and epoch 11" in f.message
    assert "a factor of 10.1" in f.message
    # up as well as down
    assert "jump" in codes(Piecewise([4], [0.001, 0.1]), 10)


def test_jump_peak_floor_boundary() -> None:
    # The larger rate of the pair at 1% of the peak (1.0): raised; just below: not.
    at = Sequence([Linear(1.0, 0.01, 100), Constant(0.0009)], [101])
    below = Sequence([Linear(1.0, 0.0099, 100), Constant(0.0009)], [101])
    assert at(100.0) >= 0.01 and below(100.0) < 0.01
    assert "jump" in codes(at, 202)
    assert "jump" not in codes(below, 202)
    assert "between epoch 100 and epoch 101" in finding("jump", at, 202).message
    # the peak is the largest rate of the updates, not of the whole schedule
    late = Sequence([Constant(0.01), Constant(0.0009), Constant(100.0)], [5, 10])
    assert "jump" in codes(late, 8)  # updates 0..7: peak 0.01, 0.01 -> 0.0009 is 11x


def test_no_jump_for_a_continuous_warmup_or_decay() -> None:
    # a warmup from 0 over a few epochs: 0 -> peak / w in one update, zero_start only
    assert codes(Warmup(Cosine(0.1, 45), 5), 50) == ["zero_start"]
    assert codes(WSD(0.1, 2, 3, 4, decay="linear"), 10) == ["zero_start"]
    # a linear warmup from a small start: 0.001 -> 0.0109 (10.9x) in the first epoch
    assert Linear(0.001, 0.1, 10)(1.0) / Linear(0.001, 0.1, 10)(0.0) > 10
    for s, epochs in ((Linear(0.001, 0.1, 10), 20),
                      (Warmup(Cosine(0.1, 20), 10, start_lr=0.001), 30),
                      (Warmup(Constant(0.1), 3, start_lr=1e-6, shape="exponential"), 30)):
        assert codes(s, epochs) == [], s  # the exponential warmup: 46x a step
    # decays reaching their final value 0: cosine 0.002447 -> 0, linear 0.01 -> 0
    assert Cosine(0.1, 10)(9.0) == pytest.approx(0.002447, abs=1e-6)
    for s in (Cosine(0.1, 10), Linear(0.1, 0.0, 10), Polynomial(0.1, 10, end_lr=0.0),
              Rex(0.1, 10), WSD(0.1, 0, 2, 8, decay="linear")):
        assert codes(s, 12) == [], s


def test_no_jump_for_a_drop_by_its_own_factor() -> None:
    # exactly 10x per drop, rounding included (0.1 * 0.1 * 0.1 ... is not exact)
    for s in (Step(0.1, 0.1, 3), MultiStep(0.1, [3, 6, 9, 12], 0.1),
              Exponential(1.0, 2, 0.1, staircase=True), Step(1.0, 0.5, 1)):
        assert codes(s, 16) == [], s
    # by more than 10x at once: a jump
    assert "jump" in codes(Step(0.1, 0.05, 3), 16)
    assert "jump" in codes(MultiStep(0.1, [3, 9], 0.01), 16)
    assert "jump" in codes(Exponential(1.0, 2, 0.05, staircase=True), 16)


def test_junctions_stay_jumps() -> None:
    for s in (Piecewise([5], [0.1, 0.001]), Sequence([Constant(0.1), Constant(0.001)], [5]),
              Sequence([Linear(0.01, 0.1, 5), Cosine(0.002, 10)], [5]),
              Warmup(Piecewise([5], [0.1, 0.005]), 3, start_lr=0.01)):
        f = finding("jump", s, 12)
        assert "between epoch" in f.message, s
    msg = finding("jump", Sequence([Constant(0.1), Constant(0.001)], [5]), 12).message
    assert "jumps from 0.1 to 0.001 between epoch 4 and epoch 5 (a factor of 100;" in msg


def test_jump_counts_the_others_and_crosses_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    s = Piecewise([6, 13, 20], [0.1, 0.001, 0.1, 0.001])
    msg = finding("jump", s, 30).message
    assert "between epoch 6 and epoch 7" in msg and "2 more such jumps follow" in msg
    monkeypatch.setattr(plan_module, "_CHUNK", 7)  # the pair (6, 7) spans two chunks
    assert finding("jump", s, 30).message == msg
    monkeypatch.setattr(plan_module, "_CHUNK", 3)
    assert finding("jump", s, 30).message == msg


def test_one_update_has_no_pair() -> None:
    assert "jump" not in codes(Piecewise([0], [0.1, 0.001]), 1)


# ---------------------------------------------------------------------------
# flat
# ---------------------------------------------------------------------------

@pytest.mark.parametrize(("s", "epochs"), [
    (Exponential(0.1, 1000, 0.96), 20),  # sized in steps, driven per epoch
    (Step(0.1, 0.5, 1000), 10),
    (CosineRestarts(0.1, 1000), 10),
    (InverseSqrt(0.1, 0), 100),  # transformers' timescale of 10000 steps
])
def test_flat_raised(s: lrdecay.Schedule, epochs: int) -> None:
    f = finding("flat", s, epochs)
    assert f.severity == "warning"
    assert f"Over the {epochs} epochs trained (t = 0..{epochs - 1})" in f.message
    assert f"to {s(epochs - 1.0):.4g}, less than 1% of its peak" in f.message


def test_flat_boundary() -> None:
    # t = 0..10 moves by 1 - exp(-10 k): 0.99% raised, 1.01% not
    below = Exponential(1.0, k=-math.log(1 - 0.0099) / 10)
    above = Exponential(1.0, k=-math.log(1 - 0.0101) / 10)
    assert codes(below, 11) == ["flat"]
    assert codes(above, 11) == []


@pytest.mark.parametrize(("s", "epochs", "start"), [
    (Constant(0.1), 20, 0),  # constant: nothing to come
    (Cyclic(0.1, 0.1, 5), 20, 0),  # max_lr == base_lr: constant too
    (Exponential(0.1, 10, 0.96), 20, 0),  # moves 7.5%
    (Warmup(Constant(0.1), 5, start_lr=0.01), 10, 20),  # after its warmup: constant for good
    (Exponential(0.1, 1000, 0.96), 20, 5000),  # judged over t = 0..5019 trained so far
    (WSD(0.1, 0, 900, 100), 10, 0),  # a stable stage: its horizon is finite
    (Step(0.1, 0.5, 1000), 1, 0),  # one update: nothing moves
])
def test_flat_not_raised(s: lrdecay.Schedule, epochs: int, start: float) -> None:
    assert "flat" not in codes(s, epochs, start=start)


def test_flat_of_a_continued_training() -> None:
    # 10 more epochs of a schedule sized in steps: t = 0..19 trained so far
    f = finding("flat", Step(0.1, 0.5, 1000), 10, start=10)
    assert "Over the 20 epochs trained (t = 0..19)" in f.message


# ---------------------------------------------------------------------------
# not_finished inside a warmup
# ---------------------------------------------------------------------------

def test_not_finished_inside_a_warmup() -> None:
    # InverseSqrt never settles, but 100 steps of a 500-step warmup never reach the peak
    s = InverseSqrt(0.1, warmup_steps=500)
    assert codes(s, 1, 100, clock="step") == ["zero_start", "not_finished"]
    f = finding("not_finished", s, 1, 100, clock="step")
    assert "Training runs 100 steps (1 epoch of 100 steps) (t = 0..99)" in f.message
    assert "warmup only ends at t = 500" in f.message
    assert "last update at learning rate 0.0198, not the peak 0.1" in f.message
    # the last update inside the warmup (t = 4 < 5): raised; at its end (t = 5): not
    w = Warmup(Constant(0.1), 5, start_lr=0.01)
    assert codes(w, 5) == ["not_finished"]
    assert codes(w, 6) == []
    for s in (WSD(0.1, 10, 100, 10, min_lr_ratio=0.01), OneCycle(0.1, 100),
              Sequence([Warmup(Constant(0.1), 8, start_lr=0.01), Cosine(0.1, 5)], [20])):
        assert "warmup only ends" in finding("not_finished", s, 6).message, s
    # a training that continues after the warmup
    assert codes(s := InverseSqrt(0.1, 500), 1, 100, clock="step", start=500) == []
    assert s.warmup_end() == 500
    assert Cosine(0.1, 10).warmup_end() == 0.0
    assert OneCycle(0.1, 100).warmup_end() == 29.0  # where the rate peaks


# ---------------------------------------------------------------------------
# A training that continues a model: t = start..start+T-1
# ---------------------------------------------------------------------------

def test_a_continued_training_is_judged_at_its_own_updates() -> None:
    s = Cosine(0.1, 12)
    # fit() twice, 8 updates then 4 (t = 8..11): the second is sound
    assert codes(s, 1, 8, clock="step") == ["not_finished"]
    assert codes(s, 1, 4, clock="step", start=8) == []
    assert codes(s, 4, start=8) == []
    f = finding("not_finished", Cosine(0.1, 100), 20, start=10)
    assert "Training runs 20 epochs (t = 10..29)" in f.message
    assert "30% of the way" in f.message
    assert f"learning rate {Cosine(0.1, 100)(29.0):.4g}" in f.message
    # after the horizon: the whole training at the final rate
    f = finding("ends_early", Cosine(0.1, 10), 4, start=10)
    assert f.severity == "note"
    assert "last 4 epochs (100% of training)" in f.message and "(t = 10..13)" in f.message
    # the jump where it happens, in the clock's own values; the peak of these updates
    f = finding("jump", Piecewise([10], [0.1, 0.0099]), 10, start=5)
    assert "between epoch 10 and epoch 11" in f.message and "the peak is 0.1" in f.message
    assert "jump" not in codes(Piecewise([10], [0.1, 0.0099]), 10, start=11)
    # zero_start: the first update of this training
    assert codes(Warmup(Cosine(0.1, 45), 5), 45, start=5) == []
    f = finding("zero_start", Linear(0.1, 0.0, 10), 2, start=10)
    assert "The first update of this training (t = 10) runs at learning rate 0" in f.message
    # unit_mismatch counts the epochs trained so far
    assert "unit_mismatch" not in codes(Cosine(0.1, 400), 5, start=15)  # 400 <= 20 * 20
    assert "unit_mismatch" in codes(Cosine(0.1, 401), 5, start=15)


# ---------------------------------------------------------------------------
# Sound plans give no finding
# ---------------------------------------------------------------------------

SOUND = [
    (Cosine(0.1, 15), 15, None, "epoch"),
    (Cosine(0.1, 15), 15, 100, "epoch"),  # in-graph with steps_per_epoch: t in epochs
    (Warmup(Cosine(0.1, 45), 5, start_lr=0.01), 50, None, "epoch"),
    (WSD(0.1, 50, 800, 150, min_lr_ratio=0.01), 10, 100, "step"),
    (WSD(0.1, 0, 10, 5, decay="linear", min_lr_ratio=0.1), 15, None, "epoch"),
    (Warmup(Linear(0.1, 0.0, 950), 50, start_lr=0.002), 10, 100, "step"),  # D2Z
    (Warmup(Cosine(0.1, 950, alpha=0.1), 50, start_lr=0.002), 10, 100, "step"),
    (OneCycle(0.1, 1000), 10, 100, "step"),
    (Rex(0.1, 20), 20, None, "epoch"),
    (Rex(0.1, 2000, min_lr=0.001), 20, 100, "step"),
    (InverseSqrt(0.1, 0), 100, 100, "step"),  # timescale 10000: in steps
    (Exponential(0.1, 1000, 0.96), 20, 100, "step"),
    (Step(0.1, 0.5, 10), 30, None, "epoch"),
    (MultiStep(0.1, [30, 80], 0.1), 100, None, "epoch"),
    (Constant(0.01), 1, None, "epoch"),
    (Cyclic(0.001, 0.006, 5), 40, None, "epoch"),
    (CosineRestarts(0.1, 10, alpha=0.1), 70, None, "epoch"),
    (Polynomial(0.1, 15, end_lr=0.001), 15, None, "epoch"),
    (Piecewise([10, 20], [0.1, 0.05, 0.01]), 30, None, "epoch"),
    (Sequence([Linear(0.01, 0.1, 5), Cosine(0.1, 25)], [5]), 30, None, "epoch"),
    (FromFunction(lambda t: 0.1 * 0.5 ** np.floor(np.asarray(t) / 10)), 30, None, "epoch"),
]


@pytest.mark.parametrize(("s", "epochs", "spe", "clock"), SOUND,
                         ids=[f"{s!r}-{e}-{p}-{c}" for s, e, p, c in SOUND])
def test_sound_plan_gives_no_finding(s: lrdecay.Schedule, epochs: int, spe: int | None,
                                     clock: str) -> None:
    assert check_schedule(s, epochs, spe, clock) == []


def test_long_plans_are_checked_in_chunks() -> None:
    # 4 million updates: evaluated chunk by chunk, no finding
    s = Warmup(Cosine(3e-4, 3_950_000, alpha=0.1), 50_000, start_lr=3e-7)
    assert check_schedule(s, 40, 100_000, clock="step") == []
    late = Sequence([s, Constant(2e-6)], [3_999_990])  # a 15x drop near the very end
    assert codes(late, 40, 100_000, clock="step") == ["jump"]


# ---------------------------------------------------------------------------
# Findings and arguments
# ---------------------------------------------------------------------------

def test_findings_are_ordered_records() -> None:
    found = check_schedule(Warmup(Sequence([Constant(0.1), Cosine(0.001, 2000)], [5]), 5), 15)
    assert [f.code for f in found] == ["zero_start", "unit_mismatch", "not_finished", "jump"]
    found += check_schedule(Step(0.1, 0.5, 1000), 10)
    assert [f.code for f in found][-1] == "flat"
    assert [f.code for f in found][:4] == [c for c in plan_module.CODES if c in
                                           {f.code for f in found[:4]}]
    for f in found:
        assert isinstance(f, lrdecay.Finding)
        assert f.severity in ("warning", "note")
        assert isinstance(f.message, str) and f.message.endswith(".")
        assert str(f).startswith(f"{f.code} ({f.severity}): ")
    with pytest.raises(AttributeError):
        found[0].code = "other"  # type: ignore[misc]


def test_whole_number_floats_are_accepted() -> None:
    # R hands whole numbers over as doubles
    assert check_schedule(Cosine(0.1, 15), 15.0, 100.0, "step") == check_schedule(
        Cosine(0.1, 15), 15, 100, "step")


@pytest.mark.parametrize(("kwargs", "exc", "text"), [
    (dict(schedule=lambda t: 0.1), TypeError, "`schedule` must be an lrdecay schedule"),
    (dict(schedule="cosine"), TypeError, "`schedule` must be an lrdecay schedule, not \"cosine\""),
    (dict(epochs=0), ValueError, "`epochs` must be a positive whole number, not 0."),
    (dict(epochs=-3), ValueError, "`epochs` must be a positive whole number, not -3."),
    (dict(epochs=1.5), ValueError, "`epochs` must be a positive whole number, not 1.5."),
    (dict(epochs=float("nan")), ValueError, "`epochs` must be a positive whole number, not NaN"),
    (dict(epochs=float("inf")), ValueError, "`epochs` must be a positive whole number, not Inf"),
    (dict(epochs="15"), TypeError, "`epochs` must be a positive whole number, not \"15\"."),
    (dict(epochs=None), TypeError, "`epochs` must be a positive whole number, not None."),
    (dict(steps_per_epoch=0), ValueError, "`steps_per_epoch` must be a positive whole number"),
    (dict(steps_per_epoch=2.5), ValueError,
     "`steps_per_epoch` must be a positive whole number, not 2.5."),
    (dict(clock="batch"), ValueError, "`clock` must be one of \"epoch\", \"step\", not \"batch\"."),
    (dict(clock=None), TypeError, "`clock` must be one of"),
    (dict(start=-1), ValueError, "`start` must be a non-negative number, not -1."),
    (dict(start=float("nan")), ValueError, "`start` must be a non-negative number"),
    (dict(start="8"), TypeError, "`start` must be a non-negative number, not \"8\"."),
])
def test_bad_arguments_are_named(kwargs: dict, exc: type, text: str) -> None:
    args = dict(schedule=Cosine(0.1, 15), epochs=15, steps_per_epoch=None, clock="epoch")
    args.update(kwargs)
    with pytest.raises(exc) as info:
        check_schedule(**args)
    assert text in str(info.value)


def test_the_findings_print_as_a_report_and_stay_a_list() -> None:
    """Printed, the result reads as R's report; it is still a list of Finding."""
    from lrdecay.plan import Findings

    sound = check_schedule(Cosine(0.1, 15), 15)
    assert isinstance(sound, Findings) and isinstance(sound, list)
    assert sound == [] and not sound
    assert repr(sound) == str(sound) == "No problem found in this training plan."
    found = check_schedule(Cosine(0.1, 1000), 15)
    assert [f.code for f in found] == ["unit_mismatch", "not_finished"]
    lines = str(found).splitlines()
    assert lines[0] == "2 findings in this training plan:"
    assert lines[1].startswith("* unit_mismatch (warning): The schedule is sized for 1000")
    items = [line for line in lines[1:] if line.startswith("* ")]
    assert [line.split()[1] for line in items] == ["unit_mismatch", "not_finished"]
    # Wrapped at 80 columns, continuation lines indented by 2, no word lost.
    assert all(len(line) <= 80 for line in lines)
    assert all(line.startswith(("* ", "  ")) for line in lines[1:])
    assert " ".join(" ".join(lines[1:]).split()) == " ".join(f"* {f}" for f in found)
    assert repr(found) == str(found)
    one = check_schedule(Linear(0.1, 0.01, 6), 15)  # ends_early
    assert str(one).splitlines()[0] == "1 finding in this training plan:"
    assert found[0] == Finding(found[0].code, "warning", found[0].message)


def test_the_plan_module_examples_run() -> None:
    import doctest

    import lrdecay.plan

    assert doctest.testmod(lrdecay.plan).failed == 0
