"""The demo: train one small model per schedule and seed, and compare.

``compare_schedules()`` trains a small MLP (Flatten, Dense 128 relu, Dense 10 softmax,
SGD) on scikit-learn's handwritten digits (1,797 8x8 images, shipped with
scikit-learn: no download) once per schedule and seed: seeds ``seed, seed + 1, ...``,
the same initial weights and batch order for every schedule of a seed. It reports, per
schedule, the mean and standard deviation over the seeds of the test accuracy and
loss, and writes a PNG with the learning rate and the mean validation loss (a band of
one standard deviation) of every schedule against the epoch.

The fits run in worker processes (two by default, each importing Keras once and using
one thread): every fit starts from its own seed, so the results are the same as one fit
after another in this process (``workers=1``).
"""

from __future__ import annotations

import json
import math
import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Optional

import numpy as np

from ._checks import check_integer, check_verbose, fail, of_run
from .schedules import (
    WSD,
    Constant,
    Cosine,
    Cyclic,
    Exponential,
    InverseTime,
    Linear,
    OneCycle,
    Polynomial,
    Schedule,
    Step,
    Warmup,
    from_config,
)
from .words import current

__all__ = ["default_schedules", "compare_schedules", "check_output_path", "load_digits_split",
           "format_table", "format_report", "spread_summary", "exceeds_spread", "COLUMNS"]

#: The numbers reported per schedule, in this order, whatever the number of seeds.
COLUMNS = ("schedule", "final_lr", "test_accuracy", "test_accuracy_sd", "test_loss",
           "test_loss_sd", "seconds")

#: One-cycle's (div_factor, final_div_factor): PyTorch's defaults first, then gentler ends
#: for runs too short for them (see ``default_schedules``).
_ONE_CYCLE_ENDS = ((25.0, 1e4), (25.0, 1e3), (25.0, 100.0), (25.0, 10.0), (10.0, 10.0),
                   (10.0, 3.0), (10.0, 1.0), (5.0, 1.0))


def _one_cycle(max_lr: float, epochs: int) -> OneCycle:
    """One-cycle over the run (``epochs`` epochs; 2 when ``epochs`` is 1) whose rate
    changes by at most 10x per epoch (where the larger rate is at least 1% of the peak)."""
    pct = max(0.3, 1.5 / max(epochs, 2))  # the warmup phase needs more than one epoch
    made = None
    for div, final in _ONE_CYCLE_ENDS:
        made = OneCycle(max_lr, total_steps=None if epochs >= 2 else 2, pct_start=pct,
                        div_factor=div, final_div_factor=final)
        rates = made.sized(epochs)(np.arange(epochs, dtype=np.float64))
        a, b = rates[:-1], rates[1:]
        big = np.maximum(a, b) >= 0.01 * rates.max()
        if not np.any(big & (np.maximum(a, b) > 10.0 * (1.0 + 1e-9) * np.minimum(a, b))):
            break
    assert made is not None
    return made


