"""The test kit of tests/python (on ``sys.path`` by pytest.ini): what several test files
share, stated once. The schedule cases and families, the float32 agreement rule for in-graph
values, a small Keras model with its data and ``fit()`` (Keras imported on first use), fresh
processes (Python, ``Rscript``; R in this process: ``conftest.r_session``), Keras's twins.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path
from typing import Any

import lrdecay
import numpy as np
import pytest
from lrdecay import *  # noqa: F403 - the schedules API, lrdecay.__all__
from lrdecay.schedules import FAMILIES

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent

#: In-graph (float32) values agree with NumPy's float64 to RTOL relative, plus 4 float32
#: ulps of the peak (ATOL_SCALE * peak) for small values float32 computes as a difference
#: of peak-sized numbers (the end of a cosine or a linear anneal).
RTOL = 1e-6
ATOL_SCALE = 2.0**-21
#: float32 also rounds the clock (``iterations / steps_per_epoch``, ``t / every``): where the
#: schedule is steep, the float64 value at a clock within CLOCK_ULPS roundoffs of ``t`` counts.
CLOCK_ULPS = 16
U32 = 2.0**-24


def schedule_cases() -> list[tuple[str, lrdecay.Schedule]]:
    """One or more schedules of every serializable family, nested ones included, reaching
    every branch of every formula within ``t`` in ``[0, 40]`` (or ``[0, 10]`` epochs)."""
    return [
        ("constant", Constant(0.01)),
        ("step", Step(0.1, drop=0.5, every=3)),
        ("multistep", MultiStep(0.1, milestones=[2, 5, 9], gamma=0.3)),
        ("piecewise", Piecewise(boundaries=[3, 7], values=[0.1, 0.05, 0.01])),
        ("exponential", Exponential(0.1, 2, 0.9)),
        ("exponential_stair_k", Exponential(0.1, decay_steps=3, staircase=True, k=0.4)),
        ("inverse_time", InverseTime(0.1, 2, 0.5, staircase=True)),
        ("polynomial", Polynomial(0.1, decay_steps=8, end_lr=0.001, power=2)),
        ("polynomial_cycle", Polynomial(0.1, decay_steps=5, end_lr=0.01, power=0.5, cycle=True)),
        ("cosine", Cosine(0.1, decay_steps=9, alpha=0.05)),
        ("cosine_restarts", CosineRestarts(0.1, first_decay_steps=3, t_mul=2, m_mul=0.8)),
        ("cosine_restarts_t1", CosineRestarts(0.1, first_decay_steps=4, t_mul=1, alpha=0.1)),
        ("linear", Linear(0.001, 0.1, steps=7)),
        ("cyclic", Cyclic(0.001, 0.1, step_size=3)),
        ("cyclic_tri2", Cyclic(0.001, 0.1, step_size=2, mode="triangular2")),
        ("cyclic_exp", Cyclic(0.001, 0.1, step_size=2, mode="exp_range", gamma=0.9)),
        ("one_cycle", OneCycle(0.1, total_steps=20)),
        ("one_cycle_3ph", OneCycle(0.1, total_steps=16, pct_start=0.25, anneal="linear",
                                   three_phase=True)),
        ("warmup_cosine", Warmup(Cosine(0.1, decay_steps=10), warmup_steps=4)),
        ("warmup_exp_step", Warmup(Step(0.1, 0.5, 3), warmup_steps=3, start_lr=0.001,
                                   shape="exponential")),
        ("sequence", Sequence([Linear(0.0, 0.1, 3), Cosine(0.1, 6), Constant(0.002)], [3, 9])),
        ("warmup_of_sequence", Warmup(Sequence([Constant(0.1), Exponential(0.1, 1, 0.8)], [4]),
                                      warmup_steps=2)),
        ("sequence_of_warmup", Sequence([Warmup(Cosine(0.1, 5), 2), Step(0.05, 0.5, 2)], [7])),
        ("wsd", WSD(0.1, warmup_steps=3, stable_steps=4, decay_steps=6, min_lr_ratio=0.1)),
        ("wsd_sqrt", WSD(0.1, 2, 3, 5, warmup="1-sqrt", decay="1-sqrt")),
        ("inverse_sqrt", InverseSqrt(0.1, warmup_steps=4)),
        ("inverse_sqrt_ts", InverseSqrt(0.1, warmup_steps=0, timescale=5)),
        ("rex", Rex(0.1, total_steps=12, min_lr=0.001)),
        ("cooldown", Cooldown(Constant(0.1), start=5, length=10)),
        ("cooldown_wsd_cosine", Cooldown(WSD(0.1, 3, 20, 6), start=9, length=8, shape="cosine",
                                         final_lr=0.001)),
        ("cooldown_linear", Cooldown(Cosine(0.1, 30), start=4.5, length=7, shape="linear")),
        ("one_cycle_momentum", OneCycle(0.1, total_steps=16, pct_start=0.25,
                                        three_phase=True).momentum()),
        ("cyclic_momentum", Cyclic(0.01, 0.1, step_size=3, mode="triangular2").momentum(0.8, 0.9)),
        # edges: fractional periods, a zero milestone, flat or one-piece schedules
        ("step_fractional", Step(0.3, 0.1, 2.5)),
        ("multistep_at_zero", MultiStep(1.0, [0, 2.5], 0.1)),
        ("exponential_k0", Exponential(0.01, k=0)),
        ("inverse_time_rate0", InverseTime(0.2, 4, 0)),
        ("cosine_alpha1", Cosine(0.1, 7.5, alpha=1)),
        ("cosine_restarts_t3", CosineRestarts(0.1, 5, t_mul=3, m_mul=0.8)),
        ("linear_flat", Linear(0.1, 0.1, 1)),
        ("cyclic_fractional", Cyclic(0.0, 0.1, 2.5, mode="exp_range", gamma=0.99)),
        ("one_cycle_2", OneCycle(1.0, total_steps=2, pct_start=0.9)),
        ("one_cycle_odd", OneCycle(0.1, 37, pct_start=0.4, div_factor=10, final_div_factor=100,
                                   three_phase=True)),
        ("warmup_fractional", Warmup(Linear(0.1, 0, 20), 2.5, start_lr=0.01)),
        ("warmup_exp_of_cyclic", Warmup(Cyclic(0.01, 0.1, 5, "exp_range", 0.99), 7, 0.001,
                                        "exponential")),
        ("sequence_of_one", Sequence([Constant(0.1)], [])),
        ("sequence_nested", Sequence([Warmup(Step(0.05, 0.5, 3), 4, 0.001, "exponential"),
                                      Sequence([Linear(0.0, 0.1, 5), Cosine(0.1, 20)], [5]),
                                      InverseTime(0.01, 2, 0.5, True)], [10, 40.5])),
        ("wsd_fractional", WSD(0.1, 7.5, 0, 12.5, warmup="1-sqrt", decay="linear",
                               min_lr_ratio=0.1)),
        ("wsd_cosine_no_warmup", WSD(3e-4, 0, 5, 40, warmup="cosine", decay="1-sqrt",
                                     min_lr_ratio=0.05)),
        ("inverse_sqrt_ts_below", InverseSqrt(0.5, 10, timescale=3)),
        ("rex_plain", Rex(0.1, 50)),
    ]


def case_params(cases: list[tuple[str, lrdecay.Schedule]] | None = None) -> list[Any]:
    """``schedule_cases()`` as ``pytest.param(schedule, id=name)``: the one table that the
    round-trip, in-graph, saving and R-parity tests parametrize over."""
    return [pytest.param(s, id=name) for name, s in (cases or schedule_cases())]


def covered_families(cases: list[tuple[str, lrdecay.Schedule]]) -> set[str]:
    """Class names of every schedule in ``cases``, nested ones included."""
    seen: set[str] = set()

    def walk(s: lrdecay.Schedule) -> None:
        seen.add(type(s).__name__)
        if isinstance(s, (Warmup, Cooldown)):
            walk(s.schedule)
        if isinstance(s, Sequence):
            for inner in s.schedules:
                walk(inner)

    for _, s in cases:
        walk(s)
    return seen


ALL_FAMILIES = set(FAMILIES)


LR_PARAMETERS = {"lr", "initial_lr", "end_lr", "start_lr", "max_lr", "base_lr", "values"}


def peak(s: lrdecay.Schedule) -> float:
    """The schedule's scale, for ATOL: its largest value over a long clock range, or its
    largest learning-rate parameter if larger (a OneCycle cut short by a Sequence)."""
    ts = np.linspace(0.0, 4.0 * s.default_horizon() + 50.0, 4001)
    largest = float(np.max(s(ts)))

    def walk(v: Any, key: str = "") -> None:
        nonlocal largest
        if isinstance(v, dict):
            for k, x in v.items():
                walk(x, k)
        elif isinstance(v, list):
            for x in v:
                walk(x, key)
        elif key in LR_PARAMETERS and isinstance(v, (int, float)):
            largest = max(largest, float(v))

    walk(s.get_config())
    return largest


def float32_parameters(s: lrdecay.Schedule) -> lrdecay.Schedule:
    """``s`` with every real parameter rounded to float32, as the in-graph formula sees it
    (the reference when that rounding matters: ``decay_rate = 0.99999`` to a large power)."""

    def r(v: Any) -> Any:
        if isinstance(v, dict):
            return {k: r(x) for k, x in v.items()}
        if isinstance(v, list):
            return [r(x) for x in v]
        if isinstance(v, float):
            return float(np.float32(v))
        return v

    try:
        return lrdecay.from_config(r(s.get_config()))
    except (TypeError, ValueError):  # rounding broke a constraint: keep the original
        return s


def _graph_ok(s: lrdecay.Schedule, t: np.ndarray, got: np.ndarray) -> np.ndarray:
    ref = s(t)
    tol = RTOL * np.abs(ref) + ATOL_SCALE * peak(s)
    ok = np.abs(got - ref) <= tol
    if not ok.all():
        d = CLOCK_ULPS * U32 * np.maximum(t, 1.0)
        window = np.stack([s(np.maximum(t + f * d, 0.0)) for f in (-1.0, -0.5, 0.0, 0.5, 1.0)])
        lo, hi = window.min(axis=0), window.max(axis=0)
        margin = (hi - lo) + tol
        ok |= (got >= lo - margin) & (got <= hi + margin)
    return ok


def graph_mismatches(s: lrdecay.Schedule, t: np.ndarray, got: np.ndarray,
                     alternative: lrdecay.Schedule | None = None) -> list[str]:
    """Where float32 in-graph values ``got`` at float64 clock values ``t`` disagree with NumPy:
    ``|got - lr(t)| <= RTOL * |lr(t)| + ATOL_SCALE * peak``, or ``got`` within the range of
    ``lr`` over ``t +- CLOCK_ULPS * 2^-24 * max(t, 1)`` (widened by that range and the
    tolerance). Agreeing with ``alternative`` (``float32_parameters(s)``) also counts."""
    t = np.asarray(t, dtype=np.float64)
    got = np.asarray(got, dtype=np.float64).reshape(t.shape)
    ok = _graph_ok(s, t, got)
    if alternative is not None and not ok.all():
        ok |= _graph_ok(alternative, t, got)
    ref = s(t)
    return [f"t={t[i]!r}: in-graph {got[i]!r} vs numpy {ref[i]!r}" for i in np.flatnonzero(~ok)]


def assert_float32_agrees(s: lrdecay.Schedule, t: Any, got: Any) -> None:
    """Assert the float32 agreement rule (``graph_mismatches``, exact parameters or
    parameters rounded to float32) for values ``got`` of ``s`` at clock values ``t``: the
    one test of "in-graph equals NumPy", and of "Keras's own schedule equals lrdecay's"."""
    problems = graph_mismatches(s, t, got, float32_parameters(s))
    assert not problems, f"{s!r}: {len(problems)} value(s) differ:\n" + "\n".join(problems[:5])


# -- Fresh processes -------------------------------------------------------------------------


def subprocess_env(backend: str | None = None, **extra: str) -> dict[str, str]:
    """The environment of a child process: quiet TensorFlow, this Python for reticulate."""
    env = dict(os.environ)
    env.setdefault("RETICULATE_PYTHON", sys.executable)
    # This checkout's lrdecay and this kit first, as in the test process (pytest.ini).
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO / "inst" / "python"), str(HERE), env.get("PYTHONPATH", "")) if p)
    env["TF_CPP_MIN_LOG_LEVEL"] = "2"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONHASHSEED"] = "0"
    env.pop("MPLBACKEND", None)
    if backend is not None:
        env["KERAS_BACKEND"] = backend
    env.update(extra)
    return env


def run_processes(jobs: list[dict[str, Any]], *, workers: int = 2,
                  timeout: float = 400) -> list[subprocess.CompletedProcess]:
    """Run fresh processes, ``workers`` at a time (``jobs``: keyword arguments ``argv``
    and, optionally, ``cwd`` and ``env``, variables to set in ``subprocess_env()``); each
    one's ``CompletedProcess``, in order, whatever its exit status (``check_process``)."""
    from concurrent.futures import ThreadPoolExecutor

    def one(job: dict[str, Any]) -> subprocess.CompletedProcess:
        return subprocess.run(job["argv"], capture_output=True, text=True, timeout=timeout,
                              env=subprocess_env(**job.get("env", {})), cwd=job.get("cwd"))

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, jobs))


