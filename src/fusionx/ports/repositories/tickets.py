from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Protocol
from uuid import UUID

from fusionx.core.model.tickets import KdsTicket, Ticket, TicketState, TicketTransition


class TicketRepository(Protocol):
    async def add(self, ticket: Ticket) -> None: ...

    async def get(self, ticket_id: UUID) -> Ticket | None: ...

    async def move(
        self, ticket_id: UUID, *, expected_version: int, target: TicketState, at: datetime
    ) -> Ticket | None:
        """Compare-and-set: move the ticket and bump its version only if its version is
        still ``expected_version``. None when another writer got there first."""
        ...

    async def add_transition(self, transition: TicketTransition) -> None: ...

    async def history(self, ticket_id: UUID) -> list[TicketTransition]:
        """Oldest first."""
        ...

    async def open_for_shift(self, shift_id: UUID) -> list[Ticket]:
        """Tickets not completed or cancelled, oldest first."""
        ...

    async def feed(self, shift_id: UUID, states: Collection[TicketState]) -> list[KdsTicket]:
        """The kitchen display's read: tickets in ``states`` with their lines, oldest first."""
        ...
