"""The digits demo: train one small model per schedule and compare them.

``compare_schedules()`` trains the small network of the Keras MNIST tutorials
(Flatten, Dense 128 relu, Dense 10 softmax, SGD) on scikit-learn's handwritten
digits (1,797 8x8 images, shipped with scikit-learn: no download), once per
schedule, printing the LR of every epoch as the PrintLR idiom of Keras 2
tutorials does, and writes a PNG with the LR and the validation loss of every
schedule against the epoch.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping
from typing import Any

import numpy as np

from ._checks import check_integer, check_verbose, fail
from .schedules import (
    Constant,
    Cosine,
    Cyclic,
    Exponential,
    InverseTime,
    OneCycle,
    Polynomial,
    Schedule,
    Step,
    Warmup,
)

__all__ = ["default_schedules", "compare_schedules", "check_output_path", "load_digits_split"]


def default_schedules(epochs: int = 15, lr: float = 0.1) -> dict[str, Schedule]:
    """The digits demo's nine schedules, sized for ``epochs`` epochs (the clock is the
    0-based epoch).

    Args:
        epochs: the number of epochs they are sized for, a whole number ``>= 1``.
        lr: the base learning rate (the constant schedule's, and the others' scale).

    Returns:
        Names (``"constant"``, ``"step"``, ..., ``"cyclic"``) to schedules.
    """
    epochs = check_integer("epochs", epochs)
    span = max(epochs - 1, 1)
    return {
        "constant": Constant(lr),
        "step": Step(lr, drop=0.5, every=max(1, epochs // 3)),
        "exponential": Exponential(lr, 1, 0.8),
        "inverse time": InverseTime(lr, 1, 0.5),
        "polynomial": Polynomial(lr, decay_steps=span, end_lr=lr / 100, power=2),
        "cosine": Cosine(lr, decay_steps=span),
        "warmup + cosine": Warmup(Cosine(lr, decay_steps=max(span - 2, 1)), warmup_steps=2,
                                  start_lr=lr / 10),
        "one-cycle": OneCycle(2 * lr, total_steps=max(epochs, 4), pct_start=0.3),
        "cyclic": Cyclic(lr / 10, 2 * lr, step_size=max(1, epochs // 5)),
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
        raise ImportError('The digits demo needs scikit-learn: pip install "lrdecay[demo]"'
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


def compare_schedules(
    schedules: Mapping[str, Schedule] | None = None,
    epochs: int = 15,
    output: str | None = "lrdecay-demo.png",
    batch_size: int = 32,
    seed: int = 42,
    verbose: int = 1,
) -> list[dict[str, Any]]:
    """Train the demo model once per schedule and compare.

    Args:
        schedules: names to lrdecay schedules (clock = 0-based epoch), or one
            schedule (named "schedule"); the nine of ``default_schedules(epochs)`` when
            ``None``.
        epochs: epochs per schedule, ``>= 1``.
        output: the PNG to write (two panels: LR and validation loss against
            the epoch, one line per schedule), or ``None`` for no plot.
        batch_size: the batch size.
        seed: the random seed for weights and shuffling, the same for every schedule.
        verbose: 1 prints each epoch's LR and a line per schedule; 0 is quiet (0 or 1).

    Returns:
        One dict per schedule: schedule, final_lr, test_accuracy, test_loss,
        seconds, plus the per-epoch ``lr`` and ``val_loss`` lists.
    """
    epochs = check_integer("epochs", epochs)
    batch_size = check_integer("batch_size", batch_size)
    seed = check_integer("seed", seed, low=0)
    verbose = check_verbose("verbose", verbose)
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

    from . import _import_keras_backed

    callbacks = _import_keras_backed(".callbacks", "compare_schedules()")
    x_train, y_train, x_test, y_test = load_digits_split()
    rows: list[dict[str, Any]] = []
    for i, (name, sched) in enumerate(schedules.items(), start=1):
        if verbose:
            print(f"[{i}/{len(schedules)}] {name}: {sched!r}", flush=True)
        model = _build_model(seed)
        start = time.perf_counter()
        history = model.fit(
            x_train, y_train, epochs=epochs, batch_size=batch_size, shuffle=True,
            validation_data=(x_test, y_test), verbose=0,
            callbacks=[callbacks.LRScheduler(sched), callbacks.LRLogger(verbose=verbose)],
        )
        seconds = time.perf_counter() - start
        test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=0)
        lrs = [float(v) for v in history.history["learning_rate"]]
        rows.append({
            "schedule": name,
            "final_lr": lrs[-1],
            "test_accuracy": float(test_accuracy),
            "test_loss": float(test_loss),
            "seconds": seconds,
            "lr": lrs,
            "val_loss": [float(v) for v in history.history["val_loss"]],
        })
        if verbose:
            print(f"    done: test accuracy {test_accuracy:.4f}, test loss {test_loss:.4f}, "
                  f"{seconds:.1f} s", flush=True)
    if verbose:
        print(format_table(rows), flush=True)
    if output is not None:
        plot_comparison(rows, output)
        if verbose:
            print(f"Wrote {output}", flush=True)
    return rows


def format_table(rows: list[dict[str, Any]]) -> str:
    """The comparison as a plain-text table."""
    head = f"{'schedule':<18}{'final LR':>12}{'test acc':>10}{'test loss':>11}{'seconds':>9}"
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(f"{r['schedule']:<18}{r['final_lr']:>12.6f}{r['test_accuracy']:>10.4f}"
                     f"{r['test_loss']:>11.4f}{r['seconds']:>9.1f}")
    return "\n".join(lines)


def plot_comparison(rows: list[dict[str, Any]], output: str) -> str:
    """Write the two-panel PNG (LR and validation loss against the epoch)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax_lr, ax_loss) = plt.subplots(1, 2, figsize=(12, 4.5))
    for r in rows:
        ep = np.arange(1, len(r["lr"]) + 1)
        ax_lr.plot(ep, r["lr"], marker=".", label=r["schedule"])
        ax_loss.plot(ep, r["val_loss"], marker=".", label=r["schedule"])
    ax_lr.set(title="Learning rate", xlabel="epoch", ylabel="learning rate")
    ax_loss.set(title="Validation loss", xlabel="epoch", ylabel="loss")
    ax_loss.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(output, dpi=100)
    plt.close(fig)
    return output
