"""Schedules sized to the run: omitted horizons and ``of_run()`` lengths, sized by ``fit()``.

What users rely on: ``Cosine(0.1)`` driven over a run of T clock units gives exactly
``Cosine(0.1, T)``'s rates (T = epochs for ``LRScheduler`` and in-graph clock "epoch",
epochs x steps in-graph); the sizes are fixed by the first ``fit()`` and kept (later
``fit()`` calls, ``.keras`` files, resuming with ``initial_epoch``); an unsized schedule
cannot be evaluated and says how to size it; unknown steps stop ``fit()`` before any update.
"""

from __future__ import annotations

import json
from typing import Any

import lrdecay
import numpy as np
import pytest
from kit import X, Y, keras_model, model_state, same_state
from lrdecay import *  # noqa: F403 - the schedules API, lrdecay.__all__

# Each run-sized form, and what it is for a run of 8 and of 30 clock units.
CASES = {
    "cosine": (lambda: Cosine(0.1), lambda: Cosine(0.1, 8), lambda: Cosine(0.1, 30)),
    "one_cycle": (lambda: OneCycle(0.1), lambda: OneCycle(0.1, 8), lambda: OneCycle(0.1, 30)),
    "wsd": (lambda: WSD(0.1, of_run(0.25), decay_steps=of_run(0.25), min_lr_ratio=0.1),
            lambda: WSD(0.1, 2, 4, 2, min_lr_ratio=0.1),
            lambda: WSD(0.1, 7.5, 15, 7.5, min_lr_ratio=0.1)),
    "warmup_cosine": (lambda: Warmup(Cosine(0.1), of_run(0.25), start_lr=0.01),
                      lambda: Warmup(Cosine(0.1, 6), 2, start_lr=0.01),
                      lambda: Warmup(Cosine(0.1, 22.5), 7.5, start_lr=0.01)),
}


# ---------------------------------------------------------------------------
# The schedule object (no Keras)
# ---------------------------------------------------------------------------

def test_sized_fills_omitted_and_fractional_lengths_exactly() -> None:
    assert Cosine(0.1).sized(8) == Cosine(0.1, 8)
    assert Polynomial(0.1).sized(10) == Polynomial(0.1, 10)
    assert Linear(0.1, 0.0).sized(10) == Linear(0.1, 0.0, 10)
    assert Rex(0.1).sized(10) == Rex(0.1, 10)
    assert OneCycle(0.1).sized(30) == OneCycle(0.1, 30)
    # of_run(0.1) of 30 is 3, not 3.0000000000000004; no rounding of 7.5
    assert Step(0.1, every=of_run(0.1)).sized(30).every == 3.0
    assert WSD(0.1, of_run(0.25), decay_steps=of_run(0.25)).sized(30) == WSD(0.1, 7.5, 15, 7.5)
    assert MultiStep(0.1, of_run([0.5, 0.75])).sized(40) == MultiStep(0.1, [20, 30])
    assert Piecewise(of_run([0.5]), [0.1, 0.01]).sized(40) == Piecewise([20], [0.1, 0.01])
    # inside a warmup or a sequence: the run less what comes before
    assert Warmup(Cosine(0.1), of_run(0.1)).sized(30) == Warmup(Cosine(0.1, 27), 3)
    assert (Sequence([Linear(0.0, 0.1, of_run(0.1)), Cosine(0.1)], of_run([0.1])).sized(30)
            == Sequence([Linear(0.0, 0.1, 3), Cosine(0.1, 27)], [3]))
    # rates: exactly those of the schedule written with the lengths
    t = np.arange(31)
    np.testing.assert_array_equal(Cosine(0.1).sized(30)(t), Cosine(0.1, 30)(t))
    # a sized schedule is returned as it is
    s = Cosine(0.1, 8)
    assert s.sized(100) is s


def test_wsd_keeps_its_positional_meaning_and_requires_decay_steps() -> None:
    assert WSD(0.1, 3, 21, 6).stable_steps == 21.0
    assert WSD(0.1, 3, decay_steps=6).sized(30) == WSD(0.1, 3, 21, 6)
    with pytest.raises(TypeError, match="`decay_steps` must be given"):
        WSD(0.1, 3)
    with pytest.raises(ValueError, match="shorter than warmup_steps \\+ decay_steps"):
        WSD(0.1, 3, decay_steps=6).sized(8)


