"""The training plan checked when ``fit()`` begins (``lrdecay.fit_check``).

``LRScheduler`` and in-graph schedules (``to_keras()``) run ``check_schedule`` with
the epochs and steps of the ``fit()`` that drives them and warn once per ``fit()``
(``lrdecay.ScheduleWarning``); ``check=False`` turns it off. What users rely on: a bad
plan warns exactly once, before the first update; a sound plan and ``check=False``
never warn; the in-graph clock is the step (or the epoch with ``steps_per_epoch``);
``check`` survives a ``.keras`` round trip and files without it still load.
"""

from __future__ import annotations

import threading
import warnings
from pathlib import Path
from typing import Any

import kit
import lrdecay
import pytest
from kit import X, Y, keras_model
from lrdecay import Constant, Cosine, Linear, ScheduleWarning, Step, Warmup

keras = pytest.importorskip("keras")

pytestmark = pytest.mark.keras


def fit(model: keras.Model, epochs: int, callbacks: list | None = None,
        batch_size: int = 16, **kwargs: Any) -> list[str]:
    """Train on kit's data (64 rows: 4 steps per epoch in batches of 16) and return the
    messages of the ScheduleWarnings raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        kit.fit(model, callbacks or [], epochs, batch_size=batch_size, **kwargs)
    return [str(w.message) for w in caught if issubclass(w.category, ScheduleWarning)]


# ---------------------------------------------------------------------------
# One warning per fit(), in check_schedule's words, with the fit()'s clock
# ---------------------------------------------------------------------------

TO_KERAS = "to_keras() (KerasSchedule): the learning-rate schedule has 2 problems for this "
#: (the schedule, to_keras()'s arguments or None for LRScheduler, more lrdecay callbacks,
#: check_schedule's clock, the findings' codes, the warning's start and end)
WARNS = [
    pytest.param(Cosine(0.1, 1000), None, [], "epoch", ["unit_mismatch", "not_finished"],
                 "LRScheduler: the learning-rate schedule has 2 problems for this training "
                 "(15 epochs of 4 steps; t counts epochs): "
                 "Cosine(initial_lr=0.1, decay_steps=1000, alpha=0)",
                 "to turn this check off: LRScheduler(..., check=False).",
                 id="lr_scheduler_steps_used_as_epochs"),
    # No lrdecay callback: the schedule finds the running fit() itself.
    pytest.param(Cosine(0.1, 15), {}, [], "step", ["unit_mismatch", "ends_early"],
                 TO_KERAS + "training (15 epochs of 4 steps; t counts optimizer steps)",
                 "to turn this check off: to_keras(..., check=False).",
                 id="in_graph_alone_epochs_used_as_steps"),
    pytest.param(Cosine(0.1, 1000), {"steps_per_epoch": 4}, [], "epoch",
                 ["unit_mismatch", "not_finished"],
                 TO_KERAS + "training (15 epochs of 4 steps; t counts epochs (iterations / 4))",
                 "", id="in_graph_steps_per_epoch_counts_epochs"),
    # With lrdecay callbacks in the fit() (two here): still one warning.
    pytest.param(Cosine(0.1, 15), {}, [lambda: lrdecay.LRLogger(verbose=0),
                                       lambda: lrdecay.LRCustom(on_epoch_begin=lambda e, lr,
                                                                logs: None)],
                 "step", ["unit_mismatch", "ends_early"],
                 TO_KERAS + "training (15 epochs of 4 steps; t counts optimizer steps)", "",
                 id="in_graph_with_two_lrdecay_callbacks"),
]


@pytest.mark.parametrize(("sched", "to_keras", "more", "clock", "codes", "start", "end"), WARNS)
def test_a_bad_plan_warns_once_at_every_fit(sched: lrdecay.Schedule, to_keras: Any, more: list,
                                            clock: str, codes: list[str], start: str,
                                            end: str) -> None:
    """15 epochs of 4 steps: one warning listing the findings check_schedule reports for
    that plan, in its words; and again at the next fit() of the same model."""
    assert issubclass(ScheduleWarning, UserWarning)
    callbacks = [make() for make in more]
    if to_keras is None:
        model, callbacks = keras_model(), [lrdecay.LRScheduler(sched), *callbacks]
    else:
        model = keras_model(sched.to_keras(**to_keras))
    found = fit(model, 15, callbacks)
    assert len(found) == 1
    expected = lrdecay.check_schedule(sched, 15, 4, clock=clock)
    assert [f.code for f in expected] == codes
    for f in expected:
        assert f"* {f}" in found[0]
    assert found[0].startswith(start) and found[0].endswith(end)
    assert len(fit(model, 15, callbacks)) == 1


@pytest.mark.parametrize(("rate", "callbacks", "code"), [
    (lambda: 0.01, lambda: [lrdecay.LRScheduler(Cosine(0.1, 1000))], "unit_mismatch"),
    (lambda: Linear(0.0, 0.1, 8).to_keras(), lambda: [lrdecay.LRLogger(verbose=0)],
     "zero_start"),  # in-graph, checked by an lrdecay callback
], ids=["lr_scheduler", "in_graph"])
def test_the_warning_comes_before_the_first_update(rate: Any, callbacks: Any,
                                                   code: str) -> None:
    """As an error (a warnings filter), the warning stops fit() before any update."""
    model = keras_model(rate())
    before = kit.model_state(model)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ScheduleWarning)
        with pytest.raises(ScheduleWarning, match=code):
            model.fit(X, Y, epochs=2, batch_size=16, verbose=0, callbacks=callbacks())
    assert int(model.optimizer.iterations) == 0
    assert kit.same_state(before, model)


SOUND = [(Cosine(0.1, 15), 15), (Warmup(Cosine(0.1, 13), 2, start_lr=0.02), 15),
         (Step(0.1, 0.5, 5), 15), (Constant(0.05), 3)]


@pytest.mark.parametrize(("rate", "callbacks", "epochs"), [
    *[pytest.param(lambda: 0.01, lambda s=s: [lrdecay.LRScheduler(s)], e, id=type(s).__name__)
      for s, e in SOUND],
    pytest.param(lambda: 0.01, lambda: [lrdecay.LRScheduler(lambda epoch: 0.0)], 15,
                 id="user_function_not_checked"),
    pytest.param(lambda: 0.01, lambda: [lrdecay.LRScheduler(Cosine(0.1, 1000), check=False)], 3,
                 id="lr_scheduler_check_false"),
    pytest.param(lambda: Cosine(0.1, 60).to_keras(), list, 15, id="in_graph_sound"),
    pytest.param(lambda: Cosine(0.1, 15).to_keras(steps_per_epoch=4), list, 15,
                 id="in_graph_sized_in_epochs"),
    pytest.param(lambda: Cosine(0.1, 15).to_keras(check=False),
                 lambda: [lrdecay.LRLogger(verbose=0)], 15, id="in_graph_check_false"),
])
def test_sound_plans_and_check_false_are_silent(rate: Any, callbacks: Any, epochs: int) -> None:
    """Silent, and an LRScheduler's rates are applied all the same."""
    model, made = keras_model(rate()), callbacks()
    assert fit(model, epochs, made) == []
    for cb in made:
        if isinstance(cb, lrdecay.LRScheduler):
            assert model.history.history["learning_rate"] == pytest.approx(
                [kit.f32(cb.schedule(e)) for e in range(epochs)], rel=1e-7)