def default_schedules(epochs: int = 15, lr: float = 0.1) -> dict[str, Schedule]:
    """The demo's eleven schedules for a run of ``epochs`` epochs (the clock is the
    0-based epoch), their lengths sized to the run.

    The lengths are left to the run (an omitted horizon, ``of_run()``): the ``fit()``
    sizes them (``LRScheduler`` to its ``epochs``), and ``s.sized(epochs)`` previews
    them. ``epochs`` chooses only what is not a length: the warmups' first rate,
    one-cycle's ends and the cyclic half-cycle. Every schedule starts at ``lr`` (or
    warms up to it; one-cycle and cyclic peak at ``2 * lr``) and its shape spans the
    whole run, so ``check_schedule(s, epochs)`` finds nothing for any of them from 2
    epochs on (tested up to 60 epochs; one epoch leaves no room for a warmup or a
    decay): the decays end with the run without running at rate 0; a warmup of
    ``w = epochs / 10`` epochs starts at ``lr / (w + 1)``, as from 0 one epoch earlier,
    so no epoch is wasted; one-cycle has PyTorch's ends (``div_factor = 25``,
    ``final_div_factor = 1e4``) when the run is long enough (25 epochs or more), else
    the first of gentler ends with which no epoch changes the rate by more than 10 times.

    - ``constant``: ``lr``;
    - ``step``: halved every quarter of the run (``every = of_run(0.25)``);
    - ``exponential``: ``lr * 0.05^(t / epochs)``, ``lr / 20`` at the end of the run;
    - ``inverse time``: ``lr / (1 + 7 t / epochs)``, ``lr / 8`` at the end of the run;
    - ``polynomial``: power 2 from ``lr`` to ``lr / 100`` over the run;
    - ``cosine``: Keras's cosine decay over the run;
    - ``warmup + cosine``: a warmup over ``of_run(0.1)``, then cosine over the rest;
    - ``one-cycle``: up to ``2 * lr`` over 30% of the run (at least 1.5 epochs), then
      down;
    - ``cyclic``: triangular between ``lr / 10`` and ``2 * lr``, half-cycles of
      ``max(3, round(epochs / 5))`` epochs;
    - ``wsd``: warmup-stable-decay with a warmup over ``of_run(0.1)``, a cosine decay
      to ``lr / 10`` over the last ``of_run(0.2)`` (about two epochs, at most
      ``of_run(0.9)``, for runs of fewer than 10 epochs: ``of_run(round(2 / epochs, 2))``),
      stable in between;
    - ``linear to zero (D2Z)``: a warmup over ``of_run(0.1)``, then linear decay to 0 at
      the end of the run (Bergsma et al. 2025).

    Args:
        epochs: the number of epochs trained (a positive whole number).
        lr: the base learning rate (a positive number).

    Returns:
        A dict of name to schedule, in the order above.
    """
    from ._checks import check_number

    epochs = check_integer("epochs", epochs)
    lr = check_number("lr", lr, low=0.0, low_open=True)
    warm = of_run(0.1)
    start = lr / (epochs / 10 + 1)
    return {
        "constant": Constant(lr),
        "step": Step(lr, drop=0.5, every=of_run(0.25)),
        "exponential": Exponential(lr, of_run(1), 0.05),
        "inverse time": InverseTime(lr, of_run(1), 7.0),
        "polynomial": Polynomial(lr, end_lr=lr / 100, power=2),
        "cosine": Cosine(lr),
        "warmup + cosine": Warmup(Cosine(lr), warmup_steps=warm, start_lr=start),
        "one-cycle": _one_cycle(2 * lr, epochs),
        "cyclic": Cyclic(lr / 10, 2 * lr, step_size=max(3, round(epochs / 5))),
        "wsd": WSD(lr, warm, decay_steps=of_run(min(0.9, max(0.2, round(2 / epochs, 2)))),
                   min_lr_ratio=0.1),
        "linear to zero (D2Z)": Warmup(Linear(lr, 0.0), warmup_steps=warm, start_lr=start),
    }


def check_output_path(output: Any) -> str:
    """Check that ``output`` is a writable ``.png`` path (before any training)."""
    if not isinstance(output, (str, os.PathLike)):
        fail("output", "a path to a .png file", output, TypeError)
    path = os.fspath(output)
    if not path.lower().endswith(".png"):
        fail("output", "a path ending in .png", path)
    folder = os.path.dirname(os.path.abspath(path)) or "."
    if not os.path.isdir(folder):
        fail("output", "a path in an existing folder", path)
    if not os.access(folder, os.W_OK) or (os.path.exists(path) and not os.access(path, os.W_OK)):
        fail("output", "a writable path", path)
    return path


def load_digits_split(test_fraction: float = 0.25, seed: int = 0) -> tuple[np.ndarray, ...]:
    """scikit-learn's digits as float32 8x8 images in [0, 1], split stratified by class.

    Args:
        test_fraction: the share of each class held out for testing.
        seed: the random seed of the split.

    Returns:
        ``x_train, y_train, x_test, y_test``.

    Raises:
        ImportError: scikit-learn is not installed; the message says what to install.
    """
    try:
        from sklearn.datasets import load_digits
    except ImportError as err:
        from . import _install_hint

        raise ImportError("The digits demo needs scikit-learn: " + _install_hint("demo")
                          ) from err

    digits = load_digits()
    x = (digits.images / 16.0).astype("float32")
    y = digits.target.astype("int64")
    rng = np.random.default_rng(seed)
    test = np.zeros(len(y), dtype=bool)
    for label in np.unique(y):
        idx = np.flatnonzero(y == label)
        rng.shuffle(idx)
        test[idx[: int(round(len(idx) * test_fraction))]] = True
    return x[~test], y[~test], x[test], y[test]


