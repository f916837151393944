"""Trucks and the service locations they trade at."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec


class Truck(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    name: str
    created_at: datetime
    active: bool = True


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
