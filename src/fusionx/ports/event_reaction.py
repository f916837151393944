from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from fusionx.core.model.events import ShiftEvent
from fusionx.ports.unit_of_work import UnitOfWork


class EventReaction(Protocol):
    """Work that must commit together with the events that cause it.

    A unit of work calls it inside its transaction, just before committing, with the
    events appended since its last commit. It may write through ``uow`` but must not
    commit, nor append events.
    """

    async def __call__(self, uow: UnitOfWork, events: Sequence[ShiftEvent]) -> None: ...
