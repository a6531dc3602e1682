"""Training on Keras's TensorFlow, JAX and PyTorch backends, in fresh Pythons.

``KERAS_BACKEND`` is read once, at import: each installed backend gets one fresh Python,
all run at once, each printing one JSON document that the tests read (``make setup``
installs all three). Checked on each backend: every ``kit.schedule_cases()`` schedule
in-graph and through the backend's compiler equals NumPy; the rate *applied* (SGD on
``kit.one_weight_model``: each update moves the weight by exactly its rate) by in-graph
schedules, ``LRScheduler`` and ``LRPlateau``; ``HParamScheduler``'s momentum; JAX and
PyTorch's plan check and run-sized schedules; two devices (TensorFlow
``MirroredStrategy``, JAX ``DataParallel``, over two logical CPUs) train as one; and a
``start_cooldown()`` branched from a saved model, loaded, equals the planned ``Cooldown``.
"""

from __future__ import annotations

import importlib.util
import json
import math
import warnings
from pathlib import Path
from typing import Any

import lrdecay
import numpy as np
import pytest
from kit import (
    X,
    Y,
    f32,
    graph_mismatches,
    hparam_probe,
    keras_model,
    last_json,
    lr_of,
    one_weight_model,
    rate_probe,
    run_python_parallel,
    schedule_cases,
    script_callback,
    sgd_replay,
    weight,
)
from lrdecay import Constant, Cosine, Exponential, Linear, OneCycle, Warmup

pytestmark = [pytest.mark.keras, pytest.mark.slow]

BACKENDS = ["tensorflow", "jax", "torch"]
SPES = (None, 4)
ITERS = list(range(41))
SCALAR_ITERS = [0, 1, 2, 3, 5, 8, 13, 21, 34, 40]
EPOCHS, STEPS = 4, 3  # every fit below: 4 epochs of 3 updates
#: The plateau's metric per epoch; with factor 0.5, patience 1, min_delta 0.05 (Keras's
#: ReduceLROnPlateau rule) epochs 1, 2 and 3 do not improve: each halves what follows.
SCORE = [1.0, 0.99, 0.98, 0.97]
SCALES = [1.0, 1.0, 0.5, 0.25]
AFTER_SCALE = 0.125  # in force in a second fit()
PLATEAU = {"factor": 0.5, "patience": 1, "mode": "min", "min_delta": 0.05}
#: Unit-model runs: (rate, steps_per_epoch, how it is set, what else runs).
#: how: "graph" (to_keras), "callback" (LRScheduler, the optimizer's rate 0.5), "float";
#: else: LRPlateau ("plateau"), HParamScheduler's momentum per "batch" or "epoch", or None.
UNIT_RUNS = {
    "warmup_cosine": (Warmup(Cosine(0.1, 8), warmup_steps=3), None, "graph", None),
    "sequence_spe": (lrdecay.Sequence([Linear(0.01, 0.1, 1), lrdecay.Step(0.1, 0.5, 1)], [1]),
                     3, "graph", None),
    "one_cycle": (OneCycle(0.1, total_steps=12), None, "graph", None),
    "piecewise_spe": (lrdecay.Piecewise([1, 2], [0.1, 0.05, 0.02]), 4, "graph", None),
    "epoch_callback": (Warmup(Exponential(0.1, 1, 0.5), warmup_steps=1, start_lr=0.02), None,
                       "callback", None),
    "plateau_float": (Constant(0.1), None, "float", "plateau"),
    "plateau_callback": (Exponential(0.1, 1, 0.5), None, "callback", "plateau"),
    "plateau_graph": (Exponential(0.1, 3, 0.5), None, "graph", "plateau"),
    "plateau_graph_spe": (Exponential(0.1, 1, 0.5), 3, "graph", "plateau"),
    "momentum_batch": (Constant(0.1), None, "float", "batch"),
    "momentum_epoch": (Constant(0.1), None, "float", "epoch"),
}
MOMENTUM = OneCycle(0.1, total_steps=EPOCHS * STEPS).momentum()
PERS = ("batch", "epoch")
#: Distributed runs: the rate by mode, as in UNIT_RUNS.
BY_EPOCH = Warmup(Cosine(0.05, decay_steps=3), warmup_steps=1, start_lr=0.01)
TWO_DEVICE_RUNS = {
    "graph": (lrdecay.Sequence([Linear(0.005, 0.05, 4), Exponential(0.05, 1, 0.8)], [4]), None,
              "graph"),
    "graph_spe": (BY_EPOCH, STEPS, "graph"),
    "callback": (BY_EPOCH, None, "callback"),
    "float": (Constant(0.05), None, "float"),
}
COOLDOWN_SCHEDULE = ("KerasSchedule(Cooldown(schedule=Constant(lr=0.01), start=20, "
                     "length=12, shape='1-sqrt', final_lr=0))")

