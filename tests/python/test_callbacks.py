"""Callbacks and get/set_learning_rate: the learning rate ACTUALLY applied, read by kit's
rate probe at every update (two per epoch), and the history Keras returns.
"""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import math  # noqa: E402
import re  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402

keras = pytest.importorskip("keras")

import lrdecay  # noqa: E402
from kit import X, Y, at_rate, f32, fit, keras_model, rate_probe  # noqa: E402
from lrdecay import (  # noqa: E402
    LRCustom,
    LRLogger,
    LRScheduler,
    get_learning_rate,
    set_learning_rate,
)

pytestmark = pytest.mark.keras


@pytest.fixture(scope="module")
def model_at():
    """``model_at(rate)``: the module's one model, at ``rate`` and step 0 (``kit.at_rate``)."""
    model = keras_model(0.1)
    return lambda rate: at_rate(model, rate)

# ---------------------------------------------------------------------------
# LRScheduler
# ---------------------------------------------------------------------------


def test_lambda_and_varargs_arity_detection():
    assert LRScheduler(lambda epoch: 0.1).arity == 1
    assert LRScheduler(lambda epoch, lr: lr).arity == 2
    assert LRScheduler(lambda epoch, lr=None: 0.1).arity == 2
    assert LRScheduler(lambda *args: 0.1).arity == 2
    assert LRScheduler(lrdecay.Step(0.1)).arity == 1
    assert LRScheduler(keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.9)).arity == 1


class Unreadable:
    """A callable whose signature cannot be read (like an R function via reticulate)."""

    __signature__ = "unreadable"

    def __call__(self, *args):
        return 0.02 if len(args) == 1 else args[1] * 0.5


def recorded(fn, calls):
    """``fn``, appending the arguments of each call to ``calls``."""
    return lambda *args: (calls.append(args), fn(*args))[1]


def returning(value):
    return lambda epoch: value


HALF = f32(0.1) / 2  # halving a float32 is exact
LOSS_SCALE = lambda: keras.optimizers.LossScaleOptimizer(  # noqa: E731
    keras.optimizers.SGD(learning_rate=0.1))
def step_decay(epoch):
    return 0.01 * 0.5 ** math.floor(epoch / 2)


#: (the model's optimizer or rate, LRScheduler's arguments but the function, the function
#: (recorded), epochs or (initial_epoch, epochs), the rate of each epoch trained, the
#: arguments of each call or None)
RATES = [
    pytest.param(0.5, {}, lrdecay.Step(0.01, drop=0.5, every=2), 5,
                 [step_decay(e) for e in range(5)], None, id="step_schedule"),
    pytest.param(0.5, {}, step_decay, 4, [step_decay(e) for e in range(4)],
                 [(e,) for e in range(4)], id="function"),
    pytest.param(0.5, {}, step_decay, (3, 6), [step_decay(e) for e in range(3, 6)],
                 [(e,) for e in range(3, 6)], id="function_resumed_at_initial_epoch"),
    pytest.param(0.1, {}, lambda epoch, lr: lr if epoch == 0 else lr * 0.5, 4,
                 [f32(0.1), HALF, HALF / 2, HALF / 4],
                 [(0, f32(0.1)), (1, f32(0.1)), (2, HALF), (3, HALF / 2)],
                 id="two_arguments_get_the_current_rate"),
    pytest.param(0.1, {"arity": 1}, Unreadable(), 2, [f32(0.02)] * 2, [(0,), (1,)],
                 id="explicit_arity_1"),
    pytest.param(0.1, {"arity": 2.0}, Unreadable(), 2, [f32(0.05), f32(0.025)],  # R's 2
                 [(0, f32(0.1)), (1, f32(0.05))], id="explicit_arity_2"),
    # An explicit arity wins over the signature.
    pytest.param(0.1, {"arity": 1}, lambda *a: 0.03, 1, [f32(0.03)], None,
                 id="explicit_arity_wins"),
    pytest.param(LOSS_SCALE, {}, lrdecay.Step(0.01, drop=0.5, every=1), 2,
                 [f32(0.01), f32(0.005)], None, id="loss_scale_optimizer"),
    # the forms a function (or R) may return
    *[pytest.param(0.1, {}, returning(good), 1, [f32(0.05)], None, id=repr(good)) for good in (
        0.05, np.float32(0.05), np.float64(0.05), [0.05], (0.05,), np.array(0.05),
        np.array([0.05]), [np.float64(0.05)])],
    pytest.param(0.1, {}, returning(1), 1, [1.0], None, id="integer"),  # R's 1L
    pytest.param(0.1, {}, returning(0), 1, [0.0], None, id="zero"),
    pytest.param(0.1, {}, lambda epoch, lr: keras.ops.convert_to_tensor(0.25), 1, [0.25], None,
                 id="tensor"),
]


