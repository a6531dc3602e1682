"""LRPlateau: Keras's ReduceLROnPlateau decisions (the same rates and state as Keras's on
the same scripted metrics, whatever sets the rate), applied as a scale on what sets the rate:
the rate read back at every update is ``max(schedule * scale, min(schedule, min_lr))``; the
state is saved with the model. Resumed: ``test_resume.py``; other backends: ``test_backends.py``.
"""

from __future__ import annotations

import warnings  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402

keras = pytest.importorskip("keras")

import kit  # noqa: E402
import lrdecay  # noqa: E402
from kit import X, Y, f32, fit, keras_model, lr_of  # noqa: E402
from lrdecay import LRPlateau, LRScheduler  # noqa: E402
from lrdecay.rate_scale import effective_rate  # noqa: E402

pytestmark = pytest.mark.keras

STEPS = kit.STEPS_PER_EPOCH  # batch 32: two updates per epoch
_METRICS_MODEL: list[keras.Model] = []


def make_model(learning_rate: object = 0.1, metrics: bool = False) -> keras.Model:
    """kit's model; ``metrics``: one whose compiled metrics are built (mode "auto" looks
    their direction up), shared, with a new optimizer at each call."""
    if not metrics:
        return keras_model(learning_rate)
    if not _METRICS_MODEL:
        _METRICS_MODEL.append(keras_model(metrics=["mae", "binary_accuracy"]))
        _METRICS_MODEL[0].evaluate(X, Y, verbose=0)
    model = _METRICS_MODEL[0]
    model.optimizer = keras.optimizers.SGD(learning_rate=learning_rate)
    return model


Script = kit.script_callback


# ---------------------------------------------------------------------------
# Arguments
# ---------------------------------------------------------------------------


def test_defaults_follow_keras():
    ours, theirs = LRPlateau(), keras.callbacks.ReduceLROnPlateau()
    for name in ("monitor", "factor", "patience", "verbose", "mode", "cooldown", "min_lr"):
        assert getattr(ours, name) == getattr(theirs, name), name
    assert ours.min_delta == 1e-4
    # Keras's positional order: monitor, factor, patience, verbose, mode, min_delta, ...
    cb = LRPlateau("loss", 0.5, 3, 1, "min", 0.01, 2, 0.001)
    assert (cb.monitor, cb.factor, cb.patience, cb.verbose, cb.mode, cb.min_delta,
            cb.cooldown, cb.min_lr) == ("loss", 0.5, 3, 1, "min", 0.01, 2, 0.001)
    assert repr(cb) == ("LRPlateau(monitor='loss', factor=0.5, patience=3, verbose=1, "
                        "mode='min', min_delta=0.01, cooldown=2, min_lr=0.001)")


@pytest.mark.parametrize(("kwargs", "exc", "message"), [
    ({"factor": 1}, ValueError, "`factor` must be a number in [0, 1), not 1."),
    ({"factor": 1.5}, ValueError, "`factor` must be a number in [0, 1), not 1.5."),
    ({"factor": -0.1}, ValueError, "`factor` must be a number in [0, 1), not -0.1."),
    ({"factor": "half"}, TypeError, "`factor` must be a number in [0, 1), not \"half\"."),
    ({"factor": float("nan")}, ValueError, "`factor` must be a number in [0, 1), not NaN."),
    ({"patience": -1}, ValueError, "`patience` must be a whole number >= 0, not -1."),
    ({"patience": 2.5}, ValueError, "`patience` must be a whole number >= 0, not 2.5."),
    ({"cooldown": -2}, ValueError, "`cooldown` must be a whole number >= 0, not -2."),
    ({"min_delta": -0.1}, ValueError, "`min_delta` must be a non-negative number, not -0.1."),
    ({"min_lr": float("inf")}, ValueError, "`min_lr` must be a non-negative number, not Inf."),
    ({"min_lr": None}, TypeError, "`min_lr` must be a non-negative number, not None."),
    ({"mode": "up"}, ValueError, "`mode` must be one of \"auto\", \"min\", \"max\", not \"up\"."),
    ({"mode": 1}, TypeError, "`mode` must be one of \"auto\", \"min\", \"max\", not 1."),
    ({"monitor": 3}, TypeError, "`monitor` must be the name of a metric (a string), not 3."),
    ({"monitor": ""}, TypeError, "`monitor` must be the name of a metric (a string), not \"\"."),
    ({"verbose": 2}, ValueError, "`verbose` must be 0 or 1, not 2."),
])
def test_argument_errors(kwargs, exc, message):
    with pytest.raises(exc) as err:
        LRPlateau(**kwargs)
    assert str(err.value) == message


