"""The rpy2 harness (``conftest.py``) leaves the process with pytest's own exit status.

Once R has run with reticulate inside a test process, interpreter teardown can hang or
crash, so ``conftest.pytest_unconfigure`` ends the process with ``os._exit`` after every
report is written. These tests run pytest in a child process on a small test file that
uses the ``r_session`` fixture and check what a CI job sees: the exit code (0 when all
pass, 1 when a test fails), the terminal summary and the JUnit report, and that the
teardown really was skipped (an ``atexit`` handler of the child never runs).
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

pytestmark = [pytest.mark.r_parity, pytest.mark.slow]

HERE = Path(__file__).resolve().parent

CHILD = """
import atexit


def _teardown_ran():
    print("ATEXIT HANDLER RAN", flush=True)


atexit.register(_teardown_ran)


def test_r_adds(r_session):
    assert float(r_session.eval("1 + 1")[0]) == EXPECTED


def test_python_only():
    assert True
"""


def _run_child(tmp_path: Path, expected: float) -> tuple[subprocess.CompletedProcess, Path]:
    """pytest in a fresh process on CHILD, with this folder's conftest as a plugin."""
    (tmp_path / "test_child.py").write_text(CHILD.replace("EXPECTED", repr(expected)))
    report = tmp_path / "report.xml"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(HERE), env.get("PYTHONPATH")) if p)
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "conftest", "-p", "no:cacheprovider", "-q",
         "--rootdir", str(tmp_path), f"--junitxml={report}", str(tmp_path / "test_child.py")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False)
    return proc, report


def _junit_counts(report: Path) -> dict[str, int]:
    suite = ET.parse(report).getroot()
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    return {k: int(suite.get(k)) for k in ("tests", "failures", "errors", "skipped")}


def test_passing_run_exits_0_after_reporting(tmp_path: Path) -> None:
    proc, report = _run_child(tmp_path, 2.0)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-3000:]
    assert "2 passed" in proc.stdout, out[-3000:]
    assert _junit_counts(report) == {"tests": 2, "failures": 0, "errors": 0, "skipped": 0}
    # The process left through os._exit: Python's own teardown never ran.
    assert "ATEXIT HANDLER RAN" not in out


def test_failing_run_exits_1_after_reporting(tmp_path: Path) -> None:
    proc, report = _run_child(tmp_path, 3.0)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out[-3000:]
    assert "1 failed, 1 passed" in proc.stdout, out[-3000:]
    assert "test_r_adds" in proc.stdout
    assert _junit_counts(report) == {"tests": 2, "failures": 1, "errors": 0, "skipped": 0}
    assert "ATEXIT HANDLER RAN" not in out
