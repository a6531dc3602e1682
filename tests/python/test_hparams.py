"""Momentum and other optimizer hyperparameters scheduled with the rate (equal to PyTorch's
``cycle_momentum``; what Keras's update rule *used*, by a NumPy replay of the weights), and
``LRLogger(per="batch")``'s per-update records. On JAX and PyTorch: ``test_backends.py``.
"""

from __future__ import annotations

import glob
import os
import textwrap

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

keras = pytest.importorskip("keras")
torch = pytest.importorskip("torch")

import kit  # noqa: E402
import lrdecay  # noqa: E402
from lrdecay import (  # noqa: E402
    Cyclic,
    CyclicMomentum,
    HParamScheduler,
    LRLogger,
    OneCycle,
    OneCycleMomentum,
)

# ---------------------------------------------------------------------------
# Momentum schedules against PyTorch
# ---------------------------------------------------------------------------


def torch_momenta(make_scheduler, n: int) -> np.ndarray:
    """``param_groups[0]["momentum"]`` of torch's SGD before each of ``n`` steps."""
    param = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([param], lr=0.1, momentum=0.9)
    sched = make_scheduler(opt)
    out = []
    for _ in range(n):
        out.append(opt.param_groups[0]["momentum"])
        opt.step()
        sched.step()
    return np.array(out)


ONE_CYCLE = [
    dict(total_steps=40),
    dict(total_steps=40, anneal="linear"),
    dict(total_steps=40, three_phase=True),
    dict(total_steps=37, pct_start=0.25, anneal="linear", three_phase=True),
    dict(total_steps=100, pct_start=0.5, div_factor=10, final_div_factor=100),
]


@pytest.mark.parametrize("kw", ONE_CYCLE, ids=[str(k) for k in ONE_CYCLE])
@pytest.mark.parametrize("moms", [(0.85, 0.95), (0.8, 0.9), (0.0, 0.99)])
def test_one_cycle_momentum_equals_pytorch(kw, moms):
    sched = OneCycle(0.1, **kw).momentum(*moms)
    n = kw["total_steps"]
    ref = torch_momenta(lambda opt: torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=0.1, total_steps=n, pct_start=kw.get("pct_start", 0.3),
        anneal_strategy=kw.get("anneal", "cos"), div_factor=kw.get("div_factor", 25.0),
        final_div_factor=kw.get("final_div_factor", 1e4),
        three_phase=kw.get("three_phase", False), cycle_momentum=True,
        base_momentum=moms[0], max_momentum=moms[1]), n)
    np.testing.assert_allclose(sched(np.arange(n)), ref, rtol=0, atol=1e-15)
    # The last value holds after the cycle, as the rate's does.
    assert sched(n + 50) == sched(n - 1) == pytest.approx(moms[1])


@pytest.mark.parametrize(("mode", "gamma"), [("triangular", 1.0), ("triangular2", 1.0),
                                             ("exp_range", 0.97)])
@pytest.mark.parametrize("step_size", [3, 5])
def test_cyclic_momentum_equals_pytorch(mode, gamma, step_size):
    sched = Cyclic(0.01, 0.1, step_size, mode=mode, gamma=gamma).momentum(0.8, 0.9)
    ref = torch_momenta(lambda opt: torch.optim.lr_scheduler.CyclicLR(
        opt, 0.01, 0.1, step_size_up=step_size, mode=mode, gamma=gamma, cycle_momentum=True,
        base_momentum=0.8, max_momentum=0.9), 60)
    np.testing.assert_allclose(sched(np.arange(60)), ref, rtol=0, atol=1e-15)


def test_momentum_defaults_and_inverse_to_the_rate():
    rate = OneCycle(0.1, total_steps=100)
    m = rate.momentum()
    assert isinstance(m, OneCycleMomentum)
    assert (m.base_momentum, m.max_momentum) == (0.85, 0.95)
    t = np.arange(100)
    peak = int(np.argmax(rate(t)))
    assert int(np.argmin(m(t))) == peak and m(peak) == 0.85 and m(0) == 0.95
    c = Cyclic(0.001, 0.01, 4).momentum()
    assert isinstance(c, CyclicMomentum) and c(0) == 0.95 and c(4) == 0.85
    assert lrdecay.schedules.cycle_momentum(rate, 0.8, 0.9) == rate.momentum(0.8, 0.9)