# ---------------------------------------------------------------------------
# Decisions: the same as Keras's ReduceLROnPlateau on the same metric sequence
# ---------------------------------------------------------------------------


def _cases() -> list[dict]:
    """Parameters and a metric sequence per case: random walks with plateaus."""
    rng = np.random.default_rng(2024)
    monitors = [("val_loss", "auto", -1), ("loss", "auto", -1), ("val_mae", "auto", -1),
                ("val_binary_accuracy", "auto", 1), ("score", "min", -1), ("score", "max", 1)]
    cases = []
    for i in range(48):
        monitor, mode, sign = monitors[i % len(monitors)]
        # improvements of every size (none, below and above min_delta), some setbacks
        size = rng.choice([0.0, 0.0, 0.02, 0.2, 1e-5, 5e-5], size=30)
        moves = size * (rng.uniform(size=30) < 0.4) - 0.3 * size * (rng.uniform(size=30) < 0.2)
        values = [float(v) for v in 1.0 + sign * np.cumsum(moves)]  # Python floats, as in logs
        if i % 7 == 3:
            values[5] = float("nan")
        if i % 11 == 4:
            values[8] = None  # the metric is missing from that epoch's logs
        cases.append({
            "monitor": monitor, "mode": mode, "values": values,
            "factor": float(rng.choice([0.1, 0.5, 0.8])),
            "patience": int(rng.choice([0, 1, 2, 4])),
            "cooldown": int(rng.choice([0, 0, 1, 3])),
            "min_delta": float(rng.choice([0.0, 1e-4, 0.01, 0.05])),
            "min_lr": float(rng.choice([0.0, 0.0, 0.002, 0.0095])),
        })
    return cases


CASES = _cases()
PARAMS = ("monitor", "mode", "factor", "patience", "cooldown", "min_delta", "min_lr")


def drive(callbacks: list, model: keras.Model, case: dict) -> list[tuple]:
    """Run the callbacks' epoch hooks over ``case["values"]``; per epoch: the rate in force
    during the epoch, then the last callback's (best, wait, cooldown_counter) after its end."""
    cb = callbacks[-1] if not isinstance(callbacks[-1], LRScheduler) else callbacks[0]
    for c in callbacks:
        c.set_model(model)
    for c in callbacks:
        c.on_train_begin()
    out = []
    for epoch, value in enumerate(case["values"]):
        for c in callbacks:
            c.on_epoch_begin(epoch)
        rate = lr_of(model)
        logs = {"unrelated": 1.0} if value is None else {case["monitor"]: value}
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for c in callbacks:
                c.on_epoch_end(epoch, logs)
        missing = [str(w.message) for w in caught if "not available" in str(w.message)]
        assert bool(missing) == (value is None)
        out.append((rate, cb.best, cb.wait, cb.cooldown_counter))
    return out


_REFERENCES: dict[int, list[tuple]] = {}


def keras_reference(case: dict) -> list[tuple]:
    """Keras's decisions on ``case`` at a rate of 0.1 (driven once per case, then reused)."""
    if id(case) not in _REFERENCES:
        cb = keras.callbacks.ReduceLROnPlateau(**{k: case[k] for k in PARAMS})
        _REFERENCES[id(case)] = drive([cb], make_model(0.1, metrics=True), case)
    return _REFERENCES[id(case)]


def same_state(ours: list[tuple], theirs: list[tuple]) -> bool:
    def norm(best):
        return "nan" if best is not None and np.isnan(best) else best
    return [(norm(b), w, c) for _, b, w, c in ours] == [(norm(b), w, c) for _, b, w, c in theirs]


#: The driver of the rate: "constant" (every case: the very float32 values), else LRScheduler
#: before or after the plateau or an in-graph lrdecay schedule (every 4th case, rtol 1e-6).
DRIVERS = ["constant", "plateau_first", "scheduler_first", "in_graph"]


@pytest.mark.parametrize(("case", "driver"), [
    pytest.param(case, driver, id=f"case{i}-{driver}") for i, case in enumerate(CASES)
    for driver in DRIVERS if driver == "constant" or i % 4 == 0])
