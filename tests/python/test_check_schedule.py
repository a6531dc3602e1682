"""``lrdecay.check_schedule``: each finding raised exactly where its rule holds.

The rules and their boundaries are API.md's ("Checking a training plan"); T is the number
of updates judged (t = start..start+T-1) and H the schedule's horizon. For each code: plans
on both sides of each boundary, sound plans, and messages that carry the plan's numbers.
Plans that R's tests/testthat/test-check-at-fit.R checks alike are not repeated here.
"""

from __future__ import annotations

import math
from typing import Any

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
    (Rex(0.1, 50, min_lr=0.001), 50.0),
    (WSD(0.1, 0, 0, 5), 5.0),
    (WSD(0.1, 7.5, 0, 12.5, warmup="1-sqrt", decay="linear", min_lr_ratio=0.1), 20.0),
    (WSD(3e-4, 0, 5, 40, warmup="cosine", decay="1-sqrt", min_lr_ratio=0.05), 45.0),
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


HORIZONS = FINITE + [(s, math.inf) for s in INFINITE]


@pytest.mark.parametrize(("s", "h"), HORIZONS, ids=[repr(s) for s, _ in HORIZONS])
def test_horizon_is_where_the_final_value_starts(s: lrdecay.Schedule, h: float) -> None:
    """... or infinite (positive) for a schedule that never settles."""
    assert s.horizon() == h
    if math.isinf(h):
        return
    final = s(h + 1.0)
    after = s(h + np.array([1e-6, 0.5, 1.0, 7.0, 1e3, 1e7]))
    np.testing.assert_array_equal(after, np.full(6, final))
    if not isinstance(s, Piecewise):  # Piecewise still has values[-2] at its last boundary
        assert s(h) == final
    # and not earlier: the value just before differs (these schedules all change)
    assert s(max(h - 0.5, 0.0)) != final


def test_every_family_has_a_horizon() -> None:
    seen = {type(s).__name__ for s, _ in HORIZONS}
    assert set(lrdecay.schedules.FAMILIES) | {"FromFunction"} <= seen


# ---------------------------------------------------------------------------
# zero_start
# ---------------------------------------------------------------------------

@pytest.mark.parametrize(("s", "raised"), [
    (Warmup(Cosine(0.1, 45), 5), True),
    (WSD(0.1, 5, 30, 15), True),  # min_lr_ratio 0: transformers' warmup starts at 0
    (InverseSqrt(0.1, 5), True),  # always starts at 0 (transformers' warmup from 0)
    (Linear(0.0, 0.1, 10), True),
    (Constant(0.0), True),
    (Piecewise([3], [0.0, 0.1]), True),
    (Warmup(Cosine(0.1, 45), 5, start_lr=1e-6), False),
    (WSD(0.1, 5, 30, 15, min_lr_ratio=0.01), False),
    (WSD(0.1, 0, 35, 15), False),  # no warmup: starts at the peak
    (InverseSqrt(0.1, 0), False),
    (Linear(1e-300, 0.1, 10), False),  # tiny, but not 0
    (Cosine(0.1, 50), False),
])
def test_zero_start_whatever_the_clock(s: lrdecay.Schedule, raised: bool) -> None:
    assert ("zero_start" in codes(s, 50)) == raised
    assert ("zero_start" in codes(s, 50, 100, clock="step")) == raised
    # the number of updates unknown (clock "step", no steps_per_epoch): the only rule
    assert codes(s, 50, clock="step") == (["zero_start"] if raised else [])
    if raised:
        f = finding("zero_start", s, 50)
        assert f.severity == "warning"
        assert f.message.startswith("The schedule starts at learning rate 0")


# ---------------------------------------------------------------------------
# Each rule on both sides of its boundary: (expected, plan, severity, words). "+code"
# means raised, "-code" not raised, a list the exact findings ([]: a sound plan). With a
# severity or words, the one finding of that code has them (MESSAGES: the plan's numbers).
# A plan of MESSAGES is not repeated in PLANS.
# ---------------------------------------------------------------------------