def test_in_graph_schedule_outside_fit_does_not_check() -> None:
    ks = Cosine(0.1, 15).to_keras()
    with warnings.catch_warnings():
        warnings.simplefilter("error", ScheduleWarning)
        assert float(ks(3)) == pytest.approx(Cosine(0.1, 15)(3), rel=1e-6)
        model = keras_model(ks)
        lrdecay.get_learning_rate(model)


# ---------------------------------------------------------------------------
# The hook (R's route) and the config
# ---------------------------------------------------------------------------

#: Another language's words for what the plan check names (lrdecay.words; R passes R's).
OTHER_WORDS = {"LRScheduler": "scheduler()", "LRScheduler.check_off": "scheduler(check = no)",
               "KerasSchedule": "in_graph()", "KerasSchedule.check_off": "in_graph(check = no)",
               "in_graph": "in_graph()"}


def _made_in(words: dict[str, str], make: Any) -> Any:
    """``make()`` while ``words`` are in force (as R's calls make lrdecay's objects)."""
    token = lrdecay.words.use(words)
    try:
        return make()
    finally:
        lrdecay.words.reset(token)


def test_a_warn_hook_gets_the_findings_instead_of_a_python_warning() -> None:
    """The hook gets the findings in the words in force when the callback was made,
    with the schedule as R writes it, and no Python warning is given."""
    calls: list[tuple[str, list[str], str]] = []
    cb = _made_in(OTHER_WORDS, lambda: lrdecay.LRScheduler(Cosine(0.1, 1000)))
    cb._warn_hook = lambda header, findings, hint: calls.append((header, findings, hint))
    assert lrdecay.words.current()["LRScheduler"] == "LRScheduler"  # put back
    assert fit(keras_model(), 15, [cb]) == []
    assert len(calls) == 1
    header, findings, hint = calls[0]
    assert header.startswith("scheduler(): the learning-rate schedule has 2 "
                             "problems for this training (15 epochs of 4 steps; t counts "
                             "epochs): schedule_cosine(initial_lr = 0.1, decay_steps = 1000")
    assert [f.split(" ")[0] for f in findings] == ["unit_mismatch", "not_finished"]
    assert "let t count steps (in_graph() without steps_per_epoch)" in findings[0]
    assert hint.endswith("to turn this check off: scheduler(check = no).")


