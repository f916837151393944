from __future__ import annotations

from uuid import UUID

import msgspec

from fusionx.core.model.actors import actor_of
from fusionx.core.model.fleet_events import LocationChanged, Stream
from fusionx.core.model.principals import Principal
from fusionx.core.model.staff import Role
from fusionx.core.model.trucks import Location
from fusionx.core.rules.access import require_staff
from fusionx.core.rules.validation import (
    collect_mistakes,
    require_coordinates,
    require_tax_rate,
    require_text,
    require_timezone,
)
from fusionx.core.use_cases.steps.fleet_log import log_fleet_event
from fusionx.core.use_cases.steps.location_scope import existing_location
from fusionx.ports.clock import Clock
from fusionx.ports.unit_of_work import UnitOfWork

UNSET = msgspec.UNSET
Unset = msgspec.UnsetType


class ChangeLocationRequest(msgspec.Struct, frozen=True, kw_only=True):
    """What is left unset stays as it is; a null address or coordinates clears them."""

    name: str | Unset = UNSET
    timezone: str | Unset = UNSET
    address: str | Unset | None = UNSET
    latitude: float | Unset | None = UNSET
    longitude: float | Unset | None = UNSET
    tax_rate_bp: int | Unset = UNSET
    tax_inclusive: bool | Unset = UNSET


class ChangeLocation:
    """Edit a location: its name, time zone, address, coordinates or tax.

    Rules:
    - owners and admins;
    - the same rules as at creation, on the location as it would be after the change
      (so one coordinate alone cannot be cleared); every field in error is named;
    - the tax rate is 0 to 10,000 basis points (``MAX_TAX_RATE_BP``); it applies to
      orders placed from then on, never to those already placed;
    - ``location.changed`` on the fleet's stream, before and after; a change to nothing
      is not logged.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def execute(
        self, principal: Principal, location_id: UUID, request: ChangeLocationRequest
    ) -> Location:
        actor = actor_of(require_staff(principal, Role.ADMIN))
        changes = {
            field.name: value
            for field in msgspec.structs.fields(request)
            if (value := getattr(request, field.name)) is not UNSET
        }
        async with self._uow as uow:
            before = await existing_location(uow, location_id)
            after = msgspec.structs.replace(before, **changes)
            collect_mistakes(
                lambda: require_text("name", after.name),
                lambda: require_timezone(after.timezone),
                lambda: (
                    require_text("address", after.address, max_length=500)
                    if after.address is not None
                    else None
                ),
                lambda: require_coordinates(after.latitude, after.longitude),
                lambda: require_tax_rate(after.tax_rate_bp),
            )
            after = msgspec.structs.replace(
                after,
                name=after.name.strip(),
                address=after.address.strip() if after.address is not None else None,
            )
            if after != before:
                await uow.locations.update(after)
                event = LocationChanged(before=before, after=after)
                await log_fleet_event(uow, Stream.fleet(), self._clock.now(), actor, event)
                await uow.commit()
        return after