@pytest.mark.parametrize(("rate", "kwargs", "fn", "epochs", "want", "calls"), RATES)
def test_the_function_sets_the_rate(model_at, capsys, rate, kwargs, fn, epochs, want, calls):
    seen = []
    if not isinstance(fn, lrdecay.Schedule):  # recorded, with the arity of fn
        fn, kwargs = recorded(fn, seen), {"arity": kwargs.get("arity") or LRScheduler(fn).arity}
    model = keras_model(optimizer=rate()) if callable(rate) else model_at(rate)
    first, epochs = epochs if isinstance(epochs, tuple) else (0, epochs)
    history, probe = fit(model, [LRScheduler(fn, **kwargs)], epochs=epochs, initial_epoch=first)
    assert sorted(probe.per_epoch()) == list(range(first, epochs))
    assert probe.epoch_lrs() == history.history["learning_rate"] == [f32(w) for w in want]
    assert get_learning_rate(model) == f32(want[-1])
    assert capsys.readouterr().out == ""  # verbose = 0 by default
    if calls is not None:
        assert seen == calls
        assert all(type(c[1]) is float for c in seen if len(c) == 2)


def test_verbose_prints_keras_message(model_at, capsys):
    fit(model_at(0.1), [LRScheduler(lrdecay.Step(0.01, drop=0.5, every=1), verbose=1)], epochs=2)
    out = capsys.readouterr().out
    assert out == ("\nEpoch 1: LearningRateScheduler setting learning rate to 0.01.\n"
                   "\nEpoch 2: LearningRateScheduler setting learning rate to 0.005.\n")
    fit(model_at(0.1), [keras.callbacks.LearningRateScheduler(lrdecay.Step(0.01, 0.5, 1),
                                                              verbose=1)], epochs=2)
    assert capsys.readouterr().out == out  # Keras's own words


BAD_VALUES = [
    (float("nan"), "NaN", ValueError),
    (float("inf"), "Inf", ValueError),
    (-1, "-1", ValueError),
    ("a", '"a"', TypeError),
    (None, "None", TypeError),
    ([0.1, 0.2], "[0.1, 0.2]", TypeError),
    (True, "True", TypeError),
    (np.array([0.1, 0.2]), "[0.1, 0.2]", TypeError),
    (np.float64("nan"), "NaN", ValueError),
    (-np.inf, "-Inf", ValueError),
    ([], "[]", TypeError),
]


#: Where a bad value is returned: (the callback returning ``bad`` at index 1, 0.02 before,
#: the start of the message)
RETURNED_BY = {
    "schedule": (lambda bad: LRScheduler(lambda epoch: bad if epoch == 1 else 0.02),
                 "The schedule returned {} at epoch 1 (0-based)"),
    "on_epoch_begin": (lambda bad: LRCustom(on_epoch_begin=lambda i, lr, logs: bad if i == 1
                                            else 0.02),
                       "The `on_epoch_begin` function returned {} at epoch 1 (0-based)"),
    "on_batch_begin": (lambda bad: LRCustom(on_batch_begin=lambda i, lr, logs: bad if i == 1
                                            else 0.02),
                       "The `on_batch_begin` function returned {} at batch 1 of epoch 0 "
                       "(both 0-based)"),
}
#: LRCustom's hooks may return None: keep the rate
CUSTOM_BAD = [b for b in BAD_VALUES[:7] if b[0] is not None]


@pytest.mark.parametrize(("where", "bad", "shown", "exc"), [
    pytest.param(where, *b, id=f"{where}-{b[1]}-{type(b[0]).__name__}")
    for where in RETURNED_BY for b in (BAD_VALUES if where == "schedule" else CUSTOM_BAD)])