def test_python_words_are_used_without_a_caller_of_another_language() -> None:
    finding = lrdecay.check_schedule(Cosine(0.1, 1000), 15)[0]
    assert "let t count steps (to_keras() without steps_per_epoch)" in finding.message
    finding = lrdecay.check_schedule(Cosine(0.1, 15), 15, steps_per_epoch=4, clock="step")[0]
    assert finding.message.endswith("or let t count epochs (to_keras(steps_per_epoch=4)).")
    finding = _made_in({"in_graph_steps": "graph(spe = {n})"}, lambda: lrdecay.check_schedule(
        Cosine(0.1, 15), 15, steps_per_epoch=4, clock="step")[0])
    assert finding.message.endswith("or let t count epochs (graph(spe = 4)).")


def test_a_warn_hook_is_not_called_from_another_thread() -> None:
    """R cannot be called from another thread: there, the Python warning is used."""
    from lrdecay.plan import warn_plan

    calls: list[Any] = []
    findings = lrdecay.check_schedule(Cosine(0.1, 1000), 15)
    caught: list[warnings.WarningMessage] = []

    def run() -> None:
        with warnings.catch_warnings(record=True) as got:
            warnings.simplefilter("always")
            warn_plan(findings, schedule=Cosine(0.1, 1000), plan="15 epochs", who="w",
                      off="o", hook=lambda *a: calls.append(a))
        caught.extend(got)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert calls == []
    assert [w.category for w in caught] == [ScheduleWarning]


#: (the schedule has its own words and hook, a Keras callback reads the rate first, the
#: header heard): the findings reach one hook, once.
HOOK_ROUTES = [
    # The callback's hook, with the callback's words (a schedule loaded from a file has
    # Python's).
    pytest.param(False, False, "in_graph(): ", id="the_callbacks_hook"),
    pytest.param(True, False, "own(): ", id="the_schedules_own_hook_and_words"),
    # The reader evaluates the schedule inside fit(): the callback's hook still reports.
    pytest.param(False, True, "in_graph(): ", id="a_reader_before_the_callback"),
]