def plan(expect: str | list[str], s: lrdecay.Schedule, epochs: int,
         steps_per_epoch: int | None = None, clock: str = "epoch", start: float = 0, *,
         severity: str | None = None, words: tuple[str, ...] = ()) -> Any:
    return pytest.param(expect, (s, epochs, steps_per_epoch, clock, start), severity, words,
                        id=f"{expect}-{s!r}-{epochs}-{steps_per_epoch}-{clock}-{start}")


# The larger rate of a jump's pair at 1% of the peak (1.0): raised; just below: not.
AT_FLOOR = Sequence([Linear(1.0, 0.01, 100), Constant(0.0009)], [101])
BELOW_FLOOR = Sequence([Linear(1.0, 0.0099, 100), Constant(0.0009)], [101])
# t = 0..10 moves by 1 - exp(-10 k): 0.99% raised, 1.01% not
FLAT_BELOW = Exponential(1.0, k=-math.log(1 - 0.0099) / 10)
FLAT_ABOVE = Exponential(1.0, k=-math.log(1 - 0.0101) / 10)
WARMING = Warmup(Constant(0.1), 5, start_lr=0.01)
# 4 million updates: evaluated chunk by chunk
LONG = Warmup(Cosine(3e-4, 3_950_000, alpha=0.1), 50_000, start_lr=3e-7)