def check_process(proc: subprocess.CompletedProcess, what: str) -> str:
    """``proc``'s stdout; fails the test, showing stderr, if it exited with an error."""
    if proc.returncode != 0:
        pytest.fail(f"{what} failed with code {proc.returncode}:\n--- stdout\n"
                    f"{proc.stdout[-4000:]}\n--- stderr\n{proc.stderr[-6000:]}")
    return proc.stdout


def run_python_parallel(jobs: list[dict[str, Any]], *, timeout: float = 400) -> list[str]:
    """Run several fresh Pythons at once, all of them (``jobs``: keyword arguments ``code``,
    ``backend``, optionally ``name``); their stdouts, in order. Fails the test, showing
    stderr, if any child fails."""
    procs = run_processes([{"argv": [sys.executable, "-c", textwrap.dedent(job["code"])],
                            "env": {"backend": job.get("backend")}} for job in jobs],
                          workers=len(jobs), timeout=timeout)
    failures = [f"child Python ({job.get('name', job.get('backend'))}) failed with code "
                f"{proc.returncode}:\n--- stdout\n{proc.stdout[-3000:]}\n"
                f"--- stderr\n{proc.stderr[-5000:]}"
                for job, proc in zip(jobs, procs) if proc.returncode != 0]
    if failures:
        pytest.fail("\n\n".join(failures))
    return [proc.stdout for proc in procs]