@pytest.mark.parametrize(("own", "reader", "header"), HOOK_ROUTES)
def test_the_in_graph_schedule_reports_through_one_hook(own: bool, reader: bool,
                                                        header: str) -> None:
    calls: list[tuple[str, str]] = []
    ks = Cosine(0.1, 15).to_keras()
    if own:
        ks = _made_in({"KerasSchedule": "own()"}, lambda: Cosine(0.1, 15).to_keras())
        ks._warn_hook = lambda header, findings, hint: calls.append((header, hint))
    logger = _made_in(OTHER_WORDS, lambda: lrdecay.LRLogger(verbose=0))
    logger._warn_hook = lambda header, findings, hint: calls.append((header, hint))
    model = keras_model(ks)
    callbacks = [keras.callbacks.LambdaCallback(
        on_train_begin=lambda logs: float(model.optimizer.learning_rate))] if reader else []
    assert fit(model, 15, [*callbacks, logger]) == []
    assert len(calls) == 1 and calls[0][0].startswith(header)
    if not own:
        assert calls[0][1].endswith("to turn this check off: in_graph(check = no).")


def test_a_schedule_without_a_hook_reports_through_the_hosts_reporter(tmp_path: Path) -> None:
    """A schedule loaded from a file (no hook, Python's words) reports through the
    host's reporter, in the host's words (R sets one); a callback's hook comes first;
    without a reporter, a Python warning again."""
    from lrdecay.plan import host_reporter, set_host_reporter

    model = keras_model(Cosine(0.1, 15).to_keras())
    path = tmp_path / "m.keras"
    model.save(path)
    calls: list[tuple[str, str]] = []
    set_host_reporter(lambda header, findings, hint: calls.append((header, hint)),
                      {"KerasSchedule": "host()", "KerasSchedule.check_off": "host(off)"})
    try:
        assert host_reporter() is not None
        assert fit(keras.saving.load_model(path), 15) == []
        assert len(calls) == 1 and calls[0][0].startswith("host(): the learning-rate ")
        assert calls[0][1].endswith("to turn this check off: host(off).")
        logger = _made_in(OTHER_WORDS, lambda: lrdecay.LRLogger(verbose=0))
        logger._warn_hook = lambda header, findings, hint: calls.append(("logger", hint))
        assert fit(keras.saving.load_model(path), 15, [logger]) == []
        assert [c[0] for c in calls[1:]] == ["logger"]
    finally:
        set_host_reporter(None)
    assert host_reporter() is None
    assert len(fit(keras.saving.load_model(path), 15)) == 1
    with pytest.raises(TypeError, match="`hook` must be a function or None, not 3"):
        set_host_reporter(3)  # type: ignore[arg-type]


def test_check_round_trips_and_older_configs_load(tmp_path: Path) -> None:
    cls = lrdecay.KerasSchedule
    on, off = Step(0.1).to_keras(3), Step(0.1).to_keras(3, check=False)
    assert on.get_config() == {"schedule": Step(0.1).get_config(), "steps_per_epoch": 3.0}
    assert off.get_config() == {**on.get_config(), "check": False}
    assert cls.from_config(on.get_config()).check is True  # a config saved before `check`
    assert cls.from_config(off.get_config()).check is False
    assert repr(off).endswith("steps_per_epoch=3, check=False)")
    cb = lrdecay.LRScheduler(Step(0.1), check=False)
    assert cb.check is False and "check=False" in repr(cb)
    with pytest.raises(TypeError, match="`check`"):
        cls.from_config({**on.get_config(), "check": "no"})
    for ks in (on, off):
        model = keras_model(ks)
        path = tmp_path / f"m{ks.check}.keras"
        model.save(path)
        back = keras.saving.load_model(path)
        assert back.optimizer._learning_rate.check is ks.check