# ---------------------------------------------------------------------------
# HParamScheduler (TensorFlow, in this process)
# ---------------------------------------------------------------------------


def fit(model, callbacks, epochs=3, steps=4, **kwargs):
    ones = np.ones((steps, 1), "float32")
    return kit.fit(model, callbacks, epochs, x=ones, y=ones, batch_size=1, shuffle=False,
                   **kwargs)[0]


def read_back(optimizer, names, hparams, epochs=3, steps=4, **kwargs):
    """fit() the one-weight model with ``HParamScheduler(**hparams)``; the model and, per
    update, the weight then the hyperparameters ``names`` read from the optimizer."""
    model = kit.one_weight_model(optimizer)
    probe = kit.hparam_probe(*names)
    fit(model, [HParamScheduler(**hparams), probe], epochs, steps, **kwargs)
    return model, probe.array()


def adam_replay(lr, beta_1) -> list:
    """Keras's Adam with gradient 1, in float32 as Keras computes it (1 - beta_2 is taken
    in float64 for v, beta_2 ** step in float32 for alpha)."""
    f = np.float32
    w = m = v = f(0.0)
    out = []
    for i, b1 in enumerate(map(f, beta_1)):
        b2, step = f(0.999), f(i + 1)
        m = m + (f(1.0) - m) * (f(1.0) - b1)
        v = v + (f(1.0) - v) * f(1.0 - 0.999)
        alpha = f(lr) * np.sqrt(f(1.0) - b2**step) / (f(1.0) - b1**step)
        w = w - alpha * m / (np.sqrt(v) + f(1e-7))
        out.append(w)
    return out


CALLS: list[int] = []


def tabulated(t):
    """A user function of t, recording the size of each call."""
    CALLS.append(np.size(t))
    return 0.9 - 0.01 * np.asarray(t)


def opt(name: str, **kwargs):
    """A maker of Keras's optimizer ``name`` at rate 0.1."""
    return lambda: getattr(keras.optimizers, name)(0.1, **kwargs)


T12 = np.arange(12)
#: The full one-cycle policy, rate in-graph (24 updates) and momentum by HParamScheduler,
#: and PyTorch OneCycleLR's momentum (cycle_momentum) at each update.
ONE = OneCycle(0.1, total_steps=24, three_phase=True)
TORCH_ONE = torch_momenta(lambda opt: torch.optim.lr_scheduler.OneCycleLR(
    opt, max_lr=0.1, total_steps=24, three_phase=True, cycle_momentum=True,
    base_momentum=0.85, max_momentum=0.95), 24)
#: (optimizer, HParamScheduler's arguments, (epochs, steps), the names read back, their
#: values at each update, the weights' replay, rtol of the replay). A schedule per batch or
#: per epoch on SGD also: ``test_backends.py::test_scheduled_momentum_is_used``.
VALUES_USED = [
    pytest.param(lambda: keras.optimizers.SGD(ONE.to_keras(), momentum=0.9),
                 {"momentum": ONE.momentum()}, (4, 6), ["momentum"], [TORCH_ONE],
                 lambda: kit.sgd_replay(ONE(np.arange(24)), TORCH_ONE), 1e-5,
                 id="one_cycle_equals_pytorch"),
    pytest.param(opt("SGD", momentum=0.9), {"momentum": tabulated}, (3, 4), ["momentum"],
                 [0.9 - 0.01 * T12], lambda: kit.sgd_replay([0.1] * 12, 0.9 - 0.01 * T12),
                 1e-5, id="sgd_function_per_batch"),
    pytest.param(opt("Adam"), {"beta_1": lrdecay.Linear(0.5, 0.9, 12)},
                 (3, 4), ["beta_1"], [lrdecay.Linear(0.5, 0.9, 12)(T12)],
                 lambda: adam_replay(0.1, lrdecay.Linear(0.5, 0.9, 12)(T12)), 2e-6,
                 id="adam_beta_1"),
    pytest.param(opt("AdamW", weight_decay=0.004),
                 {"per": "epoch", "weight_decay": lambda epoch: 0.01 * (epoch + 1),
                  "beta_2": lrdecay.Constant(0.99)},
                 (3, 4), ["weight_decay", "beta_2"], [np.repeat([0.01, 0.02, 0.03], 4), 0.99],
                 None, None, id="adamw_weight_decay_per_epoch"),
    # a weight decay SGD was made without
    pytest.param(opt("SGD", momentum=0.5), {"weight_decay": lrdecay.Step(0.01, 0.5, 4)},
                 (3, 4), ["weight_decay"], [lrdecay.Step(0.01, 0.5, 4)(T12)], None, None,
                 id="sgd_weight_decay_unset"),
]


