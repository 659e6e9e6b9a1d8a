"""The package keeps the shape that docs/architecture.md describes.

Every import of a cnnlab module, at the top of a file or inside a function, is
an edge. The test fails on an edge against the table "Who may import whom",
on any cycle between modules, and on a source file over 350 lines.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "cnnlab"
DOC = ROOT / "docs" / "architecture.md"
MAX_LINES = 350


def module_name(path: Path) -> str:
    parts = path.relative_to(SOURCE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(SOURCE.rglob("*.py"))}


def part_of(module: str) -> str:
    """``cnnlab.conv.fft`` -> ``conv``; ``cnnlab`` itself -> ``api``."""
    pieces = module.split(".")
    return "api" if len(pieces) == 1 else pieces[1]


def imports_of(module: str) -> set[str]:
    """Every cnnlab module that ``module`` imports, anywhere in its file."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            # `from cnnlab.training import step` imports the module cnnlab.training.step
            names = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                for alias in node.names
            ]
        else:
            continue
        found.update(name for name in names if name.split(".")[0] == "cnnlab")
    return {name for name in found if name in MODULES} - {module}


GRAPH = {module: imports_of(module) for module in MODULES}


def allowed_imports() -> dict[str, set[str]]:
    """The table "Who may import whom" of docs/architecture.md: part -> parts it may import."""
    table = DOC.read_text().split("## Who may import whom", 1)[1].split("\n## ", 1)[0]
    allowed = {}
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`"):
            allowed[cells[0].strip("`")] = set(re.findall(r"`([^`]+)`", cells[2]))
    return allowed


def test_the_table_names_every_part():
    allowed = allowed_imports()
    parts = {part_of(module) for module in MODULES}
    assert parts <= set(allowed), f"parts missing from docs/architecture.md: {parts - set(allowed)}"
    assert {"conv", "layers", "training", "model", "nn"} <= parts


def test_imports_follow_the_documented_directions():
    allowed = allowed_imports()
    wrong = [
        f"{module} imports {target} ({part_of(module)} may import {sorted(allowed[part_of(module)])})"
        for module, targets in GRAPH.items()
        for target in targets
        if part_of(target) != part_of(module) and part_of(target) not in allowed[part_of(module)]
    ]
    assert not wrong, "\n".join(wrong)


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as a list of nodes, or None (depth-first search)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return stack[stack.index(target) :] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        state[node] = 2
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_import_cycle():
    assert find_cycle(GRAPH) is None, " -> ".join(find_cycle(GRAPH))


def test_the_cycle_finder_finds_cycles():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"a"}}) is None


@pytest.mark.parametrize("module", sorted(MODULES))
def test_source_files_stay_readable_in_one_sitting(module):
    lines = len(MODULES[module].read_text().splitlines())
    assert lines <= MAX_LINES, f"{MODULES[module].relative_to(ROOT)} has {lines} lines"