def test_a_schedule_holding_a_user_function_is_not_called_by_the_check() -> None:
    calls: list[float] = []

    def fn(t: float) -> float:
        calls.append(t)
        return 0.0  # zero_start, were it checked

    def run(check: bool) -> int:
        calls.clear()
        schedules = [lrdecay.FromFunction(fn), Warmup(lrdecay.FromFunction(fn), 2, start_lr=0.01)]
        found = fit(keras_model(), 3, [lrdecay.LRScheduler(s, check=check) for s in schedules])
        assert found == []
        return len(calls)

    assert run(True) == run(False)


# ---------------------------------------------------------------------------
# A fit() that continues a model is judged at the updates it runs
# ---------------------------------------------------------------------------

LOGGER = [lambda: lrdecay.LRLogger(verbose=0)]
#: (the rate compiled, the callbacks, fit() after fit() of one model: its arguments and
#: the words of its one warning, or None when it must be silent)
CONTINUED = [
    # Cosine(0.1, 12) per step: 8 updates (t = 0..7: not finished), then 4 (t = 8..11, the
    # end of the schedule: sound), then 8 after the end (t = 12..19).
    pytest.param(lambda: Cosine(0.1, 12).to_keras(), LOGGER, [
        ({"epochs": 1, "batch_size": 8}, ["not_finished", "t = 0..7"]),
        ({"epochs": 1}, None),
        ({"epochs": 1, "batch_size": 8}, [
            "ends_early", "(t = 12..19)",
            "(1 epoch of 8 steps from t = 12; t counts optimizer steps)"]),
    ], id="in_graph_fit_again"),
    # 2 epochs of 4 updates, then fit(epochs = 3, initial_epoch = 2): t = 8..11 ...
    pytest.param(lambda: Cosine(0.1, 12).to_keras(), LOGGER, [
        ({"epochs": 2}, []), ({"epochs": 3, "initial_epoch": 2}, None)],
        id="in_graph_initial_epoch"),
    # ... and with t in epochs (iterations / 4): t = 2
    pytest.param(lambda: Cosine(0.1, 3).to_keras(steps_per_epoch=4), LOGGER, [
        ({"epochs": 2}, []), ({"epochs": 3, "initial_epoch": 2}, None)],
        id="in_graph_epochs_initial_epoch"),
    # A warmup from 0: zero_start from scratch, none when resumed at epoch 5.
    pytest.param(lambda: 0.1, [lambda: lrdecay.LRScheduler(Warmup(Cosine(0.1, 10), 5))], [
        ({"epochs": 15}, ["zero_start"]), ({"epochs": 15, "initial_epoch": 5}, None)],
        id="lr_scheduler_warmup_resumed"),
    # After the schedule's end: epochs 10..19 all at its final rate.
    pytest.param(lambda: 0.1, [lambda: lrdecay.LRScheduler(Cosine(0.1, 10))], [
        ({"epochs": 20, "initial_epoch": 10}, [
            "ends_early", "(10 epochs of 4 steps from t = 10; t counts epochs)",
            "(t = 10..19)"])], id="lr_scheduler_after_the_end"),
]


@pytest.mark.parametrize(("rate", "callbacks", "fits"), CONTINUED)
def test_a_continued_fit_is_judged_at_the_updates_it_runs(rate: Any, callbacks: list,
                                                          fits: list) -> None:
    model = keras_model(rate())
    for kwargs, words in fits:
        found = fit(model, callbacks=[make() for make in callbacks], **kwargs)
        if words is None:
            assert found == []
        else:
            assert len(found) == 1 and all(w in found[0] for w in words)
    if fits[0][1] and "t = 0..7" in fits[0][1]:
        # the rates it ran end at the schedule's end: lr(11), then lr(19), not lr(3)
        assert float(model.optimizer.learning_rate) == pytest.approx(Cosine(0.1, 12)(20.0),
                                                                     abs=1e-7)
