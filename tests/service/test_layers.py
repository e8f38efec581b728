"""How the service's modules lean on one another: no route module imports another (what two
routes share lives in matcher_service.policy, .assets, .api_keys, .store ...)."""

from __future__ import annotations

import ast
from pathlib import Path

import matcher_service

ROUTES = Path(matcher_service.__file__).resolve().parent / "routes"


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_no_route_module_imports_another():
    modules = {p.stem for p in ROUTES.glob("*.py") if p.name != "__init__.py"}
    assert {"orders", "jobs", "ui"} <= modules
    crossing = {
        p.stem: sorted(i for i in _imports(p) if i.startswith("matcher_service.routes"))
        for p in sorted(ROUTES.glob("*.py"))
        if p.name != "__init__.py"
    }
    assert {name: found for name, found in crossing.items() if found} == {}
