"""lrdecay benchmarks (``make bench``; never part of ``make test``).

Prints a table and writes ``benchmarks/results.md``:

1. Training-step overhead of each way to decay the LR, against a constant LR,
   interleaved in one run (medians of per-step times over rounds).
2. Preview speed: 1,000,000 clock values from Python and from R (one call),
   against the bare NumPy formula and Keras's own schedule.
3. Start-up: ``import lrdecay`` and ``library(lrdecay)`` + one ``lr_at``.
4. Scale: per-step cost and memory at 10, 1,000 and 100,000 steps per epoch.

Usage: ``python benchmarks/run.py [--quick]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "inst" / "python"))

import lrdecay  # noqa: E402

PY = sys.executable


def stats(xs: list[float]) -> tuple[float, float, float]:
    """Median, min and max."""
    return statistics.median(xs), min(xs), max(xs)


# -- 1. training-step overhead ------------------------------------------------

def make_model(lr: Any) -> Any:
    import keras

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input(shape=(16,)), keras.layers.Dense(32, activation="relu"),
                              keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=lr), loss="mse")
    return model


def r_callbacks() -> dict[str, Any]:
    """Build the R callbacks through rpy2 (R's reticulate shares this Python)."""
    try:
        import rpy2.robjects as ro
    except Exception as err:  # pragma: no cover
        print(f"(R variants skipped: rpy2 unavailable: {err})")
        return {}
    ro.r("suppressMessages(library(lrdecay))")
    ro.r("""
      main <- reticulate::import_main(convert = FALSE)
      main$lrdecay_bench_r_epoch <- callback_lr_scheduler(
        function(epoch) 0.01 * 0.5^floor(epoch / 2))
      main$lrdecay_bench_r_batch <- callback_lr_custom(
        on_batch_begin = function(batch, lr, logs) 0.01 * 0.999^batch)
    """)
    import __main__

    return {"epoch callback, R function": __main__.lrdecay_bench_r_epoch,
            "per-batch R callback": __main__.lrdecay_bench_r_batch}


def bench_overhead(rounds: int, steps: int, r: bool) -> list[dict[str, Any]]:
    import keras

    class PerBatchPython(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch: int, logs: Any = None) -> None:
            self.model.optimizer.learning_rate = 0.01 * 0.999**batch

    sched = lrdecay.Cosine(0.01, decay_steps=10)
    variants: dict[str, Callable[[], tuple[Any, list[Any]]]] = {
        "constant LR (baseline)": lambda: (0.01, []),
        "lrdecay in-graph, per step": lambda: (sched.to_keras(), []),
        "lrdecay in-graph, steps_per_epoch": lambda: (sched.to_keras(steps_per_epoch=steps), []),
        "lrdecay epoch callback": lambda: (0.01, [lrdecay.LRScheduler(sched)]),
        "Keras CosineDecay": lambda: (keras.optimizers.schedules.CosineDecay(0.01, 10), []),
        "per-batch Python callback": lambda: (0.01, [PerBatchPython()]),
    }
    if r:
        for name, cb in r_callbacks().items():
            variants[name] = (lambda cb=cb: (0.01, [cb]))
    x = np.random.default_rng(0).normal(size=(steps * 32, 16)).astype("float32")
    y = x[:, :1] * 2.0
    times: dict[str, list[float]] = {k: [] for k in variants}
    models = {}
    for name, make in variants.items():  # build and warm up (tracing) once
        lr, cbs = make()
        models[name] = (make_model(lr), cbs)
        models[name][0].fit(x, y, batch_size=32, epochs=1, verbose=0, callbacks=cbs)
    order = list(variants)
    for _ in range(rounds):
        random.shuffle(order)
        for name in order:
            model, cbs = models[name]
            t0 = time.perf_counter()
            model.fit(x, y, batch_size=32, epochs=2, verbose=0, callbacks=cbs, shuffle=False)
            times[name].append((time.perf_counter() - t0) / (2 * steps) * 1e6)
    base = statistics.median(times["constant LR (baseline)"])
    rows = []
    for name in variants:
        med, lo, hi = stats(times[name])
        rows.append({"variant": name, "us_per_step": med, "min": lo, "max": hi,
                     "vs_constant": f"{(med / base - 1) * 100:+.1f}%"})
    return rows


# -- 2. preview speed -----------------------------------------------------------

def bench_preview(rounds: int, r: bool) -> list[dict[str, Any]]:
    n = 1_000_000
    t = np.arange(n, dtype=np.float64) / 10.0
    sched = lrdecay.Cosine(0.1, decay_steps=50_000.0)

    def bare() -> Any:
        return 0.1 * 0.5 * (1.0 + np.cos(np.pi * np.minimum(t, 50_000.0) / 50_000.0))

    def ours() -> Any:
        return sched(t)

    import keras

    kd = keras.optimizers.schedules.CosineDecay(0.1, 50_000)
    t32 = keras.ops.convert_to_tensor(t.astype("float32"))

    def keras_sched() -> Any:
        return keras.ops.convert_to_numpy(kd(t32))

    fns = {"bare NumPy formula": bare, "lrdecay, Python": ours, "Keras CosineDecay": keras_sched}
    assert np.allclose(ours(), bare(), rtol=0, atol=1e-15)
    out: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            out[name].append((time.perf_counter() - t0) * 1e3)
    if r:
        # A fresh Rscript (not rpy2: after Keras training in this process, rpy2's R calls
        # without the GIL abort the interpreter with reticulate 1.28).
        code = (
            "suppressMessages(library(lrdecay)); s <- schedule_cosine(0.1, 50000); "
            "t <- (0:999999) / 10; invisible(lr_at(s, t)); "
            f"for (i in 1:{rounds}) cat(system.time(lr_at(s, t))[['elapsed']] * 1e3, "
            "system.time(0.1 * 0.5 * (1 + cos(pi * pmin(t, 50000) / 50000)))[['elapsed']] * 1e3,"
            " '\\n')"
        )
        env = dict(os.environ, RETICULATE_PYTHON=PY)
        proc = subprocess.run(["Rscript", "-e", code], env=env, capture_output=True, text=True,
                              check=True)
        pairs = [line.split() for line in proc.stdout.strip().splitlines()]
        out["lrdecay, R lr_at (one call)"] = [float(a) for a, _ in pairs]
        out["R: bare R formula"] = [float(b) for _, b in pairs]
    base = statistics.median(out["bare NumPy formula"])
    return [{"variant": k, "ms": stats(v)[0], "min": stats(v)[1], "max": stats(v)[2],
             "vs_bare_numpy": f"{statistics.median(v) / base:.2f}x"} for k, v in out.items()]


# -- 3. start-up ----------------------------------------------------------------

def _run(cmd: list[str]) -> float:
    env = dict(os.environ, RETICULATE_PYTHON=PY, PYTHONPATH=str(ROOT / "inst" / "python"))
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - t0) * 1e3


