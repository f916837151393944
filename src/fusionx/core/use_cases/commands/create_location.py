from __future__ import annotations

import msgspec

from fusionx.core.model.fleet_events import LocationCreated, Stream
from fusionx.core.model.trucks import Location
from fusionx.core.rules.validation import require_coordinates, require_text, require_timezone
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.ports.clock import Clock
from fusionx.ports.id_generator import IdGenerator
from fusionx.ports.unit_of_work import UnitOfWork


class CreateLocationRequest(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    timezone: str
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None


class CreateLocation:
    """Add a service location.

    Rules: the time zone is a real IANA zone (local times such as availability
    windows are evaluated in it); coordinates come as a valid pair or not at all.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock, ids: IdGenerator) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids

    async def execute(self, request: CreateLocationRequest) -> Location:
        require_coordinates(request.latitude, request.longitude)
        location = Location(
            id=self._ids.new_id(),
            name=require_text("name", request.name),
            timezone=require_timezone(request.timezone),
            address=require_text("address", request.address, max_length=500)
            if request.address
            else None,
            latitude=request.latitude,
            longitude=request.longitude,
            created_at=self._clock.now(),
        )
        async with self._uow as uow:
            await uow.locations.add(location)
            created = LocationCreated(location=location)
            await log_fleet_event(uow, Stream.fleet(), location.created_at, None, created)
            await uow.commit()
        return location