@pytest.mark.parametrize(("optimizer", "hparams", "shape", "names", "values", "replay", "rtol"),
                         VALUES_USED)
def test_values_used(optimizer, hparams, shape, names, values, replay, rtol):
    """The values read back after each update are the schedule's; the weights are a NumPy
    replay of Keras's update rule with them (what was *used*)."""
    CALLS.clear()
    model, got = read_back(optimizer(), names, hparams, *shape)
    if hparams.get("momentum") is tabulated:
        # Called on whole vectors (the table, the host look-ups), never once per update.
        assert len(CALLS) < 12 and max(CALLS) >= 12
    for i, (name, want) in enumerate(zip(names, values), start=1):
        np.testing.assert_allclose(got[:, i], want, rtol=1e-6, err_msg=name)
    if replay is not None:
        np.testing.assert_allclose(got[:, 0], replay(), rtol=rtol)
    # After training: a plain float, the last value used.
    assert type(getattr(model.optimizer, names[0])) is float
    assert getattr(model.optimizer, names[0]) == pytest.approx(got[-1, 1], rel=1e-6)


def broken(t):
    raise RuntimeError("my momentum broke")


SGD9, ADAM = opt("SGD", momentum=0.9), opt("Adam")


def in_0_1(name: str, shown: str, at: str = "update 0") -> str:
    """The words of a value outside [0, 1) at ``at`` ("update 2", "epoch 1")."""
    return (rf"`{name}` must be in \[0, 1\) at every {at.split()[0]} of this fit\(\), "
            rf"not {shown} \({at}")


def negative(name: str, shown: str) -> str:
    """The words of a schedule function's negative (or NaN) value at t = 0."""
    return (rf"`{name}`: The schedule function returned {shown} at t = 0; it must return one "
            "non-negative finite number")


#: (optimizer, HParamScheduler's arguments, exception, message): refused when training
#: begins, checked over every update (or epoch) of the fit(), for each optimizer's ranges.
ERRORS = [
    (SGD9, {"beta_1": lrdecay.Constant(0.5)},
     ValueError, r"`beta_1` is not a hyperparameter of SGD; it has: .*momentum.*weight_decay"),
    (opt("SGD"), {"momentum": lrdecay.Constant(0.5)}, ValueError,
     r"SGD was made with momentum=0, for which Keras keeps no momentum"),
    (SGD9, {"nesterov": lrdecay.Constant(0.5)}, ValueError,
     r"`nesterov` is not a hyperparameter of SGD"),
    # the user's own error, unchanged
    (SGD9, {"per": "epoch", "momentum": broken}, RuntimeError, "my momentum broke"),
    (ADAM, {"beta_1": lrdecay.Constant(1.5)}, ValueError, in_0_1("beta_1", "1.5")),
    (ADAM, {"beta_2": lrdecay.Linear(0.9, 1.3, 8)}, ValueError, in_0_1("beta_2", "1", "update 2")),
    (SGD9, {"per": "epoch", "momentum": lrdecay.Linear(0.5, 1.5, 2)}, ValueError,
     in_0_1("momentum", "1", "epoch 1")),
    (SGD9, {"momentum": lambda t: 0.9 + 0.05 * t}, ValueError, in_0_1("momentum", "1", "update 2")),
    (SGD9, {"momentum": lrdecay.Constant(1.0)}, ValueError, in_0_1("momentum", "1")),
    (SGD9, {"momentum": lambda t: -0.1}, ValueError, negative("momentum", "-0.1")),
    (opt("SGD", weight_decay=0.01), {"weight_decay": lambda t: -1.0}, ValueError,
     negative("weight_decay", "-1")),
    (ADAM, {"epsilon": lambda t: -1e-7}, ValueError, negative("epsilon", "-1e-07")),
    (ADAM, {"beta_1": lambda t: float("nan")}, ValueError, negative("beta_1", "NaN")),
    (opt("AdamW"), {"weight_decay": lambda t: -0.01}, ValueError,
     negative("weight_decay", "-0.01")),
    (opt("AdamW"), {"per": "epoch", "beta_2": lrdecay.Constant(1.2)}, ValueError,
     in_0_1("beta_2", "1.2", "epoch 0")),
    (opt("Nadam"), {"beta_1": lrdecay.Constant(1.0)}, ValueError, in_0_1("beta_1", "1")),
    (opt("Adamax"), {"beta_2": lrdecay.Constant(2.0)}, ValueError, in_0_1("beta_2", "2")),
    (opt("RMSprop", momentum=0.5), {"momentum": lrdecay.Constant(1.0)}, ValueError,
     in_0_1("momentum", "1")),
    (opt("RMSprop"), {"rho": lrdecay.Constant(1.5)}, ValueError, in_0_1("rho", "1.5")),
]