def test_a_bad_value_stops_training_and_keeps_the_rate(model_at, where, bad, shown, exc):
    make, start = RETURNED_BY[where]
    model = model_at(0.5)
    probe = rate_probe()
    message = start.format(shown) + "; it must return one non-negative finite number."
    with pytest.raises(exc, match="^" + re.escape(message) + "$"):
        model.fit(X, Y, batch_size=32, epochs=5, verbose=0, callbacks=[make(bad), probe])
    assert probe.rows[-1][3] == f32(0.02)  # exactly the rate of the last update
    assert get_learning_rate(model) == f32(0.02)
    if where == "schedule":
        assert sorted(probe.per_epoch()) == [0]  # epoch 1 never trained


class UserError(Exception):
    """An exception class of the user's own."""


def fails_at(index, exc, then=0.03):
    """A user function of (index, ...) that raises ``exc`` at ``index``, else returns ``then``."""
    def fn(i, *rest):
        if i >= index:
            raise exc
        return then
    return fn


EPOCH_NOTE = "(raised by the schedule at epoch 1 (0-based))"
BATCH_NOTE = "(raised by the `on_batch_begin` function at batch 1 of epoch 0 (both 0-based))"


@pytest.mark.parametrize(("callback", "exc", "notes", "rate"), [
    pytest.param(lambda: LRScheduler(fails_at(1, UserError("no rate")), arity=1), UserError,
                 [EPOCH_NOTE], 0.03, id="scheduler_arity_1"),
    pytest.param(lambda: LRScheduler(fails_at(1, UserError("no rate")), arity=2), UserError,
                 [EPOCH_NOTE], 0.03, id="scheduler_arity_2"),
    pytest.param(lambda: LRScheduler(lrdecay.FromFunction(fails_at(2, KeyError("no rate"),
                                                                   0.01))),
                 KeyError, ["(raised by the schedule function at t = 2)",
                            "(raised by the schedule at epoch 2 (0-based))"], 0.01,
                 id="from_function"),
    pytest.param(lambda: LRCustom(on_batch_begin=fails_at(1, UserError("no rate"), None)),
                 UserError, [BATCH_NOTE], 0.5, id="custom_batch_hook"),
    pytest.param(lambda: LRCustom(on_epoch_begin=lambda e, lr, logs: 1 / 0), ZeroDivisionError,
                 None, 0.5, id="custom_epoch_hook"),
])
def test_a_users_error_propagates_unchanged_and_keeps_the_rate(model_at, callback, exc, notes,
                                                               rate):
    """The user's own exception reaches fit()'s caller as raised: same class, same
    message (lrdecay only adds a note naming where); the rate stays as it was."""
    model = model_at(0.5)
    with pytest.raises(Exception) as err:
        fit(model, [callback()], epochs=4)
    assert type(err.value) is exc
    assert err.value.args == (("division by zero",) if exc is ZeroDivisionError else ("no rate",))
    if notes is not None:
        assert err.value.__notes__ == notes
    assert get_learning_rate(model) == f32(rate)


@pytest.mark.parametrize(("in_graph", "name"), [
    (lambda: lrdecay.Exponential(0.1, 1000, 0.96).to_keras(), "KerasSchedule"),
    (lambda: keras.optimizers.schedules.ExponentialDecay(0.1, 1000, 0.96), "ExponentialDecay"),
], ids=["lrdecay", "keras"])
def test_in_graph_optimizer_refused(in_graph, name):
    """Before any epoch, naming the schedule's class."""
    model = keras_model(in_graph())
    called = []
    with pytest.raises(TypeError, match=r"^LRScheduler: cannot set the learning rate: the "
                                        r"optimizer's `learning_rate` is an in-graph schedule "
                                        rf"\({name}\).* e\.g\. keras\.optimizers\.SGD\("
                                        r"learning_rate=0\.1\), "
                                        r"and drive it with LRScheduler or set_learning_rate\(\);"):
        fit(model, [LRScheduler(lambda epoch: called.append(epoch) or 0.1)], epochs=2)
    assert called == []
    assert int(keras.ops.convert_to_numpy(model.optimizer.iterations)) == 0


def test_loss_scale_optimizer_around_an_in_graph_schedule_is_refused_alike():
    """set_learning_rate() and lr_find() look through the wrapper the same way."""
    inner = keras.optimizers.SGD(learning_rate=lrdecay.Step(0.1).to_keras())
    model = keras_model(optimizer=keras.optimizers.LossScaleOptimizer(inner))
    with pytest.raises(TypeError, match=r"in-graph schedule \(KerasSchedule\)"):
        set_learning_rate(model, 0.1)
    from lrdecay.lr_range_test import model_problem

    kind, message = model_problem(model)
    assert kind == "ValueError" and "in-graph schedule (KerasSchedule)" in message


