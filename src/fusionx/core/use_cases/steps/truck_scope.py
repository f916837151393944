"""The truck a use case acts on exists: shared by every use case that takes a truck id."""

from __future__ import annotations

from uuid import UUID

from fusionx.core.errors import NotFound
from fusionx.core.model.trucks import Truck
from fusionx.ports.unit_of_work import UnitOfWork


async def require_truck_exists(uow: UnitOfWork, truck_id: UUID | None) -> None:
    """The truck exists (None: the fleet as a whole, which always does); else 404, as for
    a truck the caller may not see."""
    if truck_id is not None:
        await existing_truck(uow, truck_id)


async def existing_truck(uow: UnitOfWork, truck_id: UUID) -> Truck:
    """The truck, active or not; else 404."""
    truck = await uow.trucks.get(truck_id)
    if truck is None:
        raise NotFound("truck", truck_id)
    return truck
