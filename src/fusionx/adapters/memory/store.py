from __future__ import annotations

import asyncio
import copy
from dataclasses import dataclass, field
from datetime import date, datetime
from uuid import UUID

from fusionx.core.model.cancellations import Cancellation
from fusionx.core.model.capacity import CapacitySetting
from fusionx.core.model.credentials import AccessToken
from fusionx.core.model.customers import Customer
from fusionx.core.model.devices import Device
from fusionx.core.model.email_tokens import EmailToken
from fusionx.core.model.events import ShiftEvent
from fusionx.core.model.fleet_events import FleetEvent
from fusionx.core.model.hours import OperatingHours
from fusionx.core.model.loyalty import LoyaltyEntry
from fusionx.core.model.menu import MenuCategory, MenuItem, ModifierGroup, TruckMenuEntry
from fusionx.core.model.notifications import Attempt, Notification
from fusionx.core.model.orders import Order
from fusionx.core.model.pairing_codes import PairingCode
from fusionx.core.model.payments import ReceivedPayment
from fusionx.core.model.preferences import NotificationPreferences
from fusionx.core.model.push_tokens import PushToken
from fusionx.core.model.refunds import Refund
from fusionx.core.model.reviews import Review
from fusionx.core.model.shifts import Shift, ShiftTransition
from fusionx.core.model.sign_in_codes import SignInCode
from fusionx.core.model.staff import StaffMember
from fusionx.core.model.stock import StockMovement
from fusionx.core.model.tickets import Ticket, TicketTransition
from fusionx.core.model.tracking import OrderTracking
from fusionx.core.model.trucks import Location, Truck
from fusionx.core.model.webhooks import WebhookDelivery, WebhookEndpoint


@dataclass
class InMemoryTables:
    """Every table of the in-memory store.

    Entities are frozen and collections inside are replaced, never mutated in place,
    so a shallow copy of each table is a private snapshot for one unit of work.
    """

    staff: dict[UUID, StaffMember] = field(default_factory=dict)
    trucks: dict[UUID, Truck] = field(default_factory=dict)
    locations: dict[UUID, Location] = field(default_factory=dict)
    truck_hours: dict[UUID, OperatingHours] = field(default_factory=dict)
    location_hours: dict[UUID, OperatingHours] = field(default_factory=dict)
    devices: dict[UUID, Device] = field(default_factory=dict)
    tokens: dict[UUID, AccessToken] = field(default_factory=dict)
    login_failures: dict[str, list[datetime]] = field(default_factory=dict)
    email_tokens: dict[UUID, EmailToken] = field(default_factory=dict)
    shifts: dict[UUID, Shift] = field(default_factory=dict)
    shift_history: dict[UUID, tuple[ShiftTransition, ...]] = field(default_factory=dict)
    order_numbers: dict[UUID, int] = field(default_factory=dict)
    categories: dict[UUID, MenuCategory] = field(default_factory=dict)
    items: dict[UUID, MenuItem] = field(default_factory=dict)
    modifier_groups: dict[UUID, ModifierGroup] = field(default_factory=dict)
    truck_menus: dict[UUID, tuple[TruckMenuEntry, ...]] = field(default_factory=dict)
    stock: dict[tuple[UUID, UUID], int] = field(default_factory=dict)
    ledger: dict[UUID, tuple[StockMovement, ...]] = field(default_factory=dict)
    orders: dict[UUID, Order] = field(default_factory=dict)
    tickets: dict[UUID, Ticket] = field(default_factory=dict)
    ticket_history: dict[UUID, tuple[TicketTransition, ...]] = field(default_factory=dict)
    events: dict[UUID, tuple[ShiftEvent, ...]] = field(default_factory=dict)
    fleet_events: dict[str, tuple[FleetEvent, ...]] = field(default_factory=dict)
    # Each fleet event's (prev_hash, hash), by stream, in the same order.
    fleet_chain: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    outbox: dict[UUID, Notification] = field(default_factory=dict)
    claims: dict[UUID, tuple[UUID, datetime]] = field(default_factory=dict)
    attempts: dict[UUID, tuple[Attempt, ...]] = field(default_factory=dict)
    push_tokens: dict[tuple[str, UUID], PushToken] = field(default_factory=dict)
    preferences: dict[UUID, NotificationPreferences] = field(default_factory=dict)
    blocked_numbers: dict[str, str] = field(default_factory=dict)
    item_thresholds: dict[UUID, int] = field(default_factory=dict)
    shift_thresholds: dict[tuple[UUID, UUID], int] = field(default_factory=dict)
    cancellations: dict[UUID, Cancellation] = field(default_factory=dict)
    refunds: dict[UUID, Refund] = field(default_factory=dict)
    received_payments: dict[str, ReceivedPayment] = field(default_factory=dict)
    shift_capacity: dict[UUID, CapacitySetting] = field(default_factory=dict)
    truck_capacity: dict[UUID, CapacitySetting] = field(default_factory=dict)
    # When each (recipient, week) weekly summary was sent.
    weekly_summaries_sent: dict[tuple[UUID, date], datetime] = field(default_factory=dict)
    # Throttle refusals per (shift, UTC quarter hour).
    throttle_refusals: dict[tuple[UUID, datetime], int] = field(default_factory=dict)
    webhook_endpoints: dict[UUID, WebhookEndpoint] = field(default_factory=dict)
    webhook_secrets: dict[UUID, str] = field(default_factory=dict)
    webhook_removed: dict[UUID, datetime] = field(default_factory=dict)
    webhook_deliveries: dict[UUID, WebhookDelivery] = field(default_factory=dict)
    webhook_claims: dict[UUID, tuple[UUID, datetime]] = field(default_factory=dict)
    customers: dict[UUID, Customer] = field(default_factory=dict)
    sign_in_codes: dict[UUID, SignInCode] = field(default_factory=dict)
    pairing_codes: dict[UUID, PairingCode] = field(default_factory=dict)
    # Loyalty entries by key, in the order they were recorded.
    loyalty: dict[str, LoyaltyEntry] = field(default_factory=dict)
    tracking: dict[UUID, OrderTracking] = field(default_factory=dict)  # by order id
    reviews: dict[UUID, Review] = field(default_factory=dict)

    def snapshot(self) -> InMemoryTables:
        return InMemoryTables(
            **{name: copy.copy(table) for name, table in vars(self).items()},
        )


class InMemoryStore:
    """The committed state shared by every in-memory unit of work of one app.

    ``write_lock`` serializes units of work, as SQLite's write lock does: without it,
    two racing units would each commit a snapshot and one would erase the other.
    """

    def __init__(self) -> None:
        self.tables = InMemoryTables()
        self.write_lock = asyncio.Lock()
