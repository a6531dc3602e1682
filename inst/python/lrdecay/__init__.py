"""lrdecay: learning-rate decay schedules and callbacks for Keras 3.

Schedules are plain NumPy objects: ``import lrdecay`` and evaluating or
plotting a schedule never import Keras or TensorFlow. Keras is imported only
when a Keras object is asked for (``schedule.to_keras()``, the callbacks);
without Keras, that raises an ``ImportError`` that says what to install.
``dir(lrdecay)`` lists the public API; ``from lrdecay import *`` takes its
Keras-free part (``__all__``).

>>> import lrdecay
>>> s = lrdecay.Exponential(0.1, 1000, 0.96, staircase=True)  # Keras's positional order
>>> round(s(28125), 12)
0.031885594969
>>> s.describe()["r_call"]
'schedule_exponential(initial_lr = 0.1, decay_steps = 1000, decay_rate = 0.96, staircase = TRUE)'
"""

from __future__ import annotations

import importlib as _importlib
import sys as _sys

from ._checks import OfRun, of_run
from .plan import Finding, ScheduleWarning, check_schedule
from .schedules import (
    WSD,
    Constant,
    Cosine,
    CosineRestarts,
    Cyclic,
    CyclicMomentum,
    Exponential,
    FromFunction,
    InverseSqrt,
    InverseTime,
    Linear,
    MultiStep,
    OneCycle,
    OneCycleMomentum,
    Piecewise,
    Polynomial,
    Rex,
    Schedule,
    Sequence,
    Step,
    UnsizedScheduleError,
    Warmup,
    from_config,
)

__version__ = "0.2.0"

# Names loaded on first use, from the module that holds them.
_LAZY = {
    "KerasSchedule": ".keras_schedule",
    "lr_find": ".lr_range_test",
    "LRFindResult": ".lr_range_test",
    "LRScheduler": ".callbacks",
    "LRLogger": ".callbacks",
    "LRCustom": ".callbacks",
    "LRPlateau": ".plateau",
    "HParamScheduler": ".hparams",
    "get_learning_rate": ".learning_rate",
    "set_learning_rate": ".learning_rate",
    "compare_schedules": ".compare",
    "default_schedules": ".compare",
}
# Of those, the ones whose modules import Keras: left out of ``from lrdecay import *``,
# which must stay free of Keras.
_KERAS = ("KerasSchedule", "lr_find", "LRFindResult", "LRScheduler", "LRLogger", "LRCustom",
          "LRPlateau", "HParamScheduler", "get_learning_rate", "set_learning_rate")

__all__ = [
    "Schedule", "Constant", "Step", "MultiStep", "Piecewise", "Exponential", "InverseTime",
    "Polynomial", "Cosine", "CosineRestarts", "Linear", "Cyclic", "OneCycle", "Warmup",
    "Sequence", "FromFunction", "WSD", "InverseSqrt", "Rex", "OneCycleMomentum",
    "CyclicMomentum", "from_config", "check_schedule", "Finding", "ScheduleWarning",
    "compare_schedules", "default_schedules", "of_run", "OfRun", "UnsizedScheduleError",
]

#: What to install when Keras (or its backend) is missing.
_KERAS_MISSING = ('{what} needs Keras 3 and a backend, and {missing} is not installed: '
                 'pip install "lrdecay[keras]" tensorflow (or jax, or torch).')


def _import_keras_backed(module: str, what: str) -> object:
    """Import an lrdecay module that needs Keras; without Keras (or its backend), an
    ``ImportError`` that says what to install.

    Args:
        module: the module, relative to ``lrdecay`` (".callbacks").
        what: what the user asked for, as the message names it ("lrdecay.LRScheduler").
    """
    try:
        return _importlib.import_module(module, __name__)
    except ModuleNotFoundError as err:
        missing = (err.name or "").split(".")[0]
        if missing not in ("keras", "tensorflow", "jax", "torch"):
            raise
        raise ImportError(_KERAS_MISSING.format(what=what, missing=missing),
                          name=err.name) from err


def __getattr__(name: str) -> object:
    if name in _LAZY:
        return getattr(_import_keras_backed(_LAZY[name], f"lrdecay.{name}"), name)
    raise AttributeError(f"module 'lrdecay' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*__all__, *_KERAS, "__version__"])


# -- Keras's registry -----------------------------------------------------------------
# A model saved with an in-graph lrdecay schedule names the class "lrdecay>KerasSchedule";
# Keras finds it only if lrdecay.keras_schedule has been imported, which imports Keras.
# ``import lrdecay`` must not import Keras, so when Keras is not imported yet, a finder
# waits for ``import keras`` and registers the class right after Keras has loaded.


class _RegisterWhenKerasLoads:
    """A one-shot meta path finder: on ``import keras``, it lets the other finders find
    Keras, wraps the loader so that lrdecay's Keras classes are registered once Keras has
    executed, and removes itself. The wrapper hands the real loader back to the module's
    spec before Keras runs, so nothing of it outlives the import. If Keras fails to import,
    the finder is put back, for the next ``import keras``."""

    def find_spec(self, fullname: str, path: object, target: object = None) -> object:
        if fullname != "keras":
            return None
        import importlib.util

        if self in _sys.meta_path:
            _sys.meta_path.remove(self)
        spec = importlib.util.find_spec("keras")
        if spec is None or spec.loader is None:
            _sys.meta_path.insert(0, self)
            return None
        spec.loader = _RegisteringLoader(spec.loader, self)
        return spec


class _RegisteringLoader:
    """Keras's own loader, followed by the registration of lrdecay's Keras classes."""

    def __init__(self, loader: object, finder: _RegisterWhenKerasLoads) -> None:
        self.loader = loader
        self.finder = finder

    def create_module(self, spec: object) -> object:
        return self.loader.create_module(spec)  # type: ignore[attr-defined]

    def exec_module(self, module: object) -> None:
        module.__spec__.loader = self.loader  # type: ignore[attr-defined]
        module.__loader__ = self.loader  # type: ignore[attr-defined]
        try:
            self.loader.exec_module(module)  # type: ignore[attr-defined]
        except BaseException:
            _sys.meta_path.insert(0, self.finder)
            raise
        _importlib.import_module(".keras_schedule", __name__)


if _sys.modules.get("keras") is not None:  # Keras already imported
    _importlib.import_module(".keras_schedule", __name__)
else:
    _sys.meta_path.insert(0, _RegisterWhenKerasLoads())
