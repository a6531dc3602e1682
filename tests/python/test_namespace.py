"""The Python namespace as a user meets it: what ``import lrdecay`` loads and shows, the
argument docs of every public class and function, the registration of the Keras classes
(``.keras`` files load after ``import lrdecay`` alone, in either import order), and the
error that says what to install when Keras is missing.

Import side effects need a fresh interpreter: those tests run one (``kit.run_processes``).
"""

from __future__ import annotations

import dataclasses
import inspect
import re
import sys

import lrdecay
import pytest
from kit import REPO, check_process, keras_model, last_json, run_processes

#: The Keras-backed public names, loaded on first use.
KERAS_BACKED = {"KerasSchedule", "LRScheduler", "LRLogger", "LRCustom", "LRPlateau",
                "HParamScheduler", "get_learning_rate", "set_learning_rate", "lr_find",
                "LRFindResult", "start_cooldown"}
#: The public API: the names ``dir(lrdecay)`` lists, and nothing else.
PUBLIC = KERAS_BACKED | {
    # schedules and the plan check (NumPy only)
    "Schedule", "Constant", "Step", "MultiStep", "Piecewise", "Exponential", "InverseTime",
    "Polynomial", "Cosine", "CosineRestarts", "Linear", "Cyclic", "OneCycle", "Warmup",
    "Sequence", "FromFunction", "WSD", "InverseSqrt", "Rex", "Cooldown",
    "OneCycleMomentum", "CyclicMomentum", "from_config", "check_schedule", "Finding",
    "ScheduleWarning",
    # lengths sized to the run
    "of_run", "OfRun", "UnsizedScheduleError",
    # the digits demo (Keras only when it trains)
    "compare_schedules", "default_schedules",
}
HEAVY = ("keras", "tensorflow", "tf_keras", "jax", "torch", "transformers")


def test_dir_lists_the_public_api_and_nothing_else():
    assert set(dir(lrdecay)) == PUBLIC | {"__version__"}
    assert set(lrdecay.__all__) == PUBLIC - KERAS_BACKED


# -- argument docs ---------------------------------------------------------------------------
def documented_names(doc: str | None, section: str) -> set[str] | None:
    """The names an ``Args:`` (or ``Attributes:``) section of a Google docstring documents
    (``name:`` or ``a, b:`` at the section's indent); ``None`` without the section."""
    doc = inspect.cleandoc(doc or "")
    found = re.search(rf"^{section}:\n((?:[ \t]+.*\n?|\n)*)", doc, re.MULTILINE)
    if found is None:
        return None
    names: set[str] = set()
    for line in found.group(1).splitlines():
        head = re.match(r"^    (\*{0,2}\w+(?:, \*{0,2}\w+)*)(?: \([^)]*\))?:", line)
        if head:
            names.update(n.lstrip("*") for n in head.group(1).split(", "))
    return names


@pytest.mark.keras
def test_every_public_class_and_function_documents_each_argument():
    """Every parameter of every public function and class constructor has an ``Args:``
    (dataclasses: ``Attributes:``) entry, on the class or on its ``__init__``."""
    missing = {}
    for name in sorted(PUBLIC):
        obj = getattr(lrdecay, name)
        section = "Attributes" if dataclasses.is_dataclass(obj) else "Args"
        documented = documented_names(obj.__doc__, section)
        if inspect.isclass(obj):
            if not inspect.isfunction(obj.__init__):
                continue  # a constructor not written here (Schedule, ScheduleWarning)
            if documented is None:  # documented on __init__ instead
                documented = documented_names(obj.__init__.__doc__, section)
        params = [p for p in inspect.signature(obj).parameters
                  if documented is None or p not in documented]
        if params:
            missing[name] = params
    assert not missing, f"arguments without an Args: entry: {missing}"


def test_the_args_reader_reads_google_style():
    doc = """Summary.

    Args:
        a: one.
        b, c: two and three,
            continued.
        **kwargs: more.

    Returns:
        x: not an argument.
    """
    assert documented_names(doc, "Args") == {"a", "b", "c", "kwargs"}
    assert documented_names("No sections.", "Args") is None


# -- Keras's registry: .keras files load after `import lrdecay` alone -------------------------
LOAD = """
import sys
model = keras.saving.load_model("model.keras")
lr = model.optimizer._learning_rate
assert type(lr).__name__ == "KerasSchedule", type(lr)
assert abs(float(lr(7)) - lrdecay.Warmup(lrdecay.Cosine(0.1, 10), 3)(3.5)) < 1e-7
finders = [type(f).__name__ for f in sys.meta_path]
assert "_RegisterWhenKerasLoads" not in finders, finders
assert type(sys.modules["keras"].__spec__.loader).__name__ != "_RegisteringLoader"
assert type(sys.modules["keras"].__loader__).__name__ != "_RegisteringLoader"
print("loaded")
"""
# TensorFlow's import asks where Keras is before it imports it: the registration waits for
# the import itself.
ORDERS = ("import lrdecay\nimport keras", "import keras\nimport lrdecay",
          "import lrdecay\nimport tensorflow\nimport keras")


