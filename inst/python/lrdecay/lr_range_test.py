"""The learning-rate range test (Smith 2015; fastai's ``lr_find``) for Keras 3 models.

``lr_find(model, x, y)`` trains for at most ``steps`` batches while the learning
rate grows geometrically from ``min_lr`` to ``max_lr``::

    lr_i = min_lr * (max_lr / min_lr) ** (i / (steps - 1)),   i = 0, ..., steps - 1

and records, for each batch, the raw training loss and its exponentially smoothed,
bias-corrected value (``beta = smoothing``)::

    avg_i = beta * avg_{i-1} + (1 - beta) * loss_i,   smoothed_i = avg_i / (1 - beta ** (i + 1))

It stops early once ``smoothed_i > stop_factor * min(smoothed_0..i)`` or the loss
is NaN or infinite. The model is then put back exactly as it was: every model
variable (weights, non-trainable state, seeds), every optimizer variable
(iterations, momentum slots, the learning rate) and every metric variable are
restored bit for bit, also when the sweep stops early or an error interrupts it.

How the sweep runs: in one ``fit()`` whose epochs are chunks of at most 100 batches
(``steps`` split evenly), with no per-batch Python hook, so Keras's compiled step runs
back to back as in plain training. For the sweep, and only for it:

- the optimizer's learning rate is an in-graph schedule that reads the chunk's rates from
  a table (``rates[iteration % 100]``): the rate applied to batch ``i`` is ``lr_i``
  rounded to the rate's dtype, exactly what assigning ``lr_i`` would apply;
- the model's loss tracker is one that also stores each batch's own loss in a table (in
  Keras 3, ``logs["loss"]`` is the running mean over an epoch, not the batch's loss).

At each chunk's end the sweep reads the losses, applies the smoothing and the stop rule
in order (float64) and stops ``fit()`` (``stop_training``) once the rule fires or
``steps`` batches are done; the result ends at the batch where the rule fired. The compiled
step of the sweep is kept with the model, so a second ``lr_find()`` on the same compiled
model does not trace it again; the model's own compiled step is put back untouched.

Data: Keras keeps the iterator across the chunks. Arrays and finite datasets are cycled
through (a chunk ends early where a pass over the data ends, and the next pass starts);
a generator or iterator that runs out ends the sweep (``stop_reason = "out of data"``)
with the batches it gave. Callbacks passed to the sweep see these chunks as epochs.

The suggestions follow fastai (``fastai.callback.schedule``): they are computed
on the smoothed loss, without the first ``steps // 10`` and the last 5 points
and without anything from the first non-finite loss on:

- ``steepest``: the learning rate where the smoothed loss falls fastest against
  ``log(lr)`` (the left end of the steepest segment);
- ``minimum``: the learning rate of the lowest smoothed loss, divided by 10;
- ``valley``: within the longest decreasing run (longest decreasing subsequence)
  of the smoothed loss, of length ``L`` and starting before ``start``, the point
  ``start + int(L / 3) + int(L / 6)``, fastai's "about 2/3 down the valley".

The recommended ``suggestion`` is ``valley``, or ``steepest`` when the loss never
decreases.
"""

from __future__ import annotations

import bisect
import contextlib
import math
import numbers
import types
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import keras
import numpy as np

from ._checks import check_bool, check_integer, check_number, fail, show_value
from .learning_rate import innermost_optimizer

__all__ = ["lr_find", "LRFindResult", "suggest_lr", "model_problem", "fit_args_problem"]

#: fit() arguments that the sweep sets itself.
RESERVED_FIT_ARGS = ("epochs", "steps_per_epoch", "initial_epoch", "validation_data",
                     "validation_split", "validation_steps", "validation_batch_size",
                     "validation_freq")

#: Why a sweep ended, as shown by repr() and R's print().
STOP_REASONS = {
    "completed": "completed",
    "diverged": "stopped early: the smoothed loss exceeded stop_factor x its minimum",
    "non-finite": "stopped early: the loss became NaN or infinite",
    "out of data": "stopped early: the data ran out",
}