def test_decisions_equal_keras_whatever_sets_the_rate(case, driver):
    theirs = keras_reference(case)
    plateau = LRPlateau(**{k: case[k] for k in PARAMS})
    sched = LRScheduler(lrdecay.Constant(0.1))
    rate, callbacks = {"constant": (0.1, [plateau]),
                       "in_graph": (lrdecay.Constant(0.1).to_keras(), [plateau]),
                       "plateau_first": (0.5, [plateau, sched]),
                       "scheduler_first": (0.5, [sched, plateau])}[driver]
    ours = drive(callbacks, make_model(rate, metrics=True), case)
    assert same_state(ours, theirs)
    np.testing.assert_allclose([r for r, *_ in ours], [r for r, *_ in theirs],
                               rtol=0 if driver == "constant" else 1e-6, atol=0)


def test_cases_reduce_and_cool_down():
    """The cases exercise what they should: reductions, cooldowns, min_lr stops."""
    reductions = floors = cooldowns = 0
    for case in CASES:
        rates = [r for r, *_ in keras_reference(case)]
        reductions += sum(b < a for a, b in zip(rates, rates[1:]))
        floors += case["min_lr"] > 0 and min(rates) == f32(case["min_lr"])
        cooldowns += case["cooldown"] > 0 and any(b < a for a, b in zip(rates, rates[1:]))
    assert reductions > 100 and floors >= 3 and cooldowns >= 5


@pytest.mark.parametrize(("monitor", "logs", "expect"), [
    ("val_custom", {"val_custom": 1.0}, lambda: pytest.raises(ValueError, match="mode")),
    ("val_loss", {"loss": 1.0}, lambda: pytest.warns(
        UserWarning, match="Learning rate reduction is conditioned on metric `val_loss` which "
                           "is not available. Available metrics are: loss,learning_rate.")),
], ids=["auto_mode_needs_a_known_direction", "missing_metric_warns"])
def test_ours_reacts_to_the_metric_as_keras_does(monitor, logs, expect):
    for cb in (keras.callbacks.ReduceLROnPlateau(monitor=monitor), LRPlateau(monitor=monitor)):
        cb.set_model(make_model(0.1))
        cb.on_train_begin()
        with expect():
            cb.on_epoch_end(0, logs)
    if monitor == "val_custom":
        with pytest.raises(ValueError, match=r"^LRPlateau: cannot tell whether `monitor` = "
                                             r"'val_custom' should be minimized"):
            cb.on_epoch_end(0, logs)


# ---------------------------------------------------------------------------
# The scaled rate in fit(), read back from the optimizer at every update
# ---------------------------------------------------------------------------

SCORE = [1.0, 0.9, 0.95, 0.96, 0.97, 0.5, 0.45, 0.4, 0.42, 0.43, 0.35, 0.36]
EPOCHS = len(SCORE)


def plateau_scales(values: list[float], **kwargs) -> list[float]:
    """The scale in force during each epoch: Keras's ReduceLROnPlateau on a rate of 1."""
    case = {"monitor": "score", "values": values}
    cb = keras.callbacks.ReduceLROnPlateau(monitor="score", **kwargs)
    return [r for r, *_ in drive([cb], make_model(1.0), case)]


def run(learning_rate, callbacks, epochs=EPOCHS, score=SCORE):
    model = make_model(learning_rate)
    history, probe = fit(model, [Script(score), *callbacks], epochs, shuffle=False)
    return model, history, probe


KW = {"factor": 0.5, "patience": 2, "mode": "min", "cooldown": 1}


EXP = lrdecay.Exponential(0.1, 3, 0.5)
#: check=False: a warmup from 0 and a cosine cut short, on purpose (plan check off)
WARM = lrdecay.Warmup(lrdecay.Cosine(0.1, 20), warmup_steps=3)
EXP2, EXP4 = lrdecay.Exponential(0.1, 2, 0.5), lrdecay.Exponential(0.1, 4, 0.5)
#: (learning rate, the callbacks around the plateau, the unreduced rate at (epoch,
#: iteration), rtol: 0 is exact float32 equality, min_lr)
SCALED = [
    pytest.param(lambda: 0.5, lambda p: [LRScheduler(EXP), p], lambda e, it: EXP(e), 0, 0,
                 id="scheduler_first"),
    pytest.param(lambda: 0.5, lambda p: [p, LRScheduler(EXP)], lambda e, it: EXP(e), 0, 0,
                 id="plateau_first"),
    pytest.param(lambda: WARM.to_keras(check=False), lambda p: [p], lambda e, it: WARM(it),
                 1e-6, 0, id="in_graph_iterations"),
    pytest.param(lambda: WARM.to_keras(steps_per_epoch=2, check=False), lambda p: [p],
                 lambda e, it: WARM(it / 2), 1e-6, 0, id="in_graph_steps_per_epoch"),
    # a schedule of (epoch, lr) does not compound the reduction
    pytest.param(lambda: 0.5, lambda p: [LRScheduler(lambda epoch, lr: 0.1 if epoch == 0
                                                     else lr * 0.9), p],
                 lambda e, it: 0.1 * 0.9**e, 1e-6, 0, id="epoch_and_lr"),
    # min_lr: the schedule decays below it on its own (that stays); a reduction stops at it
    pytest.param(lambda: 0.5, lambda p: [LRScheduler(EXP2), p], lambda e, it: EXP2(e), 0, 0.02,
                 id="min_lr"),
    pytest.param(lambda: EXP4.to_keras(check=False), lambda p: [p], lambda e, it: EXP4(it),
                 1e-6, 0.02, id="min_lr_in_graph"),
]