def _build_model(seed: int) -> Any:
    import keras

    keras.utils.set_random_seed(seed)
    model = keras.Sequential([
        keras.Input(shape=(8, 8)),
        keras.layers.Flatten(),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


_DATA: Optional[tuple[np.ndarray, ...]] = None  # the digits split, loaded once per process


def _require_training_packages() -> None:
    """Before any training (here or in a worker): Keras and scikit-learn can be imported,
    else an ``ImportError`` that says what to install (without importing either)."""
    import importlib.util

    from . import _install_hint, _keras_missing

    if importlib.util.find_spec("keras") is None:
        raise ImportError(_keras_missing("compare_schedules()", "keras"))
    if importlib.util.find_spec("sklearn") is None:
        raise ImportError("compare_schedules() needs scikit-learn (the digits data): "
                          + _install_hint("demo"))


def _fit_one(schedule: Schedule, epochs: int, batch_size: int, seed: int) -> dict[str, Any]:
    """Train the demo model once: ``schedule`` by ``LRScheduler``, the weights and batch
    order from ``seed``. Returns the per-epoch rates and validation losses, the test
    accuracy and loss, and the seconds ``fit()`` took."""
    from .callbacks import LRScheduler

    global _DATA
    if _DATA is None:
        _DATA = load_digits_split()
    x_train, y_train, x_test, y_test = _DATA
    model = _build_model(seed)
    start = time.perf_counter()
    history = model.fit(
        x_train, y_train, epochs=epochs, batch_size=batch_size, shuffle=True,
        validation_data=(x_test, y_test), verbose=0,
        callbacks=[LRScheduler(schedule, check=False)],  # checked once, by compare_schedules
    )
    seconds = time.perf_counter() - start
    test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=0)
    return {"lr": [float(v) for v in history.history["learning_rate"]],
            "val_loss": [float(v) for v in history.history["val_loss"]],
            "test_accuracy": float(test_accuracy), "test_loss": float(test_loss),
            "seconds": seconds}


def _sd(values: list[float]) -> float:
    """The sample standard deviation (R's ``sd()``); NaN for one value."""
    return float(np.std(values, ddof=1)) if len(values) > 1 else math.nan


def _summary(name: str, fits: list[dict[str, Any]], seeds: list[int]) -> dict[str, Any]:
    acc = [f["test_accuracy"] for f in fits]
    loss = [f["test_loss"] for f in fits]
    val = np.array([f["val_loss"] for f in fits])
    return {
        "schedule": name,
        "final_lr": fits[0]["lr"][-1],
        "test_accuracy": float(np.mean(acc)),
        "test_accuracy_sd": _sd(acc),
        "test_loss": float(np.mean(loss)),
        "test_loss_sd": _sd(loss),
        "seconds": float(np.mean([f["seconds"] for f in fits])),
        "lr": fits[0]["lr"],
        "val_loss": val.mean(axis=0).tolist(),
        "val_loss_sd": (val.std(axis=0, ddof=1) if len(fits) > 1
                        else np.full(val.shape[1], math.nan)).tolist(),
        "per_seed": [{"seed": s, "final_lr": f["lr"][-1], "test_accuracy": f["test_accuracy"],
                      "test_loss": f["test_loss"], "seconds": f["seconds"]}
                     for s, f in zip(seeds, fits)],
    }


def _check_schedules(schedules: Mapping[str, Schedule], epochs: int,
                     hook: Optional[Callable[..., Any]]) -> None:
    """Warn (once per schedule, before any training) about a schedule that does not fit
    the demo's training, as ``LRScheduler`` would when each fit() begins."""
    from .plan import check_schedule, describe_plan, warn_plan

    for name, sched in schedules.items():
        try:
            sched.get_config()  # a user function is not called by the check
            findings = check_schedule(sched, epochs)
        except Exception:  # noqa: BLE001 - a user function that fails fails in training
            continue
        who = f"compare_schedules() ({json.dumps(name)})"
        warn_plan(findings, schedule=sched, plan=describe_plan(epochs, None, "epoch"),
                  who=who, off=current()["compare.check_off"], hook=hook, stacklevel=3)


def compare_schedules(
    schedules: Mapping[str, Schedule] | Schedule | None = None,
    epochs: int = 15,
    seeds: int = 3,
    output: str | None = "lrdecay-demo.png",
    batch_size: int = 32,
    seed: int = 42,
    verbose: int = 1,
    workers: int | None = None,
    progress: Callable[[int, int, str, int], Any] | None = None,
    _warn_hook: Callable[..., Any] | None = None,
) -> list[dict[str, Any]]:
    """Train the demo model once per schedule and seed, and compare.

    Args:
        schedules: names to lrdecay schedules (clock = 0-based epoch; lengths sized
            to the run are sized to ``epochs``), or one schedule (named "schedule"); the
            eleven of ``default_schedules(epochs)`` when ``None``.
        epochs: epochs per fit, ``>= 1``.
        seeds: how many seeds each schedule is trained with (``seed``, ``seed + 1``,
            ...); every schedule of a seed starts from the same weights and sees the
            batches in the same order.
        output: the PNG to write (two panels against the epoch: the learning rate,
            and the mean validation loss over the seeds with a band of one standard
            deviation), or ``None`` for no plot.
        batch_size: the batch size.
        seed: the random seed of the first fit (then ``seed + 1``, ...).
        verbose: 1 prints a line per finished fit and the table (unless ``progress``
            is given: it then reports, and nothing is printed); 0 is quiet.
        workers: processes to train in: 1 trains here, one fit after another; more
            start that many worker processes (each imports Keras once and uses one
            thread) and give the same results. ``None``: ``min(2, CPUs, fits)``.
            Schedules that cannot be sent to another process (a ``FromFunction``)
            train here.
        progress: called after each fit as ``progress(done, total, name, seed)``
            (R's progress bar uses it).
        _warn_hook: how a schedule's check findings are reported (R sets it; see
            ``lrdecay.plan.warn_plan``).

    Returns:
        One dict per schedule, with the same keys whatever ``seeds`` is: the numbers of
        ``COLUMNS`` (``schedule``, ``final_lr``, the means over the seeds
        ``test_accuracy`` and ``test_loss`` and their sample standard deviations
        ``test_accuracy_sd`` and ``test_loss_sd``, NaN for one seed, and ``seconds``,
        the mean per fit); the curves ``lr`` (the rate of each epoch), ``val_loss`` and
        ``val_loss_sd`` (per epoch, mean and sd over the seeds); and ``per_seed``, one
        dict per seed (``seed``, ``final_lr``, ``test_accuracy``, ``test_loss``,
        ``seconds``). ``format_table(rows)`` and ``spread_summary(rows)`` present them.
    """
    epochs = check_integer("epochs", epochs)
    seeds = check_integer("seeds", seeds)
    batch_size = check_integer("batch_size", batch_size)
    seed = check_integer("seed", seed, low=0)
    verbose = check_verbose("verbose", verbose)
    if workers is not None:
        workers = check_integer("workers", workers)
    if progress is not None and not callable(progress):
        fail("progress", "a function or None", progress, TypeError)
    if output is not None:
        output = check_output_path(output)
    if schedules is None:
        schedules = default_schedules(epochs)
    if isinstance(schedules, Schedule):
        schedules = {"schedule": schedules}
    if not isinstance(schedules, Mapping) or not schedules:
        fail("schedules", "a named list (mapping) of lrdecay schedules", schedules, TypeError)
    for name, sched in schedules.items():
        if not isinstance(name, str) or not name:
            fail("schedules", "a named list (mapping) of lrdecay schedules, every name a "
                 "non-empty string", list(schedules), TypeError)
        if not isinstance(sched, Schedule):
            fail("schedules", f"a named list (mapping) of lrdecay schedules ({json.dumps(name)} "
                 "is not one)", sched, TypeError)
    _require_training_packages()  # before the check's warnings: nothing can train without
    _check_schedules(schedules, epochs, _warn_hook)
    if progress is not None:
        verbose = 0

    names = list(schedules)
    seed_list = [seed + k for k in range(seeds)]
    jobs = [(name, s) for name in names for s in seed_list]
    total = len(jobs)
    try:
        configs: list[dict[str, Any]] | None = [schedules[n].get_config() for n, _ in jobs]
    except TypeError:  # a user function: it cannot go to another process
        configs = None
    if workers is None:
        workers = min(2, os.cpu_count() or 1, total)
    if configs is None:
        workers = 1

    results: dict[int, dict[str, Any]] = {}

    def done(i: int, fit: dict[str, Any]) -> None:
        results[i] = fit
        name, s = jobs[i]
        if verbose:
            print(f"[{len(results):>{len(str(total))}}/{total}] {name}, seed {s}: test accuracy "
                  f"{fit['test_accuracy']:.4f}, test loss {fit['test_loss']:.4f} "
                  f"({fit['seconds']:.1f} s)", flush=True)
        if progress is not None:
            progress(len(results), total, name, s)

    if workers == 1:
        for i, (name, s) in enumerate(jobs):
            done(i, _fit_one(schedules[name], epochs, batch_size, s))
    else:
        _run_in_workers(jobs, configs or [], epochs, batch_size, workers, done)

    rows = [_summary(name, [results[i] for i, (n, _) in enumerate(jobs) if n == name],
                     seed_list) for name in names]
    if verbose:
        print(format_report(rows), flush=True)
    if output is not None:
        plot_comparison(rows, output)
        if verbose:
            print(f"Wrote {output}", flush=True)
    return rows


#: Environment of a worker process: one thread for the maths (two workers share two
#: cores; one thread per process also makes the results independent of the machine's load).
_WORKER_ENV = {"TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1",
               "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
               "PYTHONDONTWRITEBYTECODE": "1"}


def _worker_main() -> None:
    """A worker process (``python -c "from lrdecay.compare import _worker_main; ..."``):
    imports Keras once, then reads one job per line on stdin (JSON: index, schedule
    config, epochs, batch size, seed) and writes one result per line on stdout (JSON,
    whose floats round-trip exactly)."""
    out = sys.stdout
    sys.stdout = sys.stderr  # anything else printed goes to stderr
    flags = os.environ.get("XLA_FLAGS", "")
    os.environ["XLA_FLAGS"] = (flags + " --xla_cpu_multi_thread_eigen=false"
                               " intra_op_parallelism_threads=1").strip()
    import keras

    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        tf.config.threading.set_intra_op_parallelism_threads(1)
        tf.config.threading.set_inter_op_parallelism_threads(1)
    elif keras.backend.backend() == "torch":
        import torch

        torch.set_num_threads(1)
    for line in sys.stdin:
        job = json.loads(line)
        fit = _fit_one(from_config(job["config"]), job["epochs"], job["batch_size"],
                       job["seed"])
        out.write(json.dumps({"i": job["i"], "fit": fit}) + "\n")
        out.flush()


def _run_in_workers(jobs: list[tuple[str, int]], configs: list[dict[str, Any]], epochs: int,
                    batch_size: int, workers: int,
                    done: Callable[[int, dict[str, Any]], None]) -> None:
    """Run the fits in ``workers`` fresh Python processes, handing each a new job as it
    finishes one; ``done(i, result)`` runs in this thread as each fit finishes.

    Plain subprocesses (not multiprocessing): nothing of the caller's main module is
    re-imported, so this works from a script without a ``__main__`` guard, from R and
    from a notebook alike.
    """
    import collections
    import queue
    import subprocess
    import threading

    # The workers import lrdecay from where this process found it (R imports it from the
    # installed package's folder, which is not on sys.path).
    path = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {**os.environ, **_WORKER_ENV}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (path, env.get("PYTHONPATH")) if p)
    command = [sys.executable, "-c", "from lrdecay.compare import _worker_main; _worker_main()"]
    events: queue.Queue[tuple[int, Optional[str]]] = queue.Queue()
    errors: list[collections.deque[str]] = []
    procs: list[subprocess.Popen[str]] = []

    def read(k: int, stream: Any, sink: Optional[collections.deque[str]]) -> None:
        for line in stream:
            if sink is None:
                events.put((k, line))
            else:
                sink.append(line)
        if sink is None:
            events.put((k, None))

    pending = collections.deque(range(len(jobs)))

    def send(k: int) -> None:
        i = pending.popleft()
        job = {"i": i, "config": configs[i], "epochs": epochs, "batch_size": batch_size,
               "seed": jobs[i][1]}
        stdin = procs[k].stdin
        assert stdin is not None
        stdin.write(json.dumps(job) + "\n")
        stdin.flush()

    try:
        for k in range(workers):
            proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True, env=env)
            procs.append(proc)
            errors.append(collections.deque(maxlen=40))
            threading.Thread(target=read, args=(k, proc.stdout, None), daemon=True).start()
            threading.Thread(target=read, args=(k, proc.stderr, errors[k]), daemon=True).start()
            if pending:
                send(k)
        finished = 0
        while finished < len(jobs):
            k, line = events.get()
            if line is None:
                procs[k].wait()
                raise RuntimeError(
                    f"A training worker process stopped (exit status {procs[k].returncode}):\n"
                    + "".join(errors[k]))
            message = json.loads(line)
            finished += 1
            done(message["i"], message["fit"])
            if pending:
                send(k)
    finally:
        for proc in procs:
            if proc.stdin is not None:
                try:
                    proc.stdin.close()
                except OSError:
                    pass
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def exceeds_spread(mean1: float, sd1: float, mean2: float, sd2: float) -> bool:
    """Whether two means differ by more than their combined spread ``sqrt(sd1^2 + sd2^2)``.

    The demo's rough rule for telling a difference between two schedules from the noise
    of the seeds (not a significance test). False when a standard deviation is NaN (one
    seed: the spread is unknown).

    Args:
        mean1, sd1: the mean and standard deviation over the seeds of one schedule.
        mean2, sd2: those of the other.

    >>> exceeds_spread(0.95, 0.003, 0.94, 0.004)  # 0.01 > 0.005
    True
    >>> exceeds_spread(0.95, 0.006, 0.945, 0.008)  # 0.005 < 0.01
    False
    """
    return bool(abs(mean1 - mean2) > math.hypot(sd1, sd2))


