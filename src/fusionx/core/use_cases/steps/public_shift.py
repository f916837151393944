"""The shift a customer orders from: a truck's open shift, found by the truck."""

from __future__ import annotations

from uuid import UUID

from fusionx.core.errors import Conflict, NotFound
from fusionx.core.messages import Message
from fusionx.core.model.shifts import Shift
from fusionx.ports.unit_of_work import UnitOfWork


async def ordering_shift(uow: UnitOfWork, truck_id: UUID) -> Shift:
    """The truck's shift that takes orders: 404 for an unknown or retired truck or one
    without a shift under way (as its public menu is), 409 while it is paused."""
    truck = await uow.trucks.get(truck_id)
    if truck is None or not truck.active:
        raise NotFound("truck", truck_id)
    shift = await uow.shifts.open_for_truck(truck_id)
    if shift is None:
        raise NotFound("open shift of truck", truck_id)
    if not shift.takes_orders:
        raise Conflict(
            Message("shift.takes_no_orders", {"state": shift.state.value}),
            state=shift.state.value,
        )
    return shift