# ---------------------------------------------------------------------------
# LRLogger
# ---------------------------------------------------------------------------


def logged(*rates: str, first: int = 1) -> str:
    """LRLogger's lines for epochs ``first``, ``first + 1``, ... (1-based) at ``rates``."""
    return "".join(f"Epoch {first + i:02d}: learning rate = {r}\n" for i, r in enumerate(rates))


STEP = lrdecay.Step(0.08, drop=0.5, every=1)
# Two updates per epoch, and in-graph a drop every two updates: epoch e runs at 0.1 * 0.5^e.
# (learning rate, callbacks, fit()'s arguments, the lines printed, the rates, rel)
LOGGER_CASES = [
    pytest.param(lambda: 0.1, lambda: [LRLogger()], {}, logged("0.1", "0.1", "0.1"),
                 [f32(0.1)] * 3, 0, id="constant"),
    pytest.param(lambda: 0.1, lambda: [LRLogger(verbose=0)], {"epochs": 2}, "", [f32(0.1)] * 2,
                 0, id="quiet"),
    pytest.param(lambda: 0.1, lambda: [LRLogger()], {"epochs": 4, "initial_epoch": 2},
                 logged("0.1", "0.1", first=3), [f32(0.1)] * 2, 0, id="initial_epoch"),
    pytest.param(lambda: lrdecay.Exponential(0.1, 2, 0.5, staircase=True).to_keras(),
                 lambda: [LRLogger()], {}, logged("0.1", "0.05", "0.025"), [0.1, 0.05, 0.025],
                 1e-6, id="in_graph_lrdecay"),
    pytest.param(lambda: keras.optimizers.schedules.ExponentialDecay(0.1, 2, 0.5, staircase=True),
                 lambda: [LRLogger()], {}, logged("0.1", "0.05", "0.025"), [0.1, 0.05, 0.025],
                 1e-6, id="in_graph_keras"),
    pytest.param(lambda: 0.5, lambda: [LRLogger(), LRScheduler(STEP)], {},
                 logged("0.08", "0.04", "0.02"), [f32(0.08), f32(0.04), f32(0.02)], 0,
                 id="logger_before_scheduler"),
    pytest.param(lambda: 0.5, lambda: [LRScheduler(STEP), LRLogger()], {},
                 logged("0.08", "0.04", "0.02"), [f32(0.08), f32(0.04), f32(0.02)], 0,
                 id="scheduler_before_logger"),
    # in-graph, decaying within the epoch: the rate of the epoch's first update
    pytest.param(lambda: lrdecay.Linear(0.1, 0.0, steps=10).to_keras(),
                 lambda: [LRLogger(verbose=0)], {}, "", [0.1, 0.08, 0.06], 1e-6,
                 id="in_graph_within_epoch_decay"),
]


@pytest.mark.parametrize(("rate", "callbacks", "fit_args", "printed", "want", "rel"),
                         LOGGER_CASES)
def test_logger_prints_and_records_the_rate(model_at, capsys, rate, callbacks, fit_args, printed,
                                            want, rel):
    model = model_at(rate()) if isinstance(rate(), float) else keras_model(rate())
    history, probe = fit(model, callbacks(), **{"epochs": 3, **fit_args})
    assert capsys.readouterr().out == printed
    assert history.history["learning_rate"] == pytest.approx(want, rel=rel, abs=0)
    assert history.history["learning_rate"] == [v[0] for _, v in sorted(probe.per_epoch().items())]
    assert all(type(v) is float for v in history.history["learning_rate"])


def test_logger_does_not_clobber_a_logged_rate():
    logger = LRLogger(verbose=0)
    logger.set_model(keras_model(0.1))
    logs = {"learning_rate": 0.123}
    logger.on_epoch_begin(0)
    logger.on_epoch_end(0, logs)
    assert logs == {"learning_rate": 0.123}
    logs = {"loss": 1.0}
    logger.on_epoch_begin(1)
    logger.on_epoch_end(1, logs)
    assert logs == {"loss": 1.0, "learning_rate": f32(0.1)}


