"""Optimizer hyperparameters other than the rate, scheduled inside the training step.

``HParamScheduler(per="batch", **schedules)`` drives ``momentum`` (SGD, RMSprop),
``beta_1`` (Adam, AdamW, ...), ``weight_decay`` or any other numeric hyperparameter of
a Keras 3 optimizer by name, with an lrdecay schedule or a function of ``t``:

- ``per="batch"``: ``t`` is the optimizer's iteration count, the clock of an in-graph
  rate schedule (first update: 0). The value is found inside the training step, from
  ``optimizer.iterations``: no per-batch callback runs. On TensorFlow, when ``fit()``
  knows its number of updates, the values of all its updates are computed when training
  begins (float64, then float32) and the step looks its own up: TensorFlow runs each
  small operation of a formula on its own, so one lookup costs less than the schedule's
  formula. Otherwise (JAX, which compiles the formula into one kernel; an unknown
  number of steps) the step computes the schedule, as Keras computes an in-graph
  learning rate. A function (or a schedule holding ``FromFunction``) cannot run in the
  graph: it is tabulated over the updates of ``fit()`` when training begins and the
  step looks its value up.
- ``per="epoch"``: ``t`` is the 0-based epoch; the value is set when each epoch begins.

After update ``i`` the attribute holds the value update ``i`` used; when training ends
it is a plain float again (the last value used), so the optimizer saves and loads as
Keras's own.

>>> import lrdecay
>>> rate = lrdecay.OneCycle(0.1, total_steps=1000)
>>> cb = lrdecay.HParamScheduler(momentum=rate.momentum())  # doctest: +SKIP
>>> # model.compile(keras.optimizers.SGD(rate.to_keras(), momentum=0.9), loss=...)
>>> # model.fit(x, y, callbacks=[cb])
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import keras
import numpy as np

from ._checks import check_choice, show_value
from ._ops import keras_ops
from .fit_check import size_for_fit
from .learning_rate import optimizer_chain, optimizer_of
from .schedules import FromFunction, Schedule
from .words import current

__all__ = ["HParamScheduler", "ScheduledHyperparameter", "scheduled_hyperparameters"]

#: Host-side values computed at once when the PyTorch step or a reader needs more.
_CHUNK = 1024
#: The attribute a wrapper installed by lrdecay carries.
_MARK = "_lrdecay_hparams"
#: The values each known hyperparameter may take: (low, high (excluded) or None, in words).
_RANGES: dict[str, tuple[float, float | None, str]] = {
    **{name: (0.0, 1.0, "in [0, 1)") for name in ("momentum", "beta_1", "beta_2", "rho")},
    **{name: (0.0, None, "a finite number >= 0") for name in ("weight_decay", "epsilon")},
}
#: The most values a TensorFlow step looks up (16 MB); a longer fit() computes the formula.
_LOOKUP_MAX = 1 << 22
#: An attribute the optimizer does not have.
_MISSING = object()


def _owner_of(optimizer: Any, name: str) -> Any:
    """The optimizer that holds ``name``: ``optimizer`` or an inner one (LossScaleOptimizer)."""
    for inner in optimizer_chain(optimizer):
        if name in vars(inner):
            return inner
    return optimizer


def _schedulable(optimizer: Any) -> list[str]:
    """The optimizer's numeric hyperparameters (as in its config), the rate excepted."""
    try:
        config = optimizer.get_config()
    except Exception:  # noqa: BLE001 - an odd optimizer: name what its attributes hold
        config = {}
    names = [k for k, v in config.items()
             if isinstance(v, (float, int)) and not isinstance(v, bool) and k != "learning_rate"
             and isinstance(vars(optimizer).get(k), (float, int, ScheduledHyperparameter))
             and not isinstance(vars(optimizer).get(k), bool)]
    if "weight_decay" in vars(optimizer) and "weight_decay" not in names:
        names.append("weight_decay")
    return sorted(names)


