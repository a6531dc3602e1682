"""lr_find(): the learning-rate range test on a real small problem.

The problem: linear regression, y = x @ w + 0.5 + noise, 2 features, mean squared
error, SGD with momentum (or Adam). Its curvature is known, so is the learning rate
beyond which SGD diverges: 2 (1 + momentum) / lambda_max of the loss's Hessian.
"""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import math  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402

keras = pytest.importorskip("keras")

import lrdecay  # noqa: E402
from kit import keras_model, model_state, same_state  # noqa: E402
from lrdecay.lr_range_test import suggest_lr  # noqa: E402

pytestmark = pytest.mark.keras

RNG = np.random.default_rng(7)
N = 384
X = RNG.normal(size=(N, 2)).astype("float32")
W = np.array([[1.0], [-2.0]], dtype="float32")
Y = (X @ W + 0.5 + RNG.normal(scale=0.3, size=(N, 1))).astype("float32")
MOMENTUM = 0.9


def critical_lr(momentum: float = MOMENTUM) -> float:
    """SGD (heavy ball) diverges on this quadratic above 2 (1 + momentum) / lambda_max."""
    design = np.c_[X, np.ones(N)].astype(np.float64)
    hessian = 2 * design.T @ design / N  # of the mean squared error in (w, b)
    return 2 * (1 + momentum) / np.linalg.eigvalsh(hessian).max()


def make_model(optimizer: str = "sgd", *, train: bool = True, seed: int = 1,
               **compile_args: object) -> keras.Model:
    opt = (keras.optimizers.SGD(1e-3, momentum=MOMENTUM) if optimizer == "sgd"
           else keras.optimizers.Adam(1e-3))
    model = keras_model(inputs=2, seed=seed, optimizer=opt, **compile_args)
    if train:  # non-zero momentum slots and iterations, to restore
        model.fit(X, Y, epochs=1, batch_size=64, verbose=0)
    return model


@pytest.fixture(scope="module")
def diverging() -> tuple[keras.Model, lrdecay.LRFindResult]:
    model = make_model()
    return model, lrdecay.lr_find(model, X, Y, max_lr=1e3, steps=100)


# -- the sweep -------------------------------------------------------------------------
def test_sweep_is_geometric_and_smoothed_is_the_bias_corrected_moving_average() -> None:
    model = make_model()
    r = lrdecay.lr_find(model, X, Y, min_lr=1e-6, max_lr=1e-2, steps=40, smoothing=0.9)
    assert r.stop_reason == "completed"
    assert len(r.lrs) == len(r.losses) == len(r.smoothed) == len(r) == 40
    i = np.arange(40)
    np.testing.assert_allclose(r.lrs, 1e-6 * (1e-2 / 1e-6) ** (i / 39), rtol=1e-15)
    ratios = r.lrs[1:] / r.lrs[:-1]
    np.testing.assert_allclose(ratios, ratios[0], rtol=1e-12)
    assert r.lrs[0] == 1e-6 and math.isclose(r.lrs[-1], 1e-2, rel_tol=1e-14)
    assert np.isfinite(r.losses).all() and np.isfinite(r.smoothed).all()
    avg, expected = 0.0, []
    for i, loss in enumerate(r.losses):
        avg = 0.9 * avg + 0.1 * loss
        expected.append(avg / (1 - 0.9 ** (i + 1)))
    np.testing.assert_allclose(r.smoothed, expected, rtol=1e-12)
    assert math.isclose(r.smoothed[0], r.losses[0], rel_tol=1e-15)