# -- the result ----------------------------------------------------------------
@dataclass(frozen=True, repr=False, eq=False)
class LRFindResult:
    """What ``lr_find()`` found.

    Attributes:
        lrs: the learning rate of each batch trained (float64, geometric).
        losses: the raw training loss of each batch.
        smoothed: the smoothed, bias-corrected loss of each batch.
        suggestion: the recommended learning rate (``suggestions["valley"]``, else
            ``suggestions["steepest"]``); ``None`` when too few finite losses.
        suggestions: ``{"steepest", "minimum", "valley"}``, each a float or ``None``.
        suggestion_rule: which rule gave ``suggestion`` (``"valley"``, ``"steepest"``
            or ``None``).
        stop_reason: ``"completed"``, ``"diverged"``, ``"non-finite"`` or ``"out of data"``.
        min_lr, max_lr, steps, smoothing, stop_factor: the sweep's settings.
    """

    lrs: np.ndarray
    losses: np.ndarray
    smoothed: np.ndarray
    suggestion: float | None
    suggestions: dict[str, float | None]
    suggestion_rule: str | None
    stop_reason: str
    min_lr: float
    max_lr: float
    steps: int
    smoothing: float = 0.98
    stop_factor: float = 4.0

    def __len__(self) -> int:
        return len(self.lrs)

    def __repr__(self) -> str:
        def num(v: float | None) -> str:
            return "None" if v is None else f"{v:.3g}"

        rule = f" ({self.suggestion_rule})" if self.suggestion_rule else ""
        sugg = ", ".join(f"{k} {num(v)}" for k, v in self.suggestions.items())
        last = f"{self.lrs[-1]:.3g}" if len(self.lrs) else "-"
        why = STOP_REASONS.get(self.stop_reason, self.stop_reason)
        return (
            f"<LRFindResult: {len(self.lrs)} of {self.steps} steps, learning rate "
            f"{self.min_lr:.3g} to {last} ({why})\n"
            f"  suggestion: {num(self.suggestion)}{rule}\n"
            f"  rules: {sugg}>"
        )

    @property
    def ylim(self) -> tuple[float | None, float | None]:
        """The y range both languages' plots use (``plot_ylim``): the descent, without the
        divergent tail."""
        return plot_ylim(self.smoothed, self.stop_factor)

    def plot(self, ax: Any = None, *, raw: bool = True, **kwargs: Any) -> Any:
        """Draw the smoothed loss against the learning rate (log axis), marking the suggestion.

        Args:
            ax: a matplotlib Axes to draw on; a new figure's when ``None``.
            raw: also draw the raw losses, faintly.
            **kwargs: passed to ``ax.plot`` for the smoothed curve.

        Returns:
            The Axes drawn on.
        """
        try:
            import matplotlib.pyplot as plt
        except ImportError as err:  # pragma: no cover - depends on the environment
            raise ImportError(
                "LRFindResult.plot() needs matplotlib: pip install matplotlib") from err
        if ax is None:
            _, ax = plt.subplots()
        if raw:
            ax.plot(self.lrs, self.losses, color="0.75", lw=0.8, label="loss")
        kwargs.setdefault("label", "smoothed loss")
        ax.plot(self.lrs, self.smoothed, **kwargs)
        ax.set_xscale("log")
        ax.set_xlabel("learning rate (log scale)")
        ax.set_ylabel("loss")
        lo, hi = self.ylim
        if lo is not None:
            ax.set_ylim(lo, hi)
        if self.suggestion is not None:
            ax.axvline(self.suggestion, color="C3", ls="--",
                       label=f"suggestion {self.suggestion:.3g} ({self.suggestion_rule})")
        ax.legend(fontsize=8)
        return ax