# ---------------------------------------------------------------------------
# LRCustom
# ---------------------------------------------------------------------------


def test_custom_batch_hook_returning_the_stored_rate_skips_the_assignment(model_at, monkeypatch):
    # A per-batch step schedule returns the same rate for most batches; values equal to
    # the stored float32 (0.1 and float32(0.1) as a float64) need no assignment, a new one does.
    import lrdecay.callbacks as cbmod

    writes = []
    real = cbmod.write_lr
    monkeypatch.setattr(cbmod, "write_lr",
                        lambda opt, v, *rest: (writes.append(v), real(opt, v, *rest)))

    calls = []

    def hook(batch, lr, logs):
        calls.append(batch)
        return [0.1, f32(0.1), 0.05, 0.05][len(calls) - 1]

    _, probe = fit(model_at(0.1), [LRCustom(on_batch_begin=hook)], epochs=2)
    assert [b[3] for b in probe.rows] == [f32(0.1), f32(0.1), f32(0.05), f32(0.05)]
    assert writes == [0.05]  # only the third call changed the stored rate


def cosine(epoch, lr, logs):
    """The Keras 2 tutorials' "custom callback for cosine decay", done with LRCustom."""
    return 0.01 * 0.5 * (1 + math.cos(math.pi * epoch / 4))


#: (learning rate, the hooks, epochs, the rate of each update, the indices each hook got)
CUSTOM = [
    pytest.param(0.1, {"on_epoch_begin": lambda e, lr, logs: None if e == 0 else lr * 0.5}, 3,
                 [f32(0.1)] * 2 + [HALF] * 2 + [HALF / 2] * 2, {"on_epoch_begin": [0, 1, 2]},
                 id="epoch_hook"),
    pytest.param(0.5, {"on_batch_begin": lambda b, lr, logs: 0.1 / (1 + b)}, 2,
                 [f32(0.1), f32(0.05)] * 2, {"on_batch_begin": [0, 1, 0, 1]}, id="batch_hook"),
    pytest.param(0.1, {"on_epoch_begin": cosine, "on_batch_begin": lambda b, lr, logs: None}, 3,
                 [f32(lrdecay.Cosine(0.01, decay_steps=4)(e)) for e in (0, 0, 1, 1, 2, 2)],
                 {"on_epoch_begin": [0, 1, 2], "on_batch_begin": [0, 1] * 3},
                 id="both_hooks_cosine"),
]


@pytest.mark.parametrize(("rate", "hooks", "epochs", "want", "indices"), CUSTOM)
def test_custom_hooks_set_the_rate(model_at, rate, hooks, epochs, want, indices):
    calls = {name: [] for name in hooks}

    def recorded(name):
        def hook(i, lr, logs):
            calls[name].append((i, type(lr), type(logs)))
            return hooks[name](i, lr, logs)
        return hook

    history, probe = fit(model_at(rate), [LRCustom(**{n: recorded(n) for n in hooks})],
                         epochs=epochs)
    assert {n: [c[0] for c in calls[n]] for n in hooks} == indices
    assert all(c[1:] == (float, dict) for n in hooks for c in calls[n])
    assert [r[3] for r in probe.rows] == want
    assert history.history["learning_rate"] == want[::2]  # the rate of each epoch's start


def test_in_graph_observed_and_read_never_set():
    """LRCustom observes an in-graph schedule and get_learning_rate() reads it at the
    optimizer's step; LRCustom setting a value and set_learning_rate() are refused clearly."""
    sched = lrdecay.Exponential(0.1, 2, 0.5, staircase=True)
    model = keras_model(sched.to_keras())
    seen = []
    history, _ = fit(model, [LRCustom(lambda e, lr, logs: seen.append(lr))], epochs=2)
    assert seen == pytest.approx([0.1, 0.05], rel=1e-6)
    assert history.history["learning_rate"] == pytest.approx([0.1, 0.05], rel=1e-6)
    assert get_learning_rate(model) == pytest.approx(sched(4), rel=1e-6)  # 4 updates made
    with pytest.raises(TypeError, match=r"^LRCustom: cannot set the learning rate"):
        fit(model, [LRCustom(lambda e, lr, logs: 0.1)], epochs=2)
    with pytest.raises(TypeError, match=r"^set_learning_rate\(\): cannot set the learning "
                                        r"rate: the optimizer's `learning_rate` is an in-graph "
                                        r"schedule \(KerasSchedule\).*compile with a number"):
        set_learning_rate(model, 0.01)
    assert get_learning_rate(model) == pytest.approx(sched(4), rel=1e-6)


