"""Kitchen tickets: moves between states, and the kitchen display's feed."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

import msgspec

from fusionx.core.model.cancellations import CancelReason
from fusionx.core.model.tickets import Ticket, TicketState
from fusionx.core.use_cases.commands.transition_ticket import TransitionRequest
from fusionx.core.use_cases.queries.view_shift import KdsFeedJson
from fusionx.entrypoints.http.schemas.requests import RequestBody
from fusionx.entrypoints.http.schemas.scalars import UtcDateTime, text
from fusionx.ports.kitchen_feed import KdsTicketView

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


# What the feed documents; the feed itself is sent as ``feed_body`` writes it (the
# docstring below is the public contract's description, so the note stays out of it).
class KdsFeedView(msgspec.Struct, frozen=True, kw_only=True):
    """A shift's tickets in the requested states, oldest first, as of event ``last_seq``."""

    shift_id: UUID
    last_seq: int
    tickets: list[KdsTicketView]


def feed_body(shift_id: UUID, feed: KdsFeedJson) -> bytes:
    """A ``KdsFeedView`` around the tickets' JSON as the store wrote it: the fields in the
    order the Struct gives them, the tickets neither decoded nor encoded again."""
    return b'{"shift_id":"%s","last_seq":%d,"tickets":%s}' % (
        str(shift_id).encode(),
        feed.last_seq,
        feed.tickets,
    )