class ScheduledHyperparameter(keras.Variable):
    """An optimizer hyperparameter whose value follows a schedule (made by
    ``HParamScheduler``; not created by users).

    Read by the optimizer's update rules like the float it replaces: inside the
    training step its value is the schedule's at the step's update (``per="batch"``)
    or the epoch's value (``per="epoch"``). Read outside, it is the value the last
    update used. Comparisons (``momentum != 0``, as Keras's ``SGD`` asks to decide
    whether it keeps momentum slots) answer for the value the optimizer was built with.

    Args:
        optimizer: the Keras optimizer holding the attribute.
        name: the attribute's name, e.g. ``"momentum"``.
        schedule: the lrdecay schedule of ``t``.
        per: ``"batch"`` or ``"epoch"``.
        original: the attribute's value before (``None`` for an unset weight decay).
    """

    def __init__(self, optimizer: Any, name: str, schedule: Schedule, per: str,
                 original: float | None) -> None:
        first = float(np.float32(schedule(0.0)))
        super().__init__(first, dtype="float32", trainable=False, autocast=False,
                         name=f"lrdecay_{name}")
        self._optimizer = optimizer
        self._hp_name = name
        self._schedule = schedule
        self._per = per
        self._original = original
        self._graph = schedule.graphable()
        self._inside = 0  # > 0 while the optimizer applies an update (see _wrap)
        self._torch = keras.backend.backend() == "torch"
        self._counter: int | None = None  # PyTorch: the update being applied
        self._step_value: Any = None
        self._epoch_value = first
        self._chunk_start = 0
        self._chunk = np.zeros(0, dtype=np.float32)
        self._table: Any = None  # (start, values): a user function tabulated over fit()
        self._graph_table: Any = None  # the same values as a backend tensor
        # TensorFlow: (values of the fit's updates, the first update) as variables that
        # the step reads, filled again at each fit() that reuses the step
        self._lookup: tuple[Any, Any] | None = None
        self._owner: Any = None

    # -- values --------------------------------------------------------------
    def host_values(self, ts: Any) -> np.ndarray:
        """The schedule's values at the updates ``ts`` (or, per epoch, the epoch's value),
        as float32, computed on the host.

        Args:
            ts: whole clock values (updates), ``>= 0``.
        """
        ts = np.asarray(ts, dtype=np.int64)
        if self._per == "epoch":
            return np.full(ts.shape, self._epoch_value, dtype=np.float32)
        out = np.empty(ts.shape, dtype=np.float32)
        for j, t in enumerate(ts.ravel()):
            out.flat[j] = self._host(int(t))
        return out

    def _host(self, t: int) -> float:
        i = t - self._chunk_start
        if not 0 <= i < self._chunk.size:
            if self._table is not None:  # a user function: its table, else that t alone
                start, values = self._table
                if 0 <= t - start < values.size:
                    return float(values[t - start])
                return float(np.float32(self._schedule(float(t))))
            self._chunk_start = t
            self._chunk = np.asarray(self._schedule(np.arange(t, t + _CHUNK, dtype=np.float64)),
                                     dtype=np.float32)
            i = 0
        return float(self._chunk[i])

    def _last_update(self) -> int:
        return max(int(keras.ops.convert_to_numpy(self._optimizer._iterations)) - 1, 0)

    @property
    def value(self) -> Any:
        if self._per == "epoch":
            return super().value  # assigned when each epoch begins
        if self._inside > 0:
            return self._in_step()
        return keras.ops.convert_to_tensor(np.float32(self._host(self._last_update())))

    def _in_step(self) -> Any:
        """The value inside the update: in the compiled step (TensorFlow, JAX), or from
        the host at the counted update (PyTorch, which runs the step eagerly)."""
        if self._torch:
            if self._step_value is None:
                if self._counter is None:
                    self._counter = int(keras.ops.convert_to_numpy(self._optimizer._iterations))
                self._step_value = keras.ops.convert_to_tensor(np.float32(
                    self._host(self._counter)))
            return self._step_value
        # Once per update, not once per variable the update rule reads it for: the value
        # is kept for the rest of this apply() within the same graph (TensorFlow builds a
        # cond's branches as graphs of their own).
        key = _graph_key()
        if self._step_value is not None and self._step_value[0] == key:
            return self._step_value[1]
        ops = keras.ops
        if self._lookup is not None:
            import tensorflow as tf

            table, first = self._lookup
            i = tf.clip_by_value(self._optimizer._iterations.value - first, 0,
                                 int(table.shape[0]) - 1)
            value = table.sparse_read(i)
        elif self._graph_table is not None:
            start, values = self._graph_table
            i = ops.cast(self._optimizer._iterations, "int32") - start
            i = ops.clip(i, 0, int(values.shape[0]) - 1)
            value = ops.take(values, i)
        else:
            t = ops.cast(self._optimizer._iterations, "float32")
            value = ops.cast(self._schedule._compute(t, keras_ops()), "float32")
        self._step_value = (key, value)
        return value

    def _set_lookup(self, start: int, values: np.ndarray) -> None:
        """TensorFlow: the values of this ``fit()``'s updates, for the step to look up.

        Args:
            start: the optimizer's iteration count when the ``fit()`` begins.
            values: the value of each update from ``start`` on (float32).
        """
        import tensorflow as tf

        if self._lookup is not None and int(self._lookup[0].shape[0]) == values.size:
            self._lookup[0].assign(values)  # a kept step reads these variables
            self._lookup[1].assign(np.int64(start))
            return
        name = f"lrdecay_{self._hp_name}"
        self._lookup = (tf.Variable(values, trainable=False, name=f"{name}_values"),
                        tf.Variable(np.int64(start), trainable=False, name=f"{name}_first"))

    def _step_done(self) -> None:
        self._step_value = None
        if self._torch and self._counter is not None:
            self._counter += 1

    def _set_epoch(self, epoch: int) -> float:
        value = float(np.float32(self._schedule(float(epoch))))
        if value != self._epoch_value:  # one assignment per epoch, and only on a change
            self._direct_assign(keras.ops.convert_to_tensor(np.float32(value)))
        self._epoch_value = value
        return value

    # -- the optimizer's questions: answered for the value it was built with ----
    def _base(self) -> float:
        return 0.0 if self._original is None else self._original

    def __eq__(self, other: Any) -> bool:  # type: ignore[override]
        return self is other or (not isinstance(other, ScheduledHyperparameter)
                                 and self._base() == other)

    def __ne__(self, other: Any) -> bool:  # type: ignore[override]
        return not self.__eq__(other)

    def __gt__(self, other: Any) -> bool:  # type: ignore[override]
        return self._base() > other

    def __ge__(self, other: Any) -> bool:  # type: ignore[override]
        return self._base() >= other

    def __lt__(self, other: Any) -> bool:  # type: ignore[override]
        return self._base() < other

    def __le__(self, other: Any) -> bool:  # type: ignore[override]
        return self._base() <= other

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return (f"<ScheduledHyperparameter {self._hp_name} = {float(self):.6g}, "
                f"per={self._per!r}: {self._schedule!r}>")


