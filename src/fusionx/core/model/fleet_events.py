"""The fleet's event streams: privileged changes that belong to no shift.

A change to a truck (its menu, prices, devices, capacity) is logged on that truck's
stream; a change to the whole fleet (a location, a staff account, the fleet catalogue)
on the fleet's. Like a shift's log, each stream is numbered 1, 2, 3… with no gaps,
written in the same unit of work as the change, and read back by seq or by time: the
audit trail is a read of these streams (with the shifts' own logs for what happens
on a shift). Each event type is a frozen Struct tagged with its type, carrying exactly
its data; a change carries the values before and after it.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Self, assert_never, get_args
from uuid import UUID

import msgspec

from fusionx.core.model.actors import Actor
from fusionx.core.model.audit import Origin, Subject
from fusionx.core.model.cancellations import Cancellation
from fusionx.core.model.capacity import CapacityLimits
from fusionx.core.model.devices import Device
from fusionx.core.model.hours import OperatingHours
from fusionx.core.model.loyalty import LoyaltyEntry
from fusionx.core.model.menu import MenuCategory, MenuItem, ModifierGroup, TruckMenuEntry
from fusionx.core.model.refunds import Refund
from fusionx.core.model.shifts import ShiftState
from fusionx.core.model.staff import Role, StaffMember
from fusionx.core.model.stock import StockMovement
from fusionx.core.model.trucks import Location, Truck
from fusionx.core.model.webhooks import DeliveryState, WebhookEndpoint


class StreamKind(enum.StrEnum):
    FLEET = "fleet"
    TRUCK = "truck"


class Stream(msgspec.Struct, frozen=True, kw_only=True):
    """Which stream: the fleet's, or one truck's. ``key`` names it in storage."""

    kind: StreamKind
    truck_id: UUID | None = None

    @classmethod
    def fleet(cls) -> Self:
        return cls(kind=StreamKind.FLEET)

    @classmethod
    def truck(cls, truck_id: UUID) -> Self:
        return cls(kind=StreamKind.TRUCK, truck_id=truck_id)

    @classmethod
    def of(cls, truck_id: UUID | None) -> Self:
        """The stream of something that is one truck's, or the fleet's when ``None``."""
        return cls.fleet() if truck_id is None else cls.truck(truck_id)

    @classmethod
    def parse(cls, key: str) -> Self:
        if key == StreamKind.FLEET.value:
            return cls.fleet()
        kind, _, truck_id = key.partition(":")
        if kind != StreamKind.TRUCK.value:
            raise ValueError(f"not a stream: {key!r}")
        return cls.truck(UUID(truck_id))

    @property
    def key(self) -> str:
        """``fleet`` or ``truck:<id>``."""
        return self.kind.value if self.truck_id is None else f"{self.kind.value}:{self.truck_id}"


class FleetEventType(enum.StrEnum):
    TRUCK_CREATED = "truck.created"
    LOCATION_CREATED = "location.created"
    STAFF_CREATED = "staff.created"
    STAFF_ROLE_CHANGED = "staff.role_changed"
    STAFF_TRUCK_ASSIGNED = "staff.truck_assigned"
    STAFF_TRUCK_UNASSIGNED = "staff.truck_unassigned"
    STAFF_DEACTIVATED = "staff.deactivated"
    STAFF_REACTIVATED = "staff.reactivated"
    SESSION_REVOKED = "staff.session_revoked"
    MENU_CATEGORY_ADDED = "menu.category_added"
    MENU_CATEGORY_CHANGED = "menu.category_changed"
    MENU_ITEM_ADDED = "menu.item_added"
    MENU_ITEM_CHANGED = "menu.item_changed"
    MODIFIER_GROUP_ADDED = "menu.modifier_group_added"
    MODIFIER_GROUP_CHANGED = "menu.modifier_group_changed"
    MENU_REORDERED = "menu.reordered"
    TRUCK_MENU_SET = "truck.menu_set"
    DEVICE_REGISTERED = "device.registered"
    DEVICE_REVOKED = "device.revoked"
    TRUCK_CAPACITY_SET = "truck.capacity_set"
    TRUCK_CHANGED = "truck.changed"
    TRUCK_DEACTIVATED = "truck.deactivated"
    TRUCK_REACTIVATED = "truck.reactivated"
    TRUCK_HOURS_SET = "truck.hours_set"
    TRUCK_CHECKED_IN_OUT_OF_HOURS = "truck.checked_in_out_of_hours"
    LOCATION_CHANGED = "location.changed"
    LOCATION_DEACTIVATED = "location.deactivated"
    LOCATION_REACTIVATED = "location.reactivated"
    LOCATION_HOURS_SET = "location.hours_set"
    SHIFT_CAPACITY_SET = "shift.capacity_set"
    SHIFT_FORCE_CLOSED = "shift.force_closed"
    STOCK_ADJUSTED = "stock.adjusted"
    STOCK_THRESHOLD_SET = "stock.threshold_set"
    ORDER_CANCELLED = "order.cancelled"
    ORDER_REFUNDED = "order.refunded"
    STAFF_INVITED = "staff.invited"
    STAFF_INVITATION_ACCEPTED = "staff.invitation_accepted"
    STAFF_PASSWORD_RESET = "staff.password_reset"  # noqa: S105 - an event type
    STAFF_EMAIL_CHANGED = "staff.email_changed"
    ORDER_REFUND_SETTLED = "order.refund_settled"
    WEBHOOK_ENDPOINT_CREATED = "webhook.endpoint_created"
    WEBHOOK_ENDPOINT_CHANGED = "webhook.endpoint_changed"
    WEBHOOK_ENDPOINT_DELETED = "webhook.endpoint_deleted"
    WEBHOOK_SECRET_ROTATED = "webhook.secret_rotated"  # noqa: S105 - an event type
    WEBHOOK_DELIVERIES_REPLAYED = "webhook.deliveries_replayed"
    # The loyalty ledger, for an external loyalty programme to follow (the fleet's stream).
    LOYALTY_POINTS_EARNED = "loyalty.points_earned"
    LOYALTY_POINTS_SPENT = "loyalty.points_spent"
    LOYALTY_POINTS_REVERSED = "loyalty.points_reversed"
    REVIEW_HIDDEN = "review.hidden"


class _FleetEvent(msgspec.Struct, frozen=True, kw_only=True, tag_field="type"):
    @property
    def type(self) -> FleetEventType:
        return FleetEventType(str(self.__struct_config__.tag))


class TruckCreated(_FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.TRUCK_CREATED.value):
    truck: Truck


class LocationCreated(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.LOCATION_CREATED.value
):
    location: Location


class StaffCreated(_FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.STAFF_CREATED.value):
    """A staff account was created: who it is, never its password hash."""

    staff_id: UUID
    email: str
    name: str
    role: Role
    truck_ids: frozenset[UUID]

    @classmethod
    def of(cls, staff: StaffMember) -> Self:
        return cls(
            staff_id=staff.id,
            email=staff.email,
            name=staff.name,
            role=staff.role,
            truck_ids=staff.truck_ids,
        )


class StaffRoleChanged(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.STAFF_ROLE_CHANGED.value
):
    staff_id: UUID
    before: Role
    after: Role


class StaffTruckAssigned(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.STAFF_TRUCK_ASSIGNED.value
):
    """Logged on the truck's stream: before it, ``staff_id`` did not work on it."""

    staff_id: UUID
    truck_id: UUID