def plot_ylim(smoothed: Any, stop_factor: float = 4.0) -> tuple[float | None, float | None]:
    """The y range of the range test's plots (Python's and R's): from the lowest smoothed
    loss to a little above the highest one before it, without the divergent tail.

    The tail starts at the first non-finite loss, or at the first smoothed loss above
    ``stop_factor`` times the lowest one so far (the sweep's own divergence rule); when
    the loss never falls below its first value, the range runs to the highest loss before
    that tail.

    Args:
        smoothed: the smoothed losses.
        stop_factor: the sweep's ``stop_factor``.

    Returns:
        ``(low, high)``, or ``(None, None)`` when no finite loss is left.
    """
    s = np.asarray(smoothed, dtype=np.float64)
    s = s[: _first_non_finite(s)]
    if s.size == 0:
        return None, None
    running = np.minimum.accumulate(s)
    diverged = np.flatnonzero((running > 0) & (s > stop_factor * running))
    if diverged.size:
        s = s[: max(int(diverged[0]), 1)]
    k = int(np.argmin(s))
    lo, hi = float(s[k]), float(np.max(s[: k + 1]))
    if hi <= lo:
        hi = float(np.max(s))
    pad = 0.1 * (hi - lo) if hi > lo else 0.1 * abs(lo) + 0.1
    return lo - pad, hi + pad


# -- suggestions (fastai's rules) ----------------------------------------------------
def _first_non_finite(values: np.ndarray) -> int:
    bad = np.flatnonzero(~np.isfinite(values))
    return int(bad[0]) if bad.size else int(values.size)


def _steepest(lrs: np.ndarray, losses: np.ndarray) -> float:
    grads = np.diff(losses) / np.diff(np.log(lrs))
    return float(lrs[int(np.argmin(grads))])


def _valley(lrs: np.ndarray, losses: np.ndarray) -> float | None:
    # lds[i]: the longest strictly decreasing run of losses (a subsequence) ending at i,
    # by patience sorting on the negated losses (O(n log n)).
    n = losses.size
    tails: list[float] = []  # tails[k]: the smallest end (negated) of a run of k + 1
    lds = np.empty(n, dtype=np.int64)
    for i, value in enumerate((-losses).tolist()):
        k = bisect.bisect_left(tails, value)
        if k == len(tails):
            tails.append(value)
        else:
            tails[k] = value
        lds[i] = k + 1
    end = int(np.argmax(lds))  # the first index with the longest run, as fastai
    length = int(lds[end])
    if length < 2:
        return None
    start = end - length
    idx = start + int(length / 3) + int(length / 6)
    return float(lrs[min(max(idx, 0), n - 1)])


def suggest_lr(
    lrs: Any, smoothed: Any, *, skip_start: int = 0, skip_end: int = 5,
) -> dict[str, float | None]:
    """fastai's three suggestions from a sweep's learning rates and smoothed losses.

    Points before ``skip_start`` and the last ``skip_end`` points are left out, and so
    is everything from the first non-finite loss on; when that leaves fewer than 3
    points, all points up to the first non-finite loss are used instead.

    Args:
        lrs: the learning rates (increasing, positive).
        smoothed: the smoothed loss at each learning rate.
        skip_start: points to leave out at the start (``lr_find`` uses ``steps // 10``).
        skip_end: points to leave out at the end.

    Returns:
        ``{"steepest": ..., "minimum": ..., "valley": ...}``; a value is ``None`` when
        it cannot be computed (fewer than 2 finite points, or no descent for valley).
    """
    lrs = np.asarray(lrs, dtype=np.float64)
    losses = np.asarray(smoothed, dtype=np.float64)
    usable = _first_non_finite(losses)
    lo, hi = skip_start, min(losses.size - skip_end, usable)
    if hi - lo < 3:
        lo, hi = 0, usable
    lrs, losses = lrs[lo:hi], losses[lo:hi]
    if losses.size < 2:
        return {"steepest": None, "minimum": None, "valley": None}
    return {
        "steepest": _steepest(lrs, losses),
        "minimum": float(lrs[int(np.argmin(losses))]) / 10,
        "valley": _valley(lrs, losses),
    }


# -- checks --------------------------------------------------------------------------
def _settable_lr_problem(optimizer: Any) -> str | None:
    lr = getattr(innermost_optimizer(optimizer), "_learning_rate", None)
    if isinstance(lr, keras.Variable):
        return None
    if isinstance(lr, keras.optimizers.schedules.LearningRateSchedule):
        what = f"an in-graph schedule ({type(lr).__name__})"
    elif callable(lr):
        what = "a function"
    else:
        what = show_value(lr)
    return (f"`model` must have an optimizer whose learning rate can be set, not one whose "
            f"`learning_rate` is {what}. Compile the model with a number as `learning_rate` "
            f"for the range test, then use the schedule for training.")