def bench_startup(rounds: int, r: bool) -> list[dict[str, Any]]:
    check = ("import sys, lrdecay; lrdecay.Cosine(0.1, 100)(list(range(101))); "
             "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules")
    cmds = {
        "python: interpreter only": [PY, "-c", "pass"],
        "python: import lrdecay + evaluate": [PY, "-c", check],
        "python: import keras": [PY, "-c", "import keras"],
    }
    if r:
        cmds["R: Rscript only"] = ["Rscript", "-e", "invisible(0)"]
        cmds["R: library(lrdecay) + lr_at"] = [
            "Rscript", "-e", "library(lrdecay); invisible(lr_at(schedule_cosine(0.1, 100), 0:100))"]
        cmds["R: ... + import keras"] = [
            "Rscript", "-e", "library(lrdecay); invisible(lr_at(schedule_cosine(0.1, 100), 0:100));"
            " invisible(keras$ops)"]
    out: dict[str, list[float]] = {k: [] for k in cmds}
    for _ in range(rounds):
        for name, cmd in cmds.items():
            out[name].append(_run(cmd))
    return [{"variant": k, "ms": stats(v)[0], "min": stats(v)[1], "max": stats(v)[2]}
            for k, v in out.items()]


# -- 4. scale ---------------------------------------------------------------------

def bench_scale(sizes: list[int]) -> list[dict[str, Any]]:
    import keras

    rows = []
    for mode in ("in-graph", "epoch callback"):
        for steps in sizes:
            sched = lrdecay.Cosine(0.01, decay_steps=10)
            lr = sched.to_keras(steps_per_epoch=steps) if mode == "in-graph" else 0.01
            cbs = [] if mode == "in-graph" else [lrdecay.LRScheduler(sched)]
            keras.utils.set_random_seed(0)
            model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])
            model.compile(optimizer=keras.optimizers.SGD(learning_rate=lr), loss="mse")
            x = np.ones((steps, 4), dtype="float32")
            y = np.ones((steps, 1), dtype="float32")
            model.fit(x[:10], y[:10], batch_size=1, epochs=1, verbose=0, callbacks=cbs)
            rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            t0 = time.perf_counter()
            model.fit(x, y, batch_size=1, epochs=1, verbose=0, callbacks=cbs)
            us = (time.perf_counter() - t0) / steps * 1e6
            rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            rows.append({"variant": f"{mode}, {steps:,} steps/epoch", "us_per_step": us,
                         "peak_rss_growth_MB": (rss1 - rss0) / 1024})
    return rows


# -- report -----------------------------------------------------------------------

def table(rows: list[dict[str, Any]]) -> str:
    keys = list(rows[0])
    head = "| " + " | ".join(keys) + " |\n|" + "---|" * len(keys) + "\n"
    body = ""
    for r in rows:
        cells = [f"{v:.3f}" if isinstance(v, float) else str(v) for v in r.values()]
        body += "| " + " | ".join(cells) + " |\n"
    return head + body


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer rounds and smaller sizes")
    ap.add_argument("--no-r", action="store_true", help="skip the R variants")
    args = ap.parse_args()
    r = not args.no_r
    rounds = 3 if args.quick else 7
    sections = [
        ("1. Training-step overhead (small MLP, batch 32; microseconds per step)",
         lambda: bench_overhead(rounds, 100 if args.quick else 300, r)),
        ("2. Preview: 1,000,000 clock values (milliseconds per call)",
         lambda: bench_preview(rounds, r)),
        ("3. Start-up in a fresh process (milliseconds)", lambda: bench_startup(rounds, r)),
        ("4. Scale: steps per epoch (batch 1, tiny model)",
         lambda: bench_scale([10, 1000, 5000] if args.quick else [10, 1000, 100_000])),
    ]
    out = ["# lrdecay benchmark results", "",
           f"Machine: {platform.platform()}, Python {platform.python_version()}, "
           f"{os.cpu_count()} cores. Medians with min and max over {rounds} interleaved rounds.",
           ""]
    for title, fn in sections:
        print(f"\n## {title}", flush=True)
        rows = fn()
        text = table(rows)
        print(text, flush=True)
        out += [f"## {title}", "", text]
    (ROOT / "benchmarks" / "results.md").write_text("\n".join(out))
    print(f"Wrote {ROOT / 'benchmarks' / 'results.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