def test_each_batch_trains_at_its_own_rate() -> None:
    """The sweep's losses are those of training batch by batch with the rate set before
    each batch (each batch's own loss, not a running mean): across chunk ends and the ends
    of passes over the data (50 batches a pass, 150 batches in chunks of 75)."""
    x, y = np.tile(X, (5, 1))[:1600], np.tile(Y, (5, 1))[:1600]
    model, reference = make_model(), make_model()
    r = lrdecay.lr_find(model, x, y, min_lr=1e-4, max_lr=0.5, steps=150, smoothing=0,
                        stop_factor=1e9, shuffle=False)
    assert r.stop_reason == "completed" and len(r) == 150
    losses = []
    for i, lr in enumerate(r.lrs):
        reference.optimizer.learning_rate = lr
        k = i % 50
        losses.append(reference.train_on_batch(x[32 * k: 32 * (k + 1)], y[32 * k: 32 * (k + 1)]))
    np.testing.assert_allclose(r.losses, losses, rtol=1e-6)
    np.testing.assert_array_equal(r.smoothed, r.losses)  # smoothing = 0
    assert losses[-1] < losses[0] / 2  # it trained


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_model_is_restored_bit_for_bit_and_a_second_sweep_repeats_the_first(
        optimizer: str) -> None:
    model = make_model(optimizer, metrics=["mae"])
    own = (model.train_function, model._loss_tracker, model.optimizer.variables)
    before, lr = model_state(model), float(np.array(model.optimizer.learning_rate))
    iterations = int(np.array(model.optimizer.iterations))
    assert iterations > 0
    first = lrdecay.lr_find(model, X, Y, max_lr=1e3, steps=60, shuffle=False)
    assert first.stop_reason != "completed"  # restored after an early stop too
    assert same_state(before, model)
    assert float(np.array(model.optimizer.learning_rate)) == lr
    assert int(np.array(model.optimizer.iterations)) == iterations
    assert not model.stop_training
    second = lrdecay.lr_find(model, X, Y, max_lr=1e3, steps=60, shuffle=False)
    np.testing.assert_array_equal(first.losses, second.losses)
    assert first.suggestions == second.suggestions
    assert model.train_function is own[0] and model._loss_tracker is own[1]
    assert [id(v) for v in model.optimizer.variables] == [id(v) for v in own[2]]
    assert isinstance(model.optimizer.learning_rate, keras.Variable)
    history = model.fit(X, Y, epochs=1, batch_size=32, verbose=0).history
    assert set(history) == {"loss", "mae"}


def test_stops_early_when_the_loss_diverges(diverging) -> None:
    _, r = diverging
    assert r.stop_reason in ("diverged", "non-finite")
    assert 10 < len(r.lrs) < 100
    assert r.lrs[-1] > critical_lr()  # it went past the divergence point ...
    assert r.lrs[-1] < 1e3  # ... and stopped before the end of the sweep
    finite = r.smoothed[np.isfinite(r.smoothed)]
    if r.stop_reason == "diverged":
        assert r.smoothed[-1] > 4 * finite[:-1].min()
        assert (finite[:-1] <= 4 * np.minimum.accumulate(finite[:-1])).all()