# ---------------------------------------------------------------------------
# get_learning_rate / set_learning_rate
# ---------------------------------------------------------------------------


def test_get_and_set(model_at):
    model = model_at(0.1)
    assert get_learning_rate(model) == f32(0.1)
    assert set_learning_rate(model, 0.05) == f32(0.05)
    assert get_learning_rate(model) == f32(0.05)
    assert get_learning_rate(model.optimizer) == f32(0.05)
    for value in (1, [0.02], np.array([0.02]), np.float32(0.02), np.array(0.02), 0):
        set_learning_rate(model, value)
        assert get_learning_rate(model) == f32(float(np.ravel(value)[0]))
    # The rate set is the rate the next fit uses.
    set_learning_rate(model, 0.07)
    _, probe = fit(model, [], epochs=1)
    assert probe.epoch_lrs() == [f32(0.07)]


@pytest.mark.parametrize(("bad", "shown", "exc"), BAD_VALUES, ids=[b[1] for b in BAD_VALUES])
def test_set_bad_values(model_at, bad, shown, exc):
    model = model_at(0.1)
    with pytest.raises(exc, match=r"^`value` must be a non-negative finite number"
                                  r"( \(one value\))?, not " + re.escape(shown) + r"\.$"):
        set_learning_rate(model, bad)
    assert get_learning_rate(model) == f32(0.1)


# ---------------------------------------------------------------------------
# Bad arguments: the error names the argument, what it must be and what it got
# ---------------------------------------------------------------------------


def bare_model() -> keras.Model:
    """kit's layers, not compiled: no optimizer."""
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])


def begin_training(callback):
    """``callback`` on an uncompiled model, as fit() starts it."""
    callback.set_model(bare_model())
    callback.on_train_begin()


