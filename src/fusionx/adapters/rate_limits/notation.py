"""The ``limits`` library's rate notation (``60/minute``, ``10 per second``, ``5/2 hours``),
read without importing the library: a worker counting on the database never loads it
(``tests/entrypoints/test_worker_imports.py``). Its grammar, quirks and all, is the
library's ``parse``: a test holds the two to the same answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ONE = r"\s*([0-9]+)\s*(/|\s*per\s*)\s*([0-9]+)?\s*([a-z]+)\s*"
_SEPARATORS = re.compile(r"[,;|]{1}")
_NOTATION = re.compile(rf"^{_ONE}(:?{_SEPARATORS.pattern}{_ONE})*$", re.IGNORECASE)
_SINGLE = re.compile(_ONE, re.IGNORECASE)
_UNIT_SECONDS = {
    "second": 1,
    "minute": 60,
    "hour": 60 * 60,
    "day": 60 * 60 * 24,
    "month": 60 * 60 * 24 * 30,
    "year": 60 * 60 * 24 * 30 * 12,
}


@dataclass(frozen=True, slots=True)
class Rate:
    """``amount`` hits per window of ``seconds``."""

    amount: int
    seconds: int


def parse_rate(notation: str) -> Rate:
    """The first rate of ``notation``; ``ValueError`` if any part of it is not one."""
    if not _NOTATION.match(notation):
        raise ValueError(f"couldn't parse rate limit string {notation!r}")
    rates = []
    for part in _SEPARATORS.split(notation):
        found = _SINGLE.match(part)
        if found is None:
            continue
        amount, _, multiples, unit = found.groups()
        name = unit.lower()
        name = name if name in _UNIT_SECONDS else name.removesuffix("s")  # hours, days
        if name not in _UNIT_SECONDS:
            raise ValueError(f"no granularity matched for {unit}")
        # "60 per 0 minutes" is the library's 60 per minute.
        windows = int(multiples or 0) or 1
        rates.append(Rate(amount=int(amount), seconds=_UNIT_SECONDS[name] * windows))
    return rates[0]