#: Each child: split the CPU in two devices before TensorFlow / JAX start, then run.
CHILD = """
import os
if os.environ["KERAS_BACKEND"] == "jax":
    os.environ["XLA_FLAGS"] = "--xla_force_host_platform_device_count=2"
if os.environ["KERAS_BACKEND"] == "tensorflow":
    import tensorflow as tf
    tf.config.set_logical_device_configuration(tf.config.list_physical_devices("CPU")[0],
        [tf.config.LogicalDeviceConfiguration(), tf.config.LogicalDeviceConfiguration()])
import test_backends
test_backends.child(WORKDIR)
"""


def keras_rate(s: lrdecay.Schedule, spe: int | None, how: str) -> Any:
    """What the optimizer is compiled with (see ``UNIT_RUNS``)."""
    if how == "graph":
        return s.to_keras(steps_per_epoch=spe)
    return 0.5 if how == "callback" else s(0)  # LRScheduler sets it at each epoch


def rates(s: lrdecay.Schedule, spe: int | None, how: str, it: np.ndarray) -> np.ndarray:
    """The schedule's rate at each update ``it`` when set ``how`` (see ``UNIT_RUNS``)."""
    t = {"graph": it / (spe or 1), "callback": np.floor(it / STEPS), "float": 0 * it}[how]
    return s(t)


# --- the children (fresh Pythons; Keras is imported there) ------------------------------


def child(workdir: str) -> None:
    """Run one backend's checks and print their JSON document."""
    import keras

    backend, work = keras.backend.backend(), Path(workdir)
    warnings.simplefilter("ignore", lrdecay.ScheduleWarning)
    out: dict[str, Any] = {"backend": backend, "cooldown": _planned_cooldown(work)}
    out["branched"] = _branch_cooldown(work)
    out["values"], out["scalar"] = _in_graph_values(backend)
    out["unit"] = {key: _unit_run(*run) for key, run in UNIT_RUNS.items()}
    if backend != "tensorflow":  # TensorFlow's are tested in-process
        out["plan_check"], out["sized"] = _plan_check_counts(), _sized_runs()
    out["lr_find"] = _lr_find_runs()
    if backend != "torch":
        out["devices"] = _two_device_runs(backend)
    print(json.dumps(out))


def _in_graph_values(backend: str) -> tuple[dict, dict]:
    from keras import ops
    compile_fn, dtype = (lambda f: f), "int64"
    if backend == "tensorflow":
        import tensorflow as tf

        compile_fn = tf.function
    elif backend == "jax":
        import jax

        compile_fn, dtype = jax.jit, "int32"
    values, scalar = {}, {}
    for name, s in schedule_cases():
        for spe in SPES:
            ks, key = s.to_keras(steps_per_epoch=spe), f"{name}-{spe}"
            vec = ks(ops.convert_to_tensor(np.asarray(ITERS), dtype="int32"))
            values[key] = ops.convert_to_numpy(vec).astype(float).tolist()
            fn = compile_fn(ks)
            scalar[key] = [float(ops.convert_to_numpy(fn(ops.convert_to_tensor(i, dtype=dtype))))
                           for i in SCALAR_ITERS]
    return values, scalar


def _unit_fit(model: Any, callbacks: list, epochs: int = EPOCHS) -> tuple[list, list, Any]:
    """fit() the one-weight model: its weight first and after every update, the momentum
    after every update, the history."""
    x, w0, probe = np.ones((STEPS, 1), "float32"), weight(model), hparam_probe("momentum")
    hist = model.fit(x, x, batch_size=1, epochs=epochs, shuffle=False, verbose=0,
                     callbacks=[*callbacks, probe])
    return [w0, *probe.array()[:, 0].tolist()], probe.array()[:, 1].tolist(), hist


