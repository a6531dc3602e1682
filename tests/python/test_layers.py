"""The package's modules import each other only downwards (ARCHITECTURE.md): strictly lower
layers only, so no circle either."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "inst" / "python" / "lrdecay"
DOC = Path(__file__).resolve().parents[2] / "ARCHITECTURE.md"


def _imports(path: Path) -> set[str]:
    """The lrdecay modules a module imports (at any depth of its code)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                out.add(node.module.split(".")[0])
            else:  # from . import x
                out.update(alias.name for alias in node.names if (PACKAGE / f"{alias.name}.py")
                           .exists())
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module" \
                and node.args and isinstance(node.args[0], ast.Constant) \
                and str(node.args[0].value).startswith("."):
            out.add(str(node.args[0].value)[1:])
    return out


def _graph() -> dict[str, set[str]]:
    modules = {p.stem: p for p in PACKAGE.glob("*.py")}
    return {name: _imports(path) - {"__init__"} for name, path in modules.items()
            if name != "__init__"}


def test_imports_point_down_the_documented_layers() -> None:
    """Every module is in ARCHITECTURE.md's table and imports only strictly lower layers (an
    import circle would need an import to the same or a higher layer)."""
    layer: dict[str, int] = {}
    for row in re.finditer(r"^\| (\d+) \| (.+?) \|", DOC.read_text(), flags=re.M):
        for name in re.findall(r"`(\w+)`", row.group(2)):
            layer[name] = int(row.group(1))
    graph = _graph()
    missing = set(graph) - set(layer)
    assert not missing, f"modules missing from ARCHITECTURE.md: {missing}"
    upward = [(m, i) for m, deps in graph.items() for i in deps if layer[i] >= layer[m]]
    assert not upward, f"imports that do not point down: {upward}"
