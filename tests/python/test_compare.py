"""The demo (``compare_schedules``): its default schedules and its argument rules.

The rules live here, in Python, once: R's ``compare_schedules()`` only converts R values
and reports Python's message.
"""

from __future__ import annotations

import numpy as np
import pytest
from lrdecay import Constant, Exponential, InverseTime, Schedule, Step
from lrdecay.compare import compare_schedules, default_schedules


@pytest.mark.parametrize("epochs", [1, 2, 15, 40])
def test_default_schedules_are_sized_to_the_epochs(epochs: int) -> None:
    schedules = default_schedules(epochs)
    assert list(schedules) == ["constant", "step", "exponential", "inverse time", "polynomial",
                               "cosine", "warmup + cosine", "one-cycle", "cyclic"]
    for name, s in schedules.items():
        assert isinstance(s, Schedule), name
        values = s(np.arange(epochs, dtype=np.float64))
        assert np.all(np.isfinite(values)) and np.all(values >= 0), name
    # Keras's positional order: one decay period per epoch.
    assert schedules["exponential"] == Exponential(0.1, 1, 0.8)
    assert schedules["inverse time"] == InverseTime(0.1, 1, 0.5)
    assert schedules["exponential"](3.0) == pytest.approx(0.1 * 0.8**3, rel=1e-15)


@pytest.mark.parametrize(("kwargs", "exc", "message"), [
    ({"verbose": 2}, ValueError, "`verbose` must be 0 or 1, not 2."),
    ({"verbose": "yes"}, TypeError, "`verbose` must be 0 or 1, not \"yes\"."),
    ({"epochs": 0}, ValueError, "`epochs` must be a positive whole number, not 0."),
    ({"epochs": 2.5}, ValueError, "`epochs` must be a positive whole number, not 2.5."),
    ({"batch_size": -1}, ValueError, "`batch_size` must be a positive whole number, not -1."),
    ({"seed": -1}, ValueError, "`seed` must be a whole number >= 0, not -1."),
    ({"output": "plot.pdf"}, ValueError, "`output` must be a path ending in .png, not "
                                         '"plot.pdf".'),
    ({"output": 3}, TypeError, "`output` must be a path to a .png file, not 3."),
    ({"schedules": {}}, TypeError, "`schedules` must be a named list (mapping) of lrdecay "
                                   "schedules, not {}."),
    ({"schedules": {"step": Step(0.1), "bad": 0.5}}, TypeError,
     '`schedules` must be a named list (mapping) of lrdecay schedules ("bad" is not one), '
     "not 0.5."),
    ({"schedules": {"": Step(0.1)}}, TypeError,
     "`schedules` must be a named list (mapping) of lrdecay schedules, every name a non-empty "
     "string, not [\"\"].")
])
def test_bad_arguments_fail_before_training(kwargs: dict, exc: type, message: str) -> None:
    with pytest.raises(exc) as err:
        compare_schedules(**kwargs)
    assert str(err.value) == message


@pytest.mark.keras
def test_one_schedule_trains_and_reports_the_rates_applied() -> None:
    """One schedule given alone is named "schedule"; the LR of each epoch is the schedule's
    (float32, as Keras stores it); R's doubles and FALSE are accepted for whole numbers and
    the verbosity."""
    pytest.importorskip("sklearn")
    s = Step(0.1, 0.5, 1)
    rows = compare_schedules(s, epochs=2.0, output=None, verbose=0.0)  # R doubles
    assert [r["schedule"] for r in rows] == ["schedule"]
    assert rows[0]["lr"] == [float(np.float32(s(e))) for e in range(2)]
    assert rows[0]["final_lr"] == float(np.float32(0.05))
    assert 0.0 <= rows[0]["test_accuracy"] <= 1.0
    rows = compare_schedules({"constant": Constant(0.05)}, epochs=1, output=None, verbose=False)
    assert rows[0]["lr"] == [float(np.float32(0.05))]