class StaffTruckUnassigned(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.STAFF_TRUCK_UNASSIGNED.value
):
    """Logged on the truck's stream: before it, ``staff_id`` worked on it."""

    staff_id: UUID
    truck_id: UUID


class StaffDeactivated(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.STAFF_DEACTIVATED.value
):
    """Active before, inactive after: every session of theirs was revoked with it."""

    staff_id: UUID


class StaffReactivated(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.STAFF_REACTIVATED.value
):
    """Inactive before, active after (with no session: they sign in again)."""

    staff_id: UUID


class SessionRevoked(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.SESSION_REVOKED.value
):
    """Someone else ended one of ``staff_id``'s sessions (live before, revoked after)."""

    staff_id: UUID
    session_id: UUID


class MenuCategoryAdded(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.MENU_CATEGORY_ADDED.value
):
    category: MenuCategory


class MenuCategoryChanged(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.MENU_CATEGORY_CHANGED.value
):
    before: MenuCategory
    after: MenuCategory


class MenuItemAdded(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.MENU_ITEM_ADDED.value
):
    item: MenuItem


class MenuItemChanged(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.MENU_ITEM_CHANGED.value
):
    """An item changed: its price, name, availability… ``before`` and ``after`` say."""

    before: MenuItem
    after: MenuItem


class ModifierGroupAdded(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.MODIFIER_GROUP_ADDED.value
):
    group: ModifierGroup


class ModifierGroupChanged(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.MODIFIER_GROUP_CHANGED.value
):
    before: ModifierGroup
    after: ModifierGroup


class MenuReordered(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.MENU_REORDERED.value
):
    """Categories (``category_id`` None) or one category's items were put in this order."""

    category_id: UUID | None
    before: tuple[UUID, ...]
    after: tuple[UUID, ...]