@pytest.mark.parametrize(("optimizer", "hparams", "exc", "message"), ERRORS)
def test_hparam_scheduler_errors_before_training(optimizer, hparams, exc, message):
    """When training begins, before anything changes."""
    model = kit.one_weight_model(optimizer())
    names = [n for n in hparams if n != "per" and hasattr(model.optimizer, n)]
    originals = {name: getattr(model.optimizer, name) for name in names}
    before = kit.model_state(model)
    with pytest.raises(exc, match=message):
        fit(model, [HParamScheduler(**hparams)], epochs=3)
    assert kit.same_state(before, model)
    assert {name: getattr(model.optimizer, name) for name in names} == originals
    assert not any(k in vars(model.optimizer) for k in ("apply", "get_config"))


def test_function_per_batch_needs_known_steps():
    def gen():
        for _ in range(4):
            yield np.ones((1, 1), "float32"), np.ones((1, 1), "float32")

    model = kit.one_weight_model(keras.optimizers.SGD(0.1, momentum=0.9))
    with pytest.raises(ValueError, match=r"tabulates it over the updates of fit\(\), which "
                                         r"needs a known number of steps per epoch"):
        model.fit(gen(), epochs=1, verbose=0, callbacks=[HParamScheduler(momentum=lambda t: 0.9)])
    model.fit(gen(), epochs=1, verbose=0, steps_per_epoch=4,
              callbacks=[HParamScheduler(momentum=lambda t: 0.9 - 0 * np.asarray(t))])


# ---------------------------------------------------------------------------
# LRLogger: per-update records
# ---------------------------------------------------------------------------


def logged_fit(learning_rate, callbacks, epochs=3, **kwargs):
    """kit's model (SGD with momentum 0.9) trained on kit's data in batches of 16: four
    updates per epoch; returns the history and kit's rate probe (listed last)."""
    model = kit.keras_model(learning_rate, momentum=0.9)
    return kit.fit(model, callbacks, epochs, batch_size=16, **kwargs)


