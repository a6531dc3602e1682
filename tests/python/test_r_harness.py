"""The rpy2 harness (``conftest.py``) ends the process with ``os._exit`` and pytest's own exit
status once every report is written. pytest in a child process on a small test file using
``r_session``: what a CI job sees (exit code, summary, JUnit report), and that the teardown
really was skipped (the child's ``atexit`` handler never runs).
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from kit import run_processes

pytestmark = [pytest.mark.r_parity, pytest.mark.slow]

CHILD = """
import atexit

atexit.register(lambda: print("ATEXIT HANDLER RAN", flush=True))


def test_r_adds(r_session):
    assert float(r_session.eval("1 + 1")[0]) == EXPECTED


def test_python_only():
    assert True
"""


#: (what R's 1 + 1 is expected to be, exit code, summary, JUnit failures)
RUNS = {"passing": (2.0, 0, "2 passed", 0), "failing": (3.0, 1, "1 failed, 1 passed", 1)}


@pytest.fixture(scope="module")
def children(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Any, Path]]:
    """pytest in a fresh process on CHILD, with this folder's conftest as a plugin, once
    per row of RUNS, both at once: each one's result and JUnit report."""
    jobs, reports = [], []
    for name, (expected, *_) in RUNS.items():
        tmp = tmp_path_factory.mktemp(name)
        (tmp / "test_child.py").write_text(CHILD.replace("EXPECTED", repr(expected)))
        reports.append(tmp / "report.xml")
        jobs.append({"cwd": tmp, "argv": [
            sys.executable, "-m", "pytest", "-p", "conftest", "-p", "no:cacheprovider", "-q",
            "--rootdir", str(tmp), f"--junitxml={reports[-1]}", str(tmp / "test_child.py")]})
    return dict(zip(RUNS, zip(run_processes(jobs), reports)))


@pytest.mark.parametrize("name", list(RUNS))
def test_the_run_exits_with_pytest_status_after_reporting(children, name: str) -> None:
    _, code, summary, failures = RUNS[name]
    proc, report = children[name]
    out = proc.stdout + proc.stderr
    assert proc.returncode == code, out[-3000:]
    assert summary in proc.stdout, out[-3000:]
    if failures:
        assert "test_r_adds" in proc.stdout
    suite = ET.parse(report).getroot()
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    assert {k: int(suite.get(k)) for k in ("tests", "failures", "errors", "skipped")} == {
        "tests": 2, "failures": failures, "errors": 0, "skipped": 0}
    # The process left through os._exit: Python's own teardown never ran.
    assert "ATEXIT HANDLER RAN" not in out