class TruckMenuSet(_FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.TRUCK_MENU_SET.value):
    """The fleet items a truck sells, at its prices and opening stock."""

    truck_id: UUID
    entries: tuple[TruckMenuEntry, ...]


class DeviceRegistered(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.DEVICE_REGISTERED.value
):
    device: Device


class DeviceRevoked(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.DEVICE_REVOKED.value
):
    device_id: UUID
    truck_id: UUID
    label: str


class TruckCapacitySet(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.TRUCK_CAPACITY_SET.value
):
    """A truck's default limits, ``None`` before the first setting."""

    truck_id: UUID
    before: CapacityLimits | None
    after: CapacityLimits


class TruckChanged(_FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.TRUCK_CHANGED.value):
    """A truck was edited (its name)."""

    before: Truck
    after: Truck


class TruckDeactivated(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.TRUCK_DEACTIVATED.value
):
    before: Truck
    after: Truck


class TruckReactivated(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.TRUCK_REACTIVATED.value
):
    before: Truck
    after: Truck


class TruckHoursSet(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.TRUCK_HOURS_SET.value
):
    """A truck's own operating hours; empty ones: it follows its location's again."""

    truck_id: UUID
    before: OperatingHours
    after: OperatingHours


class TruckCheckedInOutOfHours(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.TRUCK_CHECKED_IN_OUT_OF_HOURS.value
):
    """A manager (the event's actor) opened a shift outside the truck's hours, and why."""

    truck_id: UUID
    shift_id: UUID
    location_id: UUID
    reason: str


class LocationChanged(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.LOCATION_CHANGED.value
):
    before: Location
    after: Location


class LocationDeactivated(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.LOCATION_DEACTIVATED.value
):
    before: Location
    after: Location


class LocationReactivated(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.LOCATION_REACTIVATED.value
):
    before: Location
    after: Location


class LocationHoursSet(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.LOCATION_HOURS_SET.value
):
    location_id: UUID
    before: OperatingHours
    after: OperatingHours


class ShiftCapacitySet(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.SHIFT_CAPACITY_SET.value
):
    """A shift's own limits, ``None`` before it had its own."""

    shift_id: UUID
    truck_id: UUID
    before: CapacityLimits | None
    after: CapacityLimits


class ShiftForceClosed(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.SHIFT_FORCE_CLOSED.value
):
    """A manager checked a truck out with tickets still open: those were cancelled."""

    shift_id: UUID
    truck_id: UUID
    before: ShiftState
    after: ShiftState
    reason: str
    cancelled_ticket_ids: tuple[UUID, ...]


class StockAdjusted(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.STOCK_ADJUSTED.value
):
    """Staff counted or adjusted an item's stock on a shift: from ``before`` on hand to
    the movement's ``on_hand_after``."""

    truck_id: UUID
    movement: StockMovement
    before: int


class StockThresholdSet(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.STOCK_THRESHOLD_SET.value
):
    """A low-stock threshold: a shift's own (``shift_id``) or the item's default
    (``shift_id`` None); ``None`` values are the default in force."""

    item_id: UUID
    shift_id: UUID | None
    before: int | None
    after: int | None


class OrderCancelledByStaff(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.ORDER_CANCELLED.value
):
    truck_id: UUID
    cancellation: Cancellation


class OrderRefundedByStaff(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.ORDER_REFUNDED.value
):
    truck_id: UUID
    refund: Refund


class StaffInvited(_FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.STAFF_INVITED.value):
    """A pending account was made and its invitation link sent (never the link)."""

    staff_id: UUID
    email: str
    name: str
    role: Role
    truck_ids: frozenset[UUID]
    expires_at: datetime


class AccountState(msgspec.Struct, frozen=True, kw_only=True):
    """What accepting an invitation changes of an account (never its password)."""

    name: str
    active: bool


class StaffInvitationAccepted(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.STAFF_INVITATION_ACCEPTED.value
):
    staff_id: UUID
    before: AccountState
    after: AccountState


class StaffPasswordReset(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.STAFF_PASSWORD_RESET.value
):
    """A password was set through a reset link; every session of the account ended."""

    staff_id: UUID
    email: str


class StaffEmailChanged(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.STAFF_EMAIL_CHANGED.value
):
    staff_id: UUID
    before: str
    after: str


class OrderRefundSettled(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.ORDER_REFUND_SETTLED.value
):
    """The payment gateway's answer to a refund sent to it: ``refund`` as it is now
    (``succeeded`` or ``failed``), having been ``pending``."""

    truck_id: UUID
    refund: Refund