def model_problem(model: Any) -> tuple[str, str] | None:
    """Why ``model`` cannot go through the range test, or ``None`` when it can.

    Returns:
        ``None``, or ``(exception class name, message)``; R reads it to raise the same
        message before any training.
    """
    if not isinstance(model, keras.Model):
        return ("TypeError", f"`model` must be a Keras 3 model, not {show_value(model)}.")
    if not getattr(model, "compiled", False) or getattr(model, "optimizer", None) is None:
        return ("ValueError", f"`model` must be compiled (call `compile()` with an optimizer "
                              f"and a loss first), not an uncompiled {type(model).__name__}.")
    spe = getattr(model, "steps_per_execution", 1)
    if spe != 1:
        return ("ValueError", f"`model` must be compiled with `steps_per_execution = 1` (the "
                              f"learning rate changes at every batch), not {spe}.")
    problem = _settable_lr_problem(model.optimizer)
    if problem is not None:
        return ("ValueError", problem)
    return None


def fit_args_problem(names: Any) -> str | None:
    """The message refusing fit() arguments that the sweep sets itself, or ``None``."""
    if isinstance(names, str):
        names = [names]
    reserved = [k for k in RESERVED_FIT_ARGS if k in list(names or [])]
    if not reserved:
        return None
    return ("lr_find() sets `epochs` and `steps_per_epoch` itself and trains without "
            f"validation; do not pass {', '.join(f'`{k}`' for k in reserved)}.")


def _check_model(model: Any) -> None:
    problem = model_problem(model)
    if problem is not None:
        exc = TypeError if problem[0] == "TypeError" else ValueError
        raise exc(problem[1])


def _check_callbacks(callbacks: Any) -> list[Any]:
    """The ``callbacks`` given to ``lr_find()`` as a list of Keras callbacks.

    Args:
        callbacks: ``None``, one Keras callback, or a list (tuple) of them.

    Raises:
        TypeError: anything else, naming ``callbacks``.
    """
    if callbacks is None:
        return []
    if isinstance(callbacks, keras.callbacks.Callback):
        return [callbacks]
    if (not isinstance(callbacks, (list, tuple))
            or not all(isinstance(c, keras.callbacks.Callback) for c in callbacks)):
        fail("callbacks", "a list of Keras callbacks", callbacks, TypeError)
    return list(callbacks)


def _is_array_data(x: Any) -> bool:
    """Arrays (or nests of them) that fit() batches itself with ``batch_size``."""
    if isinstance(x, (list, tuple)):
        return len(x) > 0 and all(_is_array_data(v) for v in x)
    if isinstance(x, dict):
        return len(x) > 0 and all(_is_array_data(v) for v in x.values())
    return isinstance(x, np.ndarray) or hasattr(x, "__array__") or (
        hasattr(x, "shape") and hasattr(x, "dtype"))


def _leaves(data: Any) -> list[Any]:
    """The arrays of array data (a nest of them), in order."""
    if isinstance(data, (list, tuple)):
        return [leaf for v in data for leaf in _leaves(v)]
    if isinstance(data, dict):
        return [leaf for v in data.values() for leaf in _leaves(v)]
    return [data]