#: The metrics ``spread_summary`` compares: key, name, and whether higher is better.
_METRICS = (("test_accuracy", "Test accuracy", True), ("test_loss", "Test loss", False))


def _and(items: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def spread_summary(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """Which differences between the schedules exceed the spread over the seeds, in words.

    A difference of two means counts as real when it is larger than their combined
    standard deviation ``sqrt(sd1^2 + sd2^2)`` (``exceeds_spread``). For the test accuracy
    (higher is better) and the test loss (lower is better): how many pairs of schedules
    differ by more than that, which schedules the best one cannot be told apart from, and
    by how much it beats the others.

    Args:
        rows: what ``compare_schedules`` returns (a dict per schedule with ``schedule``,
            ``test_accuracy``, ``test_accuracy_sd``, ``test_loss``, ``test_loss_sd``).

    Returns:
        Sentences, one string per paragraph: none for fewer than two schedules; one
        saying the spread is unknown when a standard deviation is NaN (one seed); else the
        rule, then one paragraph per metric.
    """
    rows = list(rows)
    if len(rows) < 2:
        return []
    sds = [float(r[f"{key}_sd"]) for r in rows for key, _, _ in _METRICS]
    if not all(math.isfinite(sd) for sd in sds):
        return ["With one seed per schedule the spread over seeds is unknown, so no "
                "difference between the schedules can be told from chance: train with "
                "seeds >= 2."]
    n = len(rows)
    pairs = n * (n - 1) // 2
    out = ["A difference of two means counts as real when it is larger than their "
           "combined standard deviation sqrt(sd1^2 + sd2^2) (a rough rule, not a "
           "significance test)."]
    for key, label, higher in _METRICS:
        mean = [float(r[key]) for r in rows]
        sd = [float(r[f"{key}_sd"]) for r in rows]
        name = [str(r["schedule"]) for r in rows]
        real = sum(exceeds_spread(mean[i], sd[i], mean[j], sd[j])
                   for i in range(n) for j in range(i + 1, n))
        best = (max if higher else min)(range(n), key=lambda i: mean[i])
        others = [j for j in range(n) if j != best]
        others.sort(key=lambda j: abs(mean[best] - mean[j]))  # the closest first
        tied = [j for j in others if not exceeds_spread(mean[best], sd[best], mean[j], sd[j])]
        beaten = [j for j in others if j not in tied]
        verb = "differs" if real == 1 else "differ"
        text = (f"{label}: {real} of {pairs} pair{'s' if pairs > 1 else ''} of schedules "
                f"{verb} by more than the spread. The best, {name[best]} ({mean[best]:.4g}), ")
        if tied:
            text += ("cannot be told apart from " + _and([f"{name[j]} ({mean[j]:.4g})"
                                                           for j in tied]))
            text += "; it " if beaten else "."
        if beaten:
            word = "higher" if higher else "lower"
            text += (f"is {word} than " + _and([
                f"{name[j]}'s by {abs(mean[best] - mean[j]):.2g}" for j in beaten])
                + ", more than the spread.")
        out.append(text)
    return out


def format_table(rows: Sequence[Mapping[str, Any]], digits: int = 4, pm: str = "\u00b1",
                 width: int = 100) -> str:
    """The comparison as an aligned plain-text table: the means over the seeds, each with
    its standard deviation (``mean ± sd``; the mean alone for one seed).

    Args:
        rows: what ``compare_schedules`` returns (the keys of ``COLUMNS``).
        digits: decimals of the accuracies and losses, significant digits of the rate.
        pm: the plus-minus sign (``"+/-"`` where ``"\u00b1"`` cannot be shown).
        width: the widest line; longer schedule names are cut (ending in ``...``).

    Returns:
        The table's lines, joined by newlines.
    """
    digits = check_integer("digits", digits)

    def cell(mean: float, sd: float) -> str:
        text = f"{float(mean):.{digits}f}"
        return text if not math.isfinite(float(sd)) else f"{text} {pm} {float(sd):.{digits}f}"

    spread = any(math.isfinite(float(r[f"{k}_sd"])) for r in rows for k, _, _ in _METRICS)
    suffix = f" ({pm} sd)" if spread else ""
    head = ["schedule", "final LR", f"test accuracy{suffix}", f"test loss{suffix}", "s/fit"]
    body = [[str(r["schedule"]), f"{float(r['final_lr']):.{digits}g}",
             cell(r["test_accuracy"], r["test_accuracy_sd"]),
             cell(r["test_loss"], r["test_loss_sd"]), f"{float(r['seconds']):.1f}"]
            for r in rows]
    widths = [max(len(line[k]) for line in [head, *body]) for k in range(len(head))]
    room = width - sum(widths[1:]) - 2 * (len(head) - 1)
    if widths[0] > room:
        widths[0] = max(room, len(head[0]))
        for line in body:
            if len(line[0]) > widths[0]:
                line[0] = line[0][: widths[0] - 3] + "..."
    lines = []
    for line in [head, *body]:
        cells = [line[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(line[1:], widths[1:])]
        lines.append("  ".join(cells).rstrip())
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def format_report(rows: Sequence[Mapping[str, Any]], digits: int = 4, width: int = 100) -> str:
    """``format_table(rows)`` followed by ``spread_summary(rows)``, wrapped to ``width``.

    Args:
        rows: what ``compare_schedules`` returns.
        digits: passed to ``format_table``.
        width: the widest line.
    """
    import textwrap

    parts = [format_table(rows, digits=digits, width=width)]
    parts.extend(textwrap.fill(p, width=width) for p in spread_summary(rows))
    return "\n\n".join(parts)


def plot_comparison(rows: list[dict[str, Any]], output: str) -> str:
    """Write the two-panel PNG: the learning rate, and the mean validation loss with a band
    of one standard deviation over the seeds, against the epoch."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    fig, (ax_lr, ax_loss) = plt.subplots(1, 2, figsize=(13, 5))
    colors = list(plt.get_cmap("tab10").colors)
    for k, r in enumerate(rows):
        color = colors[k % len(colors)]
        style = "-" if k < len(colors) else "--"
        ep = np.arange(1, len(r["lr"]) + 1)
        mean = np.asarray(r["val_loss"])
        sd = np.nan_to_num(np.asarray(r.get("val_loss_sd", np.zeros_like(mean))))
        ax_lr.plot(ep, r["lr"], style, marker=".", color=color, label=r["schedule"])
        ax_loss.plot(ep, mean, style, marker=".", color=color, label=r["schedule"])
        ax_loss.fill_between(ep, mean - sd, mean + sd, color=color, alpha=0.15, linewidth=0)
    n = len(rows[0]["per_seed"]) if rows else 0
    ax_lr.set(title="Learning rate", xlabel="epoch", ylabel="learning rate")
    ax_loss.set(title=f"Validation loss: mean over {n} seed{'s' if n != 1 else ''} "
                      "(band: \u00b11 sd)", xlabel="epoch", ylabel="loss", yscale="log")
    plain = matplotlib.ticker.FormatStrFormatter("%g")
    ax_loss.yaxis.set_major_formatter(plain)
    ax_loss.yaxis.set_minor_formatter(plain)
    for ax in (ax_lr, ax_loss):
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax_loss.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(output, dpi=100)
    plt.close(fig)
    return output
