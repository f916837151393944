"""Kitchen display tickets and the one table of moves between their states."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from uuid import UUID

import msgspec

from fusionx.core.model.actors import Actor
from fusionx.core.model.orders import Order, OrderLine
from fusionx.core.model.state_machine import StateMachine


class TicketState(enum.StrEnum):
    NEW = "new"
    IN_PREP = "in_prep"
    READY = "ready"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    HOLD = "hold"
    REFUNDED = "refunded"


# Every allowed move, and nothing else. Rules that need more than the two states (a
# held ticket resumes to the state it was held from; a recall only within its window)
# live with the use cases, which consult this table first.
TICKET_MACHINE = StateMachine[TicketState](
    "ticket",
    [
        (TicketState.NEW, TicketState.IN_PREP),
        (TicketState.IN_PREP, TicketState.READY),
        (TicketState.READY, TicketState.COMPLETED),
        (TicketState.NEW, TicketState.CANCELLED),
        (TicketState.IN_PREP, TicketState.CANCELLED),
        (TicketState.READY, TicketState.CANCELLED),
        # Hold and fire: held by hand or until a fire time, resumed where it was.
        (TicketState.NEW, TicketState.HOLD),
        (TicketState.IN_PREP, TicketState.HOLD),
        (TicketState.HOLD, TicketState.NEW),
        (TicketState.HOLD, TicketState.IN_PREP),
        (TicketState.HOLD, TicketState.CANCELLED),
        # Recall: a completed ticket back on the pass, within RECALL_WINDOW.
        (TicketState.COMPLETED, TicketState.READY),
        # A fully refunded order, whether it was handed over or cancelled.
        (TicketState.COMPLETED, TicketState.REFUNDED),
        (TicketState.CANCELLED, TicketState.REFUNDED),
    ],
)

FINAL_STATES = frozenset({TicketState.COMPLETED, TicketState.CANCELLED, TicketState.REFUNDED})
OPEN_STATES = frozenset(TicketState) - FINAL_STATES
# States a ticket may be held from, and so resumed to.
HOLDABLE_STATES = frozenset({TicketState.NEW, TicketState.IN_PREP})
# The food exists once a ticket has been ready: cancelling then returns no stock.
MADE_STATES = frozenset({TicketState.READY, TicketState.COMPLETED})
DEFAULT_RECALL_WINDOW = timedelta(minutes=10)


class Ticket(msgspec.Struct, frozen=True, kw_only=True):
    """``version`` rises by one on every change; a client must name the one it saw.

    A HOLD ticket remembers ``held_from`` (where it resumes) and, when it was held until
    a time, ``fire_at``; both are None in every other state.
    """

    id: UUID
    order_id: UUID
    shift_id: UUID
    number: int
    state: TicketState
    version: int
    created_at: datetime
    updated_at: datetime
    held_from: TicketState | None = None
    fire_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @classmethod
    def first_for(cls, order: Order, ticket_id: UUID, at: datetime) -> Ticket:
        """The NEW ticket that puts ``order`` on the kitchen display, under its number."""
        return cls(
            id=ticket_id,
            order_id=order.id,
            shift_id=order.shift_id,
            number=order.number,
            state=TicketState.NEW,
            version=1,
            created_at=at,
            updated_at=at,
        )


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
    held_from: TicketState | None = None
    fire_at: datetime | None = None
    promised_ready_at: datetime | None = None