def last_json(stdout: str) -> Any:
    """The last line of ``stdout`` that is a JSON document (children print their results so)."""
    for line in reversed(stdout.strip().splitlines()):
        if line.startswith(("{", "[")):
            return json.loads(line)
    raise AssertionError(f"no JSON result in the child's output:\n{stdout[-3000:]}")


_R_READY: bool | None = None


def require_r() -> str:
    """The path of ``Rscript``, skipping the test when R or the installed lrdecay R package is
    missing (both come with ``make setup``). ``R_LIBS`` and friends are honoured."""
    global _R_READY
    rscript = shutil.which("Rscript")
    if rscript is None:
        pytest.skip("Rscript is not installed")
    if _R_READY is None:
        proc = subprocess.run(
            [rscript, "-e", 'cat(requireNamespace("lrdecay", quietly = TRUE) && '
                            'requireNamespace("reticulate", quietly = TRUE))'],
            capture_output=True, text=True, timeout=120, env=subprocess_env())
        _R_READY = proc.stdout.strip().endswith("TRUE")
    if not _R_READY:
        pytest.skip("the lrdecay R package is not installed (make setup installs it)")
    return rscript


def run_r(code: str, *, timeout: float = 300, cwd: Path | None = None) -> str:
    """Run R ``code`` with ``Rscript`` in a fresh R session and return its stdout."""
    rscript = require_r()
    script = Path(cwd or ".") / f"_lrdecay_test_{os.getpid()}.R"
    script = script.resolve()
    script.write_text(textwrap.dedent(code))
    try:
        proc = subprocess.run([rscript, str(script)], capture_output=True, text=True,
                              timeout=timeout, env=subprocess_env(), cwd=cwd)
    finally:
        script.unlink(missing_ok=True)
    return check_process(proc, "Rscript")


