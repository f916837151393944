from __future__ import annotations

from datetime import datetime
from typing import Protocol


class SmsNumberBlocklist(Protocol):
    """Numbers the SMS provider refused for good (invalid, landline, opted out)."""

    async def block(self, phone: str, reason: str, at: datetime) -> None: ...

    async def reason(self, phone: str) -> str | None:
        """Why ``phone`` is blocked, or None if it is not."""
        ...

    async def unblock(self, phone: str) -> None: ...
