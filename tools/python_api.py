"""The Python API reference as Markdown, from the docstrings of the public names of ``lrdecay``.

The website's "Python API" article (``vignettes/articles/python-api.Rmd``) prints
``api_markdown(lrdecay)`` with the ``lrdecay`` module that the installed R package
loads; from the repository root, ``PYTHONPATH=inst/python python tools/python_api.py``
prints the same Markdown.
"""

from __future__ import annotations

import inspect
import re
import sys
from types import ModuleType
from typing import Any

#: The sections of the page, and the public names in each, in reading order.
GROUPS: list[tuple[str, str, list[str]]] = [
    ("Schedules",
     "Plain NumPy objects: `s(t)` evaluates the rate at `t` (a number or an array), in "
     "float64; `s.to_keras()` runs it inside the training graph. None imports Keras.",
     ["Constant", "Step", "MultiStep", "Piecewise", "Exponential", "InverseTime",
      "Polynomial", "Cosine", "CosineRestarts", "Linear", "Cyclic", "OneCycle", "Warmup",
      "Sequence", "FromFunction", "WSD", "InverseSqrt", "Rex"]),
    ("Momentum schedules",
     "Made by `OneCycle(...).momentum()` and `Cyclic(...).momentum()`; drive them with "
     "`HParamScheduler(momentum=...)`.",
     ["OneCycleMomentum", "CyclicMomentum"]),
    ("The schedule base class, saving and in-graph use", "",
     ["Schedule", "from_config", "KerasSchedule"]),
    ("Callbacks", "Passed to Keras's `model.fit(callbacks=[...])`.",
     ["LRScheduler", "LRLogger", "LRCustom", "LRPlateau", "HParamScheduler"]),
    ("The learning rate of a model", "", ["get_learning_rate", "set_learning_rate"]),
    ("Planning and diagnosis", "",
     ["check_schedule", "Finding", "ScheduleWarning", "lr_find", "LRFindResult"]),
    ("The demo", "", ["compare_schedules", "default_schedules"]),
]

#: Google-style section titles, shown in bold with their entries as a list.
SECTIONS = ("Args", "Attributes", "Returns", "Raises", "Example", "Examples")


def signature(name: str, obj: Any) -> str:
    """The call as a user types it: parameter names and defaults, no annotations.

    Args:
        name: the public name of ``obj``.
        obj: a class or a function.

    Returns:
        For example ``Cosine(initial_lr, decay_steps, alpha=0)``; the bare name when
        Python gives no signature (an exception class).
    """
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return name
    parts = []
    star_done = False
    for p in sig.parameters.values():
        if p.kind is p.VAR_POSITIONAL:
            parts.append("*" + p.name)
            star_done = True
        elif p.kind is p.VAR_KEYWORD:
            parts.append("**" + p.name)
        else:
            if p.kind is p.KEYWORD_ONLY and not star_done:
                parts.append("*")
                star_done = True
            default = "" if p.default is p.empty else "=" + repr(p.default)
            parts.append(p.name + default)
    return f"{name}({', '.join(parts)})"


def _inline(text: str) -> str:
    """reStructuredText's double backticks as Markdown code."""
    return re.sub(r"``(.+?)``", r"`\1`", text)


def _code(lines: list[str]) -> list[str]:
    """A doctest as a fenced Python block, without the doctest directives."""
    body = [re.sub(r"\s*# doctest:.*$", "", line) for line in lines]
    return ["", "```python", *body, "```", ""]


def _take_code(lines: list[str], i: int, out: list[str]) -> int:
    """Append the doctest block that starts at ``lines[i]`` to ``out`` as fenced code.

    Args:
        lines: the docstring's lines.
        i: the index of the block's first line (``>>>``).
        out: the Markdown lines written so far.

    Returns:
        The index of the first line after the block.
    """
    indent = len(lines[i]) - len(lines[i].lstrip())
    block = []
    while i < len(lines) and lines[i].strip():
        block.append(lines[i][indent:])
        i += 1
    out.extend(_code(block))
    return i


def docstring_markdown(doc: str) -> str:
    """A Google-style docstring as Markdown.

    Paragraphs stay paragraphs; ``Args:``-like sections become a bold title and a list
    of ``name``: description items; doctest lines (``>>>``, ``...`` and their output)
    become fenced Python code.

    Args:
        doc: the docstring, dedented (``inspect.getdoc()``).

    Returns:
        The Markdown text.
    """
    out: list[str] = []
    lines = doc.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if stripped.startswith(">>>"):
            i = _take_code(lines, i, out)
            continue
        title = stripped[:-1] if stripped.endswith(":") else ""
        if title in SECTIONS and line == stripped:
            i += 1
            entries: list[str] = []
            while i < len(lines) and (not lines[i].strip() or lines[i].startswith(" ")):
                item = lines[i].strip()
                if item.startswith(">>>"):
                    break
                if not item:
                    i += 1
                    if i < len(lines) and not lines[i].startswith(" "):
                        break
                    continue
                indent = len(lines[i]) - len(lines[i].lstrip())
                if indent <= 4 or not entries:
                    entries.append(item)
                else:
                    entries[-1] += " " + item
                i += 1
            if entries:
                out.extend(["", f"**{title}:**", ""])
                for entry in entries:
                    name, sep, desc = entry.partition(": ")
                    if sep and re.fullmatch(r"[\w*, ]+", name):
                        out.append(f"* `{name}`: {_inline(desc)}")
                    else:
                        out.append(f"* {_inline(entry)}")
                out.append("")
            if i < len(lines) and lines[i].strip().startswith(">>>"):
                if not entries:
                    out.extend(["", f"**{title}:**"])
                i = _take_code(lines, i, out)
            continue
        out.append(_inline(line))
        i += 1
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip() + "\n"


def api_markdown(module: ModuleType) -> str:
    """The whole Python API page: one section per group, one entry per public name.

    Each entry gives the call, the schedule's formula (schedules), and the docstring.
    A public name that no group lists goes in a last "Other" section, so that none is
    left out.

    Args:
        module: the ``lrdecay`` module.

    Returns:
        The Markdown text.
    """
    public = sorted(n for n in dir(module) if not n.startswith("_") and n != "annotations")
    public = [n for n in public if not inspect.ismodule(getattr(module, n))]
    listed = {n for _, _, names in GROUPS for n in names}
    groups = list(GROUPS)
    others = [n for n in public if n not in listed]
    if others:
        groups.append(("Other", "", others))
    out: list[str] = []
    for title, desc, names in groups:
        out.extend([f"## {title}", ""])
        if desc:
            out.extend([desc, ""])
        for name in names:
            if not hasattr(module, name):
                continue
            obj = getattr(module, name)
            out.extend([f"### {name}", "", "```python", f"lrdecay.{signature(name, obj)}",
                        "```", ""])
            formula = getattr(obj, "formula", None)
            if isinstance(formula, str) and formula:
                out.extend([f"Formula: `{formula}`", ""])
            doc = inspect.getdoc(obj)
            if doc:
                out.extend([docstring_markdown(doc), ""])
    return "\n".join(out)


if __name__ == "__main__":
    import lrdecay

    sys.stdout.write(api_markdown(lrdecay))