# Webhook endpoints carry no secret (it is stored beside them), so neither do these.
class WebhookEndpointCreated(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.WEBHOOK_ENDPOINT_CREATED.value
):
    endpoint: WebhookEndpoint


class WebhookEndpointChanged(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.WEBHOOK_ENDPOINT_CHANGED.value
):
    before: WebhookEndpoint
    after: WebhookEndpoint


class WebhookEndpointDeleted(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.WEBHOOK_ENDPOINT_DELETED.value
):
    endpoint: WebhookEndpoint


class WebhookSecretRotated(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.WEBHOOK_SECRET_ROTATED.value
):
    """The endpoint's signing secret was replaced (the record never holds either)."""

    endpoint_id: UUID


class WebhookDeliveriesReplayed(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.WEBHOOK_DELIVERIES_REPLAYED.value
):
    """Deliveries sent again by hand: one (``delivery_id``), or ``count`` of them in
    ``state`` (any state when None) created in [``since``, ``until``)."""

    endpoint_id: UUID
    count: int
    delivery_id: UUID | None = None
    state: DeliveryState | None = None
    since: datetime | None = None
    until: datetime | None = None


class LoyaltyPointsEarned(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.LOYALTY_POINTS_EARNED.value
):
    """A customer account earned points on a paid order; ``balance`` is theirs after it."""

    entry: LoyaltyEntry
    balance: int


class LoyaltyPointsSpent(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.LOYALTY_POINTS_SPENT.value
):
    """A customer account spent points as a discount on an order."""

    entry: LoyaltyEntry
    balance: int
    discount_cents: int


class LoyaltyPointsReversed(
    _FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.LOYALTY_POINTS_REVERSED.value
):
    """A refund moved points back: earned ones taken back (``entry.kind`` ``reversed``)
    or, the order wholly refunded, spent ones returned (``returned``)."""

    entry: LoyaltyEntry
    balance: int


class ReviewHidden(_FleetEvent, frozen=True, kw_only=True, tag=FleetEventType.REVIEW_HIDDEN.value):
    """A manager hid a customer's review from the public (``reason`` says why): it no
    longer counts in the truck's ratings. The review's text is not copied here."""

    truck_id: UUID
    review_id: UUID
    order_id: UUID
    stars: int
    reason: str


FleetEventData = (
    TruckCreated
    | LocationCreated
    | StaffCreated
    | StaffRoleChanged
    | StaffTruckAssigned
    | StaffTruckUnassigned
    | StaffDeactivated
    | StaffReactivated
    | SessionRevoked
    | MenuCategoryAdded
    | MenuCategoryChanged
    | MenuItemAdded
    | MenuItemChanged
    | ModifierGroupAdded
    | ModifierGroupChanged
    | MenuReordered
    | TruckMenuSet
    | DeviceRegistered
    | DeviceRevoked
    | TruckCapacitySet
    | TruckChanged
    | TruckDeactivated
    | TruckReactivated
    | TruckHoursSet
    | TruckCheckedInOutOfHours
    | LocationChanged
    | LocationDeactivated
    | LocationReactivated
    | LocationHoursSet
    | ShiftCapacitySet
    | ShiftForceClosed
    | StockAdjusted
    | StockThresholdSet
    | OrderCancelledByStaff
    | OrderRefundedByStaff
    | StaffInvited
    | StaffInvitationAccepted
    | StaffPasswordReset
    | StaffEmailChanged
    | OrderRefundSettled
    | WebhookEndpointCreated
    | WebhookEndpointChanged
    | WebhookEndpointDeleted
    | WebhookSecretRotated
    | WebhookDeliveriesReplayed
    | LoyaltyPointsEarned
    | LoyaltyPointsSpent
    | LoyaltyPointsReversed
    | ReviewHidden
)


class NewFleetEvent(msgspec.Struct, frozen=True, kw_only=True):
    """A fleet event before its stream numbers it. ``actor`` None: the system did it
    (the command line, a scheduled job), not a signed-in person or device."""

    stream: Stream
    at: datetime
    actor: Actor | None
    data: FleetEventData
    origin: Origin = Origin()

    @property
    def type(self) -> FleetEventType:
        return self.data.type


class FleetEvent(msgspec.Struct, frozen=True, kw_only=True):
    """A logged fleet event: ``seq`` is per stream, 1, 2, 3… with no gap."""

    stream: Stream
    seq: int
    at: datetime
    actor: Actor | None
    data: FleetEventData
    origin: Origin = Origin()

    @property
    def type(self) -> FleetEventType:
        return self.data.type


