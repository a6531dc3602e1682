"""benchmarks/run.py (``make bench``) without running a benchmark: its verdicts find their
rows by id, whatever the tables call them, and the notes live in one file."""

from __future__ import annotations

import importlib.util

import pytest
from kit import REPO


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("lrdecay_bench", REPO / "benchmarks" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rows(ids: dict[str, dict]) -> list[dict]:
    return [{"id": i, "variant": f"renamed row {n}", **v} for n, (i, v) in enumerate(ids.items())]


def test_verdicts_find_rows_by_id_not_by_label(bench):
    res = {
        "1": rows({
            "control": {"end_to_end_vs_constant": "+1.0%", "own_cost_vs_step": "+0.0%"},
            "in_graph_step": {"end_to_end_vs_constant": "+0.5%", "own_cost_vs_step": "+0.2%"},
            "epoch_callback": {"end_to_end_vs_constant": "+9.0%", "own_cost_vs_step": "+0.3%"},
            "batch_python": {"end_to_end_vs_constant": "+30.0%", "own_cost_vs_step": "+18.0%"},
        }),
        "2": rows({"preview_python": {"vs_bare_numpy": "1.20x"}}),
        "3": rows({"py_import": {"beyond_interpreter_ms": 150.0}}),
        "4": rows({f"{m}@10": {"own_cost_vs_step": "+0.1%", "python_blocks_kept": 20}
                   for m in ("scale_constant", "scale_in_graph", "scale_callback")}),
    }
    lines = bench.verdicts(res)
    assert lines[0].startswith("- met: renamed row 1: own cost +0.2%")
    assert lines[1].startswith("- MISSED: renamed row 2:")  # +9% end to end, A/A band 2%
    assert lines[2].startswith("- reported: renamed row 3:")
    assert lines[3].startswith("- met: Python preview of 1e6 values 1.20x")
    assert lines[4].startswith("- met: `import lrdecay` + evaluate: 150 ms")
    assert all(line.startswith("- met: ") for line in lines[5:]), lines[5:]
    assert len(lines) == 7


def test_every_row_id_has_a_label_and_tables_hide_the_id(bench):
    table = bench.table(rows({"in_graph_step": {"ms": 1.5}}))
    assert table.splitlines()[0] == "| variant | ms |"
    assert "in_graph_step" not in table
    assert set(bench.OURS) | set(bench.REPORTED) <= set(bench.LABELS)


def test_the_notes_live_in_one_file():
    notes = (REPO / "benchmarks" / "notes.md").read_text()
    results = (REPO / "benchmarks" / "results.md").read_text()
    headings = [line for line in notes.splitlines() if line.startswith("## ")]
    assert headings and not any(h in results for h in headings)
    assert "benchmarks/notes.md" in results