@pytest.mark.keras
def test_keras_files_load_after_import_lrdecay_in_any_order(tmp_path):
    """Saved here; loaded in a fresh Python per import order, two at a time."""
    schedule = lrdecay.Warmup(lrdecay.Cosine(0.1, 10), 3)
    model = keras_model(schedule.to_keras(steps_per_epoch=2), inputs=2)
    model.optimizer.build(model.trainable_variables)
    model.optimizer.iterations.assign(7)
    model.save(tmp_path / "model.keras")
    procs = run_processes([{"argv": [sys.executable, "-c", first + LOAD], "cwd": tmp_path}
                           for first in ORDERS])
    for first, proc in zip(ORDERS, procs):
        assert check_process(proc, repr(first)).strip().endswith("loaded")


# -- Import side effects, in one fresh Python ------------------------------------------------
#: What needs Keras, and what it says without Keras.
NEEDS_KERAS = ["Step.to_keras()", "compare_schedules()",
               *[f"lrdecay.{name}" for name in sorted(KERAS_BACKED)]]
#: The hint names the checkout the tests import lrdecay from (the child runs in another
#: folder; test_cli.py tests the other ways lrdecay can be installed).
MISSING = (f' needs Keras 3 and a backend, and keras is not installed: pip install "{REPO}[keras]" '
           "tensorflow (or jax, or torch, in place of tensorflow).")
CHILD = f"""
import contextlib, io, json, runpy, sys
try:
    import matplotlib
    matplotlib.use("Agg")
except ImportError:
    matplotlib = None
import lrdecay
from lrdecay import *
assert "Any" not in dir() and "LRScheduler" not in dir(), sorted(dir())
from kit import schedule_cases
for s in [s for _, s in schedule_cases()] + [FromFunction(lambda t: 0.1 + 0 * t)]:
    s(3.5); s([0, 1, 2]); repr(s); s.describe()
    if matplotlib is not None:
        s.plot()
    if not isinstance(s, FromFunction):
        assert from_config(s.get_config()) == s
check_schedule(WSD(0.1, 2, 3, 4), 9)
default_schedules(15)
out = {{"loaded": sorted(m for m in sys.modules if m.split(".")[0] in {HEAVY!r})}}

sys.modules["keras"] = None  # as if not installed
assert Step(0.1)(10) == 0.05  # the schedules work without Keras
uses = {{"Step.to_keras()": Step(0.1).to_keras,
         "compare_schedules()": lambda: compare_schedules(epochs=1, output=None, verbose=0)}}
for name in {sorted(KERAS_BACKED)!r}:
    uses["lrdecay." + name] = lambda name=name: getattr(lrdecay, name)
out["missing"] = {{}}
for what, use in uses.items():
    try:
        use()
    except ImportError as err:
        out["missing"][what] = str(err)
sys.argv = ["-m", "compare", "--epochs", "1", "--schedules", "constant"]
with contextlib.redirect_stderr(io.StringIO()) as err:
    try:
        runpy.run_module("lrdecay", run_name="__main__")  # python -m lrdecay
    except SystemExit as exit_:
        out["cli"] = [exit_.code, err.getvalue()]

del sys.modules["keras"]
sys.path.insert(0, "BROKEN")  # a Keras that fails to import
out["broken"] = []
for attempt in range(2):
    try:
        import keras
    except ImportError as err:
        out["broken"].append([str(err), "keras" in sys.modules,
                              [type(f).__name__ for f in sys.meta_path]])
print(json.dumps(out))
"""


def test_import_side_effects_in_a_fresh_python(tmp_path):
    """``import lrdecay``, ``from lrdecay import *``, every family (``kit.schedule_cases``)
    evaluated, described, plotted and rebuilt from its config, and the plan check load no
    Keras, no TensorFlow. Without Keras, what needs it raises an ImportError that says what
    to install, and ``python -m lrdecay compare`` prints that in one line. A Keras that
    fails to import raises its own error and leaves the registration waiting (first on
    ``sys.meta_path``, once) for the next attempt."""
    broken = tmp_path / "broken" / "keras"
    broken.mkdir(parents=True)
    (broken / "__init__.py").write_text('raise ImportError("this Keras is broken")\n')
    child = CHILD.replace("BROKEN", str(broken.parent))
    out = last_json(check_process(run_processes([{"argv": [sys.executable, "-c", child],
                                                  "cwd": tmp_path}])[0], "the child Python"))
    assert out["loaded"] == []
    assert out["missing"] == {what: what + MISSING for what in NEEDS_KERAS}
    code, stderr = out["cli"]
    assert code not in (0, None)
    assert stderr == f"python -m lrdecay compare: error: compare_schedules(){MISSING}\n"
    assert not (tmp_path / "lrdecay-demo.png").exists()
    for message, keras_imported, finders in out["broken"]:
        assert message == "this Keras is broken"
        assert not keras_imported
        assert finders[0] == "_RegisterWhenKerasLoads" and finders.count(finders[0]) == 1
    assert len(out["broken"]) == 2


def test_the_extras_say_what_each_use_needs():
    text = (REPO / "pyproject.toml").read_text()
    extras = text.split("[project.optional-dependencies]", 1)[1].split("\n[", 1)[0]
    assert re.search(r'^keras = \["keras>=3"\]', extras, re.MULTILINE), extras
    demo = re.search(r"^demo = \[(.*)\]", extras, re.MULTILINE)
    assert demo and all(p in demo.group(1) for p in ("keras", "scikit-learn", "matplotlib"))
    assert not re.search(r"^\[tool", text, re.MULTILINE)  # reticulate on R 4.2 misreads it
