"""Constrained scalar types shared by the wire schemas."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

# Times on the wire are always timezone-aware; the core hands out UTC.
UtcDateTime = Annotated[datetime, msgspec.Meta(tz=True)]


def text(max_length: int) -> msgspec.Meta:
    """A non-empty string of at most ``max_length`` characters."""
    return msgspec.Meta(min_length=1, max_length=max_length)