def _unit_run(s: lrdecay.Schedule, spe: int | None, how: str, extra: str | None) -> dict:
    import keras
    model = one_weight_model(keras.optimizers.SGD(keras_rate(s, spe, how),
                                                  momentum=0.9 if extra in PERS else 0.0))
    cbs = [lrdecay.LRScheduler(s)] if how == "callback" else []
    if extra == "plateau":
        cbs = [script_callback(SCORE), *cbs, lrdecay.LRPlateau("score", **PLATEAU)]
    if extra in PERS:
        cbs.append(lrdecay.HParamScheduler(per=extra, momentum=MOMENTUM))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        w, momentum, hist = _unit_fit(model, [*cbs, lrdecay.LRLogger(verbose=0)])
    out = {"w": w, "momentum": momentum, "history": list(map(float, hist.history["learning_rate"])),
           "iterations": int(keras.ops.convert_to_numpy(model.optimizer.iterations)),
           "warnings": [str(m.message) for m in caught if "HParamScheduler" in str(m.message)],
           "momentum_after": [type(model.optimizer.momentum).__name__,
                              model.optimizer.momentum]}
    if extra == "plateau":  # a second fit continues with the reduced scale (JAX: retraced)
        out["after"] = _unit_fit(model, [], epochs=1)[0]
    return out


def _dense_fit(lr: Any, epochs: int, rows: int, fits: int = 1) -> tuple[list[int], list]:
    """kit's Dense(1) fitted ``fits`` times on ``rows`` rows, 8 a batch: the ScheduleWarnings
    of each fit() and the weights."""
    x = np.linspace(0, 1, rows * 4, dtype="float32").reshape(rows, 4)
    model, counts = keras_model(lr, seed=1), []
    for _ in range(fits):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model.fit(x, x @ np.array([1.0, -2.0, 3.0, 0.5], dtype="float32"), epochs=epochs,
                      batch_size=8, verbose=0, shuffle=False)
        counts.append(sum(issubclass(w.category, lrdecay.ScheduleWarning) for w in caught))
    return counts, [w.tolist() for w in model.get_weights()]


def _lr_find_runs() -> list[dict]:
    """Two ``lr_find()`` sweeps of the one-weight model after 13 updates (130 batches of a
    13-row pass: chunk ends, pass ends, a table that starts mid-way), and its state after."""
    import keras
    model = one_weight_model(keras.optimizers.SGD(0.001))
    x = np.ones((13, 1), "float32")
    model.fit(x, x, batch_size=1, epochs=1, verbose=0)
    runs = []
    for _ in range(2):
        r = lrdecay.lr_find(model, x, x, batch_size=1, steps=130, min_lr=1e-4, max_lr=0.1,
                            shuffle=False)
        runs.append({"lrs": r.lrs.tolist(), "losses": r.losses.tolist(), "stop": r.stop_reason,
                     "w": weight(model), "lr": lr_of(model),
                     "iterations": int(keras.ops.convert_to_numpy(model.optimizer.iterations))})
    return runs


def _plan_check_counts() -> dict:
    """A bare in-graph schedule's warnings in fit()s of 15 epochs of 4 steps."""
    return {"bad": _dense_fit(Cosine(0.1, 15).to_keras(), 15, 32, fits=2)[0],
            "sound": _dense_fit(Cosine(0.1, 60).to_keras(), 15, 32)[0],
            "off": _dense_fit(Cosine(0.1, 15).to_keras(check=False), 15, 32)[0]}


def _sized_runs() -> dict:
    """Run-sized schedules against the same schedules sized by hand: [same weights, repr]."""
    of_run = lrdecay.of_run
    pairs = {"cosine": (Cosine(0.1).to_keras(), Cosine(0.1, 30).to_keras()),
             "wsd": (lrdecay.WSD(0.1, of_run(0.1), decay_steps=of_run(0.2)).to_keras(),
                     lrdecay.WSD(0.1, 3, 21, 6).to_keras()),
             "epoch": (Cosine(0.1).to_keras(clock="epoch"),
                       Cosine(0.1, 3).to_keras(steps_per_epoch=10))}
    return {k: [_dense_fit(a, 3, 80)[1] == _dense_fit(b, 3, 80)[1], repr(a.schedule)]
            for k, (a, b) in pairs.items()}


