"""Reading and setting an optimizer's learning rate in Keras 3.

The one place where lrdecay touches ``optimizer.learning_rate``: the callbacks
(``lrdecay.callbacks``) and the R wrappers all go through the functions below.

``get_learning_rate(model)`` / ``set_learning_rate(model, value)`` replace the
Keras 2 idiom ``k_set_value(model$optimizer$lr, lr)``: in Keras 3 the attribute
is ``learning_rate`` and it is set by plain assignment, which Keras refuses when
the optimizer was built with an in-graph ``LearningRateSchedule``.

>>> import keras, lrdecay
>>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
>>> model.compile(keras.optimizers.SGD(learning_rate=0.1), loss="mse")
>>> lrdecay.set_learning_rate(model, 0.05)
0.05000000074505806
>>> lrdecay.get_learning_rate(model)
0.05000000074505806
"""

from __future__ import annotations

import numbers
from collections.abc import Iterator, Mapping
from typing import Any

import keras
import numpy as np

from ._checks import check_number, show_value
from .words import current

__all__ = ["get_learning_rate", "set_learning_rate"]

#: What every learning-rate value must be (used in every message).
LR_MUST = "a non-negative finite number"


def _plain(value: Any) -> Any:
    """NumPy scalars and backend tensors as plain Python values (for checks and messages)."""
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, (str, bytes, numbers.Number, list, tuple)):
        return value
    if isinstance(value, np.ndarray) or hasattr(value, "__array__"):
        try:
            arr = np.asarray(value)
        except Exception:  # noqa: BLE001 - an odd object: let the checker reject it
            return value
        return arr.item() if arr.shape == () else arr
    return value


def check_lr(value: Any, *, name: str = "value", source: str | None = None,
             at: str | None = None) -> float:
    """Check a learning-rate value and return it as a Python float.

    Accepted: one finite number ``>= 0`` given as a Python or NumPy number, a 0-d or
    1-element array, a backend tensor of one element, or a 1-element list/tuple (how
    an R number of length one may arrive). Rejected: ``None`` (R ``NULL``), NaN (R
    ``NA``), infinities, negatives, strings, booleans, and anything of length != 1.

    Args:
        value: the candidate learning rate.
        name: the argument's name, for the message "`value` must be ...".
        source, at: when given, the message reads "{source} returned {value} at {at};
            it must return one non-negative finite number." (for values returned by
            user functions inside a callback).

    Returns:
        The value as a Python float.

    Raises:
        TypeError: wrong type or length. ValueError: NaN, infinite or negative.
    """
    plain = _plain(value)
    try:
        return check_number(name, plain, low=0.0, must=LR_MUST)
    except (TypeError, ValueError) as err:
        if source is None:
            raise
        raise type(err)(f"{source} returned {show_value(plain)} at {at}; it must return "
                        f"one non-negative finite number.") from None


def optimizer_of(model: Any, who: str) -> Any:
    """The optimizer of a compiled Keras model (or ``model`` itself if it is an optimizer).

    Args:
        model: a compiled Keras model, or a Keras optimizer.
        who: the caller's name, starting the error messages.

    Raises:
        TypeError: ``model`` is neither a Keras model nor an optimizer.
        ValueError: the model has no optimizer (it was not compiled).
    """
    if isinstance(model, keras.optimizers.Optimizer):
        return model
    if not isinstance(model, keras.Model):
        raise TypeError(f"`model` must be a Keras model (or optimizer), not {show_value(model)}.")
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None:
        raise ValueError(f"{who}: the model has no optimizer. Compile it first, e.g. "
                         "model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), "
                         "loss=...).")
    if not hasattr(optimizer, "learning_rate"):
        raise ValueError(f"{who}: the optimizer {type(optimizer).__name__} has no "
                         "`learning_rate` attribute.")
    return optimizer


def read_lr(optimizer: Any) -> float:
    """The learning rate the optimizer's next update uses, as a Python float.

    A constant learning rate is read from its variable; an in-graph schedule is
    evaluated at the optimizer's iteration count, exactly as Keras does when it
    applies an update (``optimizer.learning_rate``).
    """
    lr = optimizer.learning_rate
    try:
        # float() of a Keras variable or a 0-d backend tensor is one device read, about
        # half the cost of convert_to_numpy() (which this falls back to).
        return float(lr)
    except TypeError:
        return float(keras.ops.convert_to_numpy(lr))