def _graph_key() -> int | None:
    """The graph being built (TensorFlow), else ``None``: one apply() is one trace."""
    if keras.backend.backend() != "tensorflow":
        return None
    import tensorflow as tf

    return id(tf.compat.v1.get_default_graph())


def scheduled_hyperparameters(optimizer: Any) -> dict[str, ScheduledHyperparameter]:
    """The hyperparameters an ``HParamScheduler`` drives on ``optimizer`` (or its inner
    optimizer), by name; empty when none is.

    Args:
        optimizer: a Keras optimizer.
    """
    out: dict[str, ScheduledHyperparameter] = {}
    for inner in optimizer_chain(optimizer):
        out.update({k: v for k, v in vars(inner).items()
                    if isinstance(v, ScheduledHyperparameter)})
    return out


def _wrap(optimizer: Any) -> None:
    """Wrap the optimizer's ``apply`` (marks the update for the scheduled values) and
    ``get_config`` (plain floats in its config), once."""
    if getattr(vars(optimizer).get("apply"), _MARK, False):
        return
    apply, get_config = optimizer.apply, optimizer.get_config

    def wrapped_apply(*args: Any, **kwargs: Any) -> Any:
        hps = [v for v in vars(optimizer).values() if isinstance(v, ScheduledHyperparameter)]
        for hp in hps:
            hp._inside += 1
        try:
            return apply(*args, **kwargs)
        finally:
            for hp in hps:
                hp._inside -= 1
                hp._step_done()

    def wrapped_get_config() -> dict[str, Any]:
        config = get_config()
        for key, value in config.items():
            if isinstance(value, ScheduledHyperparameter):
                config[key] = float(value)
        return config

    for fn in (wrapped_apply, wrapped_get_config):
        setattr(fn, _MARK, True)
    object.__setattr__(optimizer, "apply", wrapped_apply)
    object.__setattr__(optimizer, "get_config", wrapped_get_config)


