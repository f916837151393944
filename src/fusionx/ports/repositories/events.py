from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from fusionx.core.model.events import NewEvent, ShiftEvent


class EventLog(Protocol):
    """Each shift's event log, written in the same unit of work as the change it records.

    Events are numbered 1, 2, 3… per shift, in the order appended, with no gap: an
    appended event is numbered and written when its unit of work commits, so a unit
    that rolls back takes no number. Until then ``since`` and ``last_seq`` do not show
    it. After ``commit``, appended events are handed to the live ``EventBus``; never
    before.
    """

    async def append(self, event: NewEvent) -> None: ...

    async def since(self, shift_id: UUID, after_seq: int, limit: int = 500) -> list[ShiftEvent]:
        """Events with ``seq > after_seq``, in order, at most ``limit``."""
        ...

    async def during(
        self,
        shift_id: UUID,
        since: datetime,
        until: datetime,
        *,
        after_seq: int = 0,
        limit: int = 100,
    ) -> list[ShiftEvent]:
        """A page of the shift's events at or after ``since`` and before ``until``, in seq
        order: those with ``seq > after_seq`` (the last seq of the previous page), at most
        ``limit``. What the audit trail reads of a shift."""
        ...

    async def last_seq(self, shift_id: UUID) -> int:
        """0 for a shift with no event."""
        ...
