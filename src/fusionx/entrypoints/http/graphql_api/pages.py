"""Pages of the lists, as REST gives them: by offset (``total``, ``limit``, ``offset``) or
by cursor (``nextCursor``: pass it as ``after`` for the next page; null on the last)."""

from __future__ import annotations

from typing import Any

import strawberry

from fusionx.core.model.devices import TrackedDevice
from fusionx.core.model.fleet_events import FleetEvent
from fusionx.core.model.history import KeysetPage, OrderRecord, ShiftRecord
from fusionx.core.model.paging import Page
from fusionx.core.model.staff import StaffMember
from fusionx.core.model.trucks import Truck
from fusionx.core.model.webhooks import WebhookEndpoint
from fusionx.core.use_cases.queries.list_locations import NearbyLocation
from fusionx.entrypoints.http.graphql_api.types import (
    AuditRecordType,
    DeviceType,
    LocationType,
    OrderRecordType,
    ShiftRecordType,
    StaffType,
    TruckType,
    WebhookEndpointType,
)


@strawberry.type
class TruckPage:
    items: list[TruckType]
    total: int
    limit: int
    offset: int

    @classmethod
    def of(cls, page: Page[Truck]) -> TruckPage:
        items = [TruckType.of(truck) for truck in page.items]
        return cls(items=items, total=page.total, limit=page.limit, offset=page.offset)


@strawberry.type
class LocationPage:
    items: list[LocationType]
    total: int
    limit: int
    offset: int

    @classmethod
    def of(cls, page: Page[NearbyLocation]) -> LocationPage:
        items = [LocationType.of_nearby(nearby) for nearby in page.items]
        return cls(items=items, total=page.total, limit=page.limit, offset=page.offset)


@strawberry.type
class StaffPage:
    items: list[StaffType]
    total: int
    limit: int
    offset: int

    @classmethod
    def of(cls, page: Page[StaffMember]) -> StaffPage:
        items = [StaffType.of(member) for member in page.items]
        return cls(items=items, total=page.total, limit=page.limit, offset=page.offset)


@strawberry.type
class DevicePage:
    items: list[DeviceType]
    total: int
    limit: int
    offset: int

    @classmethod
    def of(cls, page: Page[TrackedDevice]) -> DevicePage:
        items = [DeviceType.of(device) for device in page.items]
        return cls(items=items, total=page.total, limit=page.limit, offset=page.offset)


@strawberry.type
class AuditPage:
    items: list[AuditRecordType]
    total: int
    limit: int
    offset: int

    @classmethod
    def of(cls, page: Page[FleetEvent]) -> AuditPage:
        items = [AuditRecordType.of(event) for event in page.items]
        return cls(items=items, total=page.total, limit=page.limit, offset=page.offset)


@strawberry.type
class WebhookEndpointPage:
    items: list[WebhookEndpointType]
    total: int
    limit: int
    offset: int

    @classmethod
    def of(cls, page: Page[WebhookEndpoint]) -> WebhookEndpointPage:
        items = [WebhookEndpointType.of(endpoint) for endpoint in page.items]
        return cls(items=items, total=page.total, limit=page.limit, offset=page.offset)


def _next(page: KeysetPage[Any]) -> str | None:
    return None if page.next is None else page.next.encode()


@strawberry.type
class ShiftHistoryPage:
    items: list[ShiftRecordType]
    limit: int
    next_cursor: str | None

    @classmethod
    def of(cls, page: KeysetPage[ShiftRecord]) -> ShiftHistoryPage:
        items = [ShiftRecordType.of(record) for record in page.items]
        return cls(items=items, limit=page.limit, next_cursor=_next(page))


@strawberry.type
class OrderHistoryPage:
    items: list[OrderRecordType]
    limit: int
    next_cursor: str | None

    @classmethod
    def of(cls, page: KeysetPage[OrderRecord]) -> OrderHistoryPage:
        items = [OrderRecordType.of(record) for record in page.items]
        return cls(items=items, limit=page.limit, next_cursor=_next(page))