def tampered(src: Path, dst: Path, edit: Any) -> Path:
    """A copy ``dst`` of the ``.keras`` file ``src`` whose optimizer's ``learning_rate``
    config (a dict) ``edit`` has changed in place."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "config.json":
                cfg = json.loads(data)
                edit(cfg["compile_config"]["optimizer"]["config"]["learning_rate"])
                data = json.dumps(cfg).encode()
            zout.writestr(item, data)
    return Path(dst)


def r_string(x: str) -> str:
    """A Python string as an R string literal."""
    return json.dumps(x)


def sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# -- A small Keras model, its data and fit() (Keras is imported on first use) -----------------

_RNG = np.random.default_rng(7)
#: 64 rows of 4 features and a 0/1 target: batch 32 makes two updates per epoch.
X = _RNG.normal(size=(64, 4)).astype("float32")
Y = (_RNG.uniform(size=(64, 1)) > 0.5).astype("float32")
STEPS_PER_EPOCH = 2


def f32(value: float) -> float:
    """A value as Keras stores it (float32), back as a Python float."""
    return float(np.float32(value))


def keras_model(learning_rate: Any = 0.1, *, inputs: int = 4, seed: int | None = None,
                optimizer: Any = None, metrics: list[str] | None = None, **sgd: Any) -> Any:
    """``Dense(1)`` on ``inputs`` features, mean squared error, compiled with ``optimizer``
    or ``SGD(learning_rate, **sgd)``; ``seed`` sets Keras's random seed first."""
    import keras

    if seed is not None:
        keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input((inputs,)), keras.layers.Dense(1)])
    model.compile(optimizer=optimizer or keras.optimizers.SGD(learning_rate=learning_rate, **sgd),
                  loss="mse", metrics=metrics)
    return model


