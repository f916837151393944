from __future__ import annotations

from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    """The only source of time for the core. ``now`` is timezone-aware UTC."""

    def now(self) -> datetime: ...
