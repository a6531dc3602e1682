"""Fixtures for the R/Python agreement suite (``-m r_parity``): R embedded with rpy2.

``r_session``: one embedded R session with the installed ``library(lrdecay)``, started on
first use. Under rpy2, reticulate attaches to this very Python process: R and pytest share
one ``lrdecay`` module (this checkout's) and one Keras. rpy2 releases the GIL while R runs,
so every piece of R code runs inside a Python -> R callback (the GIL held), R's garbage is
collected there, and values cross with converter contexts, never a global ``activate()``.
"""

from __future__ import annotations

import os
import sys
import types
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

# R started from here (rpy2, or Rscript in a subprocess) must use this Python.
os.environ.setdefault("RETICULATE_PYTHON", sys.executable)
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

# The module through which R hands Python objects over to the tests.
BRIDGE_MODULE = "_lrdecay_r_parity_bridge"

_R_SETUP = r"""
local({
  libs <- strsplit(Sys.getenv("R_LIBS"), .Platform$path.sep, fixed = TRUE)[[1]]
  .libPaths(c(libs[nzchar(libs)], .libPaths()))
})
suppressPackageStartupMessages(library(lrdecay))
.parity <- new.env()
.parity$run <- function(code, env) {
  .parity$value <- NULL
  .parity$error <- NULL
  .parity$error_class <- NULL
  tryCatch(
    .parity$value <- eval(parse(text = code), env),
    error = function(e) {
      .parity$error <- conditionMessage(e)
      .parity$error_class <- class(e)
    }
  )
  # Values that are still Python objects cannot leave: hand them over instead.
  if (inherits(.parity$value, "python.builtin.object")) {
    .parity$error <- "R code returned a Python object; use RSession.to_python()"
    .parity$error_class <- "parity_error"
    .parity$value <- NULL
  }
  rm(list = ls(env, all.names = TRUE), envir = env)
  invisible(gc(verbose = FALSE))  # here, with the GIL held
  NULL
}
.parity$env <- new.env(parent = globalenv())
.parity$runner <- reticulate::py_func(function(code) .parity$run(code, .parity$env))
.parity$runner(paste0(".parity$bridge <- reticulate::import('BRIDGE_MODULE', ",
                      "convert = FALSE)$objects; NULL"))
NULL
""".replace("BRIDGE_MODULE", BRIDGE_MODULE)


class RError(Exception):
    """An R error raised by code run in the embedded session."""

    def __init__(self, message: str, classes: list[str]) -> None:
        super().__init__(message)
        self.classes = classes


class RCall:
    """An R call built from Python values, passed to R as binary values, not as text:
    numbers, bools, strings, ``None`` (``NULL``), NumPy arrays (R vectors), nested ``RCall``
    objects, or lists of them (R lists)."""

    def __init__(self, fn: str, *args: Any, **kwargs: Any) -> None:
        self.fn, self.args, self.kwargs = fn, args, kwargs


class RSession:
    """The embedded R session, with lrdecay attached."""

    def __init__(self) -> None:
        import rpy2.robjects as ro
        from rpy2.robjects import numpy2ri

        self._ro = ro
        self._conv = ro.default_converter + numpy2ri.converter
        bridge = types.ModuleType(BRIDGE_MODULE)
        bridge.objects = {}
        sys.modules[BRIDGE_MODULE] = bridge
        self._bridge = bridge.objects
        with self._conv.context():
            ro.r(_R_SETUP)

    def eval(self, code: str, **values: Any) -> Any:
        """R ``code``'s value, ``values`` bound as R variables: numeric vectors as float64
        arrays, R lists as Python lists. An R error raises ``RError`` (message, classes)."""
        ro = self._ro
        with self._conv.context():
            env = ro.r(".parity$env")
            for name, value in values.items():
                env[name] = _to_r(value)
            ro.globalenv[".parity_code"] = code
            ro.r(".parity$runner(.parity_code)")
            error = ro.r(".parity$error")
            if error is not ro.NULL and error is not None:
                classes = [str(c) for c in ro.r(".parity$error_class")]
                raise RError(str(error[0]), classes)
            return self._fetch(".parity$value")

    def _fetch(self, path: str) -> Any:
        """The R value at ``path``; an R list (at any depth) as a Python list."""
        ro = self._ro
        if ro.r(f"is.list({path})")[0]:
            n = int(ro.r(f"length({path})")[0])
            return [self._fetch(f"{path}[[{i}]]") for i in range(1, n + 1)]
        return ro.r(path)

    def eval_each(self, calls: list[RCall], each: str = "{x}", **values: Any) -> list[Any]:
        """The values of ``each`` (R code around ``{x}``) for every call, in one R evaluation
        (each evaluation ends with a full garbage collection)."""
        code, bound = _code_each(calls, each)
        bound.update(values)
        return self.eval(code, **bound)

    def to_python(self, code: str, **values: Any) -> Any:
        """The Python object that R ``code`` evaluates to (a schedule, a Keras schedule...)."""
        self._bridge.pop("value", None)
        self.eval(f"{{ reticulate::py_set_item(.parity$bridge, 'value', {code}); NULL }}",
                  **values)
        return self._bridge.pop("value")

    def each_to_python(self, calls: list[RCall], each: str = "{x}") -> list[Any]:
        """The Python objects R builds for ``calls`` (each passed through ``each``)."""
        code, bound = _code_each(calls, each)
        return list(self.to_python(code, **bound))

    def close(self) -> None:
        """Drop every R reference to a Python object while the GIL is held."""
        self._bridge.clear()
        self.eval("{ rm(list = ls(globalenv(), all.names = TRUE)[ls(globalenv(), "
                  "all.names = TRUE) != '.parity'], envir = globalenv()); NULL }")


