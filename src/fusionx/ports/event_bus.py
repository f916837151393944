from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from typing import Protocol
from uuid import UUID

from fusionx.core.model.events import ShiftEvent


class EventFeed(Protocol):
    """Live events of one shift for one subscriber."""

    async def next(self) -> ShiftEvent | None:
        """The next live event, or None when the subscriber may have missed some (its
        buffer overflowed, or the bus lost its source for a while): it must then catch
        up from the ``EventLog``. Live events may repeat ones already seen."""
        ...


class EventBus(Protocol):
    """Fans committed events out to live subscribers, across processes where it can.

    Delivery is best effort and may repeat; the event log is the truth. A slow
    subscriber never holds up the others.
    """

    def subscribe(self, shift_id: UUID) -> AbstractAsyncContextManager[EventFeed]: ...

    async def publish(self, events: Sequence[ShiftEvent]) -> None:
        """Deliver committed events to this process's subscribers."""
        ...
