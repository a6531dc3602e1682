"""The Keras adapter: any lrdecay schedule as an in-graph ``LearningRateSchedule``.

The formula is the schedule's own ``_compute``, run on ``keras.ops`` in float32,
so it works on the TensorFlow, JAX and PyTorch backends. The class is registered
serializable as ``lrdecay>KerasSchedule``; a model saved as ``.keras`` with it
inside its optimizer loads wherever ``lrdecay`` has been imported.
"""

from __future__ import annotations

from typing import Any

import keras

from ._checks import check_bool, check_choice, check_number, fail
from ._ops import keras_ops
from .fit_check import check_in_fit, size_in_fit
from .learning_rate import optimizer_chain
from .rate_scale import GraphScale
from .schedules import Schedule, UnsizedScheduleError, from_config
from .words import current

_PLATEAU_KEYS = ("plateau_scale", "plateau_min_lr")


@keras.saving.register_keras_serializable(package="lrdecay", name="KerasSchedule")
class KerasSchedule(keras.optimizers.schedules.LearningRateSchedule):
    """An lrdecay schedule evaluated in-graph at ``t = iterations [/ steps_per_epoch]``.

    A schedule sized to the run is sized when the first ``fit()`` that evaluates it
    begins (in ``on_train_begin`` of an lrdecay callback, else at its first evaluation
    inside ``fit()``, before the first update): the run is epochs x steps per epoch
    (clock ``"step"``) or epochs (clock ``"epoch"``), from Keras's ``params``. Clock
    ``"epoch"`` without ``steps_per_epoch`` reads it there too. The sizes are kept: in
    ``get_config()`` (the sized schedule, ``run``, ``steps_per_epoch``) and for later
    ``fit()`` calls.

    Args:
        schedule: an lrdecay schedule (not ``FromFunction``).
        steps_per_epoch: updates per epoch, a positive number: when given, ``t`` counts
            fractional epochs (clock ``"epoch"``).
        clock: ``"step"`` (``t = iterations``) or ``"epoch"`` (``t = iterations /
            steps_per_epoch``, read from the ``fit()`` when not given).
        run: the run the schedule was sized for (set when ``fit()`` sizes it).
        check: run ``lrdecay.check_schedule`` when training begins and warn
            (``lrdecay.ScheduleWarning``) once per ``fit()`` if the schedule does not fit
            it (see ``lrdecay.fit_check``); ``False`` turns it off. Saved in the config
            only when ``False``.
        plateau_scale, plateau_min_lr: the scale ``LRPlateau`` applies on top of the
            schedule, and its bound (``lrdecay.plateau``); set by the callback and kept in
            the config of a reduced schedule.
    """

    def __init__(self, schedule: Schedule, steps_per_epoch: float | None = None,
                 clock: str = "step", check: bool = True, *, run: float | None = None,
                 plateau_scale: float = 1.0, plateau_min_lr: float = 0.0) -> None:
        super().__init__()
        self.plateau = GraphScale(plateau_scale, plateau_min_lr)
        if not isinstance(schedule, Schedule):
            fail("schedule", "an lrdecay schedule", schedule, TypeError)
        words = current()
        if not schedule.graphable():
            raise TypeError(
                f"This schedule holds a {words['FromFunction']} schedule, which cannot run "
                f"inside the training graph: use it with the epoch callback "
                f"({words['LRScheduler']}) instead.")
        self.schedule = schedule
        self.steps_per_epoch = None if steps_per_epoch is None else check_number(
            "steps_per_epoch", steps_per_epoch, low=0.0, low_open=True)
        clock = check_choice("clock", clock, ("step", "epoch"))
        # steps_per_epoch given alone means t counts epochs.
        self.clock = "epoch" if self.steps_per_epoch is not None else clock
        self.run = None if run is None else check_number("run", run, low=0.0, low_open=True)
        self.check = check_bool("check", check)
        self._plan_checked: Any = None  # the params of the fit() already checked
        self._warn_hook: Any = None  # R sets one: findings as an R warning
        self._words = dict(words)  # its caller's words (lrdecay.words), for the plan check

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
        if not self._ready():
            size_in_fit(self)  # the first evaluation inside fit(): size it for that run
            self._require_ready()
        if self.check:
            check_in_fit(self)
        ops = keras.ops
        t = ops.cast(step, "float32")
        if self.steps_per_epoch is not None:
            t = t / self.steps_per_epoch
        return self.plateau.apply(ops.cast(self.schedule._compute(t, keras_ops()), "float32"))

    def _ready(self) -> bool:
        """Whether the schedule is sized and, with clock "epoch", its steps per epoch known."""
        return self.schedule.is_sized() and (self.clock == "step"
                                             or self.steps_per_epoch is not None)

    def _require_ready(self) -> None:
        self.schedule._require_sized()
        if not self._ready():
            raise UnsizedScheduleError(
                "This in-graph schedule has clock \"epoch\" and reads its steps per epoch "
                "from fit(): it has values once a fit() has begun. Give `steps_per_epoch` to "
                f"{current()['in_graph']} to evaluate it before.")

    def to_keras(self, steps_per_epoch: Any = None, clock: Any = None,
                 check: Any = True) -> Any:
        """A new in-graph schedule of the same lrdecay schedule (``Schedule.to_keras``), so
        that wrapping twice is harmless; options left out keep this one's.

        Args:
            steps_per_epoch: as in ``Schedule.to_keras``; ``None`` keeps this one's.
            clock: as in ``Schedule.to_keras``; ``None`` keeps this one's.
            check: as in ``Schedule.to_keras``.
        """
        spe = self.steps_per_epoch if steps_per_epoch is None else steps_per_epoch
        return self.schedule.to_keras(steps_per_epoch=spe, clock=clock or self.clock,
                                      check=check)

    def get_config(self) -> dict[str, Any]:
        config = {"schedule": self.schedule.get_config(), "steps_per_epoch": self.steps_per_epoch,
                  **self.plateau.get_config()}
        # The defaults are not stored: files from before `clock` and `run` load alike.
        if self.clock == "epoch" and self.steps_per_epoch is None:
            config["clock"] = "epoch"
        if self.run is not None:
            config["run"] = self.run
        if not self.check:  # the default is not stored: files from before `check` load alike
            config["check"] = False
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> KerasSchedule:
        if not isinstance(config, dict) or "schedule" not in config:
            fail("config", 'a dict with the keys "schedule" and "steps_per_epoch"', config,
                 TypeError)
        extra = sorted(set(config) - {"schedule", "steps_per_epoch", "check", "clock", "run",
                                      *_PLATEAU_KEYS})
        if extra:
            fail("config", 'a dict with the keys "schedule" and "steps_per_epoch" (and '
                 '"check", "clock", "run", "plateau_scale", "plateau_min_lr" when set)', extra)
        plateau = {key: config[key] for key in _PLATEAU_KEYS if key in config}
        return cls(from_config(config["schedule"]), config.get("steps_per_epoch"),
                   clock=config.get("clock", "step"), check=config.get("check", True),
                   run=config.get("run"), **plateau)

    def __repr__(self) -> str:
        spe = "" if self.steps_per_epoch is None else f", steps_per_epoch={self.steps_per_epoch:g}"
        if self.clock == "epoch" and self.steps_per_epoch is None:
            spe = ", clock='epoch'"
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