def test_suggestion_lies_inside_the_sweep_and_below_divergence(diverging) -> None:
    _, r = diverging
    assert r.suggestion_rule == "valley" and r.suggestion == r.suggestions["valley"]
    assert set(r.suggestions) == {"steepest", "minimum", "valley"}
    assert r.suggestion < critical_lr()
    for rule, lr in r.suggestions.items():
        assert lr is not None, rule
        assert r.lrs[0] / 10 <= lr <= r.lrs[-1], rule
    assert r.suggestion in r.lrs and r.suggestions["steepest"] in r.lrs
    # minimum = the lr of the lowest smoothed loss (outside the skipped ends) / 10
    k = int(np.argmin(r.smoothed[100 // 10: len(r) - 5])) + 100 // 10
    assert r.suggestions["minimum"] == r.lrs[k] / 10


def test_training_at_the_suggestion_reduces_the_loss(diverging) -> None:
    model, r = diverging
    start = model.evaluate(X, Y, verbose=0)
    model.optimizer.learning_rate = r.suggestion
    model.fit(X, Y, epochs=5, batch_size=32, verbose=0)
    assert model.evaluate(X, Y, verbose=0) < start / 2


# -- restoration -------------------------------------------------------------------------
def _batches(n: int, error: str = ""):
    """A generator of ``n`` batches of 32 that then raises ``error`` (if any) or ends."""
    for k in range(n):
        yield X[32 * k: 32 * (k + 1)], Y[32 * k: 32 * (k + 1)]
    if error:
        raise RuntimeError(error)


class _Boom(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        raise RuntimeError("boom in a callback")


def test_fresh_model_stays_fresh() -> None:
    model = make_model(train=False)
    weights = [np.array(w, copy=True) for w in model.weights]
    lr_find_result = lrdecay.lr_find(model, X, Y, max_lr=1e-1, steps=20)
    assert len(lr_find_result) == 20
    for w, v in zip(weights, model.weights):
        assert np.array_equal(w, np.array(v))
    assert int(np.array(model.optimizer.iterations)) == 0
    for v in model.optimizer.variables:  # slots created for the sweep are back at zero
        if v.name not in ("learning_rate",):
            assert not np.any(np.array(v))


def test_unbuilt_model_is_built_first() -> None:
    keras.utils.set_random_seed(3)
    model = keras.Sequential([keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(1e-3), loss="mse")
    r = lrdecay.lr_find(model, X, Y, max_lr=1e-1, steps=10)
    assert len(r) == 10 and model.built
    assert int(np.array(model.optimizer.iterations)) == 0


# -- data --------------------------------------------------------------------------------
def _tf_dataset():
    tf = pytest.importorskip("tensorflow")
    return tf.data.Dataset.from_tensor_slices((X[:128], Y[:128])).batch(32)  # 4 batches


#: (lr_find()'s arguments, the error it raises or its stop reason and length); either way
#: the model is as before.
SWEEPS = [
    pytest.param(lambda: (_batches(5, "boom in the data"),), {},
                 (Exception, "boom in the data"), id="error_in_the_data"),
    pytest.param(lambda: (X, Y), {"callbacks": [_Boom()]}, (RuntimeError, "boom in a callback"),
                 id="error_in_a_callback"),
    pytest.param(lambda: (_tf_dataset(),), {"max_lr": 1e-2, "steps": 12}, ("completed", 12),
                 id="tf_dataset_is_cycled_through"),
    pytest.param(lambda: (_batches(8),), {"max_lr": 1e-2, "steps": 20}, ("out of data", 8),
                 id="generator_runs_out"),
]


@pytest.mark.parametrize(("args", "kwargs", "outcome"), SWEEPS)
def test_restored_after_an_error_or_data_that_is_not_an_array(trained, args, kwargs,
                                                               outcome) -> None:
    before = model_state(trained)
    if isinstance(outcome[0], str):
        r = lrdecay.lr_find(trained, *args(), **kwargs)
        assert r.stop_reason == outcome[0]
        assert len(r.lrs) == len(r.losses) == len(r) == outcome[1]
    else:
        with pytest.raises(outcome[0], match=outcome[1]):
            lrdecay.lr_find(trained, *args(), **kwargs)
    assert same_state(before, trained)


# -- bad input, before any training --------------------------------------------------------
@pytest.fixture(scope="module")
def trained() -> keras.Model:
    """One trained model for the tests that must leave it as it was (each checks it is)."""
    return make_model()


X_NAN = X.copy()
X_NAN[3, 1] = np.nan
Y_INF = Y.copy()
Y_INF[[5, 9]] = np.inf


V, T, NAN, INF = ValueError, TypeError, float("nan"), float("inf")
#: {argument: (what it must be, [(value, exception, how the message shows it)])}
RULES = {
    "min_lr": ("a positive number", [(0, V, "0"), (-1e-3, V, "-0.001"), (INF, V, "Inf"),
                                     (None, T, "None")]),
    "max_lr": ("a positive number", [(NAN, V, "NaN"), (None, T, "None")]),
    "steps": ("a whole number >= 5", [(4, V, "4"), (10.5, V, "10.5"), (NAN, V, "NaN"),
                                      (None, T, "None")]),
    "batch_size": ("a positive whole number", [(0, V, "0"), (-1, V, "-1"), (2.5, V, "2.5")]),
    "smoothing": ("a number in [0, 1)", [(1, V, "1"), (-0.1, V, "-0.1"), (NAN, V, "NaN"),
                                         (None, T, "None")]),
    "stop_factor": ("a number > 1", [(1, V, "1"), ("4", T, '"4"'), (INF, V, "Inf"),
                                     (None, T, "None")]),
    # fit() arguments lr_find() passes on: checked before training, as R's were.
    "verbose": ("a whole number >= 0", [(-1, V, "-1"), (1.5, V, "1.5")]),
    "shuffle": ("TRUE/True or FALSE/False", [("yes", T, '"yes"'), (None, T, "None")]),
    "callbacks": ("a list of Keras callbacks", [("x", T, '"x"'), ([3], T, "[3]")]),
}
BAD_ARGUMENTS = [({arg: value}, exc, f"`{arg}` must be {must}, not {shown}.")
                 for arg, (must, rows) in RULES.items() for value, exc, shown in rows] + [
    ({"min_lr": 0.1, "max_lr": 0.1}, V,
     "`max_lr` must be a number greater than `min_lr` (0.1), not 0.1."),
    ({"min_lr": 1.0, "max_lr": 0.01}, V,
     "`max_lr` must be a number greater than `min_lr` (1), not 0.01."),
    ({"epochs": 3}, T, "do not pass `epochs`"),
    ({"validation_split": 0.2}, T, "do not pass `validation_split`"),
]
UNUSABLE_DATA = [
    ((X_NAN, Y), "`x` must hold finite numbers only, not 1 NaN or infinite value"),
    ((X, Y_INF), "`y` must hold finite numbers only, not 2 NaN or infinite values"),
    (([X, X_NAN], Y), "`x` must hold finite numbers only"),
    ((X, None), "`y` must be given (the targets of `x`)"),
    ((X[:20], Y[:20]), "`batch_size` must be at most the number of samples in `x` (20), not 32"),
]


@pytest.mark.parametrize(("data", "args", "exc", "message"),
                         [((X, Y), *row) for row in BAD_ARGUMENTS]
                         + [(data, {}, ValueError, message) for data, message in UNUSABLE_DATA])
def test_bad_input_fails_before_training(trained, data, args, exc, message) -> None:
    before = model_state(trained)
    with pytest.raises(exc) as err:
        lrdecay.lr_find(trained, *data, **args)
    assert message in str(err.value)
    assert same_state(before, trained)


def test_plot_range_leaves_out_the_divergent_tail() -> None:
    """A smoothed loss that rises first, falls, then explodes: the range shows the curve,
    not the explosion (one rule for Python's and R's plots)."""
    from lrdecay.lr_range_test import plot_ylim

    smoothed = [10.1, 12.3, 13.9, 14.0, 13.5, 12.0, 11.2, 16.2, 41602.5]
    lo, hi = plot_ylim(smoothed, stop_factor=4)
    assert lo == pytest.approx(10.1 - 0.61) and hi == pytest.approx(16.2 + 0.61)
    assert plot_ylim([5.0, 4.0, 3.0, 2.0, 9.0, 1e9]) == pytest.approx((1.7, 5.3))
    assert plot_ylim([2.0, 2.0]) == pytest.approx((1.7, 2.3))
    assert plot_ylim([float("nan")]) == (None, None)


def test_r_values_for_fit_arguments_are_accepted(trained) -> None:
    """R hands over doubles for whole numbers and may wrap one value in a list."""
    result = lrdecay.lr_find(trained, X, Y, steps=6.0, verbose=0.0, shuffle=[False],
                             callbacks=keras.callbacks.Callback())
    assert len(result.lrs) == 6


def sgd_model(learning_rate: object = 0.1, **compile_args: object) -> keras.Model:
    model = keras_model(learning_rate, inputs=2)
    if compile_args:
        model.compile(model.optimizer, loss="mse", **compile_args)
    return model


@pytest.mark.parametrize(("model", "exc", "message"), [
    pytest.param(lambda: "a model", TypeError, r"^`model` must be a Keras 3 model, not "
                 r"\"a model\"\.$", id="not_a_model"),
    pytest.param(lambda: sgd_model(keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.9)),
                 ValueError, r"in-graph schedule \(ExponentialDecay\)", id="keras_schedule"),
    pytest.param(lambda: keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)]),
                 ValueError, r"`model` must be compiled .* an uncompiled Sequential",
                 id="uncompiled"),
    pytest.param(lambda: sgd_model(lrdecay.Step(0.1).to_keras()), ValueError,
                 r"in-graph schedule \(KerasSchedule\)", id="lrdecay_schedule"),
    pytest.param(lambda: sgd_model(steps_per_execution=4), ValueError,
                 r"`steps_per_execution = 1`.*not 4", id="steps_per_execution"),
])
def test_model_that_cannot_be_swept(model, exc, message) -> None:
    model = model()
    with pytest.raises(exc, match=message):
        lrdecay.lr_find(model, X, Y)
    if getattr(model, "optimizer", None) is not None:
        assert int(np.array(model.optimizer.iterations)) == 0


# -- the suggestion rules (fastai's) on known curves -----------------------------------------
def test_rules_on_a_known_curve() -> None:
    lrs = np.geomspace(1e-5, 1, 50)
    # flat, then a descent from index 10 to 35 (steepest from 22 to 23), then up
    t = np.arange(50)
    loss = 2 - np.tanh((t - 22.5) / 4) + np.where(t > 35, (t - 35) ** 2 / 10, 0)
    s = suggest_lr(lrs, loss, skip_start=0, skip_end=0)
    grads = np.diff(loss) / np.diff(np.log(lrs))
    assert s["steepest"] == lrs[int(np.argmin(grads))] == lrs[22]
    assert s["minimum"] == lrs[int(np.argmin(loss))] / 10
    # the longest decreasing run is indices 0..argmin (strictly decreasing here)
    end = int(np.argmin(loss))
    length = end + 1
    assert s["valley"] == lrs[end - length + length // 3 + length // 6]


def test_rules_leave_out_the_ends_and_non_finite_losses() -> None:
    lrs = np.geomspace(1e-4, 1, 20)
    loss = np.linspace(5, 1, 20)
    loss[15] = np.nan
    s = suggest_lr(lrs, loss, skip_start=2, skip_end=5)
    assert s["minimum"] == lrs[14] / 10  # stops before the NaN
    s = suggest_lr(lrs, np.linspace(5, 1, 20), skip_start=2, skip_end=5)
    assert s["minimum"] == lrs[14] / 10  # the last 5 are left out
    rising = suggest_lr(lrs, np.linspace(1, 5, 20))
    assert rising["valley"] is None and rising["steepest"] is not None
    assert suggest_lr(lrs[:1], [1.0]) == {"steepest": None, "minimum": None, "valley": None}


# -- presentation ----------------------------------------------------------------------------
def test_repr_and_plot(diverging) -> None:
    _, r = diverging
    text = repr(r)
    assert text.startswith(f"<LRFindResult: {len(r)} of 100 steps")
    assert f"suggestion: {r.suggestion:.3g} (valley)" in text
    assert "steepest" in text and "minimum" in text and "stopped early" in text
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ax = r.plot()
    assert ax.get_xscale() == "log"
    marks = [line for line in ax.get_lines() if len(line.get_xdata()) == 2]
    assert any(np.allclose(line.get_xdata(), r.suggestion) for line in marks)
    plt.close(ax.figure)


