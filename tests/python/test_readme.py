"""README.md's snippets run as pasted: every ```python block in a fresh Python (this
interpreter), every ```r block in a fresh ``Rscript`` on the installed R package.

They train small models, hence ``slow``.
"""

from __future__ import annotations

import re

import pytest
from kit import REPO, run_python, run_r

README = REPO / "README.md"


def blocks(language: str) -> list[str]:
    """The fenced code blocks of README.md in ``language`` (```r, ```python), in order."""
    text = README.read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)


def test_readme_has_snippets_in_both_languages():
    assert len(blocks("python")) >= 1
    assert len(blocks("r")) >= 2


@pytest.mark.slow
@pytest.mark.keras
@pytest.mark.parametrize("index", range(len(blocks("python"))))
def test_python_snippet_runs_as_pasted(index, tmp_path):
    out = run_python(blocks("python")[index] + '\nprint("README snippet done")\n',
                     cwd=tmp_path)
    assert out.rstrip().endswith("README snippet done")


@pytest.mark.slow
@pytest.mark.r_parity
@pytest.mark.parametrize("index", range(len(blocks("r"))))
def test_r_snippet_runs_as_pasted(index, tmp_path):
    out = run_r(blocks("r")[index] + '\ncat("README snippet done\\n")\n', cwd=tmp_path)
    assert out.rstrip().endswith("README snippet done")
