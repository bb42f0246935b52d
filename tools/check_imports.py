"""Fails on an import cycle among the project's modules, on any import of `bot` from integrations/,
and on an import of a project module that does not exist.

Every import statement counts, also those inside functions (a lazy import hides a cycle, it does
not remove it); only `if TYPE_CHECKING:` blocks are skipped. `from pkg import name` is an edge to
`pkg.name` when that is a module, else to `pkg`. Run: `python tools/check_imports.py` (exit 1 on a
finding); `tests/test_imports.py` runs it in `make test`.
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "integrations", "webhooks")


def modules(root: Path = ROOT) -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")) if (root / package).is_dir() else []:
            parts = path.relative_to(root).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _type_checking(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and getattr(test, "id", getattr(test, "attr", None)) == "TYPE_CHECKING"


def _statements(tree: ast.AST):
    stack = [tree]
    while stack:
        node = stack.pop()
        if _type_checking(node):
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The project modules `name` imports (a project name that is no module is kept, to be reported)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in _statements(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
            continue
        base = package
        for _ in range(node.level - 1):
            base = base.rpartition(".")[0]
        source = ".".join(p for p in (base if node.level else "", node.module or "") if p)
        for alias in node.names:
            targets.add(f"{source}.{alias.name}" if f"{source}.{alias.name}" in known else source)
    return {t for t in targets if t.split(".")[0] in PACKAGES and t != name}


def graph(root: Path = ROOT) -> dict[str, set[str]]:
    known = modules(root)
    return {name: imports(name, path, known) for name, path in known.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10000))
    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def outward_violations(edges: dict[str, set[str]]) -> list[str]:
    """integrations/ holds clients of outside systems: it must not import the app."""
    return sorted(f"{src} imports {dst}" for src, targets in edges.items() if src.split(".")[0] == "integrations"
                  for dst in targets if dst.split(".")[0] == "bot")


def missing(edges: dict[str, set[str]]) -> list[str]:
    """Imports of project modules that do not exist (a lazy import left behind by a move)."""
    return sorted(f"{src} imports {dst}, which does not exist" for src, targets in edges.items()
                  for dst in targets if dst not in edges)


def problems(root: Path = ROOT) -> list[str]:
    edges = graph(root)
    found = [f"import cycle: {' <-> '.join(c)}" for c in cycles(edges)]
    return found + outward_violations(edges) + missing(edges)


def main() -> int:
    found = problems()
    for line in found:
        print(line)
    if not found:
        print(f"{len(modules())} modules: no import cycles, integrations/ imports nothing from bot")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
