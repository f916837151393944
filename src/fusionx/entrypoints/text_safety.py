"""Text from users, made safe to print on one line of a terminal or a log.

A staff member's name or a reason may hold a newline, a carriage return, an ANSI
escape or a line shaped like a log record; printed as is, it would forge lines or
repaint the terminal. Here every control, format and line-separator character becomes
a visible escape (``\\n``, ``\\x1b``, ``\\u2028``), and a backslash becomes two, so the
escaped text reads back unambiguously.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

_UNSAFE = frozenset({"Cc", "Cf", "Zl", "Zp"})
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\"}


def escape_controls(text: str) -> str:
    return "".join(_escaped(char) for char in text)


def _escaped(char: str) -> str:
    if char in _NAMED:
        return _NAMED[char]
    if unicodedata.category(char) not in _UNSAFE:
        return char
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_json(encoded: str) -> str:
    """JSON text with the characters its encoder leaves raw (DEL, C1 controls, line
    separators, bidi controls) as ``\\uXXXX`` escapes: still the same JSON, one line."""
    return "".join(
        f"\\u{ord(char):04x}" if unicodedata.category(char) in _UNSAFE else char for char in encoded
    )


def escape_values(value: Any) -> Any:
    """``value`` with every string in it escaped, at any depth."""
    if isinstance(value, str):
        return escape_controls(value)
    if isinstance(value, Mapping):
        return {escape_values(k): escape_values(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [escape_values(item) for item in value]
    return value
