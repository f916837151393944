"""Constrained scalar types shared by the wire schemas.

A bound msgspec enforces is in the schema by itself. A rule the core checks (with a
message in the client's terms) is stated with ``checked_by_core``: the document says it,
and the contract tests hold the server to what it says.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec

# Times on the wire are always timezone-aware; the core hands out UTC.
UtcDateTime = Annotated[datetime, msgspec.Meta(tz=True)]
# The core trims text: a value of spaces alone is empty.
NOT_BLANK = r"\S"
HourMinute = Annotated[
    str, msgspec.Meta(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", examples=["22:00"])
]


# A day of the week, and the days in ISO order (Monday is ISO weekday 1).
Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAYS: tuple[Day, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def text(max_length: int, *, min_length: int = 1, **rules: Any) -> msgspec.Meta:
    """A string of ``min_length`` to ``max_length`` characters, not blank; ``rules`` are
    further JSON Schema keywords the core checks (a ``pattern``, a ``description``)."""
    return msgspec.Meta(
        min_length=min_length,
        max_length=max_length,
        extra_json_schema={"pattern": NOT_BLANK, **rules},
    )


def checked_by_core(**rules: Any) -> msgspec.Meta:
    """JSON Schema keywords for a rule the core checks, e.g. ``minimum``, ``pattern``."""
    return msgspec.Meta(extra_json_schema=rules)
