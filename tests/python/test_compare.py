"""The demo (``compare_schedules``): its default schedules and its argument rules.

The rules live here, in Python, once: R's ``compare_schedules()`` only converts R values
and reports Python's message.
"""

from __future__ import annotations

import math
from pathlib import Path

import lrdecay
import numpy as np
import pytest
from lrdecay import *  # noqa: F403 - the schedules API, lrdecay.__all__
from lrdecay.compare import (
    COLUMNS,
    compare_schedules,
    default_schedules,
    exceeds_spread,
    format_report,
    format_table,
    spread_summary,
)

NAMES = ["constant", "step", "exponential", "inverse time", "polynomial", "cosine",
         "warmup + cosine", "one-cycle", "cyclic", "wsd", "linear to zero (D2Z)"]
RUN_SIZED = [n for n in NAMES if n not in ("constant", "cyclic")]


@pytest.mark.parametrize("epochs", [1, 2, 3, 4, 5, 15, 40, 50])
def test_default_schedules_are_sized_to_the_run_and_not_degenerate(epochs: int) -> None:
    """From 3 epochs on, the shapes span the whole run: a warmup + cosine does not end at
    its peak, one-cycle reaches its final rate at the last epoch, no decay runs an epoch at
    0, and each warmup starts above 0."""
    schedules = default_schedules(epochs)
    assert list(schedules) == NAMES
    assert [n for n, s in schedules.items() if not s.is_sized()] == (
        [n for n in RUN_SIZED if n != "one-cycle"] if epochs == 1 else RUN_SIZED)
    s = {n: v.sized(epochs) for n, v in schedules.items()}
    t = np.arange(epochs, dtype=np.float64)
    for name, sized in s.items():
        values = sized(t)
        assert isinstance(schedules[name], Schedule), name
        assert np.all(np.isfinite(values)) and np.all(values >= 0), name
    # Keras's positional order, sized to the run: lr / 20 and lr / 8 at its end.
    assert schedules["exponential"] == Exponential(0.1, of_run(1), 0.05)
    assert schedules["inverse time"] == InverseTime(0.1, of_run(1), 7.0)
    assert s["exponential"](epochs) == pytest.approx(0.1 / 20, rel=1e-12)
    assert s["inverse time"](epochs) == pytest.approx(0.1 / 8, rel=1e-12)
    if epochs < 3:
        return
    last = epochs - 1
    warm = s["warmup + cosine"]
    assert warm(last) < 0.6 * warm(t).max()
    assert warm(0) > 0 and s["linear to zero (D2Z)"](0) > 0
    one = s["one-cycle"]
    assert one.total_steps == epochs
    assert one(last) == pytest.approx(one(10 * epochs), rel=1e-12)  # its end
    assert one(last) < 0.15 * one(t).max()
    for name in ("exponential", "inverse time", "polynomial", "cosine", "warmup + cosine",
                 "wsd", "linear to zero (D2Z)", "one-cycle"):
        values = s[name](t)
        assert values[-1] > 0, name
        assert values[-1] < values.max(), name  # it decays within the run
    for name in ("wsd", "linear to zero (D2Z)", "cosine"):
        assert s[name].horizon() == epochs, name


def test_default_schedules_give_no_finding_for_2_to_60_epochs() -> None:
    """Every default schedule is a sound plan for the epochs it is sized to."""
    bad = [(e, name, [f.code for f in check_schedule(s, e)])
           for e in range(2, 61) for name, s in default_schedules(e).items()
           if check_schedule(s, e)]
    assert bad == []