def _unwrap(optimizer: Any) -> None:
    if any(isinstance(v, ScheduledHyperparameter) for v in vars(optimizer).values()):
        return
    for name in ("apply", "get_config"):
        if getattr(vars(optimizer).get(name), _MARK, False):
            del optimizer.__dict__[name]


def _as_schedule(name: str, value: Any) -> Schedule:
    if isinstance(value, Schedule):
        return value
    if callable(value):
        return FromFunction(value)
    raise TypeError(f"`{name}` must be an lrdecay schedule or a function of t, not "
                    f"{show_value(value)}.")


class HParamScheduler(keras.callbacks.Callback):
    """Schedule optimizer hyperparameters other than the rate, by name.

    ``t`` is the optimizer's iteration count (``per="batch"``, first update 0: the clock
    of an in-graph rate schedule) or the 0-based epoch (``per="epoch"``). After update
    ``i`` the optimizer's attribute holds the value update ``i`` used; when training
    ends it is a plain float again (the last value used), so the optimizer saves and
    loads as usual. ``per="batch"`` values are found inside the training step (no
    per-batch callback runs): on TensorFlow looked up in the values of the fit's updates,
    computed when it begins; see the module's documentation for how, and for JAX.

    Args:
        per: ``"batch"`` (``t`` = update) or ``"epoch"`` (``t`` = epoch).
        **schedules: hyperparameter name = an lrdecay schedule, or a function of ``t``
            returning the value (with ``per="batch"`` it is tabulated over the updates of
            ``fit()`` when training begins). E.g. ``momentum=OneCycle(...).momentum()``,
            ``beta_1=...``, ``weight_decay=...``. The rate is not among them: use an
            in-graph schedule (``Schedule.to_keras()``) or ``LRScheduler`` for it.

    Raises:
        TypeError: no schedule given, or a value that is neither a schedule nor a function.
        ValueError: ``per`` not "batch" or "epoch"; ``learning_rate`` given. When training
            begins: a name the optimizer does not have, or ``momentum`` on an optimizer
            built with ``momentum=0`` (Keras then keeps no momentum slots).

    Example:
        >>> rate = lrdecay.OneCycle(0.1, total_steps=1000)  # doctest: +SKIP
        >>> model.compile(keras.optimizers.SGD(rate.to_keras(), momentum=0.9), loss="mse")
        >>> model.fit(x, y, callbacks=[lrdecay.HParamScheduler(momentum=rate.momentum())])
    """

    def __init__(self, per: str = "batch", **schedules: Schedule | Callable[[Any], Any]) -> None:
        super().__init__()
        self._words = words = dict(current())  # the caller's words (lrdecay.words)
        self.per = check_choice("per", per, ("batch", "epoch"))
        if not schedules:
            raise TypeError("Give at least one hyperparameter to schedule, by name, e.g. "
                            f"{words['hparam_example']}.")
        for name in ("learning_rate", "lr"):
            if name in schedules:
                raise ValueError(
                    f"`{name}`: the learning rate is scheduled by an in-graph schedule "
                    f"({words['in_graph']}) or by {words['LRScheduler']}; "
                    f"{words['HParamScheduler']} schedules the other hyperparameters "
                    "(momentum, beta_1, weight_decay, ...).")
        self.schedules = {name: _as_schedule(name, value) for name, value in schedules.items()}
        self._installed: dict[str, ScheduledHyperparameter] = {}
        self._jax_baked: dict[str, float] | None = None  # JAX, per epoch: compiled values
        # The compiled step of the last fit() and what it was built for (see _reusable)
        self._kept: tuple[Any, ...] | None = None

    @property
    def _who(self) -> str:
        """The callback's name in its caller's words, starting its messages."""
        name = type(self).__name__
        return self._words.get(name, name)

    # -- training ------------------------------------------------------------
    def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
        optimizer = optimizer_of(self.model, self._who)
        backend = keras.backend.backend()
        # name: (owner, original, a function's table, the values for the step to look up)
        specs: dict[str, tuple[Any, float | None, Any, Any]] = {}
        # Sized to the run once, by the first fit(): the run in the clock's unit.
        self.schedules = {name: size_for_fit(schedule, self.params,
                                             "step" if self.per == "batch" else "epoch",
                                             self._words)
                          for name, schedule in self.schedules.items()}
        for name, schedule in self.schedules.items():
            owner = _owner_of(optimizer, name)
            current = vars(owner).get(name, _MISSING)
            if current is _MISSING or (current is None and name != "weight_decay") or \
                    isinstance(current, bool) or not isinstance(
                        current, (float, int, type(None), ScheduledHyperparameter)):
                raise ValueError(
                    f"{self._who}: `{name}` is not a hyperparameter of {type(owner).__name__}; "
                    f"it has: {', '.join(_schedulable(owner)) or 'none'}.")
            if isinstance(current, ScheduledHyperparameter):
                if current._owner is not None and current._owner is not self and \
                        current._owner._installed.get(name) is current:
                    raise ValueError(f"{self._who}: `{name}` is already scheduled by another "
                                     f"{self._who} in this fit().")
                original = current._original
            else:
                original = None if current is None else float(current)
            if name == "momentum" and original == 0.0:
                raise ValueError(
                    f"{self._who}: {type(owner).__name__} was made with momentum=0, for which "
                    "Keras keeps no momentum: give the optimizer a non-zero momentum (e.g. "
                    f"{self._words['sgd_momentum']}) to schedule it.")
            table = lookup = None
            try:
                if self.per == "batch" and not schedule.graphable():
                    table = self._tabulate(name, schedule, owner)
                elif self._looks_up():
                    lookup = self._tabulate(name, schedule, owner)
                self._check_range(name, schedule, owner, table or lookup)
            except (ValueError, RuntimeError) as err:
                # lrdecay's check of what the function returned (Python's, or R's passed
                # through reticulate): name the hyperparameter. The user's own errors pass.
                if not getattr(err, "lrdecay_returned", False):
                    raise
                message = getattr(err, "message", None)
                raise ValueError(f"{self._who}: `{name}`: "
                                 f"{message if isinstance(message, str) else err}") from None
            specs[name] = (owner, original, table, lookup)
        if self.per == "epoch" and backend == "jax":
            warnings.warn(
                f"{self._who} with per=\"epoch\" on the JAX backend: JAX compiles the value into "
                "the training step (it is not optimizer state), so the step is recompiled at "
                "each epoch whose value differs. per=\"batch\" computes the value inside the "
                "step without recompiling (use a schedule of t / steps_per_epoch for epochs).",
                UserWarning, stacklevel=2)
        kept, self._kept = self._kept, None
        key = self._step_key({name: (owner, original, None if lookup is None else lookup[1].size)
                              for name, (owner, original, _, lookup) in specs.items()},
                             any(spec[2] is not None for spec in specs.values()))
        reuse = (key is not None and kept is not None and kept[0] == key
                 and kept[1] is self.model and self.model.train_function is kept[2])
        made: dict[str, tuple[Any, ScheduledHyperparameter]] = {}
        for name, (owner, original, table, lookup) in specs.items():
            if reuse:  # the step compiled for these hyperparameters: the same variables
                hp = kept[4][name]
                hp._original, hp._counter, hp._step_value = original, None, None
            else:
                hp = ScheduledHyperparameter(owner, name, self.schedules[name], self.per,
                                             original)
            hp._owner = self
            if table is not None:
                start, values = table
                hp._table = (start, values)
                if backend != "torch":  # TensorFlow, JAX: looked up in the compiled step
                    hp._graph_table = (start, keras.ops.convert_to_tensor(values))
            if lookup is not None:
                hp._set_lookup(*lookup)
            made[name] = (owner, hp)
        for name, (owner, hp) in made.items():
            _wrap(owner)
            object.__setattr__(owner, name, hp)
            self._installed[name] = hp
        self._jax_baked = None
        if reuse:
            self.model.train_function = kept[3]
        else:
            self.model.make_train_function(force=True)  # the step reads the new attributes

    def _looks_up(self) -> bool:
        """Whether this ``fit()``'s step looks its values up (TensorFlow, ``per="batch"``,
        a known number of updates, at most ``_LOOKUP_MAX``) instead of computing them."""
        params = self.params or {}
        steps, epochs = params.get("steps"), params.get("epochs")
        return (self.per == "batch" and keras.backend.backend() == "tensorflow"
                and bool(steps) and bool(epochs) and int(steps) * int(epochs) <= _LOOKUP_MAX)

    def _step_key(self, entries: dict[str, tuple[Any, float | None, int | None]],
                  tabulated: bool) -> tuple[Any, ...] | None:
        """What a compiled training step with these hyperparameters installed depends on
        beyond the variables it reads: the model, the backend, ``per``, each name's
        optimizer and schedule, whether its original value is None, zero, positive or
        negative (the optimizer's update rules branch on it when the step is traced), the
        length of the values it looks up, and the optimizer's other settings. ``None`` when
        the step cannot be kept: a user function's table is compiled into it, and JAX
        compiles ``per="epoch"`` values.

        Args:
            entries: name = (the optimizer holding it, its original value, the number of
                values the step looks up or ``None``).
            tabulated: whether a user function was tabulated for this ``fit()``.
        """
        backend = keras.backend.backend()
        if tabulated or (backend == "jax" and self.per == "epoch"):
            return None
        names = set(entries)
        parts = []
        for name, (owner, original, looked_up) in sorted(entries.items()):
            sign = None if original is None else (original > 0) - (original < 0)
            try:
                config = owner.get_config()
            except Exception:  # noqa: BLE001 - an odd optimizer: keep no step for it
                return None
            settings = tuple(sorted((k, repr(v)) for k, v in config.items()
                                    if k not in names and k != "learning_rate"))
            parts.append((name, id(owner), id(self.schedules[name]), sign, looked_up,
                          settings))
        return (id(self.model), backend, self.per, tuple(parts))

    def _check_range(self, name: str, schedule: Schedule, optimizer: Any,
                     table: tuple[int, Any] | None) -> None:
        """Refuse, before anything changes, values outside the hyperparameter's range at
        any update (``per="batch"``) or epoch (``per="epoch"``) of this ``fit()``.

        Args:
            name: the hyperparameter.
            schedule: its schedule.
            optimizer: the optimizer holding it.
            table: ``(start, values)`` over the fit's updates, if tabulated (a user
                function's, or the values the step looks up).
        """
        rule = _RANGES.get(name)
        if rule is None:
            return
        params = self.params or {}
        epochs, steps = params.get("epochs") or 1, params.get("steps")
        if table is not None:
            start, values = table
            ts = start + np.arange(len(values))
        else:
            if self.per == "epoch":
                ts = np.arange(int(epochs), dtype=np.int64)
            else:
                start = int(keras.ops.convert_to_numpy(optimizer._iterations))
                ts = start + np.arange(int(steps) * int(epochs) if steps else _CHUNK)
            values = np.asarray(schedule(ts.astype(np.float64)), dtype=np.float64)
        low, high, must = rule
        bad = ~np.isfinite(values) | (values < low)
        if high is not None:
            bad |= values >= high
        if bad.any():
            i = int(np.argmax(bad))
            unit = "epoch" if self.per == "epoch" else "update"
            raise ValueError(
                f"{self._who}: `{name}` must be {must} at every {unit} of this fit(), not "
                f"{show_value(float(values[i]))} ({unit} {int(ts[i])}, 0-based).")

    def _tabulate(self, name: str, schedule: Schedule, optimizer: Any) -> tuple[int, Any]:
        """A user function's values over the updates this fit() can make (float32)."""
        params = self.params or {}
        steps, epochs = params.get("steps"), params.get("epochs")
        if not steps or not epochs:
            raise ValueError(
                f"{self._who}: `{name}` is a function (or holds a {self._words['FromFunction']} "
                "schedule), which cannot "
                "run inside the training step; per=\"batch\" then tabulates it over the "
                "updates of fit(), which needs a known number of steps per epoch: give "
                "fit() `steps_per_epoch`, or use per=\"epoch\", or an lrdecay schedule.")
        start = int(keras.ops.convert_to_numpy(optimizer._iterations))
        ts = np.arange(start, start + int(steps) * int(epochs), dtype=np.float64)
        return start, np.asarray(schedule(ts), dtype=np.float32)

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        if self.per != "epoch":
            return
        values = {name: hp._set_epoch(int(epoch)) for name, hp in self._installed.items()}
        if keras.backend.backend() == "jax":
            if self._jax_baked is not None and values != self._jax_baked:
                self.model.make_train_function(force=True)
            self._jax_baked = values

    def on_train_end(self, logs: dict[str, Any] | None = None) -> None:
        self._uninstall()

    def _uninstall(self) -> None:
        """Put plain floats back (the last values used) and the optimizer's own methods,
        and a training step that reads them. The step of this ``fit()`` is kept: the next
        ``fit()`` with the same optimizer, schedules and settings, and no new step built
        in between (``compile()``), uses it again instead of compiling a new one."""
        if not self._installed:
            return
        owners = []
        entries: dict[str, tuple[Any, float | None, int | None]] = {}
        installed = dict(self._installed)
        for name, hp in installed.items():
            owner = hp._optimizer
            if vars(owner).get(name) is hp:
                object.__setattr__(owner, name, float(hp))
            entries[name] = (owner, vars(owner).get(name),
                             None if hp._lookup is None else int(hp._lookup[0].shape[0]))
            owners.append(owner)
        self._installed = {}
        for owner in owners:
            _unwrap(owner)
        if self.model is not None:
            used = getattr(self.model, "train_function", None)
            self.model.make_train_function(force=True)  # compiled when a fit() calls it
            key = None
            if all(isinstance(v, float) for _, v, _ in entries.values()):
                key = self._step_key(entries, any(hp._table is not None
                                                  for hp in installed.values()))
            if key is not None and used is not None:
                self._kept = (key, self.model, self.model.train_function, used, installed)

    def describe(self) -> dict[str, Any]:
        """What ``print()`` shows: ``{"class_name": ..., "fields": {name: value}}``
        (``per``, then each scheduled hyperparameter)."""
        return {"class_name": type(self).__name__,
                "fields": {"per": self.per, **self.schedules}}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.schedules.items())
        return f"HParamScheduler(per={self.per!r}, {args})"


# Public classes print, and R dispatches on them, under their public name.
for _cls in (HParamScheduler,):
    _cls.__module__ = "lrdecay"
