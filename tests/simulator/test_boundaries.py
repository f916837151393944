"""The simulator is a client like any other: it may not reach into the server's code."""

from __future__ import annotations

import ast
from pathlib import Path

from fusionx.entrypoints import simulator

SERVER_SIDE = {"fusionx", "litestar", "sqlalchemy", "advanced_alchemy", "granian"}


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
    return modules


def test_the_simulator_imports_nothing_from_the_server() -> None:
    package = Path(simulator.__file__).parent
    foreign = {
        f"{path.name}: {module}"
        for path in package.glob("*.py")
        for module in imported_modules(path)
        if module.split(".")[0] in SERVER_SIDE
        and not module.startswith("fusionx.entrypoints.simulator")
    }
    assert foreign == set()
