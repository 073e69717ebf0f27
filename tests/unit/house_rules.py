"""The house rules (DESIGN.md §8) read from the source: every import in kiosk/ (at the top, inside functions and
under TYPE_CHECKING alike) and every place the journal is written.  `python -m tests.unit.house_rules` prints
each broken rule; tests/unit/test_house_rules.py asserts there are none.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

KIOSK = Path(__file__).resolve().parents[2] / "kiosk"
FLOW_ROOTS = ("kiosk.services", "kiosk.screens")
CORE = ("kiosk.domain", "kiosk.services", "kiosk.db", "kiosk.devices", "kiosk.printouts")
UI = ("kiosk.screens", "kiosk.widgets", "kiosk.app", "kivy")
WEB = ("kiosk.web", "flask", "werkzeug", "waitress")  # kiosk web: a top layer beside the screens
JOURNAL = "kiosk.services.records.journal"


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the kiosk module imported (the deepest module that exists), or a third-party top name
    names: tuple[str, ...]  # for `from X import a, b`: a, b
    line: int


def modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(KIOSK.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        parts = list(path.relative_to(KIOSK.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _resolve(name: str, known: dict[str, Path]) -> str | None:
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def imports(known: dict[str, Path] | None = None) -> Iterator[Import]:
    known = known or modules()
    for module, path in known.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield from _one(module, alias.name, (), node.lineno, known)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, base] if base else up)
                names = tuple(a.name for a in node.names)
                # `from pkg import submodule` imports the submodule; `from pkg import name` only the package
                # `from pkg import sub`: the submodule itself, unless pkg's __init__ hands it out (its public API)
                exported = _bound_in_init(base, known)
                subs = [f"{base}.{n}" for n in names if f"{base}.{n}" in known and n not in exported]
                if len(subs) < len(names):
                    yield from _one(module, base, names, node.lineno, known)
                for sub in subs:
                    yield from _one(module, sub, (), node.lineno, known)


def _bound_in_init(package: str, known: dict[str, Path]) -> set[str]:
    """The names a package's __init__ binds (imports, definitions): what `from package import name` gets from it."""
    path = known.get(package)
    if path is None or path.name != "__init__.py":
        return set()
    bound: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            bound |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.Assign):
            bound |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return bound


def _one(source: str, name: str, names: tuple[str, ...], line: int, known: dict[str, Path]) -> Iterator[Import]:
    if name.startswith("kiosk"):
        target = _resolve(name, known)
        if target and target != source:
            yield Import(source, target, names, line)
    else:
        yield Import(source, name.split(".")[0], names, line)


def _under(module: str, roots: tuple[str, ...]) -> bool:
    return any(module == r or module.startswith(r + ".") for r in roots)


def _flow(module: str) -> tuple[str, str] | None:
    """("kiosk.services", "sales") for kiosk.services.sales.checkout.checkout; None outside a flow package."""
    for root in FLOW_ROOTS:
        if module.startswith(root + "."):
            rest = module[len(root) + 1 :].split(".")
            if len(rest) >= 1 and (KIOSK.parent / root.replace(".", "/") / rest[0]).is_dir():
                return root, rest[0]
    return None


def broken_rules() -> list[str]:
    known = modules()
    found: list[str] = []
    edges: dict[str, set[str]] = {m: set() for m in known}
    for imp in imports(known):
        where = f"{imp.source}:{imp.line}"
        if imp.target in known:
            edges[imp.source].add(imp.target)
        if _under(imp.source, CORE) and _under(imp.target, UI + WEB):
            found.append(f"{where} the core imports {imp.target}")
        if _under(imp.source, ("kiosk.web",)) and _under(imp.target, UI):
            found.append(f"{where} the web page imports {imp.target} (no Kivy on the web)")
        web_to = _flow(imp.target) if _under(imp.source, ("kiosk.web",)) else None
        if web_to and web_to[0] == "kiosk.services" and imp.target != f"{web_to[0]}.{web_to[1]}":
            found.append(f"{where} {imp.target} is reached past its flow's __init__")
        if _under(imp.source, ("kiosk.screens",)) and imp.target == "kiosk.app":
            found.append(f"{where} a screen imports kiosk.app (ask the shell instead)")
        if _under(imp.source, ("kiosk.printouts",)) and _under(imp.target, ("kiosk.services", "kiosk.db")):
            found.append(f"{where} a printout imports {imp.target} (printouts read domain objects only)")
        a, b = _flow(imp.source), _flow(imp.target)
        if a and b and a[0] == b[0] and a[1] != b[1] and imp.target != f"{b[0]}.{b[1]}":
            found.append(f"{where} {imp.target} is reached past its flow's __init__")
    found += [f"import cycle: {' -> '.join(c)}" for c in cycles(edges)]
    found += _journal_writers(known)
    return found


def _journal_writers(known: dict[str, Path]) -> list[str]:
    found = []
    for module, path in known.items():
        if module == JOURNAL or module.startswith("kiosk.db"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "JournalEntry":
                found.append(f"{module}:{node.lineno} writes a JournalEntry itself (only {JOURNAL} may)")
    return found


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each as a sorted list."""
    sys.setrecursionlimit(max(10_000, sys.getrecursionlimit()))
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


if __name__ == "__main__":
    problems = broken_rules()
    print("\n".join(problems) or "the house rules hold")
    print(f"{len(problems)} broken", file=sys.stderr)