def _two_device_runs(backend: str) -> dict:
    import contextlib

    import keras
    if backend == "tensorflow":
        import tensorflow as tf

        two = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
        setups = {"one": (tf.distribute.get_strategy().scope, contextlib.nullcontext),
                  "two": (two.scope, contextlib.nullcontext)}
    else:
        import jax

        two = keras.distribution.DataParallel(devices=jax.devices())
        setups = {"one": (contextlib.nullcontext, contextlib.nullcontext),
                  "two": (two.scope, two.scope)}
    # JAX's step holds the variables within an epoch: synced before the probe reads the rate
    sync = keras.callbacks.LambdaCallback(on_train_batch_begin=lambda batch, logs: getattr(
        sync.model, "jax_state_sync", lambda: None)())
    rng = np.random.default_rng(0)
    x = rng.normal(size=(STEPS * 8, 3)).astype("float32")
    y = (x @ np.array([[1.0], [-1.0], [0.5]]) - 0.2).astype("float32")

    def train(s: lrdecay.Schedule, spe: int | None, how: str, build: Any, fit: Any) -> dict:
        with build():
            keras.utils.set_random_seed(3)
            model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="tanh"),
                                      keras.layers.Dense(1)])
            model.compile(keras.optimizers.SGD(keras_rate(s, spe, how), momentum=0.9), loss="mse")
        probe, logger = rate_probe(), lrdecay.LRLogger(verbose=0, per="batch")
        cbs = [lrdecay.LRScheduler(s)] if how == "callback" else []
        cbs += [script_callback(SCORE), lrdecay.LRPlateau("score", **PLATEAU),
                lrdecay.HParamScheduler(momentum=MOMENTUM), logger, sync, probe]
        with fit():
            hist = model.fit(x, y, batch_size=8, epochs=EPOCHS, shuffle=False, verbose=0,
                             callbacks=cbs)
        if backend == "tensorflow":
            devices = model.distribute_strategy.num_replicas_in_sync
        else:
            devices = len(model.trainable_variables[0].value.sharding.device_set)
        return {"devices": devices, "steps": [[r[2], r[3]] for r in probe.rows],
                "records": logger.records_table(), "loss": list(map(float, hist.history["loss"])),
                "history_lr": list(map(float, hist.history["learning_rate"])),
                "weights": [np.asarray(w).ravel().tolist() for w in model.get_weights()]}

    return {mode: {name: train(*run, *setup) for name, setup in setups.items()}
            for mode, run in TWO_DEVICE_RUNS.items()}


def _cooldown_run(model: Any, epochs: int) -> dict:
    """fit() Adam on kit's data, 4 updates an epoch: the rate of every update, the weights."""
    logger = lrdecay.LRLogger(verbose=0, per="batch")
    model.fit(X, Y, batch_size=16, epochs=epochs, shuffle=False, verbose=0, callbacks=[logger])
    return {"rates": [lr for _, _, lr in logger.records],
            "weights": [w.tolist() for w in model.get_weights()]}


def _planned_cooldown(workdir: Path) -> dict:
    """Save after N = 20 updates at 0.01; the planned Cooldown(Constant(0.01), 20, 12)."""
    import keras
    m = keras_model(optimizer=keras.optimizers.Adam(0.01), seed=1)
    _cooldown_run(m, 5)
    m.save(workdir / "run.keras")
    planned = lrdecay.Cooldown(Constant(0.01), 20, 12).to_keras()
    return _cooldown_run(keras_model(optimizer=keras.optimizers.Adam(planned), seed=1), 8)


def _branch_cooldown(workdir: Path) -> dict:
    import keras

    m = keras.models.load_model(workdir / "run.keras")
    out = {"schedule": repr(lrdecay.start_cooldown(m, 12)), **_cooldown_run(m, 3)}
    m.save(workdir / "cooled.keras")
    again = keras.models.load_model(workdir / "cooled.keras")
    return {**out, "loaded": repr(again.optimizer._learning_rate),
            "iterations": int(again.optimizer.iterations),
            "same": all(np.array_equal(a, b) for a, b in zip(m.get_weights(),
                                                             again.get_weights()))}


