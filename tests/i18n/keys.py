"""The message keys the code uses: every ``Message("key", …)`` in ``src/fusionx``.

A key is a literal string, or a conditional between literals (``Message("a" if x else
"b")``); any other first argument is reported, so no key can hide from the catalogue test.
"""

from __future__ import annotations

import ast
from pathlib import Path

import fusionx

SOURCE = Path(fusionx.__file__).parent


def used_keys() -> tuple[dict[str, list[str]], list[str]]:
    """Each key with where it is used, and the calls whose key is not written out."""
    keys: dict[str, list[str]] = {}
    hidden: list[str] = []
    for path in sorted(SOURCE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _is_message(node.func)):
                continue
            where = f"{path.relative_to(SOURCE)}:{node.lineno}"
            argument = node.args[0] if node.args else None
            literals = _literals(argument)
            if not literals:
                hidden.append(where)
            for key in literals:
                keys.setdefault(key, []).append(where)
    return keys, hidden


def _is_message(func: ast.expr) -> bool:
    return (isinstance(func, ast.Name) and func.id == "Message") or (
        isinstance(func, ast.Attribute) and func.attr == "Message"
    )


def _literals(node: ast.expr | None) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _literals(node.body), _literals(node.orelse)
        return body + orelse if body and orelse else []
    return []
