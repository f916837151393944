from __future__ import annotations

from datetime import datetime
from typing import Protocol


class LoginFailureLog(Protocol):
    """Failed sign-in times per throttle key (an account or a client address)."""

    async def record(self, key: str, at: datetime) -> None: ...

    async def since(self, key: str, since: datetime) -> list[datetime]:
        """Failures for ``key`` strictly after ``since``, oldest first."""
        ...

    async def clear(self, key: str) -> None: ...
