"""Trucks on the wire, for fleet administration."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec

from fusionx.core.model.trucks import Truck
from fusionx.core.use_cases.commands.change_truck import ChangeTruckRequest
from fusionx.core.use_cases.commands.create_truck import CreateTruckRequest
from fusionx.entrypoints.http.paging import PageView
from fusionx.entrypoints.http.schemas.requests import RequestBody
from fusionx.entrypoints.http.schemas.scalars import UtcDateTime, text

TruckName = Annotated[str, text(100)]


class NewTruckBody(RequestBody, frozen=True, kw_only=True):
    name: TruckName

    def to_request(self) -> CreateTruckRequest:
        return CreateTruckRequest(name=self.name)


class TruckChangeBody(RequestBody, frozen=True, kw_only=True):
    """What is left out stays as it is."""

    name: TruckName | msgspec.UnsetType = msgspec.UNSET

    def to_request(self) -> ChangeTruckRequest:
        return ChangeTruckRequest(name=self.name)


class TruckView(msgspec.Struct, frozen=True, kw_only=True):
    """A truck; ``active`` false: deactivated (no shift, no order; its history stays)."""

    id: UUID
    name: str
    active: bool
    created_at: UtcDateTime

    @classmethod
    def of(cls, truck: Truck) -> TruckView:
        return cls(id=truck.id, name=truck.name, active=truck.active, created_at=truck.created_at)


class TruckPage(PageView, frozen=True, kw_only=True):
    items: list[TruckView]
    view = TruckView.of