@pytest.mark.parametrize("call", [lambda s: s(3), lambda s: s.horizon(),
                                  lambda s: s.default_horizon()])
def test_an_unsized_schedule_names_sized(call: Any) -> None:
    s = Warmup(Cosine(0.1), of_run(0.05))
    with pytest.raises(lrdecay.UnsizedScheduleError,
                       match=r"warmup_steps = of_run\(0\.05\), decay_steps = the run.*\.sized"):
        call(s)
    assert isinstance(lrdecay.UnsizedScheduleError("a", "b"), ValueError)


def test_printing_and_configs_of_unsized_schedules() -> None:
    s = Warmup(Cosine(0.1), of_run(0.05))
    assert repr(s) == ("Warmup(schedule=Cosine(initial_lr=0.1, decay_steps=the run, alpha=0), "
                       "warmup_steps=of_run(0.05), start_lr=0, shape='linear')")
    assert s.r_call() == ('schedule_warmup(schedule = schedule_cosine(initial_lr = 0.1, '
                          'decay_steps = the run, alpha = 0), warmup_steps = of_run(0.05), '
                          'start_lr = 0, shape = "linear")')
    assert "stable_steps = the rest of the run" in WSD(0.1, 2, decay_steps=3).r_call()
    assert MultiStep(0.1, of_run([0.5, 0.75])).r_call().startswith(
        "schedule_multistep(initial_lr = 0.1, milestones = of_run(c(0.5, 0.75))")
    for sched in (s, Cosine(0.1), OneCycle(0.1), WSD(0.1, of_run(0.1), decay_steps=of_run(0.2)),
                  MultiStep(0.1, of_run([0.5, 0.75])),
                  Sequence([Linear(0.0, 0.1, of_run(0.1)), Cosine(0.1)], of_run([0.1]))):
        config = json.loads(json.dumps(sched.get_config()))
        again = lrdecay.from_config(config)
        assert again == sched and repr(again) == repr(sched)
        assert not again.is_sized()
    assert Cosine(0.1) != Cosine(0.1, 8)


def test_of_run_rejects_bad_fractions_naming_them() -> None:
    with pytest.raises(ValueError, match=r"`fraction` must be a number in \(0, 1\], not 2\."):
        of_run(2)
    with pytest.raises(ValueError, match="`fraction` must be"):
        of_run(0)
    with pytest.raises(ValueError, match="`decay_steps` must be one length"):
        Cosine(0.1, of_run([0.1, 0.2]))
    with pytest.raises(TypeError, match="`every` must be a positive number, not None"):
        Step(0.1, every=None)


def test_check_schedule_sizes_it_itself() -> None:
    assert lrdecay.check_schedule(Cosine(0.1), 8) == []
    assert lrdecay.check_schedule(Warmup(Cosine(0.1), of_run(0.1), start_lr=0.01), 3, 10,
                                  "step") == []
    with pytest.raises(TypeError, match="`steps_per_epoch` must be given"):
        lrdecay.check_schedule(Cosine(0.1), 3, None, "step")


# ---------------------------------------------------------------------------
# Sized by fit()
# ---------------------------------------------------------------------------

try:
    import keras
except ImportError:  # the tests above need no Keras
    keras = None


def keras_only(test: Any) -> Any:
    """Marked ``keras`` and skipped without Keras (the tests above need no Keras)."""
    return pytest.mark.keras(pytest.mark.skipif(keras is None, reason="Keras is not installed")(
        test))


def make_model(lr: Any, **sgd: Any) -> Any:
    """kit's model, seeded. On kit's 64 rows batch 40 makes 2 updates per epoch, batch 7
    makes 10 (nine of 7, one of 1)."""
    return keras_model(lr, seed=1, **sgd)


@keras_only
@pytest.mark.parametrize("case", sorted(CASES))
def test_lr_scheduler_sizes_to_the_fit_epochs(case: str) -> None:
    """Over fit(epochs = 8) the run is 8 epochs: the rates of the schedule sized for 8."""
    unsized, for8, _ = CASES[case]
    cb = lrdecay.LRScheduler(unsized())
    hist = make_model(0.5).fit(X, Y, epochs=8, batch_size=40, verbose=0, callbacks=[cb])
    assert hist.history["learning_rate"] == pytest.approx(
        [float(np.float32(v)) for v in for8()(np.arange(8))], rel=0, abs=0)
    assert cb.sized_schedule == for8()
    # A later fit() keeps the sizes (the run of the first fit()).
    make_model(0.5).fit(X, Y, epochs=2, batch_size=40, verbose=0, callbacks=[cb])
    assert cb.sized_schedule == for8()


