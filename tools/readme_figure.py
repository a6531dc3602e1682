"""Draw README's picture, man/figures/schedules.png, with lrdecay's own plot().

Run from the repository root: ``make figure`` (``PYTHONPATH=inst/python python
tools/readme_figure.py``).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import lrdecay  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    t = range(0, 101)
    schedules = {
        "step": lrdecay.Step(0.1, drop=0.5, every=20),
        "exponential": lrdecay.Exponential(0.1, 1, 0.97),
        "cosine": lrdecay.Cosine(0.1, decay_steps=100),
        "warmup + cosine": lrdecay.Warmup(lrdecay.Cosine(0.1, decay_steps=90), warmup_steps=10),
        "one-cycle": lrdecay.OneCycle(0.1, total_steps=101),
        "cyclic (triangular2)": lrdecay.Cyclic(0.005, 0.1, step_size=10, mode="triangular2"),
    }
    fig, ax = plt.subplots(figsize=(8, 3.6))
    for name, s in schedules.items():
        s.plot(list(t), ax=ax, label=name)
    ax.set_title("lrdecay schedules (t = epoch)")
    ax.set_xlabel("epoch")
    ax.legend(fontsize=8, ncol=2)
    fig.tight_layout()
    fig.savefig(ROOT / "man" / "figures" / "schedules.png", dpi=100)


if __name__ == "__main__":
    main()
