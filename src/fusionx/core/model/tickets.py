"""Kitchen display tickets and the one table of moves between their states."""

from __future__ import annotations

import enum
from datetime import datetime
from uuid import UUID

import msgspec

from fusionx.core.model.actors import Actor
from fusionx.core.model.orders import OrderLine
from fusionx.core.model.state_machine import StateMachine


class TicketState(enum.StrEnum):
    NEW = "new"
    IN_PREP = "in_prep"
    READY = "ready"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


# Later issues (hold, recall, refunds) extend this by adding rows.
TICKET_MACHINE = StateMachine[TicketState](
    "ticket",
    [
        (TicketState.NEW, TicketState.IN_PREP),
        (TicketState.IN_PREP, TicketState.READY),
        (TicketState.READY, TicketState.COMPLETED),
        (TicketState.NEW, TicketState.CANCELLED),
        (TicketState.IN_PREP, TicketState.CANCELLED),
    ],
)

FINAL_STATES = frozenset({TicketState.COMPLETED, TicketState.CANCELLED})
OPEN_STATES = frozenset(TicketState) - FINAL_STATES


class Ticket(msgspec.Struct, frozen=True, kw_only=True):
    """``version`` rises by one on every change; a client must name the one it saw."""

    id: UUID
    order_id: UUID
    shift_id: UUID
    number: int
    state: TicketState
    version: int
    created_at: datetime
    updated_at: datetime

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class TicketTransition(msgspec.Struct, frozen=True, kw_only=True):
    ticket_id: UUID
    source: TicketState | None
    target: TicketState
    version: int
    at: datetime
    actor: Actor
    reason: str | None = None


class KdsTicket(msgspec.Struct, frozen=True, kw_only=True):
    """A ticket as the kitchen display shows it: with its order's lines."""

    id: UUID
    order_id: UUID
    number: int
    state: TicketState
    version: int
    created_at: datetime
    updated_at: datetime
    lines: tuple[OrderLine, ...]
    customer_name: str | None = None
    promised_ready_at: datetime | None = None