@pytest.mark.parametrize("spe", [None, 4])
def test_per_update_records_equal_the_in_graph_schedule(spe, capsys, tmp_path):
    """The records equal the rates Keras applied, the schedule's; with a momentum scheduled
    too (spe None), TensorBoard's per-batch event file holds both at every update."""
    import tensorflow as tf

    rate, momentum = lrdecay.Warmup(lrdecay.Cosine(0.1, 20), 5), lrdecay.Linear(0.95, 0.85, 12)
    logger = LRLogger(per="batch")
    more = [] if spe else [HParamScheduler(momentum=momentum),
                           keras.callbacks.TensorBoard(str(tmp_path), update_freq="batch")]
    _, probe = logged_fit(rate.to_keras(steps_per_epoch=spe), [logger, *more])
    seen = [lr for *_, lr in probe.rows]  # the rate of each update, from Keras
    assert len(logger.records) == 12
    assert [r[:2] for r in logger.records] == [(e, b) for e in range(3) for b in range(4)]
    lrs = np.array([r[2] for r in logger.records])
    np.testing.assert_allclose(lrs, seen, rtol=1e-6)
    t = np.arange(12) / (spe or 1)
    np.testing.assert_allclose(lrs, rate(t), rtol=1e-12)
    table = logger.records_table()
    assert list(table) == ["epoch", "batch", "learning_rate", *(["momentum"] if more else [])]
    assert table["learning_rate"] == lrs.tolist()
    assert "Epoch 01: learning rate = 0\n" in capsys.readouterr().out
    if not more:
        return
    tags: dict[str, dict[int, float]] = {}
    for path in glob.glob(str(tmp_path / "train" / "events.out.tfevents.*")):
        for record in tf.data.TFRecordDataset(path):
            event = tf.compat.v1.Event.FromString(record.numpy())
            for value in event.summary.value:
                if value.tag.startswith("batch_"):  # not the model's config, epoch summaries
                    tags.setdefault(value.tag, {})[event.step] = float(
                        tf.make_ndarray(value.tensor))
    for tag, want in {"batch_learning_rate": rate(t), "batch_momentum": momentum(t)}.items():
        assert sorted(tags[tag]) == list(range(1, 13)), tag  # TensorBoard counts from 1
        np.testing.assert_allclose([tags[tag][s] for s in range(1, 13)], want, rtol=1e-6)


def test_per_update_records_with_steps_per_execution_and_hyperparameters():
    rate = OneCycle(0.1, total_steps=24)
    model = kit.keras_model(rate.to_keras(), momentum=0.9)
    model.compile(model.optimizer, loss="mse", steps_per_execution=3)
    logger = LRLogger(verbose=0, per="batch")
    batch_logs = []

    logs = keras.callbacks.LambdaCallback(
        on_train_batch_end=lambda batch, logs: batch_logs.append(dict(logs)))
    kit.fit(model, [HParamScheduler(momentum=rate.momentum()), logger, logs], 4,
            x=kit.X[:48], y=kit.Y[:48], batch_size=8)
    assert len(logger.records) == 24  # every update, though callbacks ran every 3rd
    table = logger.records_table()
    np.testing.assert_allclose(table["learning_rate"], rate(np.arange(24)), rtol=1e-12)
    np.testing.assert_allclose(table["momentum"], rate.momentum()(np.arange(24)), rtol=1e-6)
    assert len(batch_logs) == 8
    assert batch_logs[0]["learning_rate"] == pytest.approx(rate(2))
    assert batch_logs[0]["momentum"] == pytest.approx(rate.momentum()(2), rel=1e-6)


def test_per_update_records_of_a_rate_changed_per_batch_and_batch_logs_off():
    """The records follow a rate changed per batch; ``batch_logs=False`` keeps the values
    out of the batch logs that a callback after the logger reads."""
    seen = []
    logger = LRLogger(verbose=0, per="batch", batch_logs=False)
    custom = lrdecay.LRCustom(on_batch_begin=lambda batch, lr, logs: 0.01 * (batch + 1))
    reader = keras.callbacks.LambdaCallback(
        on_train_batch_end=lambda batch, logs: seen.append("learning_rate" in logs))
    history, _ = logged_fit(0.1, [custom, logger, reader], epochs=2)
    lrs = [r[2] for r in logger.records]
    np.testing.assert_allclose(lrs, [0.01, 0.02, 0.03, 0.04] * 2, rtol=1e-6)
    assert history.history["learning_rate"] == pytest.approx([0.01, 0.01], rel=1e-6)
    assert seen == [False] * 8
    on = LRLogger(verbose=0, per="batch", batch_logs=True)
    assert "on_train_batch_end" in vars(on)  # Keras sees the hook when fit() begins
    assert repr(on) == "LRLogger(verbose=0, per='batch', batch_logs=True)"


def test_per_epoch_records_and_significant_digits(capsys):
    logger = LRLogger()
    logged_fit(3e-6, [logger], epochs=2)
    assert capsys.readouterr().out == ("Epoch 01: learning rate = 3e-06\n"
                                       "Epoch 02: learning rate = 3e-06\n")
    assert [r[:2] for r in logger.records] == [(0, 0), (1, 0)]
    assert logger.records[0][2] == pytest.approx(3e-6, rel=1e-6)
    assert repr(logger) == "LRLogger(verbose=1, per='epoch')"


