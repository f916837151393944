"""Which operating hours hold for a truck at a location: the one precedence rule."""

from __future__ import annotations

import enum
from uuid import UUID

import msgspec

from fusionx.core.model.hours import OperatingHours
from fusionx.core.model.trucks import Location
from fusionx.ports.unit_of_work import UnitOfWork


class HoursSource(enum.StrEnum):
    TRUCK = "truck"
    LOCATION = "location"
    NONE = "none"


class HoursInForce(msgspec.Struct, frozen=True, kw_only=True):
    source: HoursSource
    hours: OperatingHours


async def hours_in_force(uow: UnitOfWork, truck_id: UUID, location: Location) -> HoursInForce:
    """The truck's own hours when it has any, else the location's, else none (no
    restriction). Either is read in the location's time zone: a truck's own hours are
    local hours wherever it stands."""
    own = await uow.hours.for_truck(truck_id)
    if own.is_set:
        return HoursInForce(source=HoursSource.TRUCK, hours=own)
    at_location = await uow.hours.for_location(location.id)
    if at_location.is_set:
        return HoursInForce(source=HoursSource.LOCATION, hours=at_location)
    return HoursInForce(source=HoursSource.NONE, hours=at_location)
