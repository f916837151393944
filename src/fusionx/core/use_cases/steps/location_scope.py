"""The location a use case acts on exists."""

from __future__ import annotations

from uuid import UUID

from fusionx.core.errors import NotFound
from fusionx.core.model.trucks import Location
from fusionx.ports.unit_of_work import UnitOfWork


async def existing_location(uow: UnitOfWork, location_id: UUID) -> Location:
    """The location, active or not; else 404."""
    location = await uow.locations.get(location_id)
    if location is None:
        raise NotFound("location", location_id)
    return location
