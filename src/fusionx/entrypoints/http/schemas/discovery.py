"""What the staff app discovers on start: its trucks, and where they can check in."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec

from fusionx.core.model.shifts import ShiftState
from fusionx.core.model.trucks import Location
from fusionx.core.rules.order_prices import MAX_TAX_RATE_BP
from fusionx.core.use_cases.commands.change_location import ChangeLocationRequest
from fusionx.core.use_cases.commands.create_location import CreateLocationRequest
from fusionx.core.use_cases.queries.list_locations import NearbyLocation
from fusionx.core.use_cases.queries.list_my_trucks import TruckOnDuty
from fusionx.entrypoints.http.paging import PageView
from fusionx.entrypoints.http.schemas.requests import RequestBody
from fusionx.entrypoints.http.schemas.scalars import UtcDateTime, checked_by_core, text

UNSET = msgspec.UNSET
Unset = msgspec.UnsetType
LocationName = Annotated[str, text(200)]
TimeZone = Annotated[
    str, text(64, description="An IANA time zone, e.g. Europe/Paris", examples=["Europe/Paris"])
]
Address = Annotated[str, text(500)]
# Both or neither; the core names each coordinate in error.
Latitude = Annotated[float, checked_by_core(minimum=-90, maximum=90)]
Longitude = Annotated[float, checked_by_core(minimum=-180, maximum=180)]
TaxRate = Annotated[
    int,
    msgspec.Meta(ge=0, le=MAX_TAX_RATE_BP, description="Basis points of sales tax: 825 is 8.25 %"),
]


class OpenShiftView(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    state: ShiftState
    location_id: UUID
    location_name: str | None
    since: UtcDateTime


class MyTruckView(msgspec.Struct, frozen=True, kw_only=True):
    """An active truck the caller can act on; ``open_shift`` null when not checked in."""

    id: UUID
    name: str
    open_shift: OpenShiftView | None

    @classmethod
    def of(cls, on_duty: TruckOnDuty) -> MyTruckView:
        shift = on_duty.shift
        return cls(
            id=on_duty.truck.id,
            name=on_duty.truck.name,
            open_shift=None
            if shift is None
            else OpenShiftView(
                id=shift.id,
                state=shift.state,
                location_id=shift.location_id,
                location_name=on_duty.location.name if on_duty.location else None,
                since=shift.opened_at,
            ),
        )


class MyTruckPage(PageView, frozen=True, kw_only=True):
    items: list[MyTruckView]
    view = MyTruckView.of


class LocationView(msgspec.Struct, frozen=True, kw_only=True):
    """``distance_m`` from the position sent, when both are known."""

    id: UUID
    name: str
    timezone: str
    address: str | None
    latitude: float | None
    longitude: float | None
    active: bool
    distance_m: int | None
    # Sales tax on orders here, in basis points (825 = 8.25 %); ``tax_inclusive``: the
    # menu prices include it, else it is added on top.
    tax_rate_bp: int
    tax_inclusive: bool

    @classmethod
    def of_location(cls, location: Location) -> LocationView:
        return cls.of(NearbyLocation(location=location))

    @classmethod
    def of(cls, nearby: NearbyLocation) -> LocationView:
        location = nearby.location
        return cls(
            id=location.id,
            name=location.name,
            timezone=location.timezone,
            address=location.address,
            latitude=location.latitude,
            longitude=location.longitude,
            active=location.active,
            distance_m=nearby.distance_m,
            tax_rate_bp=location.tax_rate_bp,
            tax_inclusive=location.tax_inclusive,
        )


class LocationPage(PageView, frozen=True, kw_only=True):
    items: list[LocationView]
    view = LocationView.of


class NewLocationBody(RequestBody, frozen=True, kw_only=True):
    """A service location; ``latitude`` and ``longitude`` together or not at all."""

    name: LocationName
    timezone: TimeZone
    address: Address | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None

    def to_request(self) -> CreateLocationRequest:
        return CreateLocationRequest(
            name=self.name,
            timezone=self.timezone,
            address=self.address,
            latitude=self.latitude,
            longitude=self.longitude,
        )


class LocationChangeBody(RequestBody, frozen=True, kw_only=True):
    """What is left out stays as it is; null clears the address or the coordinates
    (both together)."""

    name: LocationName | Unset = UNSET
    timezone: TimeZone | Unset = UNSET
    address: Address | Unset | None = UNSET
    latitude: Latitude | Unset | None = UNSET
    longitude: Longitude | Unset | None = UNSET
    tax_rate_bp: TaxRate | Unset = UNSET
    tax_inclusive: bool | Unset = UNSET

    def to_request(self) -> ChangeLocationRequest:
        return ChangeLocationRequest(
            name=self.name,
            timezone=self.timezone,
            address=self.address,
            latitude=self.latitude,
            longitude=self.longitude,
            tax_rate_bp=self.tax_rate_bp,
            tax_inclusive=self.tax_inclusive,
        )