def _check_data(model: Any, x: Any, y: Any, batch_size: int | None) -> None:
    """Array data that the sweep cannot use, refused before any training: non-finite
    values (naming ``x`` or ``y``), no ``y`` for a model whose loss needs targets, fewer
    samples than one batch.

    Args:
        model: the compiled model.
        x, y: the data given to ``lr_find``.
        batch_size: the batch size of array data.
    """
    for name, data in (("x", x), ("y", y)):
        if data is None or not _is_array_data(data):
            continue
        for leaf in _leaves(data):
            values = np.asarray(leaf)
            if values.dtype.kind in "fc" and not np.isfinite(values).all():
                bad = int(np.size(values) - np.isfinite(values).sum())
                raise ValueError(
                    f"`{name}` must hold finite numbers only, not {bad} NaN or infinite "
                    f"value{'s' if bad > 1 else ''}: the range test would stop at the first "
                    "batch that holds one. Remove or impute them first.")
    if _is_array_data(x) and not isinstance(x, (tuple, list)) and y is None \
            and getattr(model, "loss", None) is not None:
        raise ValueError(
            "`y` must be given (the targets of `x`): the model was compiled with a loss, "
            "which compares its predictions with targets.")
    if _is_array_data(x) and batch_size is not None:
        n = len(np.asarray(_leaves(x)[0]))
        if n < batch_size:
            raise ValueError(
                f"`batch_size` must be at most the number of samples in `x` ({n}), not "
                f"{batch_size}: the range test needs whole batches.")


# -- the state: snapshot and restore -------------------------------------------------
def _state_variables(model: Any) -> list[Any]:
    seen: set[int] = set()
    out = []
    for v in [*model.variables, *model.optimizer.variables, *model.metrics_variables]:
        if id(v) not in seen:
            seen.add(id(v))
            out.append(v)
    return out


def _snapshot(model: Any) -> list[tuple[Any, np.ndarray]]:
    # a copy the backend cannot write to (NumPy may share a CPU tensor's memory)
    return [(v, np.array(keras.ops.convert_to_numpy(v), copy=True))
            for v in _state_variables(model)]


def _restore(model: Any, snapshot: list[tuple[Any, np.ndarray]]) -> None:
    known = {id(v) for v, _ in snapshot}
    if any(id(v) not in known for v in model.metrics_variables):
        model.reset_metrics()  # metrics built during the sweep start from zero again
    for v, value in snapshot:
        v.assign(value)


def _build(model: Any, x: Any) -> None:
    """Build the model (and its optimizer) before the snapshot, as fit() would."""
    if not model.built:
        if not _is_array_data(x):
            raise ValueError(
                "`model` must be built (give it a `keras.Input`, or call it once on a batch) "
                f"when `x` is {show_value(x)}, not an unbuilt {type(model).__name__}.")
        first = keras.tree.map_structure(lambda a: a[:1], x)
        model(first)
    if not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)


# -- the sweep -------------------------------------------------------------------------
#: The size of the sweep's in-graph tables: the most batches in one of its epochs.
CHUNK = 100


