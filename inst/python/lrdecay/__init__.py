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
import os as _os
import sys as _sys

from ._checks import OfRun, of_run
from .plan import Finding, ScheduleWarning, check_schedule
from .schedules import (
    WSD,
    Constant,
    Cooldown,
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
    "start_cooldown": ".cooldown",
    "compare_schedules": ".compare",
    "default_schedules": ".compare",
}
# Of those, the ones whose modules import Keras: left out of ``from lrdecay import *``,
# which must stay free of Keras.
_KERAS = ("KerasSchedule", "lr_find", "LRFindResult", "LRScheduler", "LRLogger", "LRCustom",
          "LRPlateau", "HParamScheduler", "get_learning_rate", "set_learning_rate",
          "start_cooldown")

__all__ = [
    "Schedule", "Constant", "Step", "MultiStep", "Piecewise", "Exponential", "InverseTime",
    "Polynomial", "Cosine", "CosineRestarts", "Linear", "Cyclic", "OneCycle", "Warmup",
    "Sequence", "FromFunction", "WSD", "InverseSqrt", "Rex", "Cooldown", "OneCycleMomentum",
    "CyclicMomentum", "from_config", "check_schedule", "Finding", "ScheduleWarning",
    "compare_schedules", "default_schedules", "of_run", "OfRun", "UnsizedScheduleError",
]

def _install_command(extra: str, *, direct_url: dict | None, installed_here: bool,
                     source_root: str | None, cwd: str, also: str = "") -> str:
    """The pip command that adds the optional dependencies ``extra`` to lrdecay, as it was
    installed.

    Args:
        extra: the extra ("keras", "demo").
        direct_url: the installed distribution's ``direct_url.json`` (PEP 610), or ``None``
            (installed from an index, or not installed).
        installed_here: whether the lrdecay being run is that installed distribution.
        source_root: the source checkout (a folder with ``pyproject.toml``) the running
            lrdecay comes from, when it is not installed.
        cwd: the working directory ("." names it).
        also: further packages for the same command (" tensorflow").
    """
    folder = None
    if installed_here and direct_url is not None:
        url = str(direct_url.get("url", ""))
        if "dir_info" in direct_url and url.startswith("file://"):
            from urllib.parse import unquote, urlparse

            folder = unquote(urlparse(url).path)
        elif "dir_info" not in direct_url and url:  # an archive or a VCS URL
            return f'pip install "lrdecay[{extra}] @ {url}"{also}'
    elif not installed_here:
        folder = source_root
    if folder is not None:
        here = "." if _os.path.realpath(folder) == _os.path.realpath(cwd) else folder
        return f'pip install "{here}[{extra}]"{also}'
    if installed_here:
        return f'pip install "lrdecay[{extra}]"{also}'
    return (f'pip install "lrdecay[{extra}]"{also}, or from a source checkout '
            f'pip install ".[{extra}]"{also}')


def _install_hint(extra: str, also: str = "") -> str:
    """``_install_command`` for the lrdecay running now: how it was installed is read from
    its distribution's metadata (``direct_url.json``; editable or not)."""
    import json
    from importlib import metadata

    here = _os.path.dirname(_os.path.realpath(__file__))
    direct_url = None
    installed_here = False
    try:
        dist = metadata.distribution("lrdecay")
    except metadata.PackageNotFoundError:
        dist = None
    if dist is not None:
        text = dist.read_text("direct_url.json")
        direct_url = json.loads(text) if text else None
        files = [f for f in (dist.files or []) if str(f).replace("\\", "/") ==
                 "lrdecay/__init__.py"]
        if files:  # a regular install: its files are the ones running
            installed_here = _os.path.dirname(_os.path.realpath(dist.locate_file(files[0]))) \
                == here
        elif direct_url is not None and direct_url.get("dir_info", {}).get("editable"):
            from urllib.parse import unquote, urlparse

            root = _os.path.realpath(unquote(urlparse(str(direct_url.get("url", ""))).path))
            installed_here = here.startswith(root + _os.sep)
    root = _os.path.dirname(_os.path.dirname(_os.path.dirname(here)))  # inst/python/lrdecay
    source_root = root if _os.path.isfile(_os.path.join(root, "pyproject.toml")) else None
    return _install_command(extra, direct_url=direct_url, installed_here=installed_here,
                            source_root=source_root, cwd=_os.getcwd(), also=also)


def _keras_missing(what: str, missing: str) -> str:
    """The message of the ``ImportError`` raised when Keras (or its backend) is missing.

    Args:
        what: what the user asked for ("lrdecay.LRScheduler").
        missing: the module that could not be imported ("keras").
    """
    return (f"{what} needs Keras 3 and a backend, and {missing} is not installed: "
            f"{_install_hint('keras', ' tensorflow')} (or jax, or torch, in place of tensorflow).")


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
        raise ImportError(_keras_missing(what, missing),
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
    """A meta path finder: on ``import keras``, it lets the other finders find Keras and
    wraps the loader so that lrdecay's Keras classes are registered once Keras has
    executed; then it removes itself. The wrapper hands the real loader back to the
    module's spec before Keras runs, so nothing of it outlives the import. A lookup that
    only asks where Keras is (``importlib.util.find_spec("keras")``, as TensorFlow's
    import does) loads nothing, so the finder stays until Keras really loads."""

    def __init__(self) -> None:
        self.busy = False

    def find_spec(self, fullname: str, path: object, target: object = None) -> object:
        if fullname != "keras" or self.busy:
            return None
        import importlib.util

        self.busy = True  # the other finders, not this one, find Keras's spec
        try:
            spec = importlib.util.find_spec("keras")
        finally:
            self.busy = False
        if spec is None or spec.loader is None:
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
        self.loader.exec_module(module)  # type: ignore[attr-defined]
        if self.finder in _sys.meta_path:
            _sys.meta_path.remove(self.finder)
        _importlib.import_module(".keras_schedule", __name__)


if _sys.modules.get("keras") is not None:  # Keras already imported
    _importlib.import_module(".keras_schedule", __name__)
else:
    _sys.meta_path.insert(0, _RegisterWhenKerasLoads())