def mean_prediction(y_true: Any, y_pred: Any) -> Any:
    """A loss whose gradient in every prediction is 1 / batch size (``one_weight_model``)."""
    import keras

    return keras.ops.mean(y_pred)


def one_weight_model(optimizer: Any) -> Any:
    """w: a bias-free ``Dense(1)`` from 0 on input 1 with loss ``mean(y_pred)``: every
    gradient is exactly 1, so SGD's weight after n updates is ``-(lr(0) + ... + lr(n - 1))``
    (without momentum). Train it with ``fit(..., x=ones, y=ones, batch_size=1)``; load it
    with ``custom_objects={"mean_prediction": mean_prediction}``."""
    import keras

    model = keras.Sequential([keras.Input((1,)),
                              keras.layers.Dense(1, use_bias=False, kernel_initializer="zeros")])
    model.compile(optimizer, loss=mean_prediction)
    return model


def weight(model: Any) -> float:
    """The first layer's first weight, as a Python float."""
    import keras

    return float(keras.ops.convert_to_numpy(model.layers[0].kernel).ravel()[0])


def lr_of(model: Any) -> float:
    """The learning rate the model's optimizer applies now."""
    import keras

    return float(keras.ops.convert_to_numpy(model.optimizer.learning_rate))


def rate_probe() -> Any:
    """A Keras callback that records, before every update, ``(epoch, batch, iteration,
    rate)`` in ``rows`` (after every other callback's epoch hook)."""
    import keras

    class RateProbe(keras.callbacks.Callback):
        def __init__(self) -> None:
            super().__init__()
            self.epoch = -1
            self.rows: list[tuple[int, int, int, float]] = []

        def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
            self.epoch = epoch

        def on_train_batch_begin(self, batch: int, logs: Any = None) -> None:
            it = int(keras.ops.convert_to_numpy(self.model.optimizer.iterations))
            self.rows.append((self.epoch, batch, it, lr_of(self.model)))

        def per_epoch(self) -> dict[int, list[float]]:
            out: dict[int, list[float]] = {}
            for epoch, _, _, lr in self.rows:
                out.setdefault(epoch, []).append(lr)
            return out

        def epoch_lrs(self, steps: int = STEPS_PER_EPOCH) -> list[float]:
            """The rate of every epoch, checking it was the same for all its updates."""
            lrs = []
            for epoch, values in sorted(self.per_epoch().items()):
                assert len(values) == steps, (epoch, values)
                assert len(set(values)) == 1, (epoch, values)
                lrs.append(values[0])
            return lrs

    return RateProbe()


