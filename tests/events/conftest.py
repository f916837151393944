"""Shared steps for the event stream suites: producing events the way the product does."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from fusionx.core.model.events import EventType, ShiftEvent
from fusionx.core.model.tickets import Ticket, TicketState
from fusionx.core.use_cases.place_order import (
    OrderLineRequest,
    PlacedOrder,
    PlaceOrder,
    PlaceOrderRequest,
)
from fusionx.core.use_cases.transition_ticket import TransitionRequest, TransitionTicket
from fusionx.entrypoints.bootstrap import Adapters
from fusionx.ports.unit_of_work import UnitOfWorkFactory
from tests.factories import ShiftWorld

T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def an_event(shift_id: UUID, seq: int, **data: Any) -> ShiftEvent:
    return ShiftEvent(shift_id=shift_id, seq=seq, type=EventType.STOCK_CHANGED, at=T0, data=data)


async def place_order(
    adapters: Adapters, world: ShiftWorld, uow: UnitOfWorkFactory | None = None
) -> PlacedOrder:
    """One of the first menu item, through the use case (``uow`` to commit elsewhere)."""
    request = PlaceOrderRequest(
        shift_id=world.shift.id, lines=(OrderLineRequest(item_id=world.items[0].id, quantity=1),)
    )
    place = PlaceOrder((uow or adapters.uow)(), adapters.clock, adapters.ids)
    return await place.execute(world.principal, request)


async def move_ticket(
    adapters: Adapters, world: ShiftWorld, ticket: Ticket, target: TicketState
) -> Ticket:
    request = TransitionRequest(ticket_id=ticket.id, target=target, expected_version=ticket.version)
    return await TransitionTicket(adapters.uow(), adapters.clock, adapters.ids).execute(
        world.principal, request
    )


async def logged(adapters: Adapters, shift_id: UUID) -> list[ShiftEvent]:
    """The shift's whole event log, as committed."""
    async with adapters.uow() as uow:
        return await uow.events.since(shift_id, 0, 10_000)