PLANS = [
    # unit_mismatch, clock "epoch": H > 20 T raised; H == 20 T not (the boundary)
    plan("+unit_mismatch", Cosine(0.1, 301), 15),
    plan("-unit_mismatch", Cosine(0.1, 300), 15),
    plan("+unit_mismatch", Warmup(Cosine(0.1, 900), 100, start_lr=0.001), 15),
    # a schedule that never settles has no length to mistake
    plan("-unit_mismatch", Constant(0.1), 15),
    plan("-unit_mismatch", Exponential(0.1, 1000, 0.96), 15),
    plan("-unit_mismatch", InverseSqrt(0.1, 1000), 15),
    # clock "step", steps_per_epoch given: H <= epochs raised (H = 15: MESSAGES), H > epochs not
    plan("+unit_mismatch", Cosine(0.1, 3), 15, 100, "step"),
    plan("-unit_mismatch", Cosine(0.1, 16), 15, 100, "step"),
    plan("-unit_mismatch", Cosine(0.1, 1500), 15, 100, "step"),
    # without steps_per_epoch there is nothing to compare with (clock "epoch" with
    # steps_per_epoch, T = epochs: test_fit_check.py's in-graph plans)
    plan("-unit_mismatch", Cosine(0.1, 15), 15, None, "step"),
    # not_finished: T < 0.9 H: 89 < 90 raised (MESSAGES), 90 < 90 not
    plan("-not_finished", Cosine(0.1, 100), 90),
    plan("-not_finished", Cosine(0.1, 100), 100),
    # in steps: T = epochs * steps_per_epoch (800 < 899.1; 900)
    plan("+not_finished", OneCycle(0.1, 1000), 8, 100, "step"),
    plan("-not_finished", OneCycle(0.1, 1000), 9, 100, "step"),
    plan("-not_finished", Exponential(0.1, 10, 0.5), 1),  # never without an end
    # not_finished inside a warmup: InverseSqrt never settles, but 100 steps of a
    # 500-step warmup never reach the peak (test-check-at-fit.R); a training that
    # continues after it is sound
    plan([], InverseSqrt(0.1, 500), 1, 100, "step", 500),
    # the last update inside the warmup (t = 4 < 5): raised; at its end (t = 5): not
    plan(["not_finished"], WARMING, 5),
    plan([], WARMING, 6),
    # ends_early: H < 0.5 T: 49.5 < 50 raised, 50 < 50 not
    plan("+ends_early", Cosine(0.1, 49.5), 100),
    plan("-ends_early", Cosine(0.1, 50), 100),
    plan("+ends_early", Warmup(Linear(0.1, 0.0, 40), 9, start_lr=0.01), 100),
    plan("-ends_early", Warmup(Linear(0.1, 0.0, 40), 10, start_lr=0.01), 100),
    plan("-ends_early", Step(0.1, 0.5, 1), 1000),  # never settles
    # jump: exactly 10x is not "more than 10x"; up as well as down
    plan("-jump", Piecewise([10], [0.1, 0.01]), 20),
    plan([], MultiStep(0.1, [30, 80], 0.1), 100),  # a sound plan
    plan("+jump", Piecewise([4], [0.001, 0.1]), 10),
    plan("-jump", BELOW_FLOOR, 202),  # AT_FLOOR: raised (MESSAGES)
    # the peak is the largest rate of the updates, not of the whole schedule:
    # updates 0..7: peak 0.01, 0.01 -> 0.0009 is 11x
    plan("+jump", Sequence([Constant(0.01), Constant(0.0009), Constant(100.0)], [5, 10]), 8),
    plan("-jump", Piecewise([0], [0.1, 0.001]), 1),  # one update has no pair
    # no jump for a continuous warmup from 0 (0 -> peak / w in one update), nor from a
    # small start (0.001 -> 0.0109, 10.9x, in the first epoch; the exponential one 46x)
    plan(["zero_start"], Warmup(Cosine(0.1, 45), 5), 50),
    plan(["zero_start"], WSD(0.1, 2, 3, 4, decay="linear"), 10),
    plan([], Warmup(Cosine(0.1, 20), 10, start_lr=0.001), 30),
    plan([], Warmup(Constant(0.1), 3, start_lr=1e-6, shape="exponential"), 30),
    # nor for decays reaching their final value 0 (linear 0.01 -> 0; cosine 0.002447 -> 0
    # and Linear(0.001, 0.1, 10) over 20 epochs: test-check-at-fit.R)
    plan([], Linear(0.1, 0.0, 10), 12),
    plan([], Polynomial(0.1, 10, end_lr=0.0), 12),
    plan([], Rex(0.1, 10), 12),
    plan([], WSD(0.1, 0, 2, 8, decay="linear"), 12),
    # nor for drops by exactly 10x, rounding included (0.1 * 0.1 * 0.1 ... is not exact)
    plan([], Step(0.1, 0.1, 3), 16),
    plan([], MultiStep(0.1, [3, 6, 9, 12], 0.1), 16),
    plan([], Exponential(1.0, 2, 0.1, staircase=True), 16),
    plan([], Step(1.0, 0.5, 1), 16),
    # by more than 10x at once: a jump
    plan("+jump", Step(0.1, 0.05, 3), 16),
    plan("+jump", MultiStep(0.1, [3, 9], 0.01), 16),
    plan("+jump", Exponential(1.0, 2, 0.05, staircase=True), 16),
    # flat
    plan(["flat"], FLAT_BELOW, 11),
    plan([], FLAT_ABOVE, 11),
    plan("-flat", Constant(0.1), 20),  # constant: nothing to come
    plan("-flat", Cyclic(0.1, 0.1, 5), 20),  # max_lr == base_lr: constant too
    plan("-flat", Exponential(0.1, 10, 0.96), 20),  # moves 7.5%
    plan("-flat", WARMING, 10, start=20),  # after its warmup: constant for good
    plan("-flat", Exponential(0.1, 1000, 0.96), 20, start=5000),  # t = 0..5019 so far
    plan("-flat", WSD(0.1, 0, 900, 100), 10),  # a stable stage: its horizon is finite
    plan("-flat", Step(0.1, 0.5, 1000), 1),  # one update: nothing moves
    # a training that continues a model (t = start..start+T-1): fit() twice, 8 updates
    # then 4 steps (t = 8..11), in test-check-at-fit.R; a warmup from 0 resumed after its
    # first update (no zero_start) and fit(initial_epoch=) in test_fit_check.py
    plan("-jump", Piecewise([10], [0.1, 0.0099]), 10, start=11),
    # unit_mismatch counts the epochs trained so far: 400 <= 20 * 20
    plan("-unit_mismatch", Cosine(0.1, 400), 5, start=15),
    plan("+unit_mismatch", Cosine(0.1, 401), 5, start=15),
    # sound plans
    plan([], Warmup(Cosine(0.1, 45), 5, start_lr=0.01), 50),
    plan([], WSD(0.1, 50, 800, 150, min_lr_ratio=0.01), 10, 100, "step"),
    plan([], WSD(0.1, 0, 10, 5, decay="linear", min_lr_ratio=0.1), 15),
    plan([], Warmup(Linear(0.1, 0.0, 950), 50, start_lr=0.002), 10, 100, "step"),  # D2Z
    plan([], Warmup(Cosine(0.1, 950, alpha=0.1), 50, start_lr=0.002), 10, 100, "step"),
    plan([], OneCycle(0.1, 1000), 10, 100, "step"),
    plan([], Rex(0.1, 20), 20),
    plan([], Rex(0.1, 2000, min_lr=0.001), 20, 100, "step"),
    plan([], InverseSqrt(0.1, 0), 100, 100, "step"),  # timescale 10000: in steps
    plan([], Exponential(0.1, 1000, 0.96), 20, 100, "step"),
    plan([], Step(0.1, 0.5, 10), 30),
    plan([], Constant(0.01), 1),
    plan([], Cyclic(0.001, 0.006, 5), 40),
    plan([], CosineRestarts(0.1, 10, alpha=0.1), 70),
    plan([], Polynomial(0.1, 15, end_lr=0.001), 15),
    plan([], Piecewise([10, 20], [0.1, 0.05, 0.01]), 30),
    plan([], Sequence([Linear(0.01, 0.1, 5), Cosine(0.1, 25)], [5]), 30),
    plan([], FromFunction(lambda t: 0.1 * 0.5 ** np.floor(np.asarray(t) / 10)), 30),
    # long plans are checked in chunks; a 15x drop near the very end is found
    plan([], LONG, 40, 100_000, "step"),
    plan(["jump"], Sequence([LONG, Constant(2e-6)], [3_999_990]), 40, 100_000, "step"),
]