@pytest.mark.parametrize(("rate", "callbacks", "unreduced", "rtol", "min_lr"), SCALED)
def test_the_rate_applied_is_scaled(rate, callbacks, unreduced, rtol, min_lr):
    """``max(schedule * scale, min(schedule, min_lr))`` at every update."""
    model, history, probe = run(rate(), callbacks(LRPlateau("score", min_lr=min_lr, **KW)))
    scales = plateau_scales(SCORE, **KW)
    assert scales == [1] * 4 + [0.5] * 6 + [0.25] * 2  # two reductions
    want = [effective_rate(unreduced(e, it), scales[e], min_lr) for e, _, it, _ in probe.rows]
    if min_lr:
        assert min_lr in want and min(want) < min_lr  # bounded, and below only on its own
    if rtol == 0:
        want = [f32(w) for w in want]
    assert [e for e, *_ in probe.rows] == [e for e in range(EPOCHS) for _ in range(STEPS)]
    np.testing.assert_allclose([lr for *_, lr in probe.rows], want, rtol=rtol, atol=rtol * 1e-3)
    np.testing.assert_allclose(history.history["learning_rate"], want[::STEPS], rtol=rtol,
                               atol=rtol * 1e-3)
    assert model.optimizer.learning_rate.dtype == "float32"


def test_keras_scheduler_undoes_the_reduction():
    """Why: beside Keras's LearningRateScheduler, its ReduceLROnPlateau is undone (keras#8829)."""
    cbs = [keras.callbacks.LearningRateScheduler(lambda e: float(EXP(e))),
           keras.callbacks.ReduceLROnPlateau("score", **KW)]
    _, _, probe = run(0.5, cbs)
    assert [lr for *_, lr in probe.rows][::STEPS] == [f32(EXP(e)) for e in range(EPOCHS)]


def test_keras_plateau_refuses_an_in_graph_schedule():
    """Why: Keras's own callback cannot reduce an in-graph schedule (tensorflow#36612)."""
    with pytest.raises(TypeError, match="This optimizer was created with a `LearningRateSchedule`"):
        run(lrdecay.Cosine(0.1, 20).to_keras(),
            [keras.callbacks.ReduceLROnPlateau("score", **KW)])


def test_foreign_in_graph_schedule_gets_a_type_error():
    foreign = keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5)
    with pytest.raises(TypeError) as err:
        run(foreign, [LRPlateau("score")])
    assert str(err.value) == (
        "LRPlateau: cannot scale the learning rate: the optimizer's `learning_rate` is an "
        "in-graph schedule (ExponentialDecay) that is not an lrdecay schedule. Use the "
        "lrdecay schedule of the same family in-graph (e.g. "
        "lrdecay.Exponential(...).to_keras()), or compile with a number and set the rate "
        "with LRScheduler.")


def test_schedule_object_compiled_again_is_not_reduced():
    ks = lrdecay.Constant(0.1).to_keras()
    model, _, _ = run(ks, [LRPlateau("score", **KW)])
    assert lr_of(model) == f32(0.1 * 0.25)
    assert model.optimizer.learning_rate is not None and ks.plateau.values() == (1.0, 0.0)
    _, _, probe = run(ks, [], epochs=2)
    assert {lr for *_, lr in probe.rows} == {f32(0.1)}


