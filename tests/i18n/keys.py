"""The message keys the code uses: every ``Message("key", …)`` in ``src/fusionx``, and
every ``t("key", …)`` in the pages' templates.

A key is a literal string, or a conditional between literals (``Message("a" if x else
"b")``); any other first argument is reported, so no key can hide from the catalogue test.
The one exception is the templates' ``t`` helper itself (``web/templating.py``), whose
line says ``i18n: template key``: its keys are the templates' literals, read here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import fusionx

SOURCE = Path(fusionx.__file__).parent
_TEMPLATE_KEY_MARK = "i18n: template key"
# t( then the key: a quoted literal is a key, anything else is reported as hidden.
_TEMPLATE_CALL = re.compile(r"""(?<![\w.])t\(\s*(?:"([\w.]+)"|'([\w.]+)'|(.))""")


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
            if not literals and not _marked(path, node.lineno):
                hidden.append(where)
            for key in literals:
                keys.setdefault(key, []).append(where)
    for path in sorted(SOURCE.rglob("templates/**/*.html")):
        text = path.read_text(encoding="utf-8")
        for found in _TEMPLATE_CALL.finditer(text):
            line = text.count("\n", 0, found.start()) + 1
            where = f"{path.relative_to(SOURCE)}:{line}"
            key = found.group(1) or found.group(2)
            if key:
                keys.setdefault(key, []).append(where)
            else:
                hidden.append(where)
    return keys, hidden


def _marked(path: Path, line: int) -> bool:
    return _TEMPLATE_KEY_MARK in path.read_text(encoding="utf-8").splitlines()[line - 1]


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