def script_callback(values: list[float], key: str = "score") -> Any:
    """A Keras callback that writes ``values[epoch]`` into each epoch's logs as ``key``
    (a scripted metric; list it before the callback that reads it)."""
    import keras

    class Script(keras.callbacks.Callback):
        def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
            logs[key] = values[epoch]

    return Script()


def fit(model: Any, callbacks: Any = (), epochs: int = 3, *, x: Any = None, y: Any = None,
        batch_size: int = 32, **kwargs: Any) -> tuple[Any, Any]:
    """``model.fit`` on ``X``, ``Y`` (or ``x``, ``y``), quietly, with a ``rate_probe()``
    listed last; returns the history and the probe."""
    probe = rate_probe()
    history = model.fit(X if x is None else x, Y if y is None else y, batch_size=batch_size,
                        epochs=epochs, verbose=0, callbacks=[*callbacks, probe], **kwargs)
    return history, probe


# -- other libraries' schedules, for comparison --


def torch_lrs(make_scheduler: Any, n: int, lr: float = 1.0) -> np.ndarray:
    """The learning rate PyTorch applies at t = 0..n-1: a torch SGD optimizer's rate after
    t scheduler steps (``last_epoch = t``); skips the test when torch is not importable.

    Args:
        make_scheduler: ``f(optimizer, torch.optim.lr_scheduler)`` returning the scheduler.
        n: how many updates.
        lr: the optimizer's learning rate (the scheduler's base rate).
    """
    torch = pytest.importorskip("torch")
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=lr)
    sched = make_scheduler(opt, torch.optim.lr_scheduler)
    out = [sched.get_last_lr()[0]]
    for _ in range(n - 1):
        opt.step()
        sched.step()
        out.append(sched.get_last_lr()[0])
    return np.array(out)


# -- a model's training state, to show that nothing changed --


def model_state(model: Any) -> list[np.ndarray]:
    """Copies of every variable of a model's training state: weights, the optimizer's
    variables (its learning rate among them) and the metrics'."""
    return [np.array(v, copy=True) for v in
            [*model.variables, *model.optimizer.variables, *model.metrics_variables]]


def same_state(before: list[np.ndarray], model: Any) -> bool:
    """Whether ``model`` is still, bit for bit, in the state ``model_state`` recorded."""
    after = model_state(model)
    return len(after) == len(before) and all(
        a.dtype == b.dtype and np.array_equal(a, b) for a, b in zip(before, after))


# -- Keras's twins: one table for the reference formulas and the Keras tests -----------------


def restarts(first: float, t_mul: float, n: int = 8) -> list[float]:
    """The first n restarts of SGDR after t = 0, where the rate is back at initial_lr * m_mul^i."""
    return np.cumsum(first * float(t_mul) ** np.arange(n)).tolist()