def test_docs_example_runs():
    """The module docstring's composition: one-cycle rate in-graph, momentum scheduled."""
    text = textwrap.dedent(lrdecay.hparams.__doc__)
    assert "HParamScheduler(momentum=rate.momentum())" in text


class StepSeen(keras.callbacks.Callback):
    """The training step each fit() ran (Keras's compiled function object)."""

    def __init__(self) -> None:
        super().__init__()
        self.steps: list[object] = []

    def on_train_begin(self, logs=None):
        self.steps.append(None)

    def on_epoch_end(self, epoch, logs=None):
        self.steps[-1] = self.model.train_function


def test_a_second_fit_reuses_the_compiled_step_until_something_changes():
    """The step is reused, and t goes on across fit() calls. Mid-fit the optimizer's config
    holds floats, and nothing is added to it; after a fit() its momentum is the float last
    used, which a fit() without the scheduler keeps using (or the float the user sets), its
    velocity carried on."""
    sched = lrdecay.Linear(0.5, 0.9, 11)
    model = kit.one_weight_model(keras.optimizers.SGD(0.1, momentum=0.9))
    mid = {}

    def peek(batch, logs):
        opt = model.optimizer
        mid.update(type=type(opt.momentum).__name__, config=opt.get_config()["momentum"],
                   variables=len(opt.variables))

    cb, seen, probe = HParamScheduler(momentum=sched), StepSeen(), kit.hparam_probe("momentum")
    fit(model, [cb, seen, probe, keras.callbacks.LambdaCallback(on_train_batch_end=peek)],
        epochs=1)
    assert mid["type"] == "ScheduledHyperparameter"
    assert isinstance(mid["config"], float) and mid["config"] == pytest.approx(sched(3))
    assert mid["variables"] == 3  # iteration, learning rate, one momentum slot: nothing added
    assert "apply" not in vars(model.optimizer) and "get_config" not in vars(model.optimizer)
    fit(model, [cb, seen, probe], epochs=1)  # the same callback, optimizer, schedule
    assert seen.steps[1] is seen.steps[0]
    assert type(model.optimizer.momentum) is float
    assert model.optimizer.momentum == pytest.approx(sched(7), rel=1e-6)
    model.optimizer.momentum = 0.6  # set by hand after it: a plain fit() uses that float
    fit(model, [seen, probe], epochs=1)  # without it: a new step, with the float
    assert seen.steps[2] is not seen.steps[1]
    fit(model, [cb, seen, probe], epochs=1)  # the plain fit changed nothing it depends on
    assert seen.steps[3] is seen.steps[0]
    model.compile(model.optimizer, loss=kit.mean_prediction)  # a new step: built anew
    fit(model, [cb, seen, probe], epochs=1)
    assert seen.steps[4] is not seen.steps[0]
    t = np.concatenate([np.arange(8), np.full(4, 7), np.arange(12, 20)])
    momenta = np.where(np.arange(20) // 4 == 2, 0.6, sched(t))
    np.testing.assert_allclose(probe.array()[:, 1], momenta, rtol=1e-6)
    np.testing.assert_allclose(probe.array()[:, 0], kit.sgd_replay([0.1] * 20, momenta), rtol=1e-5)


def test_the_values_of_fits_of_any_length_are_the_ones_applied(monkeypatch):
    """On TensorFlow a step looks up its fit()'s values, computed when it begins: a second
    fit() of the same length fills them again and keeps its step, one of another length
    builds a step of its own, and a fit() of unknown length (or one longer than the most
    it looks up) computes the schedule in the step. Every update uses the schedule's value
    at its own t (the weights, replayed)."""
    if keras.backend.backend() != "tensorflow":  # the other backends compute the formula
        pytest.skip("a TensorFlow step")
    import tensorflow as tf
    sched = lrdecay.Linear(0.5, 0.9, 40)
    model = kit.one_weight_model(keras.optimizers.SGD(0.1, momentum=0.9))
    cb, seen, probe = HParamScheduler(momentum=sched), StepSeen(), kit.hparam_probe("momentum")
    fit(model, [cb, seen, probe], epochs=1)  # updates 0-3
    fit(model, [cb, seen, probe], epochs=1)  # 4-7: the same length, the step kept
    assert seen.steps[1] is seen.steps[0]
    fit(model, [cb, seen, probe], epochs=2)  # 8-15: another length, a step of its own
    assert seen.steps[2] is not seen.steps[1]
    with monkeypatch.context() as patch:
        patch.setattr(lrdecay.hparams, "_LOOKUP_MAX", 3)
        fit(model, [cb, seen, probe], epochs=1)  # 16-19: longer than it looks up
    assert seen.steps[3] is not seen.steps[2]
    ones = np.ones((4, 1), "float32")
    unknown = tf.data.Dataset.from_tensor_slices((ones, ones)).batch(1).filter(
        lambda x, y: True)  # no known number of steps
    model.fit(unknown, epochs=1, verbose=0, callbacks=[cb, seen, probe])  # 20-23
    momenta = sched(np.arange(24))
    np.testing.assert_allclose(probe.array()[:, 1], momenta, rtol=1e-6)
    np.testing.assert_allclose(probe.array()[:, 0], kit.sgd_replay([0.1] * 24, momenta),
                               rtol=1e-5)


def test_a_changed_setting_or_a_function_builds_the_step_anew():
    model = kit.one_weight_model(keras.optimizers.SGD(0.1, momentum=0.9))
    cb, seen = HParamScheduler(momentum=lrdecay.Constant(0.8)), StepSeen()
    fit(model, [cb, seen], epochs=1)
    model.optimizer.nesterov = True  # compiled into the step: a new one
    fit(model, [cb, seen], epochs=1)
    assert seen.steps[1] is not seen.steps[0]
    fn = HParamScheduler(momentum=lambda t: 0.9 - 0.01 * np.asarray(t))  # a table per fit()
    probe = kit.hparam_probe("momentum")
    fit(model, [fn, seen], epochs=1)
    fit(model, [fn, seen, probe], epochs=1)
    assert seen.steps[3] is not seen.steps[2]
    np.testing.assert_allclose(probe.array()[:, 1], 0.9 - 0.01 * np.arange(12, 16), rtol=1e-6)


def test_per_update_records_computed_when_each_epoch_ends_equal_the_per_batch_readings():
    """Without a reader of batch logs the logger runs no code per batch; its records
    equal those read batch by batch (a reader after it), for a constant rate set per
    epoch, reduced by LRPlateau (after epoch 1: 0.025 -> 0.0125), and a scheduled momentum."""
    from keras.src.utils.python_utils import is_default

    def run(reader):
        logger = LRLogger(verbose=0, per="batch")
        hooks = []

        hook = keras.callbacks.LambdaCallback(
            on_epoch_end=lambda epoch, logs: hooks.append(is_default(logger.on_train_batch_end)))
        cbs = [lrdecay.LRScheduler(lrdecay.Step(0.1, 0.5, 1)),
               lrdecay.LRPlateau(monitor="loss", factor=0.5, patience=0, min_delta=10.0),
               HParamScheduler(momentum=lrdecay.Linear(0.95, 0.85, 12)), logger, hook]
        # model.fit, not kit.fit: kit's rate probe has a batch hook
        kit.keras_model(0.1, momentum=0.9).fit(kit.X, kit.Y, batch_size=16, epochs=3, verbose=0,
                                               callbacks=cbs + ([reader] if reader else []))
        return logger, hooks

    batch_logs = []

    quiet, hooks = run(None)
    assert hooks == [True] * 3  # no batch hook in that fit()
    read, hooks = run(keras.callbacks.LambdaCallback(
        on_train_batch_end=lambda batch, logs: batch_logs.append(logs["learning_rate"])))
    assert hooks == [False] * 3
    assert quiet.records == read.records and quiet.records_table() == read.records_table()
    lrs = [r[2] for r in quiet.records]
    np.testing.assert_allclose(lrs, np.repeat([0.1, 0.05, 0.0125], 4), rtol=1e-6)
    assert batch_logs == pytest.approx(lrs, rel=1e-6)
