"""The Keras adapter: any lrdecay schedule as an in-graph ``LearningRateSchedule``.

The formula is the schedule's own ``_compute``, run on ``keras.ops`` in float32,
so it works on the TensorFlow, JAX and PyTorch backends. The class is registered
serializable as ``lrdecay>KerasSchedule``; a model saved as ``.keras`` with it
inside its optimizer loads wherever ``lrdecay`` has been imported.
"""

from __future__ import annotations

from typing import Any

import keras

from ._checks import check_bool, check_number, fail
from ._ops import keras_ops
from .fit_check import check_in_fit
from .learning_rate import optimizer_chain
from .rate_scale import GraphScale
from .schedules import Schedule, from_config

_PLATEAU_KEYS = ("plateau_scale", "plateau_min_lr")


@keras.saving.register_keras_serializable(package="lrdecay", name="KerasSchedule")
class KerasSchedule(keras.optimizers.schedules.LearningRateSchedule):
    """An lrdecay schedule evaluated in-graph at ``t = iterations [/ steps_per_epoch]``.

    Args:
        schedule: an lrdecay schedule (not ``FromFunction``).
        steps_per_epoch: when given, ``t`` counts fractional epochs.
        check: run ``lrdecay.check_schedule`` when training begins and warn
            (``lrdecay.ScheduleWarning``) once per ``fit()`` if the schedule does not fit
            it (see ``lrdecay.fit_check``); ``False`` turns it off. Saved in the config
            only when ``False``.
        plateau_scale, plateau_min_lr: the scale ``LRPlateau`` applies on top of the
            schedule, and its bound (``lrdecay.plateau``); set by the callback and kept in
            the config of a reduced schedule.
    """

    def __init__(self, schedule: Schedule, steps_per_epoch: float | None = None,
                 check: bool = True, *, plateau_scale: float = 1.0,
                 plateau_min_lr: float = 0.0) -> None:
        super().__init__()
        self.plateau = GraphScale(plateau_scale, plateau_min_lr)
        if not isinstance(schedule, Schedule):
            fail("schedule", "an lrdecay schedule", schedule, TypeError)
        if not schedule.graphable():
            raise TypeError(
                "This schedule holds a FromFunction schedule (schedule_function()), which "
                "cannot run inside the training graph: use it with the epoch callback "
                "(callback_lr_scheduler() / LRScheduler) instead.")
        self.schedule = schedule
        self.steps_per_epoch = None if steps_per_epoch is None else check_number(
            "steps_per_epoch", steps_per_epoch, low=0.0, low_open=True)
        self.check = check_bool("check", check)
        self._plan_checked: Any = None  # the params of the fit() already checked
        self._warn_hook: Any = None  # R sets one: findings as an R warning

    @property
    def schedule(self) -> Schedule:
        """The lrdecay schedule evaluated in-graph."""
        return self._schedule

    @schedule.setter
    def schedule(self, value: Schedule) -> None:
        # Checked on every assignment, not only in __init__: a schedule that cannot be
        # serialized would make model.save() fail after Keras has truncated the target file.
        if not isinstance(value, Schedule):
            fail("schedule", "an lrdecay schedule", value, TypeError)
        if not value.graphable():
            value.get_config()  # the clear error of a schedule that holds a user function
        self._schedule = value

    def __call__(self, step: Any) -> Any:
        if self.check:
            check_in_fit(self)
        ops = keras.ops
        t = ops.cast(step, "float32")
        if self.steps_per_epoch is not None:
            t = t / self.steps_per_epoch
        return self.plateau.apply(ops.cast(self.schedule._compute(t, keras_ops()), "float32"))

    def to_keras(self, steps_per_epoch: Any = None, check: Any = True, **options: Any) -> Any:
        """A new in-graph schedule of the same lrdecay schedule (``Schedule.to_keras``), so
        that wrapping twice is harmless; without ``steps_per_epoch``, this one's is kept.

        Args:
            steps_per_epoch: as in ``Schedule.to_keras``; ``None`` keeps this one's.
            check: as in ``Schedule.to_keras``.
            **options: the other options of ``Schedule.to_keras``.
        """
        spe = self.steps_per_epoch if steps_per_epoch is None else steps_per_epoch
        return self.schedule.to_keras(steps_per_epoch=spe, check=check, **options)

    def get_config(self) -> dict[str, Any]:
        config = {"schedule": self.schedule.get_config(), "steps_per_epoch": self.steps_per_epoch,
                  **self.plateau.get_config()}
        if not self.check:  # the default is not stored: files from before `check` load alike
            config["check"] = False
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> KerasSchedule:
        if not isinstance(config, dict) or "schedule" not in config:
            fail("config", 'a dict with the keys "schedule" and "steps_per_epoch"', config,
                 TypeError)
        extra = sorted(set(config) - {"schedule", "steps_per_epoch", "check", *_PLATEAU_KEYS})
        if extra:
            fail("config", 'a dict with the keys "schedule" and "steps_per_epoch" (and '
                 '"check", "plateau_scale", "plateau_min_lr" when set)', extra)
        plateau = {key: config[key] for key in _PLATEAU_KEYS if key in config}
        return cls(from_config(config["schedule"]), config.get("steps_per_epoch"),
                   check=config.get("check", True), **plateau)

    def __repr__(self) -> str:
        spe = "" if self.steps_per_epoch is None else f", steps_per_epoch={self.steps_per_epoch:g}"
        off = "" if self.check else ", check=False"
        plateau = "".join(f", {k}={v:g}" for k, v in self.plateau.get_config().items())
        return f"KerasSchedule({self.schedule!r}{spe}{off}{plateau})"


def keras_schedule_of(optimizer: Any) -> KerasSchedule | None:
    """The ``KerasSchedule`` an optimizer (or an optimizer it wraps) evaluates, or ``None``.

    Args:
        optimizer: a Keras optimizer, or ``None``.
    """
    for inner in optimizer_chain(optimizer):
        rate = getattr(inner, "_learning_rate", None)
        if isinstance(rate, KerasSchedule):
            return rate
    return None
