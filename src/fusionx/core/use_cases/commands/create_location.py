from __future__ import annotations

import msgspec

from fusionx.core.model.actors import actor_of
from fusionx.core.model.fleet_events import LocationCreated, Stream
from fusionx.core.model.principals import Principal
from fusionx.core.model.staff import Role
from fusionx.core.model.trucks import Location
from fusionx.core.rules.access import require_staff
from fusionx.core.rules.validation import (
    collect_mistakes,
    require_coordinates,
    require_text,
    require_timezone,
)
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

    Rules:
    - owners and admins (over the API); ``principal`` None is the command line on the
      server, which acts as the system;
    - the time zone is a real IANA zone (local times such as availability windows and
      operating hours are evaluated in it); coordinates come as a valid pair (latitude
      -90 to 90, longitude -180 to 180) or not at all; every field in error is named;
    - ``location.created`` on the fleet's stream.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock, ids: IdGenerator) -> None:
        self._uow = uow
        self._clock = clock
        self._ids = ids

    async def execute(
        self, principal: Principal | None, request: CreateLocationRequest
    ) -> Location:
        actor = None if principal is None else actor_of(require_staff(principal, Role.ADMIN))
        address = request.address
        collect_mistakes(
            lambda: require_text("name", request.name),
            lambda: require_timezone(request.timezone),
            lambda: require_text("address", address, max_length=500) if address else None,
            lambda: require_coordinates(request.latitude, request.longitude),
        )
        location = Location(
            id=self._ids.new_id(),
            name=require_text("name", request.name),
            timezone=request.timezone,
            address=require_text("address", address, max_length=500) if address else None,
            latitude=request.latitude,
            longitude=request.longitude,
            created_at=self._clock.now(),
        )
        async with self._uow as uow:
            await uow.locations.add(location)
            created = LocationCreated(location=location)
            await log_fleet_event(uow, Stream.fleet(), location.created_at, actor, created)
            await uow.commit()
        return location