def _to_r(value: Any) -> Any:
    """A Python value as an R vector: floats as doubles, ints as integers, arrays as vectors."""
    import rpy2.robjects as ro

    if value is None:
        return ro.NULL
    array = np.asarray(value)  # a scalar as a vector of one
    vector = {"f": ro.FloatVector, "i": ro.IntVector, "u": ro.IntVector, "b": ro.BoolVector,
              "U": ro.StrVector}.get(array.dtype.kind)
    if vector is None:
        raise TypeError(f"cannot pass {value!r} to R")
    return vector(array.ravel().tolist())


def _code_each(calls: list[RCall], each: str) -> tuple[str, dict[str, Any]]:
    """R source for ``list(each(call1), each(call2), ...)`` and its bound values."""
    values: dict[str, Any] = {}
    parts = [each.replace("{x}", _code(c, values, prefix=".a")[0]) for c in calls]
    return "list(\n" + ",\n".join(parts) + "\n)", values


def _code(call: RCall, values: dict[str, Any], prefix: str) -> tuple[str, dict[str, Any]]:
    """R source for ``call``, with every leaf value bound to a variable in ``values``."""

    def leaf(v: Any) -> str:
        if isinstance(v, RCall):
            return _code(v, values, prefix)[0]
        if isinstance(v, list):
            return "list(" + ", ".join(leaf(x) for x in v) + ")"
        name = f"{prefix}{len(values) + 1}"
        values[name] = v
        return name

    parts = [leaf(a) for a in call.args] + [f"{k} = {leaf(v)}" for k, v in call.kwargs.items()]
    return f"{call.fn}({', '.join(parts)})", values


@pytest.fixture(scope="session")
def r_session() -> Iterator[RSession]:
    """The embedded R session with ``library(lrdecay)`` (started once)."""
    import lrdecay  # noqa: F401 - this checkout's module first: R then shares it

    try:
        import rpy2.robjects  # noqa: F401
    except Exception as err:  # noqa: BLE001 - any failure to embed R means: skip
        pytest.skip(f"rpy2 cannot embed R: {err}")
    try:
        session = RSession()
    except Exception as err:  # noqa: BLE001
        pytest.fail(f"could not start R with library(lrdecay) (is the R package installed? "
                    f"`make setup`, or R_LIBS pointing at its library): {err}")
    yield session
    session.close()


# -- leaving the process (test_r_harness.py) -----------------------------------------
# Once reticulate has run here, rpy2's exit handler and R's finalizers may hang or crash
# after every test has passed: once every report is written, leave with pytest's own exit
# status (read at the very end: a plugin may change it), skipping them.
_SESSION: list[pytest.Session] = []


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _SESSION.append(session)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    if _SESSION and "rpy2.rinterface" in sys.modules:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(int(_SESSION[-1].exitstatus))


# Property tests search the same examples on every run (a failure is reproducible, and
# CI does not depend on luck); `HYPOTHESIS_PROFILE=explore` searches afresh each run.
try:
    from hypothesis import settings as _hyp_settings

    _hyp_settings.register_profile("ci", derandomize=True, print_blob=True)
    _hyp_settings.register_profile("explore", derandomize=False)
    _hyp_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
except ImportError:  # pragma: no cover - hypothesis is in requirements.txt
    pass
