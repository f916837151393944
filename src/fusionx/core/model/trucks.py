"""Trucks and the service locations they trade at."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID
from zoneinfo import ZoneInfo

import msgspec

from fusionx.core.errors import Conflict
from fusionx.core.messages import Message


class Truck(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    name: str
    created_at: datetime
    active: bool = True

    def renamed(self, name: str) -> Truck:
        return msgspec.structs.replace(self, name=name)

    def deactivated(self) -> Truck:
        """Retired: it takes no shift and no order; its history stays readable."""
        if not self.active:
            raise Conflict(Message("fleet.truck.already_inactive"), truck_id=str(self.id))
        return msgspec.structs.replace(self, active=False)

    def reactivated(self) -> Truck:
        if self.active:
            raise Conflict(Message("fleet.truck.already_active"), truck_id=str(self.id))
        return msgspec.structs.replace(self, active=True)


class Location(msgspec.Struct, frozen=True, kw_only=True):
    """A place a truck checks in at. ``timezone`` is an IANA name such as Europe/Paris."""

    id: UUID
    name: str
    timezone: str
    created_at: datetime
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    active: bool = True
    # Sales tax on orders taken here, in basis points (825 = 8.25 %), and whether menu
    # prices already include it (VAT) or it comes on top (US sales tax).
    tax_rate_bp: int = 0
    tax_inclusive: bool = False

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def deactivated(self) -> Location:
        """No truck checks in here any more; its shifts' history stays."""
        if not self.active:
            raise Conflict(Message("fleet.location.already_inactive"), location_id=str(self.id))
        return msgspec.structs.replace(self, active=False)

    def reactivated(self) -> Location:
        if self.active:
            raise Conflict(Message("fleet.location.already_active"), location_id=str(self.id))
        return msgspec.structs.replace(self, active=True)
