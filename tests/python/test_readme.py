"""README.md's snippets run as pasted (they train small models, hence ``slow``): every
```python block in a fresh Python, every ```r block in a fresh ``Rscript`` on the installed
R package, each in a folder of its own, two at a time; one test per snippet.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from kit import REPO, check_process, require_r, run_processes

README = REPO / "README.md"
#: A last line per language, so that a snippet that stops early is seen to.
DONE = {"python": '\nprint("README snippet done")\n', "r": '\ncat("README snippet done\\n")\n'}
MARKS = {"python": pytest.mark.keras, "r": pytest.mark.r_parity}


def blocks(language: str) -> list[str]:
    """The fenced code blocks of README.md in ``language`` (```r, ```python), in order."""
    text = README.read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)


SNIPPETS = [(lang, i) for lang in ("python", "r") for i in range(len(blocks(lang)))]


def test_readme_has_snippets_in_both_languages():
    assert len(blocks("python")) >= 1
    assert len(blocks("r")) >= 2


@pytest.fixture(scope="module")
def runs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
         ) -> dict[tuple[str, int], subprocess.CompletedProcess]:
    """Every selected snippet run as pasted, in a folder of its own."""
    selected = [(item.callspec.params["lang"], item.callspec.params["index"])
                for item in request.session.items
                if getattr(item, "originalname", "") == "test_snippet_runs_as_pasted"]
    try:
        programs = {"python": sys.executable, "r": require_r()}
    except pytest.skip.Exception:  # no R: the R snippets' tests skip, saying why
        programs = {"python": sys.executable}
    selected = [(lang, i) for lang, i in selected if lang in programs]
    jobs = []
    for lang, i in selected:
        folder = tmp_path_factory.mktemp(f"{lang}{i}")
        script = folder / f"snippet.{'py' if lang == 'python' else 'R'}"
        script.write_text(blocks(lang)[i] + DONE[lang])
        jobs.append({"argv": [programs[lang], str(script)], "cwd": folder})
    return dict(zip(selected, run_processes(jobs)))


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "index"), [
    pytest.param(lang, i, marks=MARKS[lang], id=f"{lang}-{i}") for lang, i in SNIPPETS])
def test_snippet_runs_as_pasted(runs: dict[tuple[str, int], subprocess.CompletedProcess],
                                lang: str, index: int) -> None:
    if (lang, index) not in runs:
        require_r()
    out = check_process(runs[lang, index], f"README's ```{lang} snippet {index}")
    assert out.rstrip().endswith("README snippet done")
