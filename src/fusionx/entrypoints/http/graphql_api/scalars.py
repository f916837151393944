"""Values as the wire shows them, the same as REST's: times aware and in UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import overload


@overload
def utc(moment: datetime) -> datetime: ...
@overload
def utc(moment: None) -> None: ...
def utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(UTC)
