"""Command line: ``python -m lrdecay compare --epochs 15 --seeds 3 --output lrdecay-demo.png``.

Installed, the console script ``lrdecay`` runs the same (``lrdecay compare ...``).
"""

from __future__ import annotations

import argparse
import os
import re
import sys


def _prog() -> str:
    """The program's name as the user typed it: ``lrdecay`` for the console script,
    ``python -m lrdecay`` otherwise (``sys.argv[0]`` is then a ``.py`` file)."""
    base = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    if not base or base == "-c" or base.endswith(".py"):
        return "python -m lrdecay"
    return base[:-4] if base.lower().endswith(".exe") else base


def _key(name: str) -> str:
    """A schedule name as ``--schedules`` matches it: lower case, letters and digits only."""
    return re.sub(r"[^0-9a-z]", "", name.lower())


def match_schedules(given: str, names: list[str]) -> tuple[list[str], list[str]]:
    """The default schedules ``--schedules`` names, matched loosely.

    Case, spaces and punctuation are ignored (``warmup+cosine``, ``One Cycle``), and a
    name with a part in parentheses also answers to either part alone (``d2z`` and
    ``linear to zero`` for "linear to zero (D2Z)").

    Args:
        given: the comma-separated names typed.
        names: the default schedules' names.

    Returns:
        The names chosen (in the order typed, each once) and the parts not recognised.
    """
    keys: dict[str, str] = {}
    for name in names:
        keys.setdefault(_key(name), name)
        short = re.fullmatch(r"(.*?)\s*\(([^()]*)\)", name)
        if short:
            for part in short.groups():
                if _key(part):
                    keys.setdefault(_key(part), name)
    chosen: list[str] = []
    unknown: list[str] = []
    for part in (p.strip() for p in given.split(",")):
        if not part:
            continue
        name = keys.get(_key(part))
        if name is None:
            unknown.append(part)
        elif name not in chosen:
            chosen.append(name)
    return chosen, unknown


def _parser(names: list[str], prog: str) -> tuple[argparse.ArgumentParser,
                                                  argparse.ArgumentParser]:
    parser = argparse.ArgumentParser(prog=prog,
                                     description="lrdecay: learning-rate decay for Keras 3.")
    sub = parser.add_subparsers(dest="command", required=True)
    cmp_ = sub.add_parser("compare",
                          help="train the demo model per schedule and seed, and compare",
                          description="Train a small MLP on scikit-learn's digits once per "
                          "schedule and seed (the same initial weights for every schedule of "
                          "a seed); print a line per fit, a table of means and standard "
                          "deviations over the seeds and which differences exceed that "
                          "spread; write a PNG.")
    cmp_.add_argument("--epochs", type=int, default=15, help="epochs per fit (>= 1)")
    cmp_.add_argument("--seeds", type=int, default=3,
                      help="seeds per schedule (>= 1): --seed, --seed + 1, ...")
    cmp_.add_argument("--workers", type=int, default=None,
                      help="processes to train in (default: 2, or 1 on a one-core machine)")
    cmp_.add_argument("--output", default="lrdecay-demo.png", help="the PNG to write")
    cmp_.add_argument("--schedules", default=",".join(names),
                      help="comma-separated, from: " + ", ".join(names) + " (case, spaces "
                      "and punctuation ignored; d2z for linear to zero)")
    cmp_.add_argument("--batch-size", type=int, default=32)
    cmp_.add_argument("--seed", type=int, default=42, help="the random seed of the first fit")
    cmp_.add_argument("--quiet", action="store_true",
                      help="print only the table and the summary")
    return parser, cmp_


def main(argv: list[str] | None = None, prog: str | None = None) -> int:
    """Parse the command line and run; returns the exit status.

    Args:
        argv: the arguments (``sys.argv[1:]`` when ``None``).
        prog: the program's name in messages; by default from ``sys.argv[0]``
            (``lrdecay`` for the console script, else ``python -m lrdecay``).
    """
    from .compare import (
        _require_training_packages,
        check_output_path,
        compare_schedules,
        default_schedules,
        format_report,
    )

    names = list(default_schedules(15))
    parser, cmp_ = _parser(names, prog or _prog())
    args = parser.parse_args(argv)

    for flag in ("epochs", "seeds", "workers"):
        value = getattr(args, flag)
        if value is not None and value < 1:
            cmp_.error(f"--{flag} must be a whole number >= 1, not {value}")
    chosen, unknown = match_schedules(args.schedules, names)
    if unknown or not chosen:
        cmp_.error(f"--schedules must be names from: {', '.join(names)}; "
                   f"unknown: {', '.join(unknown) or '(none given)'}")
    try:
        check_output_path(args.output)
    except (TypeError, ValueError) as err:
        cmp_.error(f"--output: {err}")
    try:  # what to install, before anything else is said
        _require_training_packages()
    except ImportError as err:
        cmp_.exit(1, f"{cmp_.prog}: error: {err}\n")
    every = default_schedules(args.epochs)
    try:
        rows = compare_schedules({n: every[n] for n in chosen}, epochs=args.epochs,
                                 seeds=args.seeds, output=args.output,
                                 batch_size=args.batch_size, seed=args.seed,
                                 verbose=0 if args.quiet else 1, workers=args.workers)
    except ImportError as err:  # a backend missing: what to install
        cmp_.exit(1, f"{cmp_.prog}: error: {err}\n")
    if args.quiet:
        print(format_report(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main(prog="python -m lrdecay"))
