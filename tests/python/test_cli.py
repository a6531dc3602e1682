"""The command line (``python -m lrdecay compare``, the console script ``lrdecay``): its
parsing, its errors and its install hints (the hint of this checkout, and the command line
without Keras: test_namespace.py). Nothing here trains (test_compare.py has the one
end-to-end run)."""

from __future__ import annotations

import sys
from pathlib import Path

import lrdecay
import pytest
from lrdecay.__main__ import main, match_schedules
from lrdecay.compare import default_schedules

NAMES = list(default_schedules(15))


@pytest.mark.parametrize(("typed", "chosen", "unknown"), [
    ("warmup+cosine", ["warmup + cosine"], []),
    ("Warmup + Cosine", ["warmup + cosine"], []),
    ("d2z", ["linear to zero (D2Z)"], []),
    ("D2Z, linear to zero", ["linear to zero (D2Z)"], []),
    ("linear to zero (D2Z)", ["linear to zero (D2Z)"], []),
    ("onecycle,ONE_CYCLE, inverse-time", ["one-cycle", "inverse time"], []),
    (" cosine ,, step", ["cosine", "step"], []),
    (",".join(NAMES), NAMES, []),
    ("cosine, no such, lin", ["cosine"], ["no such", "lin"]),  # unknown ones as typed
])
def test_schedule_names_match_loosely(typed: str, chosen: list[str], unknown: list[str]) -> None:
    assert match_schedules(typed, NAMES) == (chosen, unknown)


@pytest.mark.parametrize(("argv", "message"), [
    *[(["compare", f"--{flag}", "0"], f"--{flag} must be a whole number >= 1, not 0")
      for flag in ("seeds", "workers", "epochs")],
    (["compare", "--schedules", "cosine,nope"], "--schedules must be names from: constant, "
     "step, exponential, inverse time, polynomial, cosine, warmup + cosine, one-cycle, "
     "cyclic, wsd, linear to zero (D2Z); unknown: nope"),
    (["compare", "--schedules", " , "], "--schedules must be names from: constant"),
    (["compare", "--output", "plot.pdf"], '--output: `output` must be a path ending in .png'),
])
def test_bad_arguments_print_the_subcommand_usage_and_the_error(
        argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv, prog="python -m lrdecay")
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: python -m lrdecay compare [-h] [--epochs EPOCHS]"), err
    assert f"python -m lrdecay compare: error: {message}" in " ".join(err.split())


@pytest.mark.parametrize(("argv0", "prog"), [
    ("/home/me/.venv/bin/lrdecay", "lrdecay"),
    ("C:\\venv\\Scripts\\lrdecay.exe".replace("\\", "/"), "lrdecay"),
    ("/x/lrdecay/__main__.py", "python -m lrdecay"),
    ("-c", "python -m lrdecay"),
])
def test_the_program_is_named_as_it_was_started(
        argv0: str, prog: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "argv", [argv0, "compare", "--epochs", "0"])
    with pytest.raises(SystemExit):
        main()
    assert capsys.readouterr().err.startswith(f"usage: {prog} compare [-h]")


def test_help_lists_the_schedules_and_a_missing_subcommand_the_usage(
        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["compare", "--help"], prog="lrdecay")
    assert exit_.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    assert out.startswith("usage: lrdecay compare [-h]")
    assert "from: constant, step," in out and "d2z for linear to zero" in out
    with pytest.raises(SystemExit):
        main([], prog="python -m lrdecay")
    assert capsys.readouterr().err.startswith("usage: python -m lrdecay [-h] {compare}")


# -- What to install ----------------------------------------------------------------------
def hint(extra: str = "keras", **kwargs: object) -> str:
    given = {"direct_url": None, "installed_here": True, "source_root": None, "cwd": "/home/me"}
    return lrdecay._install_command(extra, **{**given, **kwargs})  # type: ignore[arg-type]


def test_the_install_hint_follows_how_lrdecay_was_installed(tmp_path: Path) -> None:
    checkout = str(tmp_path)
    # From an index (no direct_url.json):
    assert hint() == 'pip install "lrdecay[keras]"'
    # From a source checkout, editable or not: that folder ("." when the user is in it).
    local = {"url": tmp_path.as_uri(), "dir_info": {"editable": True}}
    assert hint(direct_url=local, cwd=checkout) == 'pip install ".[keras]"'
    assert hint(direct_url=local, cwd="/elsewhere") == f'pip install "{checkout}[keras]"'
    assert hint("demo", direct_url={"url": tmp_path.as_uri(), "dir_info": {}},
                cwd=checkout, also=" tensorflow") == 'pip install ".[demo]" tensorflow'
    # From an archive or a repository URL:
    url = "https://example.org/lrdecay-0.2.0.tar.gz"
    assert hint(direct_url={"url": url, "archive_info": {}}) == \
        f'pip install "lrdecay[keras] @ {url}"'
    # Not installed, run from a checkout (PYTHONPATH=inst/python): that checkout.
    assert hint(installed_here=False, source_root=checkout, cwd=checkout) == \
        'pip install ".[keras]"'
    # Not installed, nor in a checkout (R's copy): both ways.
    assert hint(installed_here=False) == \
        'pip install "lrdecay[keras]", or from a source checkout pip install ".[keras]"'