_DATA_TYPES: dict[FleetEventType, type[FleetEventData]] = {
    FleetEventType(str(member.__struct_config__.tag)): member for member in get_args(FleetEventData)
}


def fleet_data_type(event_type: FleetEventType) -> type[FleetEventData]:
    """The Struct a fleet event type's data is."""
    return _DATA_TYPES[event_type]


def subject_of(data: FleetEventData) -> Subject:  # noqa: PLR0911, PLR0912 - one case a type
    """What an event is about, for the audit trail's ``object`` filter."""
    match data:
        case TruckCreated(truck=truck):
            return Subject(type="truck", id=str(truck.id))
        case LocationCreated(location=location):
            return Subject(type="location", id=str(location.id))
        case (
            StaffCreated(staff_id=staff_id)
            | StaffRoleChanged(staff_id=staff_id)
            | StaffTruckAssigned(staff_id=staff_id)
            | StaffTruckUnassigned(staff_id=staff_id)
            | StaffDeactivated(staff_id=staff_id)
            | StaffReactivated(staff_id=staff_id)
            | StaffInvited(staff_id=staff_id)
            | StaffInvitationAccepted(staff_id=staff_id)
            | StaffPasswordReset(staff_id=staff_id)
            | StaffEmailChanged(staff_id=staff_id)
        ):
            return Subject(type="staff", id=str(staff_id))
        case SessionRevoked(session_id=session_id):
            return Subject(type="session", id=str(session_id))
        case MenuCategoryAdded(category=category) | MenuCategoryChanged(after=category):
            return Subject(type="menu_category", id=str(category.id))
        case MenuItemAdded(item=item) | MenuItemChanged(after=item):
            return Subject(type="menu_item", id=str(item.id))
        case ModifierGroupAdded(group=group) | ModifierGroupChanged(after=group):
            return Subject(type="modifier_group", id=str(group.id))
        case MenuReordered(category_id=category_id):
            if category_id is None:
                return Subject(type="menu")
            return Subject(type="menu_category", id=str(category_id))
        case TruckMenuSet(truck_id=truck_id) | TruckCapacitySet(truck_id=truck_id):
            return Subject(type="truck", id=str(truck_id))
        case DeviceRegistered(device=device):
            return Subject(type="device", id=str(device.id))
        case DeviceRevoked(device_id=device_id):
            return Subject(type="device", id=str(device_id))
        case ShiftCapacitySet(shift_id=shift_id) | ShiftForceClosed(shift_id=shift_id):
            return Subject(type="shift", id=str(shift_id))
        case TruckCheckedInOutOfHours(shift_id=shift_id):
            return Subject(type="shift", id=str(shift_id))
        case (
            TruckChanged(after=truck)
            | TruckDeactivated(after=truck)
            | TruckReactivated(after=truck)
        ):
            return Subject(type="truck", id=str(truck.id))
        case TruckHoursSet(truck_id=truck_id):
            return Subject(type="truck", id=str(truck_id))
        case (
            LocationChanged(after=location)
            | LocationDeactivated(after=location)
            | LocationReactivated(after=location)
        ):
            return Subject(type="location", id=str(location.id))
        case LocationHoursSet(location_id=location_id):
            return Subject(type="location", id=str(location_id))
        case StockAdjusted(movement=movement):
            return Subject(type="menu_item", id=str(movement.item_id))
        case StockThresholdSet(item_id=item_id):
            return Subject(type="menu_item", id=str(item_id))
        case OrderCancelledByStaff(cancellation=cancellation):
            return Subject(type="order", id=str(cancellation.order_id))
        case OrderRefundedByStaff(refund=refund) | OrderRefundSettled(refund=refund):
            return Subject(type="order", id=str(refund.order_id))
        case (
            WebhookEndpointCreated(endpoint=endpoint)
            | WebhookEndpointChanged(after=endpoint)
            | WebhookEndpointDeleted(endpoint=endpoint)
        ):
            return Subject(type="webhook_endpoint", id=str(endpoint.id))
        case (
            WebhookSecretRotated(endpoint_id=endpoint_id)
            | WebhookDeliveriesReplayed(endpoint_id=endpoint_id)
        ):
            return Subject(type="webhook_endpoint", id=str(endpoint_id))
        case (
            LoyaltyPointsEarned(entry=entry)
            | LoyaltyPointsSpent(entry=entry)
            | LoyaltyPointsReversed(entry=entry)
        ):
            return Subject(type="customer", id=str(entry.customer_id))
        case ReviewHidden(review_id=review_id):
            return Subject(type="review", id=str(review_id))
        case _:
            assert_never(data)