def test_the_boundary_plans_sit_where_they_say() -> None:
    """The plans above are on the side of each boundary that their comments give."""
    assert AT_FLOOR(100.0) >= 0.01 and BELOW_FLOOR(100.0) < 0.01
    assert Linear(0.001, 0.1, 10)(1.0) / Linear(0.001, 0.1, 10)(0.0) > 10
    assert Cosine(0.1, 10)(9.0) == pytest.approx(0.002447, abs=1e-6)
    assert InverseSqrt(0.1, 500).warmup_end() == 500
    assert Cosine(0.1, 10).warmup_end() == 0.0
    assert OneCycle(0.1, 100).warmup_end() == 29.0  # where the rate peaks


# ---------------------------------------------------------------------------
# Messages carry the plan's numbers (the one finding of the code; PLANS' test runs them)
# ---------------------------------------------------------------------------

JUMP_DOWN = Piecewise([10], [0.1, 0.0099])
MESSAGES = [
    plan("+unit_mismatch", Cosine(0.1, 1000), 15, severity="warning",
         words=("1000 steps", "training runs 15 epochs", "t counts epochs")),
    plan("+unit_mismatch", Cosine(0.1, 15), 15, 100, "step",
         words=("training runs 1500 steps (15 epochs of 100 steps)", "t counts steps", "1500")),
    plan("+not_finished", Cosine(0.1, 100), 89, severity="warning",
         words=("Training runs 89 epochs (t = 0..88)", "settles at t = 100", "89% of the way",
                f"learning rate {Cosine(0.1, 100)(88.0):.4g}")),
    plan("+not_finished", InverseSqrt(0.1, 500), 1, 100, "step",
         words=("Training runs 100 steps (1 epoch of 100 steps) (t = 0..99)",
                "warmup only ends at t = 500",
                "last update at learning rate 0.0198, not the peak 0.1")),
    plan("+not_finished", WSD(0.1, 10, 100, 10, min_lr_ratio=0.01), 6,
         words=("warmup only ends",)),
    plan("+not_finished", OneCycle(0.1, 100), 6, words=("warmup only ends",)),
    plan("+not_finished", Sequence([Warmup(Constant(0.1), 8, start_lr=0.01), Cosine(0.1, 5)],
                                  [20]), 6,
         words=("warmup only ends",)),
    plan("+ends_early", Cosine(0.1, 49.5, alpha=0.01), 100, severity="note",
         words=("final learning rate 0.001 at t = 49.5", "training runs 100 epochs",
                "last 50.5 epochs (50.5% of training)")),
    # the final value is the one after the horizon (Piecewise's last value)
    plan("+ends_early", Piecewise([10], [0.1, 0.05]), 30,
         words=("final learning rate 0.05 at t = 10",)),
    plan("+jump", JUMP_DOWN, 20, severity="warning",
         words=("jumps from 0.1 to 0.0099 between epoch 10 and epoch 11", "a factor of 10.1")),
    plan("+jump", AT_FLOOR, 202, words=("between epoch 100 and epoch 101",)),
    # junctions stay jumps
    plan("+jump", Piecewise([5], [0.1, 0.001]), 12, words=("between epoch",)),
    plan("+jump", Sequence([Constant(0.1), Constant(0.001)], [5]), 12,
         words=("jumps from 0.1 to 0.001 between epoch 4 and epoch 5 (a factor of 100;",)),
    plan("+jump", Sequence([Linear(0.01, 0.1, 5), Cosine(0.002, 10)], [5]), 12,
         words=("between epoch",)),
    plan("+jump", Warmup(Piecewise([5], [0.1, 0.005]), 3, start_lr=0.01), 12,
         words=("between epoch",)),
    # flat: sized in steps, driven per epoch (InverseSqrt: transformers' timescale of 10000)
    *[plan("+flat", s, epochs, severity="warning",
           words=(f"Over the {epochs} epochs trained (t = 0..{epochs - 1})",
                  f"to {s(epochs - 1.0):.4g}, less than 1% of its peak"))
      for s, epochs in ((Exponential(0.1, 1000, 0.96), 20), (Step(0.1, 0.5, 1000), 10),
                        (CosineRestarts(0.1, 1000), 10), (InverseSqrt(0.1, 0), 100))],
    plan("+flat", Step(0.1, 0.5, 1000), 10, start=10,  # t = 0..19 trained so far
         words=("Over the 20 epochs trained (t = 0..19)",)),
    # a continued training, in the clock's own values
    plan("+not_finished", Cosine(0.1, 100), 20, start=10,
         words=("Training runs 20 epochs (t = 10..29)", "30% of the way",
                f"learning rate {Cosine(0.1, 100)(29.0):.4g}")),
    # after the horizon: the whole training at the final rate
    plan("+ends_early", Cosine(0.1, 10), 4, start=10, severity="note",
         words=("last 4 epochs (100% of training)", "(t = 10..13)")),
    plan("+jump", JUMP_DOWN, 10, start=5, words=("between epoch 10 and epoch 11",
                                                 "the peak is 0.1")),
    plan("+zero_start", Linear(0.1, 0.0, 10), 2, start=10,
         words=("The first update of this training (t = 10) runs at learning rate 0",)),
]