def _chunk(steps: int) -> int:
    """Batches per epoch of the sweep: ``steps`` split into the fewest equal chunks of at
    most ``CHUNK`` batches. Each epoch costs its begin and end (on JAX its end also waits
    for the queued steps): 5 epochs of 40 batches instead of 2 of 100 cost 2-4% of 200
    TensorFlow steps here, more than the batches a diverging sweep runs past its stop."""
    return -(-steps // -(-steps // CHUNK))


def _value(x: Any) -> Any:
    """A Keras variable's current value (inside a compiled step too), else ``x``."""
    return x.value if isinstance(x, keras.Variable) else x


class _SweepRate(keras.optimizers.schedules.LearningRateSchedule):
    """The sweep's learning rate in the compiled step: ``rates[iteration % CHUNK]``.

    ``rates`` is a variable the sweep tracks as the optimizer's own while it runs, so
    every backend reads its current value (JAX's compiled step takes the optimizer's
    variables as its input). Each chunk's rates are written where its iterations fall
    (``_Sweep.on_epoch_begin``), so no start iteration has to be kept beside them.
    """

    def __init__(self, rates: Any) -> None:
        self.rates = rates

    def __call__(self, step: Any) -> Any:
        i = keras.ops.cast(keras.ops.mod(_value(step), CHUNK), "int32")
        return keras.ops.take(self.rates.value, i)

    def get_config(self) -> dict[str, Any]:
        return {}


class _BatchLosses(keras.metrics.Mean):
    """Keras's loss tracker (the running mean, as ``logs["loss"]``) that also stores each
    batch's own loss, in order, in ``batch_losses[:CHUNK]``, and the number of batches so
    far in its last slot (one variable: JAX's trainer walks its state variables at every
    step). Reset with the metric at every epoch begin."""

    def __init__(self) -> None:
        super().__init__(name="loss")
        self.batch_losses = self.add_variable(shape=(CHUNK + 1,), initializer="zeros",
                                              name="batch_losses")

    def update_state(self, values: Any, sample_weight: Any = None) -> None:
        super().update_state(values, sample_weight=sample_weight)
        table = self.batch_losses.value
        loss = keras.ops.cast(keras.ops.mean(values), table.dtype)
        count = table[CHUNK]
        # 1, computed from the loss: a step whose data ran out does not count (TensorFlow
        # may run the ops that do not need the data).
        one = keras.ops.cast(keras.ops.logical_or(keras.ops.isnan(loss),
                                                  keras.ops.logical_not(keras.ops.isnan(loss))),
                             table.dtype)
        slots = keras.ops.stack([keras.ops.cast(count, "int32"),
                                 keras.ops.convert_to_tensor(CHUNK, "int32")])
        self.batch_losses.assign(keras.ops.scatter_update(
            table, keras.ops.expand_dims(slots, 1), keras.ops.stack([loss, count + one])))

    def reset_state(self) -> None:
        super().reset_state()
        self.batch_losses.assign(keras.ops.zeros((CHUNK + 1,), dtype=self.batch_losses.dtype))

    def read(self) -> np.ndarray:
        """This epoch's batch losses so far, in order (float64)."""
        table = np.asarray(keras.ops.convert_to_numpy(self.batch_losses), dtype=np.float64)
        return table[:min(int(table[CHUNK]), CHUNK)]


class _SweepStep:
    """What the sweep puts into a model while it runs, kept with the model
    (``model._lrdecay_sweep``) so that the sweep's compiled step is traced once per
    compiled model: the rate table, the loss tracker and the compiled step. A plain
    object, so Keras's saving does not walk into it."""

    def __init__(self, model: Any) -> None:
        opt = innermost_optimizer(model.optimizer)
        self.key = self._key(model)
        with keras.name_scope("lrdecay_sweep"):
            self.rates = keras.Variable(np.zeros(CHUNK), dtype=opt._learning_rate.dtype,
                                        trainable=False, name="rates")
        self.schedule = _SweepRate(self.rates)
        self.tracker = _BatchLosses()
        self.train_function: Any = None

    @staticmethod
    def _key(model: Any) -> tuple[int, ...]:
        opt = innermost_optimizer(model.optimizer)
        return (id(model.optimizer), id(opt), id(opt._learning_rate),
                id(getattr(model, "_loss_tracker", None)))

    @classmethod
    def of(cls, model: Any) -> _SweepStep:
        """The model's sweep step, new when the model was compiled again since the last."""
        step = model.__dict__.get("_lrdecay_sweep")
        if not isinstance(step, cls) or step.key != cls._key(model):
            step = cls(model)
            object.__setattr__(model, "_lrdecay_sweep", step)
        return step

    @contextlib.contextmanager
    def installed(self, model: Any) -> Iterator[None]:
        """Install the sweep's rate, loss tracker and compiled step; put the model's own
        back afterwards (also after an error)."""
        opt = innermost_optimizer(model.optimizer)
        own_rate, own_tracker = opt._learning_rate, model._loss_tracker
        own_function = model.train_function
        locked = opt._tracker.locked
        opt._tracker.unlock()
        opt._track_variable(self.rates)
        if locked:
            opt._tracker.lock()
        object.__setattr__(opt, "_learning_rate", self.schedule)
        object.__setattr__(model, "_loss_tracker", self.tracker)
        model.train_function = self.train_function
        finished = False
        try:
            yield
            finished = True
        finally:
            if finished:
                self.train_function = model.train_function
            model.train_function = own_function
            object.__setattr__(model, "_loss_tracker", own_tracker)
            object.__setattr__(opt, "_learning_rate", own_rate)
            opt._untrack_variable(self.rates)


class _Sweep(keras.callbacks.Callback):
    """Sets each chunk's rates and reads its losses, at the chunk's (epoch's) begin and end:
    no per-batch hook, so the compiled step runs without a Python call in between."""

    def __init__(self, lrs: np.ndarray, smoothing: float, stop_factor: float,
                 step: _SweepStep, one_pass: bool) -> None:
        super().__init__()
        self.one_pass = one_pass  # a generator: a chunk cut short means it ran out
        self.planned = lrs
        self.beta = smoothing
        self.stop_factor = stop_factor
        self.step = step
        self.losses: list[float] = []
        self.smoothed: list[float] = []
        self.avg = 0.0
        self.best = math.inf
        self.stop_reason = "completed"
        self.done = False

    def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
        table = self.planned[len(self.losses):len(self.losses) + CHUNK]
        table = np.pad(table, (0, CHUNK - table.size), mode="edge")
        # rate j of the chunk goes where iteration (first + j) reads it: slot (first + j) % CHUNK
        first = int(keras.ops.convert_to_numpy(innermost_optimizer(self.model.optimizer)
                                               ._iterations))
        self.step.rates.assign(np.roll(table, first % CHUNK).astype(self.step.rates.dtype))

    def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
        losses = self.step.tracker.read()
        n = losses.size
        for loss in losses:
            if self.done or len(self.losses) >= self.planned.size:
                break  # batches past the stop or past `steps` only ran out a chunk
            self._record(float(loss))
        short = n < _chunk(self.planned.size) if self.one_pass else n == 0
        if short and not self.done and len(self.losses) < self.planned.size:
            self._stop("out of data")
        if len(self.losses) >= self.planned.size:
            self.done = True
        if self.done:
            self.model.stop_training = True

    def _record(self, loss: float) -> None:
        i = len(self.losses)
        self.avg = self.beta * self.avg + (1 - self.beta) * loss
        smooth = self.avg / (1 - self.beta ** (i + 1))
        self.losses.append(loss)
        self.smoothed.append(smooth)
        if not (math.isfinite(loss) and math.isfinite(smooth)):
            self._stop("non-finite")
        elif self.best > 0 and smooth > self.stop_factor * self.best:
            self._stop("diverged")
        self.best = min(self.best, smooth)

    def _stop(self, reason: str) -> None:
        self.stop_reason = reason
        self.done = True


def lr_find(
    model: Any,
    x: Any,
    y: Any = None,
    min_lr: float = 1e-7,
    max_lr: float = 1,
    steps: int = 100,
    batch_size: int | None = 32,
    smoothing: float = 0.98,
    stop_factor: float = 4,
    **kwargs: Any,
) -> LRFindResult:
    """The learning-rate range test: loss against a geometrically growing learning rate.

    Trains ``model`` for at most ``steps`` batches, batch ``i`` (0-based) with the
    learning rate ``min_lr * (max_lr / min_lr) ** (i / (steps - 1))``, records the raw
    and the smoothed loss, and suggests a learning rate (fastai's rules). Afterwards
    the model's variables, its optimizer's variables (iterations, slots, learning
    rate) and its metrics are restored bit for bit, also after an early stop or an
    error.

    Args:
        model: a compiled Keras 3 model whose optimizer has a constant (settable)
            learning rate, compiled with ``steps_per_execution=1``.
        x: inputs (arrays, or a nest of them), a ``tf.data.Dataset``, a Python
            generator of ``(x, y)`` batches, or anything ``model.fit`` takes. Arrays and
            finite datasets are cycled through when ``steps`` needs more batches.
        y: targets, when ``x`` holds only the inputs.
        min_lr: the first learning rate, ``> 0``.
        max_lr: the last learning rate, ``> min_lr``.
        steps: the number of batches (learning rates) at most, ``>= 5``.
        batch_size: the batch size for array data (ignored for datasets and generators).
        smoothing: ``beta`` of the exponential smoothing, in ``[0, 1)``; 0 = no smoothing.
        stop_factor: stop once the smoothed loss exceeds ``stop_factor`` times its
            minimum so far; ``> 1``.
        **kwargs: passed to ``model.fit`` (``callbacks``, ``shuffle``, ``sample_weight``,
            ``class_weight``, ``verbose`` (default 0)). The epoch and validation
            arguments are the sweep's own and are refused.

    Returns:
        An ``LRFindResult`` with ``lrs``, ``losses``, ``smoothed``, ``suggestion``,
        ``suggestions`` and a ``plot()`` method.

    Raises:
        TypeError, ValueError: for bad arguments, before any training.

    Example:
        >>> import keras, numpy as np, lrdecay
        >>> x = np.random.default_rng(0).normal(size=(256, 2)).astype("float32")
        >>> y = x @ np.array([[1.0], [-2.0]], dtype="float32")
        >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        >>> model.compile(keras.optimizers.SGD(0.01, momentum=0.9), loss="mse")
        >>> result = lrdecay.lr_find(model, x, y, steps=50, max_lr=10)
        >>> 1e-7 <= result.suggestion <= 10
        True
    """
    min_lr = check_number("min_lr", min_lr, low=0.0, low_open=True)
    max_lr = check_number("max_lr", max_lr, low=0.0, low_open=True)
    if max_lr <= min_lr:
        fail("max_lr", f"a number greater than `min_lr` ({min_lr:g})", max_lr)
    steps = check_integer("steps", steps, low=5)
    if batch_size is not None:
        batch_size = check_integer("batch_size", batch_size)
    smoothing = check_number("smoothing", smoothing, low=0.0, high=1.0, high_open=True)
    stop_factor = check_number("stop_factor", stop_factor, low=1.0, low_open=True)
    problem = fit_args_problem(list(kwargs))
    if problem is not None:
        raise TypeError(problem)
    _check_model(model)
    verbose = kwargs.get("verbose")
    if isinstance(verbose, numbers.Real) and not isinstance(verbose, bool):
        kwargs["verbose"] = check_integer("verbose", kwargs["verbose"], low=0)
    if "shuffle" in kwargs and not (isinstance(kwargs["shuffle"], str)
                                    and kwargs["shuffle"] == "batch"):
        kwargs["shuffle"] = check_bool("shuffle", kwargs["shuffle"])
    callbacks = _check_callbacks(kwargs.pop("callbacks", None))
    kwargs.setdefault("verbose", 0)
    if not _is_array_data(x):
        kwargs.setdefault("shuffle", False)  # Keras would warn that it cannot shuffle these
        batch_size = None
    if isinstance(x, Iterator) and not isinstance(x, types.GeneratorType):
        x = (batch for batch in x)  # any iterator, as a generator fit() recognises

    _check_data(model, x, y, batch_size)
    lrs = min_lr * (max_lr / min_lr) ** (np.arange(steps, dtype=np.float64) / (steps - 1))
    _build(model, x)
    snapshot = _snapshot(model)
    step = _SweepStep.of(model)
    sweep = _Sweep(lrs, smoothing, stop_factor, step, isinstance(x, types.GeneratorType))
    stop_training = getattr(model, "stop_training", False)
    had_history = "history" in model.__dict__
    history = model.__dict__.get("history")
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Your input ran out of data")
            with step.installed(model):
                model.fit(x, y, batch_size=batch_size, epochs=steps,
                          steps_per_epoch=_chunk(steps), callbacks=[sweep, *callbacks],
                          **kwargs)
    finally:
        _restore(model, snapshot)
        model.stop_training = stop_training
        if had_history:
            model.history = history
        elif "history" in model.__dict__:
            del model.history

    n = len(sweep.losses)
    lrs = lrs[:n].copy()
    smoothed = np.asarray(sweep.smoothed, dtype=np.float64)
    suggestions = suggest_lr(lrs, smoothed, skip_start=steps // 10, skip_end=5)
    rule = "valley" if suggestions["valley"] is not None else (
        "steepest" if suggestions["steepest"] is not None else None)
    return LRFindResult(
        lrs=lrs,
        losses=np.asarray(sweep.losses, dtype=np.float64),
        smoothed=smoothed,
        suggestion=None if rule is None else suggestions[rule],
        suggestions=suggestions,
        suggestion_rule=rule,
        stop_reason=sweep.stop_reason,
        min_lr=min_lr,
        max_lr=max_lr,
        steps=steps,
        smoothing=smoothing,
        stop_factor=stop_factor,
    )
