"""The two maths back ends a formula runs on: NumPy (float64) and ``keras.ops`` (float32).

Every schedule writes its formula once, against the small namespace below, and
runs it on either back end: ``NUMPY`` to preview and to drive epoch callbacks,
``keras_ops()`` inside the training graph. ``keras`` is imported only by
``keras_ops()``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np


class NumpyOps:
    """Vectorised float64 maths with NumPy."""

    pi = math.pi
    floor = staticmethod(np.floor)
    ceil = staticmethod(np.ceil)
    exp = staticmethod(np.exp)
    log = staticmethod(np.log)
    cos = staticmethod(np.cos)
    sqrt = staticmethod(np.sqrt)
    minimum = staticmethod(np.minimum)
    maximum = staticmethod(np.maximum)
    where = staticmethod(np.where)
    power = staticmethod(np.power)

    @staticmethod
    def count(thresholds: Sequence[float], t: Any, *, strict: bool = False) -> Any:
        """How many ``thresholds`` are ``<= t`` (``< t`` when ``strict``), element-wise."""
        return np.searchsorted(np.asarray(thresholds, dtype=np.float64), t,
                               side="left" if strict else "right").astype(np.float64)

    @staticmethod
    def take(values: Sequence[float], index: Any) -> Any:
        """``values[index]``, element-wise."""
        return np.asarray(values, dtype=np.float64)[np.asarray(index, dtype=np.int64)]


class KerasOps:
    """The same namespace on ``keras.ops``, in float32, for in-graph schedules."""

    pi = math.pi

    def __init__(self) -> None:
        from keras import ops  # deferred: only in-graph schedules need Keras

        self.ops = ops
        self.floor = ops.floor
        self.ceil = ops.ceil
        self.exp = ops.exp
        self.log = ops.log
        self.cos = ops.cos
        self.sqrt = ops.sqrt
        self.where = ops.where

    def _f(self, x: Any) -> Any:
        return self.ops.cast(x, "float32")

    def minimum(self, a: Any, b: Any) -> Any:
        return self.ops.minimum(self._f(a), self._f(b))

    def maximum(self, a: Any, b: Any) -> Any:
        return self.ops.maximum(self._f(a), self._f(b))

    def power(self, a: Any, b: Any) -> Any:
        return self.ops.power(self._f(a), self._f(b))

    def count(self, thresholds: Sequence[float], t: Any, *, strict: bool = False) -> Any:
        ops = self.ops
        thr = ops.convert_to_tensor(np.asarray(thresholds, dtype=np.float32))
        te = ops.expand_dims(self._f(t), -1)
        hit = ops.greater(te, thr) if strict else ops.greater_equal(te, thr)
        return ops.sum(ops.cast(hit, "float32"), axis=-1)

    def take(self, values: Sequence[float], index: Any) -> Any:
        ops = self.ops
        vals = ops.convert_to_tensor(np.asarray(values, dtype=np.float32))
        return ops.take(vals, ops.cast(index, "int32"))


NUMPY = NumpyOps()
_KERAS: KerasOps | None = None


def keras_ops() -> KerasOps:
    """The shared ``KerasOps`` namespace (imports Keras on first use)."""
    global _KERAS
    if _KERAS is None:
        _KERAS = KerasOps()
    return _KERAS
