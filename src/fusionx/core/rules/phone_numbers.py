"""Phone numbers, in E.164: what we accept before sending any text message."""

from __future__ import annotations

import re

_SEPARATOR = r"[\s().-]"
_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
_SEPARATORS = re.compile(_SEPARATOR)
# What ``e164`` accepts, as one pattern: the number with any separators among its digits.
E164_INPUT_PATTERN = (
    rf"^{_SEPARATOR}*\+{_SEPARATOR}*[1-9](?:{_SEPARATOR}*[0-9]){{6,14}}{_SEPARATOR}*$"
)


def e164(phone: str | None) -> str | None:
    """``phone`` as E.164 (``+`` then 7 to 15 digits, spaces, dots, dashes and brackets
    dropped), or None when it is no such number."""
    if phone is None:
        return None
    compact = _SEPARATORS.sub("", phone)
    return compact if _E164.fullmatch(compact) else None