# --- the tests ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """The child of every installed backend, all at once: {backend: JSON}."""
    jobs = [{"backend": b, "code": CHILD.replace("WORKDIR", repr(str(tmp_path_factory.mktemp(b))))}
            for b in BACKENDS if importlib.util.find_spec(b) is not None]  # package installed
    stdouts = run_python_parallel(jobs)
    out = {job["backend"]: last_json(stdout) for job, stdout in zip(jobs, stdouts)}
    assert all(got["backend"] == backend for backend, got in out.items())
    return out


@pytest.fixture(params=BACKENDS)
def got(request: pytest.FixtureRequest, results: dict[str, dict]) -> dict:
    if request.param not in results:
        pytest.skip(f"the {request.param} package is not installed (make setup installs it)")
    return results[request.param]


def test_in_graph_values_equal_numpy(got: dict) -> None:
    problems = []
    for name, s in schedule_cases():
        for spe in SPES:
            key = f"{name}-{spe}"
            for kind, iters in (("values", ITERS), ("scalar", SCALAR_ITERS)):
                t = np.asarray(iters, dtype=np.float64) / (spe or 1)
                problems += [f"{key} {kind} {m}" for m in graph_mismatches(s, t, got[kind][key])]
    assert not problems, f"{got['backend']}: " + "\n".join(problems[:20])


@pytest.mark.parametrize("key", [k for k, run in UNIT_RUNS.items() if run[3] not in PERS])
def test_fit_applies_the_rate(got: dict, key: str) -> None:
    s, spe, how, extra = UNIT_RUNS[key]
    run, msg = got["unit"][key], f"{got['backend']} {key}"
    it = np.arange(EPOCHS * STEPS, dtype=np.float64)
    want = rates(s, spe, how, it) * (np.repeat(SCALES, STEPS) if extra == "plateau" else 1)
    assert run["iterations"] == EPOCHS * STEPS, msg
    # w is O(1) and float32: each difference carries ~1e-7 of rounding.
    np.testing.assert_allclose(-np.diff(run["w"]), want, rtol=1e-5, atol=3e-7, err_msg=msg)
    np.testing.assert_allclose(run["history"], want[::STEPS], rtol=1e-6, atol=1e-8, err_msg=msg)
    if extra == "plateau":  # LRScheduler is gone: its last rate stays, reduced once more
        after = rates(s, spe, how, it[-1:] if how == "callback" else it[:STEPS] + it.size)
        np.testing.assert_allclose(-np.diff(run["after"]), after * AFTER_SCALE * np.ones(STEPS),
                                   rtol=1e-5, atol=3e-7, err_msg=f"{msg} second fit")


@pytest.mark.parametrize("per", PERS)
def test_scheduled_momentum_is_used(got: dict, per: str) -> None:
    run = got["unit"][f"momentum_{per}"]
    t = np.arange(12) if per == "batch" else np.repeat(np.arange(EPOCHS), STEPS)
    np.testing.assert_allclose(run["momentum"], MOMENTUM(t), rtol=1e-6, err_msg=per)
    replay = sgd_replay([0.1] * len(t), MOMENTUM(t))  # Keras's SGD with momentum
    np.testing.assert_allclose(run["w"][1:], replay, rtol=1e-5, err_msg=per)
    assert run["momentum_after"][0] == "float"
    assert run["momentum_after"][1] == pytest.approx(MOMENTUM(t[-1]), rel=1e-6)
    if per == "epoch" and got["backend"] == "jax":
        assert len(run["warnings"]) == 1
        assert "recompiled at each epoch whose value differs" in run["warnings"][0]
    else:
        assert run["warnings"] == []