#: lrdecay's twins of Keras's schedules: (id, class, positional arguments in Keras's order,
#: the clock values where it changes regime), checked against plain-Python formulas
#: (test_schedules.py) and Keras's own class (``KERAS_TWIN``, test_keras_schedule.py). Rows
#: with the required arguments only show that the defaults are Keras's.
TWIN_CASES = [
    ("exponential-100", Exponential, (0.1, 100, 0.96), [100, 200]),
    ("exponential", Exponential, (0.1, 1000, 0.96), [1000, 2000, 10_000, 28_000, 28_125]),
    ("exponential-staircase", Exponential, (0.1, 1000, 0.96, True),
     [1000, 2000, 10_000, 28_000, 28_125]),
    ("exponential-staircase-7", Exponential, (0.3, 7, 0.5, True), [7, 14, 21, 70]),
    ("inverse-time", InverseTime, (0.1, 10, 0.5), [10, 20, 100]),
    # the tutorials' lr / (1 + rate * epoch)
    ("inverse-time-per-epoch", InverseTime, (0.1, 1, 0.5), [1, 2, 49]),
    ("inverse-time-1000", InverseTime, (0.1, 1000, 0.5), [1000]),
    ("inverse-staircase", InverseTime, (0.1, 7, 2.0, True), [7, 14, 21]),
    ("polynomial", Polynomial, (0.1, 100), [100]),
    ("polynomial-1000", Polynomial, (0.1, 1000), [1000]),
    ("polynomial-to-zero", Polynomial, (0.1, 100, 0.0), [100]),
    ("polynomial-power-end", Polynomial, (0.1, 100, 0.001, 2.0), [100]),
    ("polynomial-cycle", Polynomial, (0.1, 30, 0.01, 0.5, True), [30, 60, 90]),
    ("polynomial-cycle-3", Polynomial, (0.1, 25, 1e-4, 3.0, True), [25, 50]),
    ("cosine", Cosine, (0.1, 100), [100]),
    ("cosine-1000", Cosine, (0.1, 1000), [1000]),
    ("cosine-alpha", Cosine, (0.1, 150, 0.2), [150]),
    ("cosine-tutorial", Cosine, (0.01, 50), [25, 50]),
    ("restarts-t1", CosineRestarts, (0.1, 20, 1.0), [20, 40, 60]),
    ("restarts-t1-m-alpha", CosineRestarts, (0.1, 10, 1.0, 0.8, 0.05), restarts(10, 1)),
    ("restarts-t2", CosineRestarts, (0.1, 10), [10, 30, 70, 150, 310]),
    ("restarts-100", CosineRestarts, (0.1, 100), [100, 300, 700]),
    ("restarts-t2-m-alpha", CosineRestarts, (0.1, 10, 2.0, 0.5, 0.1), restarts(10, 2)),
    # t_mul = 3: the restart at t = 1210 is where log(243) / log(3) rounds to 4.999...
    ("restarts-t3", CosineRestarts, (0.1, 10, 3.0, 0.9), restarts(10, 3)),
    ("restarts-t4", CosineRestarts, (1.0, 10, 4.0, 0.9), restarts(10, 4)),
    ("restarts-t1.5", CosineRestarts, (1.0, 8, 1.5, 1.0, 0.01), [8, 20, 38, 65]),
    ("piecewise", Piecewise, ([10, 20, 50], [0.1, 0.05, 0.01, 0.001]), [10, 20, 50]),
    ("piecewise-2", Piecewise, ([100, 500], [0.1, 0.01, 0.001]), [100, 500]),
    ("piecewise-one-boundary", Piecewise, ([3], [1.0, 0.5]), [3]),
]
KERAS_TWIN = {Exponential: "ExponentialDecay", InverseTime: "InverseTimeDecay",
              Polynomial: "PolynomialDecay", Cosine: "CosineDecay",
              CosineRestarts: "CosineDecayRestarts", Piecewise: "PiecewiseConstantDecay"}


# -- One compiled model for tests that read only the rates applied ---------------------------


def at_rate(model: Any, learning_rate: float) -> Any:
    """``model`` (compiled with a number) with its rate set to ``learning_rate`` and its step
    count to 0: one compiled model (its training step traced once) for tests that read only
    the rates a fit() applies."""
    model.optimizer.learning_rate.assign(learning_rate)
    model.optimizer.iterations.assign(0)
    return model


# --- t-train ---


def sgd_replay(lrs: Any, moms: Any) -> np.ndarray:
    """``one_weight_model``'s weight after each update of Keras's SGD with momentum, by
    NumPy: gradient 1, so ``v = m v - lr; w += v`` at each update's rate and momentum."""
    w = v = 0.0
    out = []
    for lr, m in zip(lrs, moms):
        v = np.float32(m) * v - np.float32(lr)
        w += v
        out.append(w)
    return np.array(out)


def hparam_probe(*names: str) -> Any:
    """A Keras callback that records, after every update, the first weight and then the
    optimizer's hyperparameters ``names`` (``array()``: one row an update)."""
    import keras

    class ReadBack(keras.callbacks.Callback):
        def __init__(self) -> None:
            super().__init__()
            self.rows: list[list[float]] = []

        def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
            if hasattr(self.model, "jax_state_sync"):  # JAX's step holds them within an epoch
                self.model.jax_state_sync()
            opt = self.model.optimizer
            self.rows.append([weight(self.model), *(float(getattr(opt, n)) for n in names)])

        def array(self) -> np.ndarray:
            return np.array(self.rows)

    return ReadBack()
