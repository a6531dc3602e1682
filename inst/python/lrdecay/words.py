"""The words a message uses for lrdecay's own functions, in the caller's language.

A message that names an lrdecay function or shows a call (``LRScheduler``,
``to_keras(..., check=False)``) takes the name from a dictionary of words: Python's
(``PYTHON``), or the ones a caller in another language puts in force for the duration
of its call (``use()``; the R package passes R's). An object made while other words are
in force keeps them (``current()`` at construction) for the messages it gives later,
when training runs.

>>> current()["LRScheduler"]
'LRScheduler'
>>> token = use({"LRScheduler": "scheduler()"})
>>> current()["LRScheduler"], current()["LRLogger"]
('scheduler()', 'LRLogger')
>>> reset(token)
>>> current()["LRScheduler"]
'LRScheduler'
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar, Token

__all__ = ["PYTHON", "current", "reset", "use"]

#: Python's words (read, never changed). The keys are what the messages ask for; another
#: language's dictionary gives its own word for each (a key it leaves out keeps Python's).
PYTHON: dict[str, str] = {
    # the callbacks and the in-graph schedule, as the messages they give begin
    "LRScheduler": "LRScheduler",
    "LRLogger": "LRLogger",
    "LRCustom": "LRCustom",
    "LRPlateau": "LRPlateau",
    "HParamScheduler": "HParamScheduler",
    "KerasSchedule": "to_keras() (KerasSchedule)",
    # schedule families named in advice
    "FromFunction": "FromFunction",
    "OneCycle": "OneCycle",
    "Cyclic": "Cyclic",
    # Keras's callbacks named in advice
    "BackupAndRestore": "BackupAndRestore",
    "ModelCheckpoint": "ModelCheckpoint",
    # calls shown in advice
    "set_learning_rate": "set_learning_rate()",
    "start_cooldown": "start_cooldown()",
    "size_schedule": "schedule.sized(total)",
    "in_graph": "to_keras()",
    "in_graph_steps": "to_keras(steps_per_epoch={n})",
    "in_graph_example": "lrdecay.Exponential(...).to_keras()",
    "sgd_rate": "keras.optimizers.SGD(learning_rate=0.1)",
    "sgd_momentum": "SGD(momentum=0.9)",
    "hparam_example": "HParamScheduler(momentum=lrdecay.OneCycle(0.1, 1000).momentum())",
    # how to turn the plan check off
    "LRScheduler.check_off": "LRScheduler(..., check=False)",
    "KerasSchedule.check_off": "to_keras(..., check=False)",
    "compare.check_off": "warnings.filterwarnings('ignore', category=lrdecay.ScheduleWarning)",
}

_CURRENT: ContextVar[Mapping[str, str]] = ContextVar("lrdecay_words", default=PYTHON)


def current() -> Mapping[str, str]:
    """The words in force: Python's, unless a caller put others in force with ``use()``."""
    return _CURRENT.get()


def use(words: Mapping[str, str]) -> Token[Mapping[str, str]]:
    """Put ``words`` in force (in this thread) until ``reset()``; keys it leaves out keep
    Python's words.

    Args:
        words: a word for some or all of the keys of ``PYTHON``.

    Returns:
        The token ``reset()`` takes.
    """
    return _CURRENT.set({**PYTHON, **{str(k): str(v) for k, v in dict(words).items()}})


def reset(token: Token[Mapping[str, str]]) -> None:
    """Put back the words in force before ``use()`` returned ``token``.

    Args:
        token: what ``use()`` returned.
    """
    _CURRENT.reset(token)