VERBOSE = r"^`verbose` must be 0 or 1, not {}\.$"
ERRORS = [
    *[pytest.param(lambda a=a: LRScheduler(lambda epoch: 0.1, arity=a), ValueError,
                   r"`arity` must be 1, 2 or None", id=f"arity={a!r}")
      for a in (0, 3, "2", True, 1.5)],
    pytest.param(lambda: LRScheduler(lrdecay.Step(0.1), arity=2), ValueError,
                 r"`arity` must be 1 \(or None\) for an lrdecay schedule", id="arity_of_schedule"),
    pytest.param(lambda: LRScheduler(Unreadable()), TypeError,
                 r"pass arity=1 for schedule\(epoch\) or arity=2", id="unreadable_signature"),
    pytest.param(lambda: LRScheduler(0.1), TypeError,
                 r"`schedule` must be an lrdecay schedule or a function of \(epoch\) or "
                 r"\(epoch, lr\), not 0.1\.", id="schedule_number"),
    pytest.param(lambda: LRScheduler(lambda a, b, c: 0.1), TypeError,
                 r"not a function of \(a, b, c\)", id="schedule_of_three"),
    pytest.param(lambda: LRScheduler(lambda: 0.1), TypeError, r"not a function of \(\)",
                 id="schedule_of_none"),
    pytest.param(lambda: LRScheduler(lrdecay.Step(0.1), verbose="yes"), TypeError,
                 VERBOSE.format('"yes"'), id="verbose_string"),
    *[pytest.param(lambda b=b, cls=cls: cls(lrdecay.Step(0.1), verbose=b) if cls is LRScheduler
                   else cls(verbose=b), ValueError, VERBOSE.format(b),
                   id=f"{cls.__name__}_verbose={b}")
      for cls in (LRScheduler, LRLogger) for b in (2, -1, 0.5)],
    pytest.param(lambda: begin_training(LRScheduler(lambda epoch: 0.1)), ValueError,
                 r"^LRScheduler: the model has no optimizer", id="uncompiled"),
    pytest.param(lambda: LRCustom(), TypeError,
                 r"Give `on_epoch_begin`, `on_batch_begin` or both", id="custom_no_hook"),
    pytest.param(lambda: LRCustom(on_batch_begin=0.1), TypeError,
                 r"`on_batch_begin` must be a function of \(index, lr, logs\) or None, "
                 r"not 0.1\.", id="custom_number"),
    pytest.param(lambda: LRCustom(on_epoch_begin=lambda epoch: 0.1), TypeError,
                 r"^`on_epoch_begin` must be a function of \(epoch, lr, logs\), not a "
                 r"function of \(epoch\)\.$", id="custom_too_few"),
    pytest.param(lambda: LRCustom(on_batch_begin=lambda b, lr, logs, extra: 0.1), TypeError,
                 r"^`on_batch_begin` must be a function of \(batch, lr, logs\), not a "
                 r"function of \(b, lr, logs, extra\)\.$", id="custom_too_many"),
    pytest.param(lambda: get_learning_rate(bare_model()), ValueError,
                 r"^get_learning_rate\(\): the model has no optimizer\. Compile it first",
                 id="get_uncompiled"),
    pytest.param(lambda: set_learning_rate(bare_model(), 0.1), ValueError,
                 r"^set_learning_rate\(\): the model has no optimizer", id="set_uncompiled"),
    pytest.param(lambda: get_learning_rate({}), TypeError,
                 r"^`model` must be a Keras model \(or optimizer\), not \{\}\.$", id="get_dict"),
    pytest.param(lambda: set_learning_rate(None, 0.1), TypeError, r"not None\.$",
                 id="set_none"),
    pytest.param(lambda: lrdecay.schedules.cycle_momentum(lrdecay.Cosine(0.1, 10)), TypeError,
                 r"`schedule` must be a one-cycle or cyclic schedule", id="cycle_momentum"),
    pytest.param(lambda: lrdecay.OneCycleMomentum(lrdecay.Cyclic(0.01, 0.1, 4)), TypeError,
                 r"`schedule` must be a one-cycle schedule", id="one_cycle_momentum"),
    pytest.param(lambda: lrdecay.OneCycle(0.1, 10).momentum(0.9, 0.8), ValueError,
                 r"`max_momentum` must be a number in \[`base_momentum`, 1\] \(\[0.9, 1\]\), "
                 r"not 0.8", id="max_momentum"),
    pytest.param(lambda: lrdecay.Cyclic(0.01, 0.1, 4).momentum(-0.1), ValueError,
                 r"`base_momentum` must be", id="base_momentum"),
    pytest.param(lambda: lrdecay.HParamScheduler(), TypeError, "Give at least one hyperparameter",
                 id="no_hyperparameter"),
    pytest.param(lambda: lrdecay.HParamScheduler(per="step", momentum=lrdecay.Constant(0.9)),
                 ValueError, r"`per` must be one of", id="hparam_per"),
    pytest.param(lambda: lrdecay.HParamScheduler(momentum=0.9), TypeError,
                 r"`momentum` must be an lrdecay schedule or a function of t, not 0.9\.",
                 id="hparam_number"),
    pytest.param(lambda: lrdecay.HParamScheduler(learning_rate=lrdecay.Constant(0.1)), ValueError,
                 r"`learning_rate`: the learning rate is scheduled by", id="hparam_rate"),
    pytest.param(lambda: LRLogger(per="update"), ValueError, r"`per` must be one of",
                 id="logger_per"),
    pytest.param(lambda: LRLogger(batch_logs="yes"), TypeError, "`batch_logs`",
                 id="logger_batch_logs"),
    *[pytest.param(lambda b=b, make=make: make(b), TypeError,
                   r"^`check` must be TRUE/True or FALSE/False", id=f"check={b!r}-{i}")
      for i, make in enumerate([lambda b: LRScheduler(lrdecay.Cosine(0.1, 10), check=b),
                                lambda b: lrdecay.Cosine(0.1, 10).to_keras(check=b)])
      for b in (None, "yes", 1, [True, False])],
]


@pytest.mark.parametrize(("call", "exc", "message"), ERRORS)
def test_bad_arguments(call, exc, message):
    with pytest.raises(exc, match=message):
        call()


def test_accepted_arguments():
    # R's values: TRUE/FALSE, a double 1, a length-1 list.
    assert LRScheduler(lrdecay.Step(0.1), verbose=True).verbose == 1
    assert LRScheduler(lrdecay.Step(0.1), verbose=1.0).verbose == 1
    assert LRLogger(verbose=[0.0]).verbose == 0
    LRCustom(on_epoch_begin=lambda *args: None, on_batch_begin=lambda b, lr, logs=None: None)
