from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Protocol


class LoginFailureLog(Protocol):
    """Failed sign-in times per throttle key (an address, or an address and an account).

    ``hold`` makes counting a key's failures and recording one a single step: once a unit
    holds a key, any other unit holding it waits until the first one ends, so that two
    attempts cannot both find room for one more.
    """

    async def hold(self, keys: Collection[str]) -> None:
        """Hold ``keys`` until this unit of work ends (commits or rolls back)."""
        ...

    async def record(self, key: str, at: datetime) -> None: ...

    async def since(self, key: str, since: datetime) -> list[datetime]:
        """Failures for ``key`` strictly after ``since``, oldest first."""
        ...

    async def forgive(self, key: str, at: datetime) -> None:
        """Take back one failure recorded for ``key`` at ``at``, if there is one."""
        ...

    async def clear(self, key: str) -> None: ...