def test_a_continued_fit_continues_the_state_and_prints_keras_words(capsys):
    plateau = LRPlateau("score", verbose=1, **KW)
    model, _, _ = run(0.1, [plateau], epochs=3)
    assert (plateau.best, plateau.wait, plateau.scale) == (0.9, 1, 1.0)
    # continued (initial_epoch = 3): the state goes on, as Keras's in one fit of 6 epochs
    model.fit(X, Y, batch_size=32, epochs=6, initial_epoch=3, verbose=0,
              callbacks=[Script(SCORE), plateau])
    ours = capsys.readouterr().out
    whole = keras.callbacks.ReduceLROnPlateau("score", verbose=1, **KW)
    one, _, _ = run(0.1, [whole], epochs=6)
    assert (plateau.best, plateau.wait, plateau.cooldown_counter, lr_of(model)) == \
        (whole.best, whole.wait, whole.cooldown_counter, lr_of(one))
    assert ours == capsys.readouterr().out == (
        "\nEpoch 4: ReduceLROnPlateau reducing learning rate to 0.05000000074505806.\n")
    # started over (epoch 0), reset as Keras does: test_keras_twin_callbacks.py


# ---------------------------------------------------------------------------
# The state is saved with the model
# ---------------------------------------------------------------------------


def test_state_round_trips_through_a_weights_file(tmp_path):
    """The plan check, on, warns once through the plateau's scheduled copy."""
    from lrdecay.plan import ScheduleWarning

    heard = []
    ks = lrdecay.Cosine(0.1, 30).to_keras()  # 16 updates of a 30-step cosine: not finished
    ks._warn_hook = lambda *args: heard.append(args)  # how R hears it
    with warnings.catch_warnings():
        warnings.simplefilter("error", ScheduleWarning)
        model, _, _ = run(ks, [LRPlateau("score", **KW)], epochs=8)
    assert len(heard) == 1 and "not_finished" in str(heard[0])
    state = model.optimizer._lrdecay_plateau
    saved = state.fields()
    assert saved["scale"] == 0.5 and saved["epoch"] == 7
    model.save_weights(tmp_path / "w.weights.h5")
    other = make_model(lrdecay.Cosine(0.1, 30).to_keras())
    other.optimizer.build(other.trainable_variables)
    cb = LRPlateau("score", **KW)
    cb.set_model(other)
    other.load_weights(tmp_path / "w.weights.h5")
    assert other.optimizer._lrdecay_plateau.fields() == saved
    assert lr_of(other) == pytest.approx(lr_of(model), rel=1e-7)
    # a file without the state leaves it as it is; a model without LRPlateau ignores it
    plain = make_model(lrdecay.Cosine(0.1, 30).to_keras())
    plain.optimizer.build(plain.trainable_variables)
    plain.save_weights(tmp_path / "plain.weights.h5")
    other.load_weights(tmp_path / "plain.weights.h5")
    assert other.optimizer._lrdecay_plateau.fields()["scale"] == 0.5
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plain.load_weights(tmp_path / "w.weights.h5")


def test_keras_schedule_config_keeps_the_scale():
    ks = lrdecay.Cosine(0.1, 30).to_keras(steps_per_epoch=4)
    assert set(ks.get_config()) == {"schedule", "steps_per_epoch"}  # unreduced: unchanged
    ks.plateau.set(0.25, 0.001)
    config = ks.get_config()
    assert config["plateau_scale"] == 0.25 and config["plateau_min_lr"] == f32(0.001)
    again = lrdecay.KerasSchedule.from_config(config)
    assert again.plateau.values() == ks.plateau.values()
    assert float(again(8)) == pytest.approx(0.25 * lrdecay.Cosine(0.1, 30)(2), rel=1e-6)
    assert "plateau_scale=0.25" in repr(again)


# ---------------------------------------------------------------------------
# Interrupted and resumed: test_resume.py (BackupAndRestore and .keras files, at
# every epoch, in fresh processes); here, a backup written before the plateau's decision
# ---------------------------------------------------------------------------

def test_checkpoint_written_before_the_decision_warns(tmp_path):
    backup = str(tmp_path / "b")

    class Interrupt(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            if epoch == 4:
                raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(0.1, [keras.callbacks.BackupAndRestore(backup), LRPlateau("score", **KW),
                  Interrupt()])
    with pytest.warns(UserWarning, match=r"the plateau state restored is that of the end of "
                                         r"epoch 3 \(1-based\), but training resumes at epoch 5"):
        run(0.1, [keras.callbacks.BackupAndRestore(backup), LRPlateau("score", **KW)])