def test_default_schedules_at_15_epochs() -> None:
    """The demo's set (15 epochs), as written and as fit() sizes it."""
    s = default_schedules(15)
    assert s["cosine"] == Cosine(0.1)
    assert s["wsd"] == WSD(0.1, of_run(0.1), None, of_run(0.2), min_lr_ratio=0.1)
    assert s["linear to zero (D2Z)"] == Warmup(Linear(0.1, 0.0), of_run(0.1), start_lr=0.04)
    sized = {n: v.sized(15) for n, v in s.items()}
    assert sized["step"] == Step(0.1, 0.5, 3.75)
    assert sized["cosine"] == Cosine(0.1, 15)
    assert sized["warmup + cosine"] == Warmup(Cosine(0.1, 13.5), 1.5, start_lr=0.04)
    assert sized["linear to zero (D2Z)"] == Warmup(Linear(0.1, 0.0, 13.5), 1.5, start_lr=0.04)
    assert sized["wsd"] == WSD(0.1, 1.5, 10.5, 3, min_lr_ratio=0.1)
    assert sized["polynomial"] == Polynomial(0.1, 15, end_lr=0.001, power=2)
    assert sized["one-cycle"] == OneCycle(0.2, 15, pct_start=0.3, div_factor=25,
                                          final_div_factor=10)
    assert sized["cyclic"] == Cyclic(0.01, 0.2, step_size=3)
    # PyTorch's one-cycle ends from 25 epochs on.
    long = default_schedules(25)["one-cycle"]
    assert (long.div_factor, long.final_div_factor) == (25, 1e4)


