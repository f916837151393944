"""The root ``Query``: one field per REST read, each calling that route's use case with the
caller's principal, so each caller gets here exactly what the REST route gives them.

Lists take the REST route's paging: ``limit`` and ``offset`` where REST pages by offset,
``limit`` and ``after`` (the page before's ``nextCursor``) where it pages by cursor.
``limit`` is also what a list costs (``limits``).
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

import strawberry

from fusionx.core.errors import InvalidInput
from fusionx.core.messages import Message
from fusionx.core.model.audit import AuditQuery
from fusionx.core.model.cancellations import CancelReason
from fusionx.core.model.history import MAX_SEARCH_LENGTH, Cursor, DayRange
from fusionx.core.model.orders import OrderChannel
from fusionx.core.model.paging import PageRequest
from fusionx.core.model.refunds import PaymentState
from fusionx.core.model.shifts import ShiftState
from fusionx.core.model.staff import Role
from fusionx.core.model.tickets import TicketState
from fusionx.core.rules.validation import require_text
from fusionx.core.use_cases.queries.list_audit_records import AuditRequest
from fusionx.core.use_cases.queries.list_locations import ListLocationsRequest
from fusionx.core.use_cases.queries.list_order_history import OrderHistoryRequest
from fusionx.core.use_cases.queries.list_shift_history import ShiftHistoryRequest
from fusionx.core.use_cases.queries.list_staff import StaffSearch
from fusionx.core.use_cases.queries.list_trucks import ListTrucksRequest
from fusionx.entrypoints import use_cases
from fusionx.entrypoints.http.graphql_api.context import ReadInfo
from fusionx.entrypoints.http.graphql_api.pages import (
    AuditPage,
    DevicePage,
    LocationPage,
    OrderHistoryPage,
    ShiftHistoryPage,
    StaffPage,
    TruckPage,
    WebhookEndpointPage,
)
from fusionx.entrypoints.http.graphql_api.types import OrderType, TruckType

DEFAULT_LIMIT = 50
_SEARCH_LENGTH = 100


def _page(limit: int, offset: int) -> PageRequest:
    return PageRequest(limit=limit, offset=offset)


def _cursor(after: str | None) -> Cursor | None:
    return None if after is None else Cursor.decode(after)


def _search(field: str, text: str | None, max_length: int = _SEARCH_LENGTH) -> str | None:
    """A search as REST bounds it; a GraphQL string may spell NUL (``\\u0000``), which
    REST refuses in a query parameter and the database cannot store."""
    if text and "\x00" in text:
        raise InvalidInput(field, Message("input.nul"))
    return require_text(field, text, max_length=max_length) if text and text.strip() else None


@strawberry.type(description="The fleet's read side; every field is a REST read's.")
class Query:
    @strawberry.field(description="The trucks by name (GET /api/v1/trucks)")
    async def trucks(
        self,
        *,
        info: ReadInfo,
        search: str | None = None,
        active: bool | None = None,
        limit: int = DEFAULT_LIMIT,
        offset: int = 0,
    ) -> TruckPage | None:
        request = ListTrucksRequest(
            search=_search("search", search), active=active, page=_page(limit, offset)
        )
        page = await info.context.query(use_cases.list_trucks).execute(
            info.context.principal, request
        )
        return TruckPage.of(page)

    @strawberry.field(description="One truck (GET /api/v1/trucks/{id})")
    async def truck(self, info: ReadInfo, id: UUID) -> TruckType | None:  # noqa: A002
        found = await info.context.query(use_cases.view_truck).execute(info.context.principal, id)
        return TruckType.of(found)

    @strawberry.field(description="Locations by name (GET /api/v1/locations)")
    async def locations(
        self,
        *,
        info: ReadInfo,
        active_only: bool = False,
        limit: int = DEFAULT_LIMIT,
        offset: int = 0,
    ) -> LocationPage | None:
        request = ListLocationsRequest(active_only=active_only, page=_page(limit, offset))
        page = await info.context.query(use_cases.list_locations).execute(
            info.context.principal, request
        )
        return LocationPage.of(page)

    @strawberry.field(description="Staff, by name (GET /api/v1/staff)")
    async def staff(
        self,
        *,
        info: ReadInfo,
        search: str | None = None,
        role: Role | None = None,
        active: bool | None = None,
        truck_id: UUID | None = None,
        limit: int = DEFAULT_LIMIT,
        offset: int = 0,
    ) -> StaffPage | None:
        criteria = StaffSearch(
            text=_search("search", search), role=role, active=active, truck_id=truck_id
        )
        page = await info.context.query(use_cases.list_staff).execute(
            info.context.principal, criteria, _page(limit, offset)
        )
        return StaffPage.of(page)

    @strawberry.field(description="A truck's devices (GET /api/v1/trucks/{id}/devices)")
    async def truck_devices(
        self,
        *,
        info: ReadInfo,
        truck_id: UUID,
        limit: int = DEFAULT_LIMIT,
        offset: int = 0,
    ) -> DevicePage | None:
        page = await info.context.query(use_cases.list_truck_devices).tracked(
            info.context.principal, truck_id, _page(limit, offset)
        )
        return DevicePage.of(page)

    @strawberry.field(
        description="Shifts across days and trucks, newest first (GET /api/v1/shifts)"
    )
    async def shifts(
        self,
        *,
        info: ReadInfo,
        truck_id: UUID | None = None,
        location_id: UUID | None = None,
        from_date: date | None = None,
        to_date: date | None = None,
        state: ShiftState | None = None,
        after: str | None = None,
        limit: int = DEFAULT_LIMIT,
    ) -> ShiftHistoryPage | None:
        request = ShiftHistoryRequest(
            truck_id=truck_id,
            location_id=location_id,
            days=DayRange(first=from_date, last=to_date),
            state=state,
            after=_cursor(after),
            limit=limit,
        )
        page = await info.context.query(use_cases.list_shift_history).execute(
            info.context.principal, request
        )
        return ShiftHistoryPage.of(page)

    @strawberry.field(
        description="Orders across days and trucks, newest first (GET /api/v1/orders)"
    )
    async def orders(
        self,
        *,
        info: ReadInfo,
        truck_id: UUID | None = None,
        location_id: UUID | None = None,
        from_date: date | None = None,
        to_date: date | None = None,
        ticket_state: TicketState | None = None,
        channel: OrderChannel | None = None,
        payment: PaymentState | None = None,
        reason: CancelReason | None = None,
        q: str | None = None,
        after: str | None = None,
        limit: int = DEFAULT_LIMIT,
    ) -> OrderHistoryPage | None:
        request = OrderHistoryRequest(
            truck_id=truck_id,
            location_id=location_id,
            days=DayRange(first=from_date, last=to_date),
            state=ticket_state,
            channel=channel,
            payment=payment,
            reason=reason,
            q=_search("q", q, MAX_SEARCH_LENGTH),
            after=_cursor(after),
            limit=limit,
        )
        page = await info.context.query(use_cases.list_order_history).execute(
            info.context.principal, request
        )
        return OrderHistoryPage.of(page)

    @strawberry.field(description="One order in detail (GET /api/v1/orders/{id})")
    async def order(self, info: ReadInfo, id: UUID) -> OrderType | None:  # noqa: A002
        details = await info.context.query(use_cases.view_order).execute(info.context.principal, id)
        return OrderType.of(details)

    @strawberry.field(description="The audit trail, newest first (GET /api/v1/audit)")
    async def audit(
        self,
        *,
        info: ReadInfo,
        truck_id: UUID | None = None,
        actor_id: UUID | None = None,
        subject_type: str | None = None,
        subject_id: str | None = None,
        action: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = DEFAULT_LIMIT,
        offset: int = 0,
    ) -> AuditPage | None:
        query = AuditQuery(
            actor_id=actor_id,
            subject_type=_search("subjectType", subject_type, 40),
            subject_id=_search("subjectId", subject_id, 64),
            action=_search("action", action),
            since=since,
            until=until,
        )
        request = AuditRequest(query=query, truck_id=truck_id, page=_page(limit, offset))
        page = await info.context.query(use_cases.list_audit_records).execute(
            info.context.principal, request
        )
        return AuditPage.of(page)

    @strawberry.field(description="Partners' webhook endpoints (GET /api/v1/webhooks/endpoints)")
    async def webhook_endpoints(
        self, *, info: ReadInfo, limit: int = DEFAULT_LIMIT, offset: int = 0
    ) -> WebhookEndpointPage | None:
        page = await info.context.query(use_cases.list_webhook_endpoints).execute(
            info.context.principal, _page(limit, offset)
        )
        return WebhookEndpointPage.of(page)
