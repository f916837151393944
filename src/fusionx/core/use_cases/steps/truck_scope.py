"""The truck a use case acts on exists: shared by every use case that takes a truck id."""

from __future__ import annotations

from uuid import UUID

from fusionx.core.errors import NotFound
from fusionx.ports.unit_of_work import UnitOfWork


async def require_truck_exists(uow: UnitOfWork, truck_id: UUID | None) -> None:
    """The truck exists (None: the fleet as a whole, which always does); else 404, as for
    a truck the caller may not see."""
    if truck_id is not None and await uow.trucks.get(truck_id) is None:
        raise NotFound("truck", truck_id)
