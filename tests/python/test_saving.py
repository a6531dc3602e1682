"""Saving what cannot be saved (a file already there is left as it was), loading what was
tampered with (the constructors' own messages; no code from a config ever runs). That every
family saves and loads, here, in a fresh Python and in a fresh R session: ``test_resume.py``.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any, Callable

import lrdecay
import numpy as np
import pytest
from kit import keras_model, sha256, tampered

keras = pytest.importorskip("keras")

pytestmark = pytest.mark.keras

# ---------------------------------------------------------------------------
# A saved schedule cannot become unsaveable (that a user function cannot be saved or run
# in-graph: test_schedules.py, test_keras_schedule.py)
# ---------------------------------------------------------------------------


def _user_fn(t: Any) -> Any:
    return 0.1 / (1.0 + np.asarray(t))


def test_a_saved_schedule_cannot_become_unsaveable(tmp_path: Path) -> None:
    """Keras truncates the target file before it serializes the model, so a schedule that
    failed to serialize would destroy the file being overwritten. KerasSchedule checks its
    schedule on every assignment: a user function is refused there, the model still saves,
    and the file is what it was."""
    path = tmp_path / "model.keras"
    model = keras_model(lrdecay.Cosine(0.1, 10).to_keras())
    model.optimizer.build(model.trainable_variables)
    model.save(path)
    before = sha256(path)
    ks = model.optimizer._learning_rate
    with pytest.raises(TypeError, match="not serializable"):
        ks.schedule = lrdecay.FromFunction(_user_fn)  # hostile
    with pytest.raises(TypeError, match="not serializable"):
        ks.schedule = lrdecay.Warmup(lrdecay.FromFunction(_user_fn), 2)
    with pytest.raises(TypeError, match="`schedule` must be an lrdecay schedule"):
        ks.schedule = _user_fn
    assert sha256(path) == before
    assert ks.schedule == lrdecay.Cosine(0.1, 10)
    model.save(path)
    assert keras.saving.load_model(path).optimizer._learning_rate.schedule == \
        lrdecay.Cosine(0.1, 10)


# ---------------------------------------------------------------------------
# Safe loading: tampered config.json
# ---------------------------------------------------------------------------

BASE = lrdecay.Warmup(lrdecay.Sequence([lrdecay.Linear(0.0, 0.1, 3), lrdecay.Cosine(0.1, 9)],
                                       [3]), warmup_steps=2)


@pytest.fixture(scope="module")
def base_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tamper") / "base.keras"
    model = keras_model(BASE.to_keras(steps_per_epoch=4))
    model.optimizer.build(model.trainable_variables)
    model.save(path)
    # The untampered file loads: the failures below come from the tampering.
    assert keras.saving.load_model(path).optimizer._learning_rate.schedule == BASE
    return path


def _warmup(lr: dict[str, Any]) -> dict[str, Any]:
    return lr["config"]["schedule"]["config"]


def _seq(lr: dict[str, Any]) -> dict[str, Any]:
    return _warmup(lr)["schedule"]["config"]


def _cosine(lr: dict[str, Any]) -> dict[str, Any]:
    return _seq(lr)["schedules"][1]["config"]


def _set(getter: Callable[[dict[str, Any]], dict[str, Any]], key: str, value: Any):
    def edit(lr: dict[str, Any]) -> None:
        getter(lr)[key] = copy.deepcopy(value)
    return edit


def _delete(getter: Callable[[dict[str, Any]], dict[str, Any]], key: str):
    def edit(lr: dict[str, Any]) -> None:
        del getter(lr)[key]
    return edit


MARKER = "lrdecay_code_ran.txt"


def _code_injections(marker: str) -> list[tuple[str, Callable[[dict[str, Any]], None]]]:
    """Configs that would create ``marker`` if anything in them were executed."""
    payload = f"__import__('pathlib').Path({marker!r}).write_text('ran')"
    from keras.src.utils import python_utils

    def lam(*args: Any) -> Any:
        return __import__("pathlib").Path(marker).write_text("ran")

    dumped = python_utils.func_dump(lam)

    def lambda_lr(lr: dict[str, Any]) -> None:
        lr.clear()
        lr.update({"module": "builtins", "class_name": "__lambda__",
                   "config": {"code": dumped[0], "defaults": dumped[1], "closure": dumped[2]},
                   "registered_name": None})

    def eval_lr(lr: dict[str, Any]) -> None:
        lr.update({"module": "builtins", "class_name": "eval", "registered_name": "builtins>eval",
                   "config": payload})

    def function_schedule(lr: dict[str, Any]) -> None:
        _warmup(lr)["schedule"] = {"class_name": "FromFunction",
                                   "config": {"fn": f"lambda t: {payload}"}}

    def eval_family(lr: dict[str, Any]) -> None:
        _warmup(lr)["schedule"] = {"class_name": "eval", "config": {"source": payload}}

    def lambda_in_schedule(lr: dict[str, Any]) -> None:
        _seq(lr)["schedules"][0] = {"module": "builtins", "class_name": "__lambda__",
                                    "config": {"code": dumped[0]}, "registered_name": None}

    return [("keras_lambda_as_learning_rate", lambda_lr), ("builtins_eval", eval_lr),
            ("function_schedule", function_schedule), ("eval_family", eval_family),
            ("lambda_inside_schedule", lambda_in_schedule)]


#: One or two tampers per level of the config (the Keras schedule, Warmup, Sequence, Cosine):
#: each argument's every bad value is tried on the constructors (test_schedule_checks.py)
#: and on KerasSchedule.from_config (test_keras_schedule.py).
TAMPERS: list[tuple[str, Callable[[dict[str, Any]], None], type, str]] = [
    ("unknown_family", _set(lambda lr: lr["config"]["schedule"], "class_name", "Bogus"),
     ValueError, "`class_name` must be one of"),
    ("family_not_a_string", _set(lambda lr: lr["config"]["schedule"], "class_name", ["Cosine"]),
     ValueError, "`class_name`"),
    ("wrong_type_string", _set(_cosine, "initial_lr", "0.1"), TypeError, "`initial_lr`"),
    ("missing_key", _delete(_cosine, "initial_lr"), ValueError, "missing: initial_lr"),
    ("missing_nested_schedule", _delete(_warmup, "schedule"), ValueError, "missing: schedule"),
    ("missing_config", _delete(lambda lr: lr["config"]["schedule"], "config"), TypeError,
     "`config`"),
    ("out_of_range", _set(_cosine, "alpha", 2), ValueError, "`alpha` must be a number in [0, 1]"),
    ("negative_lr", _set(_cosine, "initial_lr", -0.1), ValueError, "`initial_lr`"),
    ("schedules_count", _set(_seq, "schedules", [{"class_name": "Constant",
                                                  "config": {"lr": 0.1}}] * 3),
     ValueError, "`boundaries` must be a vector of length 2"),
    ("schedules_not_dicts", _set(_seq, "schedules", [1, 2]), TypeError, "`schedules`"),
    ("schedule_not_a_dict", _set(_warmup, "schedule", "Cosine(0.1, 9)"), TypeError,
     "`schedule`"),
    ("extra_key_family", _set(_cosine, "evil", 1), ValueError, '"evil"'),
    ("extra_key_top", _set(lambda lr: lr["config"]["schedule"], "module", "os"), TypeError,
     'exactly the keys "class_name" and "config"'),
    ("steps_per_epoch_negative", _set(lambda lr: lr["config"], "steps_per_epoch", -4),
     ValueError, "`steps_per_epoch`"),
]


@pytest.mark.parametrize(("name", "edit", "exc", "message"), TAMPERS,
                         ids=[t[0] for t in TAMPERS])
def test_tampered_config_gives_the_constructors_error(
        base_file: Path, tmp_path: Path, name: str, edit: Callable[[dict[str, Any]], None],
        exc: type, message: str) -> None:
    path = tampered(base_file, tmp_path / f"{name}.keras", edit)
    before = sha256(path)
    with pytest.raises(exc) as err:
        keras.saving.load_model(path)
    assert message in str(err.value)
    assert sha256(path) == before


@pytest.mark.parametrize("safe_mode", [True, False], ids=["safe_mode", "unsafe_mode"])
def test_loading_never_runs_code_from_a_config(base_file: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               safe_mode: bool) -> None:
    """Code smuggled into the schedule's config is never run: Keras's own lambda route is
    refused in safe mode, and lrdecay's from_config (which load_model calls, through
    KerasSchedule.from_config) knows only its built-in families, in either mode (a
    FromFunction config is an unknown family)."""
    monkeypatch.chdir(tmp_path)
    marker = tmp_path / MARKER
    tried = 0
    for name, edit in _code_injections(str(marker)):
        if not safe_mode and name == "keras_lambda_as_learning_rate":
            continue  # unsafe mode runs Keras lambdas by design: not lrdecay's to refuse
        path = tampered(base_file, tmp_path / f"{name}.keras", edit)
        with pytest.raises((TypeError, ValueError)):
            keras.saving.load_model(path, safe_mode=safe_mode)
        assert not marker.exists(), f"code from the config ran ({name})"
        tried += 1
    assert tried >= 4