@pytest.mark.parametrize(("expect", "plan_", "severity", "words"), PLANS + MESSAGES)
def test_each_rule_holds_exactly_where_it_should(expect: str | list[str], plan_: tuple,
                                                 severity: str | None,
                                                 words: tuple[str, ...]) -> None:
    found = codes(*plan_)
    if isinstance(expect, list):
        assert found == expect
    elif expect.startswith("+"):
        assert expect[1:] in found
    else:
        assert expect[1:] not in found
    if severity is not None or words:
        f = finding(expect[1:], *plan_)
        if severity is not None:
            assert f.severity == severity
        for w in words:
            assert w in f.message


def test_jump_counts_the_others_and_crosses_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    s = Piecewise([6, 13, 20], [0.1, 0.001, 0.1, 0.001])
    msg = finding("jump", s, 30).message
    assert "between epoch 6 and epoch 7" in msg and "2 more such jumps follow" in msg
    monkeypatch.setattr(plan_module, "_CHUNK", 7)  # the pair (6, 7) spans two chunks
    assert finding("jump", s, 30).message == msg
    monkeypatch.setattr(plan_module, "_CHUNK", 3)
    assert finding("jump", s, 30).message == msg


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
    (dict(epochs=-3), ValueError, "`epochs` must be a positive whole number, not -3."),
    (dict(epochs=float("nan")), ValueError, "`epochs` must be a positive whole number, not NaN"),
    (dict(epochs=float("inf")), ValueError, "`epochs` must be a positive whole number, not Inf"),
    (dict(epochs="15"), TypeError, "`epochs` must be a positive whole number, not \"15\"."),
    (dict(epochs=None), TypeError, "`epochs` must be a positive whole number, not None."),
    (dict(steps_per_epoch=0), ValueError, "`steps_per_epoch` must be a positive whole number"),
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
