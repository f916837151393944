"""Kitchen tickets: moves between states, and the kitchen display's feed."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec

from fusionx.core.model.cancellations import CancelReason
from fusionx.core.model.orders import OrderLine
from fusionx.core.model.tickets import KdsTicket, Ticket, TicketState
from fusionx.core.use_cases.commands.transition_ticket import TransitionRequest
from fusionx.core.use_cases.queries.view_shift import KdsFeed
from fusionx.entrypoints.http.schemas.requests import RequestBody
from fusionx.entrypoints.http.schemas.scalars import UtcDateTime, text

# States a ticket can be moved to; whether the move is allowed from its current state
# is the core's ticket table. `new` and `in_prep` resume a held ticket; `ready` recalls
# a completed one; `refunded` comes from refunding the order.
TicketTarget = Literal["new", "in_prep", "ready", "completed", "cancelled", "hold"]


class TransitionBody(RequestBody, frozen=True, kw_only=True):
    """``version`` is the ticket version the caller last saw; a stale one is refused.

    ``hold`` may give ``fire_at``, when the ticket resumes by itself; ``cancelled`` needs a
    ``cancel_reason`` (``other`` with a ``reason`` text).
    """

    to: TicketTarget
    version: Annotated[int, msgspec.Meta(ge=1)]
    reason: Annotated[str, text(500)] | None = None
    fire_at: UtcDateTime | None = None
    cancel_reason: CancelReason | None = None

    def to_request(self, ticket_id: UUID) -> TransitionRequest:
        return TransitionRequest(
            ticket_id=ticket_id,
            target=TicketState(self.to),
            expected_version=self.version,
            reason=self.reason,
            fire_at=self.fire_at,
            cancel_reason=self.cancel_reason,
        )


class TicketView(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    order_id: UUID
    shift_id: UUID
    number: int
    state: TicketState
    version: int
    created_at: UtcDateTime
    updated_at: UtcDateTime
    held_from: TicketState | None
    fire_at: UtcDateTime | None

    @classmethod
    def of(cls, ticket: Ticket) -> TicketView:
        return cls(
            id=ticket.id,
            order_id=ticket.order_id,
            shift_id=ticket.shift_id,
            number=ticket.number,
            state=ticket.state,
            version=ticket.version,
            created_at=ticket.created_at,
            updated_at=ticket.updated_at,
            held_from=ticket.held_from,
            fire_at=ticket.fire_at,
        )


class KdsLineView(msgspec.Struct, frozen=True, kw_only=True):
    """``modifiers`` names the options chosen ("Large", "Extra cheese")."""

    item_id: UUID
    name: str
    quantity: int
    notes: str | None
    modifiers: list[str]

    @classmethod
    def of(cls, line: OrderLine) -> KdsLineView:
        return cls(
            item_id=line.item_id,
            name=line.name,
            quantity=line.quantity,
            notes=line.notes,
            modifiers=[modifier.name for modifier in line.modifiers],
        )


class KdsTicketView(msgspec.Struct, frozen=True, kw_only=True):
    """A ticket on the kitchen display; ``age_seconds`` counts from its order.

    A held ticket shows where it resumes (``held_from``) and when it fires (``fire_at``,
    null when held by hand)."""

    id: UUID
    order_id: UUID
    number: int
    state: TicketState
    version: int
    created_at: UtcDateTime
    updated_at: UtcDateTime
    age_seconds: int
    customer_name: str | None
    lines: list[KdsLineView]
    held_from: TicketState | None
    fire_at: UtcDateTime | None
    # When the order was promised ready, from the queue and recent prep times.
    promised_ready_at: UtcDateTime | None

    @classmethod
    def of(cls, ticket: KdsTicket, now: datetime) -> KdsTicketView:
        return cls(
            id=ticket.id,
            order_id=ticket.order_id,
            number=ticket.number,
            state=ticket.state,
            version=ticket.version,
            created_at=ticket.created_at,
            updated_at=ticket.updated_at,
            age_seconds=max(0, int((now - ticket.created_at).total_seconds())),
            customer_name=ticket.customer_name,
            lines=[KdsLineView.of(line) for line in ticket.lines],
            held_from=ticket.held_from,
            fire_at=ticket.fire_at,
            promised_ready_at=ticket.promised_ready_at,
        )


class KdsFeedView(msgspec.Struct, frozen=True, kw_only=True):
    """A shift's tickets in the requested states, oldest first, as of event ``last_seq``."""

    shift_id: UUID
    last_seq: int
    tickets: list[KdsTicketView]

    @classmethod
    def of(cls, shift_id: UUID, feed: KdsFeed, now: datetime) -> KdsFeedView:
        return cls(
            shift_id=shift_id,
            last_seq=feed.last_seq,
            tickets=[KdsTicketView.of(ticket, now) for ticket in feed.tickets],
        )
