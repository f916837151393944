"""The GraphQL object types: the fields of the REST views of the same names, money in
integer cents and times aware in UTC. Each is built from the core's type by ``of``."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import msgspec
import strawberry
from strawberry.scalars import JSON

from fusionx.core.model.actors import Actor
from fusionx.core.model.cancellations import CancelReason
from fusionx.core.model.credentials import PrincipalKind
from fusionx.core.model.devices import DeviceHealth, Platform, TrackedDevice
from fusionx.core.model.fleet_events import FleetEvent, StreamKind, subject_of
from fusionx.core.model.history import OrderRecord, ShiftRecord
from fusionx.core.model.orders import OrderChannel, OrderLine, OrderState
from fusionx.core.model.refunds import PaymentState
from fusionx.core.model.shifts import ShiftState
from fusionx.core.model.staff import Role, StaffMember
from fusionx.core.model.tickets import TicketState
from fusionx.core.model.trucks import Location, Truck
from fusionx.core.model.webhooks import WebhookEndpoint
from fusionx.core.use_cases.queries.list_locations import NearbyLocation
from fusionx.core.use_cases.queries.view_order import OrderDetails
from fusionx.entrypoints.http.graphql_api.context import ReadInfo
from fusionx.entrypoints.http.graphql_api.scalars import utc

# The core's enums, as GraphQL enums (their values are the REST values).
strawberry.enum(CancelReason)
strawberry.enum(DeviceHealth)
strawberry.enum(OrderChannel)
strawberry.enum(OrderState)
strawberry.enum(PaymentState)
strawberry.enum(Platform)
strawberry.enum(PrincipalKind)
strawberry.enum(Role)
strawberry.enum(ShiftState)
strawberry.enum(TicketState)


@strawberry.type(name="Truck", description="A truck; `active` false: deactivated.")
class TruckType:
    id: UUID
    name: str
    active: bool
    created_at: datetime

    @classmethod
    def of(cls, truck: Truck) -> TruckType:
        return cls(
            id=truck.id, name=truck.name, active=truck.active, created_at=utc(truck.created_at)
        )


@strawberry.type(name="Location", description="A place trucks check in at.")
class LocationType:
    id: UUID
    name: str
    timezone: str
    address: str | None
    latitude: float | None
    longitude: float | None
    active: bool
    tax_rate_bp: int = strawberry.field(description="Sales tax in basis points (825 = 8.25 %)")
    tax_inclusive: bool

    @classmethod
    def of(cls, location: Location) -> LocationType:
        return cls(
            id=location.id,
            name=location.name,
            timezone=location.timezone,
            address=location.address,
            latitude=location.latitude,
            longitude=location.longitude,
            active=location.active,
            tax_rate_bp=location.tax_rate_bp,
            tax_inclusive=location.tax_inclusive,
        )

    @classmethod
    def of_nearby(cls, nearby: NearbyLocation) -> LocationType:
        return cls.of(nearby.location)


@strawberry.type(name="StaffMember")
class StaffType:
    id: UUID
    email: str
    name: str
    phone: str | None
    role: Role
    truck_ids: list[UUID]
    active: bool

    @classmethod
    def of(cls, staff: StaffMember) -> StaffType:
        return cls(
            id=staff.id,
            email=staff.email,
            name=staff.name,
            phone=staff.phone,
            role=staff.role,
            truck_ids=sorted(staff.truck_ids),
            active=staff.active,
        )


@strawberry.type(name="Device", description="A kitchen device; `status` from its heartbeats.")
class DeviceType:
    id: UUID
    truck_id: UUID
    label: str
    platform: Platform
    app_version: str
    os_version: str
    created_at: datetime
    last_seen_at: datetime | None
    revoked_at: datetime | None
    status: DeviceHealth
    battery_percent: int | None
    queue_depth: int | None

    @classmethod
    def of(cls, tracked: TrackedDevice) -> DeviceType:
        device = tracked.device
        return cls(
            id=device.id,
            truck_id=device.truck_id,
            label=device.label,
            platform=device.platform,
            app_version=device.app_version,
            os_version=device.os_version,
            created_at=utc(device.created_at),
            last_seen_at=utc(device.last_seen_at),
            revoked_at=utc(device.revoked_at),
            status=tracked.health,
            battery_percent=device.battery_percent,
            queue_depth=device.queue_depth,
        )


@strawberry.type(name="ShiftRecord", description="A shift with its orders and gross sales.")
class ShiftRecordType:
    id: UUID
    truck_id: UUID
    location_id: UUID
    state: ShiftState
    opened_at: datetime
    closed_at: datetime | None
    orders: int
    gross_cents: int

    @strawberry.field(description="The shift's truck (read in one batch per request)")
    async def truck(self, info: ReadInfo) -> TruckType | None:
        truck = await info.context.loaders.truck(self.truck_id)
        return None if truck is None else TruckType.of(truck)

    @strawberry.field(description="Where it was (read in one batch per request)")
    async def location(self, info: ReadInfo) -> LocationType | None:
        location = await info.context.loaders.location(self.location_id)
        return None if location is None else LocationType.of(location)

    @classmethod
    def of(cls, record: ShiftRecord) -> ShiftRecordType:
        return cls(
            id=record.id,
            truck_id=record.truck_id,
            location_id=record.location_id,
            state=record.state,
            opened_at=utc(record.opened_at),
            closed_at=utc(record.closed_at),
            orders=record.orders,
            gross_cents=record.gross_cents,
        )


@strawberry.type(name="OrderRecord", description="An order in the history lists.")
class OrderRecordType:
    id: UUID
    number: int
    shift_id: UUID
    truck_id: UUID
    location_id: UUID
    channel: OrderChannel
    state: OrderState
    ticket_state: TicketState | None
    payment: PaymentState
    total_cents: int
    paid_cents: int
    refunded_cents: int
    created_at: datetime
    customer_name: str | None
    customer_phone: str | None
    cancel_reason: CancelReason | None

    @strawberry.field(description="The order's truck (read in one batch per request)")
    async def truck(self, info: ReadInfo) -> TruckType | None:
        truck = await info.context.loaders.truck(self.truck_id)
        return None if truck is None else TruckType.of(truck)

    @classmethod
    def of(cls, record: OrderRecord) -> OrderRecordType:
        return cls(
            id=record.id,
            number=record.number,
            shift_id=record.shift_id,
            truck_id=record.truck_id,
            location_id=record.location_id,
            channel=record.channel,
            state=record.state,
            ticket_state=record.ticket_state,
            payment=record.payment,
            total_cents=record.total_cents,
            paid_cents=record.paid_cents,
            refunded_cents=record.refunded_cents,
            created_at=utc(record.created_at),
            customer_name=record.customer_name,
            customer_phone=record.customer_phone,
            cancel_reason=record.cancel_reason,
        )


@strawberry.type(name="OrderLine", description="`unitPriceCents` includes the modifiers.")
class OrderLineType:
    item_id: UUID
    name: str
    unit_price_cents: int
    quantity: int
    total_cents: int
    notes: str | None

    @classmethod
    def of(cls, line: OrderLine) -> OrderLineType:
        return cls(
            item_id=line.item_id,
            name=line.name,
            unit_price_cents=line.unit_price_cents,
            quantity=line.quantity,
            total_cents=line.total_cents,
            notes=line.notes,
        )


@strawberry.type(
    name="Order",
    description="One order; the customer's phone and email are shown to the truck's staff only.",
)
class OrderType:
    id: UUID
    number: int
    shift_id: UUID
    channel: OrderChannel
    state: OrderState
    lines: list[OrderLineType]
    total_cents: int
    subtotal_cents: int
    discount_cents: int
    tax_cents: int
    payment: PaymentState
    paid_cents: int
    refunded_cents: int
    ticket_state: TicketState | None
    customer_name: str | None
    customer_phone: str | None
    customer_email: str | None
    created_at: datetime
    pickup_at: datetime | None
    promised_ready_at: datetime | None
    cancel_reason: CancelReason | None

    @classmethod
    def of(cls, details: OrderDetails) -> OrderType:
        order = details.order
        cancellation = details.cancellation
        return cls(
            id=order.id,
            number=order.number,
            shift_id=order.shift_id,
            channel=order.channel,
            state=order.state,
            lines=[OrderLineType.of(line) for line in order.lines],
            total_cents=order.total_cents,
            subtotal_cents=order.subtotal_cents,
            discount_cents=order.discount_cents,
            tax_cents=order.tax_cents,
            payment=details.payment_state,
            paid_cents=details.paid_cents,
            refunded_cents=details.refunded_cents,
            ticket_state=None if details.ticket is None else details.ticket.state,
            customer_name=order.customer_name,
            customer_phone=order.customer_phone,
            customer_email=order.customer_email,
            created_at=utc(order.created_at),
            pickup_at=utc(order.pickup_at),
            promised_ready_at=utc(order.promised_ready_at),
            cancel_reason=None if cancellation is None else cancellation.reason,
        )


@strawberry.type(name="Actor", description="A staff member or a kitchen device.")
class ActorType:
    kind: PrincipalKind
    id: UUID

    @classmethod
    def of(cls, actor: Actor) -> ActorType:
        return cls(kind=actor.kind, id=actor.id)


@strawberry.type(
    name="AuditRecord",
    description="Who changed what, from where, and the change (`data`: before and after).",
)
class AuditRecordType:
    stream: str
    seq: int
    action: str
    at: datetime
    actor: ActorType | None
    address: str | None
    request_id: str | None
    truck_id: UUID | None
    subject_type: str
    subject_id: str | None
    data: JSON

    @classmethod
    def of(cls, event: FleetEvent) -> AuditRecordType:
        subject = subject_of(event.data)
        data = msgspec.to_builtins(event.data)
        data.pop("type", None)
        return cls(
            stream=event.stream.key,
            seq=event.seq,
            action=str(event.type),
            at=utc(event.at),
            actor=None if event.actor is None else ActorType.of(event.actor),
            address=event.origin.address,
            request_id=event.origin.request_id,
            truck_id=event.stream.truck_id if event.stream.kind is StreamKind.TRUCK else None,
            subject_type=subject.type,
            subject_id=subject.id,
            data=data,
        )


@strawberry.type(name="WebhookEndpoint", description="A partner's endpoint, never its secret.")
class WebhookEndpointType:
    id: UUID
    url: str
    event_types: list[str]
    description: str | None
    active: bool
    created_at: datetime
    created_by: ActorType
    updated_at: datetime

    @classmethod
    def of(cls, endpoint: WebhookEndpoint) -> WebhookEndpointType:
        return cls(
            id=endpoint.id,
            url=endpoint.url,
            event_types=list(endpoint.event_types),
            description=endpoint.description,
            active=endpoint.active,
            created_at=utc(endpoint.created_at),
            created_by=ActorType.of(endpoint.created_by),
            updated_at=utc(endpoint.updated_at),
        )
