"""Command line: ``python -m lrdecay compare --epochs 15 --seeds 3 --output lrdecay-demo.png``."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run; returns the exit status."""
    from .compare import check_output_path, compare_schedules, default_schedules

    names = list(default_schedules(15))
    parser = argparse.ArgumentParser(prog="python -m lrdecay",
                                     description="lrdecay: learning-rate decay for Keras 3.")
    sub = parser.add_subparsers(dest="command", required=True)
    cmp_ = sub.add_parser("compare",
                          help="train the demo model per schedule and seed, and compare",
                          description="Train a small MLP on scikit-learn's digits once per "
                          "schedule and seed (the same initial weights for every schedule of "
                          "a seed); print a line per fit and a table of means and standard "
                          "deviations over the seeds; write a PNG.")
    cmp_.add_argument("--epochs", type=int, default=15, help="epochs per fit (>= 1)")
    cmp_.add_argument("--seeds", type=int, default=3,
                      help="seeds per schedule (>= 1): --seed, --seed + 1, ...")
    cmp_.add_argument("--workers", type=int, default=None,
                      help="processes to train in (default: 2, or 1 on a one-core machine)")
    cmp_.add_argument("--output", default="lrdecay-demo.png", help="the PNG to write")
    cmp_.add_argument("--schedules", default=",".join(names),
                      help="comma-separated, from: " + ", ".join(names))
    cmp_.add_argument("--batch-size", type=int, default=32)
    cmp_.add_argument("--seed", type=int, default=42, help="the random seed of the first fit")
    cmp_.add_argument("--quiet", action="store_true", help="print only the table")
    args = parser.parse_args(argv)

    for flag in ("epochs", "seeds", "workers"):
        value = getattr(args, flag)
        if value is not None and value < 1:
            parser.error(f"--{flag} must be a whole number >= 1, not {value}")
    chosen = [s.strip() for s in args.schedules.split(",") if s.strip()]
    unknown = [s for s in chosen if s not in names]
    if unknown or not chosen:
        parser.error(f"--schedules must be names from: {', '.join(names)}; "
                     f"unknown: {', '.join(unknown) or '(none given)'}")
    try:
        check_output_path(args.output)
    except (TypeError, ValueError) as err:
        parser.error(f"--output: {err}")
    every = default_schedules(args.epochs)
    try:
        rows = compare_schedules({n: every[n] for n in chosen}, epochs=args.epochs,
                                 seeds=args.seeds, output=args.output,
                                 batch_size=args.batch_size, seed=args.seed,
                                 verbose=0 if args.quiet else 1, workers=args.workers)
    except ImportError as err:  # Keras, a backend or scikit-learn missing: what to install
        parser.exit(1, f"{parser.prog}: error: {err}\n")
    if args.quiet:
        from .compare import format_table

        print(format_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