def optimizer_chain(optimizer: Any) -> Iterator[Any]:
    """``optimizer``, then each optimizer it wraps (``LossScaleOptimizer``'s
    ``inner_optimizer``, at any depth): the one unwrapping of lrdecay.

    Args:
        optimizer: a Keras optimizer.
    """
    while optimizer is not None:
        yield optimizer
        optimizer = getattr(optimizer, "inner_optimizer", None)


def innermost_optimizer(optimizer: Any) -> Any:
    """The optimizer that holds the learning rate: ``optimizer`` itself, or the optimizer
    a wrapper such as ``LossScaleOptimizer`` holds as ``inner_optimizer`` (at any depth).

    Args:
        optimizer: a Keras optimizer.
    """
    *_, last = optimizer_chain(optimizer)
    return last


def is_settable(optimizer: Any) -> bool:
    """Whether the optimizer's learning rate is a variable (not an in-graph schedule)."""
    return isinstance(optimizer.learning_rate, keras.Variable)


def require_settable(optimizer: Any, who: str, words: Mapping[str, str]) -> None:
    """Raise a clear ``TypeError`` when the learning rate is an in-graph schedule.

    Args:
        optimizer: a Keras optimizer.
        who: the caller's name, starting the message.
        words: the caller's words (``lrdecay.words``) for the advice.
    """
    if is_settable(optimizer):
        return
    kind = type(getattr(innermost_optimizer(optimizer), "_learning_rate", None)).__name__
    raise TypeError(
        f"{who}: cannot set the learning rate: the optimizer's `learning_rate` is an "
        f"in-graph schedule ({kind}), which Keras evaluates at every update. To set the "
        f"learning rate, compile with a number instead, e.g. {words['sgd_rate']}, and drive "
        f"it with {words['LRScheduler']} or {words['set_learning_rate']}; or keep the "
        "in-graph schedule and do not set the rate."
    )


def write_lr(optimizer: Any, value: float, who: str, words: Mapping[str, str]) -> None:
    """Set a checked learning rate on the optimizer (no read-back: callbacks run it per batch).

    Args:
        optimizer: a Keras optimizer.
        value: the checked rate.
        who, words: see ``require_settable``.
    """
    require_settable(optimizer, who, words)
    optimizer.learning_rate = float(value)


def get_learning_rate(model: Any) -> float:
    """The current learning rate of a compiled model's optimizer.

    Args:
        model: a compiled Keras model (or a Keras optimizer).

    Returns:
        The learning rate as a Python float: the optimizer's variable (float32, as
        Keras stores it), or, for an in-graph schedule, the schedule evaluated at
        ``optimizer.iterations`` (the rate of the next update).

    Raises:
        TypeError: ``model`` is not a Keras model. ValueError: it is not compiled.

    Example:
        >>> lrdecay.get_learning_rate(model)  # doctest: +SKIP
        0.10000000149011612
    """
    return read_lr(optimizer_of(model, "get_learning_rate()"))


def set_learning_rate(model: Any, value: Any) -> float:
    """Set the learning rate of a compiled model's optimizer.

    The Keras 3 replacement of ``k_set_value(model$optimizer$lr, value)``.

    Args:
        model: a compiled Keras model (or a Keras optimizer) whose learning rate is a
            number, not an in-graph schedule.
        value: one non-negative finite number (see ``check_lr`` for accepted forms).

    Returns:
        The learning rate now in effect (as stored, float32), as a Python float.

    Raises:
        TypeError: bad ``value`` type or length, ``model`` not a Keras model, or an
            in-graph schedule (whose value cannot be set).
        ValueError: ``value`` NaN, infinite or negative; ``model`` not compiled.
    """
    lr = check_lr(value, name="value")
    words = current()
    optimizer = optimizer_of(model, words["set_learning_rate"])
    write_lr(optimizer, lr, words["set_learning_rate"], words)
    return read_lr(optimizer)

