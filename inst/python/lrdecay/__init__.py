"""lrdecay: learning-rate decay schedules and callbacks for Keras 3.

Schedules are plain NumPy objects: ``import lrdecay`` and evaluating or
plotting a schedule never import Keras or TensorFlow. Keras is imported only
when a Keras object is asked for (``schedule.to_keras()``, the callbacks).

>>> import lrdecay
>>> s = lrdecay.Exponential(0.1, 1000, 0.96, staircase=True)  # Keras's positional order
>>> round(s(28125), 12)
0.031885594969
>>> s.describe()["r_call"]
'schedule_exponential(initial_lr = 0.1, decay_steps = 1000, decay_rate = 0.96, staircase = TRUE)'
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
from typing import Any

from .plan import Finding, check_schedule
from .schedules import (
    WSD,
    Constant,
    Cosine,
    CosineRestarts,
    Cyclic,
    Exponential,
    FromFunction,
    InverseSqrt,
    InverseTime,
    Linear,
    MultiStep,
    OneCycle,
    Piecewise,
    Polynomial,
    Rex,
    Schedule,
    Sequence,
    Step,
    Warmup,
    from_config,
)

__version__ = "0.2.0"

# Names whose modules import Keras: loaded on first use.
_LAZY = {
    "KerasSchedule": ".keras_schedule",
    "lr_find": ".lr_range_test",
    "LRFindResult": ".lr_range_test",
    "LRScheduler": ".callbacks",
    "LRLogger": ".callbacks",
    "LRCustom": ".callbacks",
    "get_learning_rate": ".learning_rate",
    "set_learning_rate": ".learning_rate",
    "compare_schedules": ".compare",
    "default_schedules": ".compare",
}

__all__ = [
    "Schedule", "Constant", "Step", "MultiStep", "Piecewise", "Exponential", "InverseTime",
    "Polynomial", "Cosine", "CosineRestarts", "Linear", "Cyclic", "OneCycle", "Warmup",
    "Sequence", "FromFunction", "from_config", *_LAZY,
    "WSD", "InverseSqrt", "Rex", "check_schedule", "Finding",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module 'lrdecay' has no attribute {name!r}")


def _register_with_keras() -> None:
    """Register lrdecay's Keras classes (so ``.keras`` files holding them load)."""
    importlib.import_module(".keras_schedule", __name__)


class _KerasImportHook(importlib.abc.MetaPathFinder):
    """Registers lrdecay's Keras classes as soon as ``keras`` is imported, so that
    ``import lrdecay`` stays free of Keras yet ``keras.saving.load_model()`` finds
    ``lrdecay>KerasSchedule``."""

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if fullname != "keras":
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.machinery.PathFinder.find_spec(fullname, path)
            for finder in sys.meta_path:
                if spec is not None:
                    break
                spec = finder.find_spec(fullname, path, target)
        finally:
            pass
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        exec_module = loader.exec_module

        def exec_and_register(module: Any) -> None:
            exec_module(module)
            loader.exec_module = exec_module  # type: ignore[method-assign]
            _register_with_keras()

        loader.exec_module = exec_and_register  # type: ignore[method-assign]
        return spec


if "keras" in sys.modules:
    _register_with_keras()
else:
    sys.meta_path.insert(0, _KerasImportHook())
