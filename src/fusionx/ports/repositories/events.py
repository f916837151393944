from __future__ import annotations

from typing import Protocol
from uuid import UUID

from fusionx.core.model.events import NewEvent, ShiftEvent


class EventLog(Protocol):
    """Each shift's event log, written in the same unit of work as the change it records.

    ``append`` numbers events 1, 2, 3… per shift with no gap: numbers taken by a unit of
    work that rolls back are taken again by the next. After ``commit``, appended events
    are handed to the live ``EventBus``; never before.
    """

    async def append(self, event: NewEvent) -> ShiftEvent: ...

    async def since(self, shift_id: UUID, after_seq: int, limit: int = 500) -> list[ShiftEvent]:
        """Events with ``seq > after_seq``, in order, at most ``limit``."""
        ...

    async def last_seq(self, shift_id: UUID) -> int:
        """0 for a shift with no event."""
        ...