@keras_only
@pytest.mark.parametrize("case", sorted(CASES))
def test_in_graph_sizes_to_epochs_times_steps_without_any_callback(case: str) -> None:
    """3 epochs of 10 updates, no lrdecay callback: the weights are those the schedule
    sized for 30 updates gives, bit for bit; the sizes are kept on the schedule."""
    unsized, _, for30 = CASES[case]
    ks = unsized().to_keras()
    model = make_model(ks)
    model.fit(X, Y, epochs=3, batch_size=7, verbose=0)
    reference = make_model(for30().to_keras())
    reference.fit(X, Y, epochs=3, batch_size=7, verbose=0)
    assert same_state(model_state(reference), model)  # weights and optimizer, bit for bit
    assert ks.schedule == for30() and ks.run == 30
    assert ks.get_config()["run"] == 30


@keras_only
@pytest.mark.filterwarnings("ignore::lrdecay.ScheduleWarning")
def test_in_graph_sizing_with_an_lrdecay_callback_and_the_rates_applied() -> None:
    ks = Cosine(0.1).to_keras()
    model = make_model(ks)
    log = lrdecay.LRLogger(verbose=0, per="batch")
    model.fit(X, Y, epochs=3, batch_size=7, verbose=0, callbacks=[log])
    rates = [r[2] for r in log.records]
    np.testing.assert_allclose(rates, Cosine(0.1, 30)(np.arange(30)), rtol=1e-6)
    # a later fit() continues on those sizes (t = 30.. is past the decay: 0)
    model.fit(X, Y, epochs=1, batch_size=7, verbose=0, callbacks=[log])
    assert ks.schedule == Cosine(0.1, 30)
    assert [r[2] for r in log.records] == [0.0] * 10


@keras_only
def test_clock_epoch_reads_steps_per_epoch_from_fit() -> None:
    ks = Cosine(0.1).to_keras(clock="epoch")
    assert ks.clock == "epoch" and ks.steps_per_epoch is None
    model = make_model(ks)
    model.fit(X, Y, epochs=3, batch_size=7, verbose=0)
    reference = make_model(Cosine(0.1, 3).to_keras(steps_per_epoch=10))
    reference.fit(X, Y, epochs=3, batch_size=7, verbose=0)
    assert same_state(model_state(reference), model)  # weights and optimizer, bit for bit
    assert ks.steps_per_epoch == 10 and ks.schedule == Cosine(0.1, 3)
    assert Cosine(0.1, 3).to_keras(steps_per_epoch=10).clock == "epoch"
    with pytest.raises(lrdecay.UnsizedScheduleError, match="steps_per_epoch"):
        Cosine(0.1, 3).to_keras(clock="epoch")(0)


@keras_only
def test_unknown_steps_stop_fit_before_any_update() -> None:
    def gen() -> Any:
        while True:
            yield X[:8], Y[:8]

    model = make_model(Cosine(0.1).to_keras())
    before = model_state(model)
    with pytest.raises(ValueError, match="Give `steps_per_epoch` to fit\\(\\), or size the "
                                         "schedule yourself") as err:
        model.fit(gen(), epochs=2, verbose=0)
    assert "steps_per_epoch" in str(err.value) and ".sized(total)" in str(err.value)
    assert same_state(before, model)
    assert int(model.optimizer.iterations) == 0


@keras_only
def test_one_cycle_rate_and_momentum_both_sized_to_the_run() -> None:
    """HParamScheduler sizes its schedules too (per="batch": epochs x steps): the weights
    of the one-cycle rate and momentum written for 30 updates."""
    def run(rate: Any) -> tuple[Any, Any]:
        model = make_model(rate.to_keras(), momentum=0.9)
        cb = lrdecay.HParamScheduler(momentum=rate.momentum())
        model.fit(X, Y, epochs=3, batch_size=7, verbose=0, shuffle=False, callbacks=[cb])
        return model, cb

    (model, cb), (reference, _) = run(OneCycle(0.1)), run(OneCycle(0.1, 30))
    assert same_state(model_state(reference), model)
    assert cb.schedules["momentum"] == OneCycle(0.1, 30).momentum()