@pytest.mark.parametrize("got", ["jax", "torch"], indirect=True)
def test_in_graph_plan_check_and_sizing(got: dict) -> None:
    """Alone, an in-graph schedule warns once per fit(): JAX (compiled step) in the first
    fit(); PyTorch evaluates it at every step: its second fit() is checked too. A sound
    plan and check=False are silent. Run-sized schedules equal those sized by hand."""
    counts = got["plan_check"]
    assert counts["bad"] == [1, 1 if got["backend"] == "torch" else 0]
    assert counts["sound"] == [0] and counts["off"] == [0]
    assert got["sized"] == {"cosine": [True, repr(Cosine(0.1, 30))],
                            "wsd": [True, repr(lrdecay.WSD(0.1, 3, 21, 6))],
                            "epoch": [True, repr(Cosine(0.1, 3))]}


@pytest.mark.parametrize("got", ["tensorflow", "jax"], indirect=True)
@pytest.mark.parametrize("mode", list(TWO_DEVICE_RUNS))
def test_two_devices_train_as_one(got: dict, mode: str) -> None:
    one, two = got["devices"][mode]["one"], got["devices"][mode]["two"]
    assert (one["devices"], two["devices"]) == (1, 2)
    n = EPOCHS * STEPS
    assert [r[0] for r in one["steps"]] == [r[0] for r in two["steps"]] == list(range(n))
    # the same rate at every update, from the optimizer, LRLogger and history ...
    assert two["steps"] == one["steps"] and two["history_lr"] == one["history_lr"]
    assert two["records"] == one["records"]  # ... and the same momentum
    # ... and those are the schedule's rates reduced by the plateau, the momentum scheduled,
    want = rates(*TWO_DEVICE_RUNS[mode], np.arange(n, dtype=np.float64)) * np.repeat(SCALES, STEPS)
    np.testing.assert_allclose([r[1] for r in one["steps"]], want, rtol=1e-6)
    np.testing.assert_allclose(one["records"]["learning_rate"], want, rtol=1e-6)
    np.testing.assert_allclose(one["history_lr"], want[::STEPS], rtol=1e-6)
    assert one["records"]["epoch"] == [e for e in range(EPOCHS) for _ in range(STEPS)]
    assert one["records"]["batch"] == [b for _ in range(EPOCHS) for b in range(STEPS)]
    momentum = MOMENTUM(np.arange(n, dtype=np.float64))
    np.testing.assert_allclose(one["records"]["momentum"], momentum, rtol=1e-6)
    assert min(momentum) < 0.9 < max(momentum)  # it moves away from the optimizer's own 0.9
    # ... and the weights are the same (the two devices' gradients are summed in another order)
    for a, b in zip(one["weights"], two["weights"]):
        np.testing.assert_allclose(b, a, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(two["loss"], one["loss"], rtol=1e-5)
    assert not np.allclose(one["weights"][0], 0)  # it trained


def test_branched_cooldown_equals_planned_cooldown(got: dict) -> None:
    """Saved after N updates at a constant rate; loaded, start_cooldown(), fit(): the rates
    and bit-identical weights of Cooldown(Constant(r), N, L) from step 0."""
    branched, planned = got["branched"], got["cooldown"]
    assert branched["schedule"] == branched["loaded"] == COOLDOWN_SCHEDULE
    assert branched["iterations"] == 32 and branched["same"]
    assert branched["rates"] == planned["rates"][20:]
    assert branched["rates"][0] == pytest.approx(0.01, rel=1e-7)
    assert branched["rates"][-1] == pytest.approx(0.01 * (1 - math.sqrt(11 / 12)), rel=1e-6)
    assert branched["weights"] == planned["weights"]  # bit for bit


def test_lr_find_trains_each_batch_at_its_rate_and_restores(got: dict) -> None:
    """On every backend: the loss of the one-weight model is its weight, so the sweep's
    losses show every rate applied (float32 SGD, exactly); the model is as before."""
    first, second = got["lr_find"]
    assert first["stop"] == "completed" and len(first["losses"]) == 130

    def weights(w: np.float32, lrs: list[float]) -> list[np.float32]:
        out = [w]
        for lr in lrs:
            out.append(np.float32(out[-1] - np.float32(lr)))
        return out

    w0 = weights(np.float32(0), [0.001] * 13)[-1]  # 13 updates at 0.001 before the sweep
    assert first["losses"] == [float(w) for w in weights(w0, first["lrs"])[:-1]]
    for run in (first, second):
        assert (run["w"], run["lr"], run["iterations"]) == (float(w0), f32(0.001), 13)
    assert second["losses"] == first["losses"]