@pytest.mark.parametrize(("kwargs", "exc", "message"), [
    ({"verbose": 2}, ValueError, "`verbose` must be 0 or 1, not 2."),
    ({"verbose": "yes"}, TypeError, "`verbose` must be 0 or 1, not \"yes\"."),
    ({"epochs": 0}, ValueError, "`epochs` must be a positive whole number, not 0."),
    ({"epochs": 2.5}, ValueError, "`epochs` must be a positive whole number, not 2.5."),
    ({"seeds": 0}, ValueError, "`seeds` must be a positive whole number, not 0."),
    ({"seeds": "3"}, TypeError, "`seeds` must be a positive whole number, not \"3\"."),
    ({"workers": 0}, ValueError, "`workers` must be a positive whole number, not 0."),
    ({"progress": 3}, TypeError, "`progress` must be a function or None, not 3."),
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
    rows = compare_schedules(s, epochs=2.0, seeds=1.0, output=None, verbose=0.0,
                             workers=1.0, batch_size=128.0)  # R doubles
    assert [r["schedule"] for r in rows] == ["schedule"]
    assert [f["seed"] for f in rows[0]["per_seed"]] == [42]
    assert rows[0]["per_seed"][0]["test_loss"] == rows[0]["test_loss"]
    assert rows[0]["lr"] == [float(np.float32(s(e))) for e in range(2)]
    assert rows[0]["final_lr"] == float(np.float32(0.05))
    assert 0.0 <= rows[0]["test_accuracy"] <= 1.0
    assert math.isnan(rows[0]["test_accuracy_sd"]) and math.isnan(rows[0]["test_loss_sd"])
    rows = compare_schedules({"constant": Constant(0.05)}, epochs=1, seeds=1, output=None,
                             verbose=False, workers=1, batch_size=128)
    assert rows[0]["lr"] == [float(np.float32(0.05))]


@pytest.mark.keras
def test_seeds_give_means_and_spreads_the_same_weights_per_seed_and_workers_agree(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two names for one (run-sized) schedule train alike on each seed (same initial
    weights, same batches); the seeds differ; the means and sample sds are those of the
    per-seed values; two worker processes give exactly the results of one fit after
    another in this process; a line per fit is printed and the PNG written."""
    pytest.importorskip("sklearn")
    schedules = {"a": Cosine(0.1), "b": Cosine(0.1)}  # run-sized
    calls: list[tuple[int, int, str, int]] = []
    # batch 128: 12 updates per epoch are enough for everything asserted here
    here = compare_schedules(schedules, epochs=2, seeds=2, output=None, verbose=1, workers=1,
                             batch_size=128)
    out = capsys.readouterr().out
    assert "[4/4] b, seed 43: test accuracy" in out
    assert "test acc" in out and "linear" not in out
    png = tmp_path / "demo.png"
    apart = compare_schedules(schedules, epochs=2, seeds=2, output=str(png), verbose=0,
                              workers=2, progress=lambda *a: calls.append(a), batch_size=128)
    assert capsys.readouterr().out == ""
    assert png.stat().st_size > 10_000
    assert sorted(c[0] for c in calls) == [1, 2, 3, 4]
    assert {c[1] for c in calls} == {4}
    assert sorted((c[2], c[3]) for c in calls) == [(n, s) for n in ("a", "b") for s in (42, 43)]
    assert [x["schedule"] for x in here] == [x["schedule"] for x in apart] == ["a", "b"]

    def timeless(row: dict) -> dict:
        return {k: ([timeless(f) for f in v] if k == "per_seed" else v)
                for k, v in row.items() if k != "seconds"}

    assert [timeless(x) for x in here] == [timeless(y) for y in apart]
    a, b = here
    assert [f["seed"] for f in a["per_seed"]] == [42, 43]
    assert [f["test_loss"] for f in a["per_seed"]] == [f["test_loss"] for f in b["per_seed"]]
    assert a["val_loss"] == b["val_loss"]
    assert a["per_seed"][0]["test_loss"] != a["per_seed"][1]["test_loss"]
    for r in here:
        assert list(r) == [*COLUMNS, "lr", "val_loss", "val_loss_sd", "per_seed"]
        acc = [f["test_accuracy"] for f in r["per_seed"]]
        loss = [f["test_loss"] for f in r["per_seed"]]
        assert r["test_accuracy"] == pytest.approx(np.mean(acc))
        assert r["test_loss_sd"] == pytest.approx(np.std(loss, ddof=1))
        assert r["test_accuracy_sd"] == pytest.approx(np.std(acc, ddof=1))
        assert r["seconds"] == pytest.approx(np.mean([f["seconds"] for f in r["per_seed"]]))
        assert [f["final_lr"] for f in r["per_seed"]] == [r["final_lr"]] * 2
        assert len(r["val_loss"]) == len(r["val_loss_sd"]) == 2
        # Sized to the fit()'s 2 epochs, here and (equal above) in the worker processes.
        assert r["lr"] == [float(np.float32(Cosine(0.1, 2)(e))) for e in range(2)]


@pytest.mark.keras
@pytest.mark.filterwarnings("error::lrdecay.ScheduleWarning")
def test_a_schedule_that_does_not_fit_warns_before_training() -> None:
    """Checked once per schedule before any fit (as an error here, so nothing trains)."""
    pytest.importorskip("sklearn")
    with pytest.raises(lrdecay.ScheduleWarning,
                       match=r'(?s)^compare_schedules\(\) \("long"\): .*unit_mismatch.*'
                             r"to turn this check off: warnings\.filterwarnings\('ignore', "
                             r"category=lrdecay\.ScheduleWarning\)\.$"):
        compare_schedules({"fine": Cosine(0.1, 2), "long": Cosine(0.1, 1000)}, epochs=2,
                          output=None, workers=1)


@pytest.mark.keras
def test_command_line_trains_over_seeds(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("sklearn")
    from lrdecay.__main__ import main

    png = tmp_path / "demo.png"
    assert main(["compare", "--epochs", "1", "--seeds", "2", "--workers", "1", "--schedules",
                 "constant,cosine", "--batch-size", "128", "--quiet", "--output", str(png)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["schedule", "final", "LR", "test", "accuracy", "(\u00b1", "sd)",
                              "test", "loss", "(\u00b1", "sd)", "s/fit"]
    assert [line.split()[0] for line in out[2:4]] == ["constant", "cosine"]
    assert out[4] == "" and out[5].startswith("A difference of two means counts as real")
    assert png.exists()


# -- Presenting a comparison (no training) ---------------------------------------------------
def row(name: str, acc: float, acc_sd: float, loss: float, loss_sd: float,
        final_lr: float = 0.1) -> dict:
    return {"schedule": name, "final_lr": final_lr, "test_accuracy": acc,
            "test_accuracy_sd": acc_sd, "test_loss": loss, "test_loss_sd": loss_sd,
            "seconds": 4.25}


#: The README's run (15 epochs, 3 seeds): means and sds per schedule.
README_RUN = [row(*r) for r in [
    ("constant", 0.9526, 0.0046, 0.1799, 0.0046), ("step", 0.9430, 0.0084, 0.2220, 0.0074),
    ("exponential", 0.9311, 0.0067, 0.3143, 0.0113),
    ("inverse time", 0.9311, 0.0059, 0.3247, 0.0119),
    ("polynomial", 0.9333, 0.0059, 0.2898, 0.0101), ("cosine", 0.9407, 0.0084, 0.2329, 0.0079),
    ("warmup + cosine", 0.9407, 0.0084, 0.2324, 0.0078),
    ("one-cycle", 0.9541, 0.0056, 0.1766, 0.0057), ("cyclic", 0.9496, 0.0034, 0.1849, 0.0031),
    ("wsd", 0.9511, 0.0059, 0.1858, 0.0060),
    ("linear to zero (D2Z)", 0.9400, 0.0077, 0.2325, 0.0078)]]


def test_a_difference_is_real_when_larger_than_the_combined_sd() -> None:
    assert exceeds_spread(0.5, 0.3, 0.0, 0.4) is False  # 0.5 == sqrt(0.09 + 0.16)
    assert exceeds_spread(0.0, 0.3, 0.51, 0.4) is True
    assert exceeds_spread(1.0, 0.0, 1.0, 0.0) is False
    assert exceeds_spread(1.0, math.nan, 0.0, 0.1) is False  # one seed: unknown


def test_the_spread_summary_counts_the_pairs_and_names_the_ties() -> None:
    """An earlier demo run (fixed numbers): 26 of the 55 accuracy pairs and 45 of the loss
    pairs; two schedules; one schedule; one seed."""
    rule, acc, loss = spread_summary(README_RUN)
    assert rule.startswith("A difference of two means counts as real when it is larger than "
                           "their combined standard deviation sqrt(sd1^2 + sd2^2)")
    assert acc.startswith("Test accuracy: 26 of 55 pairs of schedules differ by more than the "
                          "spread. The best, one-cycle (0.9541), cannot be told apart from "
                          "constant (0.9526), wsd (0.9511) and cyclic (0.9496); it is higher "
                          "than step's by 0.011, ")
    assert acc.endswith("and inverse time's by 0.023, more than the spread.")
    assert loss.startswith("Test loss: 45 of 55 pairs of schedules differ by more than the "
                           "spread. The best, one-cycle (0.1766), cannot be told apart from "
                           "constant (0.1799); it is lower than cyclic's by 0.0083, ")
    two = [row("a", 0.90, 0.01, 0.3, 0.01), row("b", 0.95, 0.01, 0.31, 0.01)]
    assert spread_summary(two)[1:] == [
        "Test accuracy: 1 of 1 pair of schedules differs by more than the spread. The best, "
        "b (0.95), is higher than a's by 0.05, more than the spread.",
        "Test loss: 0 of 1 pair of schedules differ by more than the spread. The best, a "
        "(0.3), cannot be told apart from b (0.31)."]
    assert spread_summary(two[:1]) == []
    one_seed = [row("a", 0.9, math.nan, 0.3, math.nan), row("b", 0.95, math.nan, 0.2, math.nan)]
    assert spread_summary(one_seed) == [
        "With one seed per schedule the spread over seeds is unknown, so no difference "
        "between the schedules can be told from chance: train with seeds >= 2."]


def test_the_table_is_aligned_and_fits_in_100_columns() -> None:
    lines = format_table(README_RUN).splitlines()
    assert lines[0] == ("schedule              final LR  test accuracy (\u00b1 sd)  "
                        "test loss (\u00b1 sd)  s/fit")
    assert set(lines[1]) == {"-"} and len(lines[1]) == len(lines[0])
    assert lines[9] == ("one-cycle                  0.1       0.9541 \u00b1 0.0056   "
                        "0.1766 \u00b1 0.0057    4.2")
    assert len({len(line) for line in lines}) == 1 and len(lines[0]) <= 100
    # One seed: the means alone; a long name is cut to keep 100 columns; "+/-" for ±.
    one = [row("x" * 120, 0.9, math.nan, 0.3, math.nan, final_lr=0.001234567)]
    lines = format_table(one, digits=3, pm="+/-").splitlines()
    assert lines[0].split() == ["schedule", "final", "LR", "test", "accuracy", "test", "loss",
                                "s/fit"]
    assert max(len(line) for line in lines) == 100
    assert lines[2].startswith("x" * 10) and lines[2].split()[0].endswith("x...")
    assert lines[2].split()[1:] == ["0.00123", "0.900", "0.300", "4.2"]
    assert "+/-" in format_table(README_RUN, pm="+/-")
    report = format_report(README_RUN).split("\n\n")
    assert report[0] == format_table(README_RUN) and len(report) == 4
    assert max(len(line) for line in format_report(README_RUN).splitlines()) <= 100
